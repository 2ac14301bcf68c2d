import { Controller, Get, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { Response } from 'express';
import { MetricsCollector } from './metrics-collector.js';

/** `GET /metrics`: with API_KEYS set it needs a key (any scope), as every read does. */
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
