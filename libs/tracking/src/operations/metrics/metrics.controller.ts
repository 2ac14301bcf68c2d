import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { Public } from '@app/infrastructure';
import { MetricsCollector } from './metrics-collector.js';

@Public()
@ApiExcludeController()
@Controller('metrics')
export class MetricsController {
  constructor(private readonly collector: MetricsCollector) {}

  @Get()
  async metrics(@Res() response: Response): Promise<void> {
    const { contentType, body } = await this.collector.scrape();
    response.type(contentType).send(body);
  }
}
