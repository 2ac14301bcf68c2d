import { Controller, Get, Headers, Query as QueryParam, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import {
  ChangeFilterParams,
  GetChangeFeedEndQuery,
  GetChangeFeedQuery,
  toChangeFeedFilter,
} from '../../read-models/index.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';

const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;

/**
 * The change feed as Server-Sent Events. Each event's id is its change-feed cursor, so a client that
 * reconnects with Last-Event-ID (browsers do it themselves) gets exactly what it missed. Without one,
 * the stream starts at the current end of the feed.
 */
@ApiTags('changes')
@Controller('changes')
export class ChangeStreamController {
  constructor(private readonly queryBus: QueryBus) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Live changes as Server-Sent Events, with the change feed filters; resume with Last-Event-ID',
  })
  async stream(
    @QueryParam() params: ChangeFilterParams,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    let cursor = lastEventId
      ? encodeCursor(decodeCursor(lastEventId))
      : await this.queryBus.execute(new GetChangeFeedEndQuery());
    let open = true;
    request.on('close', () => (open = false));
    response.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
    });
    response.write(`retry: 2000\n: resuming after ${cursor}\n\n`);
    let lastWrite = Date.now();
    while (open) {
      const page = await this.queryBus.execute(new GetChangeFeedQuery(toChangeFeedFilter(params, cursor, PAGE)));
      for (const change of page.changes) {
        response.write(`id: ${change.cursor}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`);
      }
      if (page.nextCursor) cursor = page.nextCursor;
      if (page.changes.length > 0) lastWrite = Date.now();
      // nextCursor is how far the feed was read, matched or not: a quiet filter never reads the same entries again.
      if (page.caughtUp) {
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          response.write(': keep-alive\n\n');
          lastWrite = Date.now();
        }
        await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      }
    }
    response.end();
  }
}
