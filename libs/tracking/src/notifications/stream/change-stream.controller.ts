import { setTimeout as sleep } from 'node:timers/promises';
import { Controller, Get, Headers, Inject, Logger, Query as QueryParam, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiOperation, ApiProduces, ApiResponse, ApiTags } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { APP_CONFIG, type AppConfig, ServerShutdown } from '@app/infrastructure';
import {
  assertWatchlistsExist,
  ChangeFilterParams,
  CheckChangeFeedCursorQuery,
  GetChangeFeedEndQuery,
  GetChangeFeedQuery,
  toChangeFeedFilter,
} from '../../read-models/index.js';
import { decodeCursor, encodeCursor } from '../../shared/cursor.js';
import { OpenStreams, streamClientOf } from './open-streams.js';
import { SseConnection } from './sse-connection.js';

const POLL_MS = 250;
const HEARTBEAT_MS = 15_000;
const PAGE = 500;
/** What a client waits before it reconnects (EventSource honours it). */
const RETRY_MS = 2000;

/**
 * The change feed as Server-Sent Events. Each event's id is its change-feed cursor, so a client that
 * reconnects with Last-Event-ID (browsers do it themselves) gets exactly what it missed. Without one,
 * the stream starts at the current end of the feed, and its first words give that place as the id.
 * Keep-alives and the last words of a stream carry an `id:` too, how far the stream has looked
 * (matched or not), so a quiet filter resumes from there.
 */
@ApiTags('changes')
@Controller('changes')
export class ChangeStreamController {
  private readonly logger = new Logger(ChangeStreamController.name);

  constructor(
    private readonly queryBus: QueryBus,
    private readonly openStreams: OpenStreams,
    private readonly shutdown: ServerShutdown,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
  ) {}

  @Get('stream')
  @ApiProduces('text/event-stream')
  @ApiOperation({
    summary: 'Live changes as Server-Sent Events, with the change feed filters; resume with Last-Event-ID',
    description:
      'At most STREAM_MAX_PER_KEY streams per API key (without keys: per client address) per api process; past it, 429 ' +
      '`stream.too-many`. A client that reads nothing for STREAM_STALL_TIMEOUT_MS is dropped. On shutdown the stream ' +
      'ends cleanly; reconnecting with Last-Event-ID misses nothing.',
  })
  @ApiResponse({ status: 429, description: 'Too many open streams for this API key (stream.too-many)' })
  @ApiResponse({
    status: 409,
    description:
      'Last-Event-ID lies past the end of the change feed (another installation, a reset database): reconnect without it (request.cursor-ahead)',
  })
  async stream(
    @QueryParam() params: ChangeFilterParams,
    @Headers('last-event-id') lastEventId: string | undefined,
    @Req() request: Request,
    @Res() response: Response,
  ): Promise<void> {
    const resumeAfter = lastEventId ? encodeCursor(decodeCursor(lastEventId)) : null;
    // Refused before the stream begins: once it has, an error only ends it, and the client reconnects.
    await assertWatchlistsExist(this.queryBus, params.watchlist);
    // An id past the end of the feed (another installation, a reset database) would leave the stream
    // silent forever: refused, so the client starts again without it.
    if (resumeAfter) await this.queryBus.execute(new CheckChangeFeedCursorQuery(resumeAfter, 'Last-Event-ID'));
    const release = this.openStreams.acquire(streamClientOf(request));
    try {
      await this.shutdown.track(() => this.serve(params, resumeAfter, response));
    } finally {
      release();
    }
  }

  private async serve(params: ChangeFilterParams, resumeAfter: string | null, response: Response): Promise<void> {
    const connection = new SseConnection(response, this.config.streams.stallTimeoutMs, this.shutdown.signal);
    try {
      let cursor = resumeAfter ?? (await this.queryBus.execute(new GetChangeFeedEndQuery()));
      response.writeHead(200, {
        'content-type': 'text/event-stream; charset=utf-8',
        'cache-control': 'no-cache, no-transform',
        connection: 'keep-alive',
        'x-accel-buffering': 'no',
      });
      // The id the client holds: the last event it was sent, or how far the stream had looked.
      let given = resumeAfter;
      const idLine = () => (cursor !== given ? `id: ${cursor}\n` : '');
      // A client that came without an id gets one at once: dropped before any change or keep-alive, it
      // reconnects from here rather than from wherever the feed ends by then.
      if (!(await connection.write(`retry: ${RETRY_MS}\n${idLine()}: resuming after ${cursor}\n\n`))) return;
      given = cursor;
      let lastWrite = Date.now();
      pages: while (connection.open && !this.shutdown.requested) {
        const page = await this.queryBus.execute(new GetChangeFeedQuery(toChangeFeedFilter(params, cursor, PAGE)));
        for (const change of page.changes) {
          const block = `id: ${change.cursor}\nevent: ${change.type}\ndata: ${JSON.stringify(change)}\n\n`;
          if (!(await connection.write(block))) break pages;
          given = change.cursor;
        }
        // nextCursor is how far the feed was read, matched or not: a quiet filter never reads the same entries again.
        if (page.nextCursor) cursor = page.nextCursor;
        if (page.changes.length > 0) lastWrite = Date.now();
        if (!page.caughtUp) continue;
        if (Date.now() - lastWrite > HEARTBEAT_MS) {
          const line = idLine();
          if (!(await connection.write(`: keep-alive\n${line}\n`))) break;
          given = cursor;
          lastWrite = Date.now();
        }
        await sleep(POLL_MS, undefined, { signal: this.shutdown.signal }).catch(() => undefined);
      }
      // Stopping (or the client left): say how far the stream looked, and end cleanly.
      connection.end(`: the server is stopping; reconnect with Last-Event-ID\n${idLine()}\n`);
    } catch (error) {
      this.logger.warn(`Change stream ended on an error: ${(error as Error).message}`);
      if (!response.headersSent) throw error;
      connection.end(': the stream failed; reconnect with Last-Event-ID\n\n');
    }
  }
}
