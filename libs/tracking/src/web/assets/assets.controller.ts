import { Controller, Get, NotFoundException, Param, Query, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/infrastructure';
import { ASSETS } from './asset-paths.js';

/**
 * The stylesheet and the script of the web pages, from this server (the pages work offline). They hold
 * nothing private, and a browser loading them sends no API key, so they are open even when keys are required.
 */
@Public()
@ApiExcludeController()
@Controller('ui/assets')
export class AssetsController {
  @Get(':name')
  serve(@Param('name') name: string, @Query('v') version: string | undefined, @Res() response: Response): void {
    const asset = Object.hasOwn(ASSETS, name) ? ASSETS[name] : undefined;
    if (!asset) throw new NotFoundException(`No asset ${name}`);
    response
      .type(asset.contentType)
      .set({
        // The pages link each asset with its content version; only that URL can be cached for good.
        'cache-control': version === asset.version ? 'public, max-age=31536000, immutable' : 'no-cache',
        'x-content-type-options': 'nosniff',
      })
      .send(asset.body);
  }
}
