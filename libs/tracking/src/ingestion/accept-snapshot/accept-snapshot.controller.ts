import { Body, Controller, Headers, HttpStatus, Post, Query as QueryParam, Res } from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiBadRequestResponse,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiPropertyOptional,
  ApiTags,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, Matches, Max, Min } from 'class-validator';
import { IsInstant, queryBoolean } from '../../shared/query-params.js';
import type { Response } from 'express';
import { SNAPSHOT_FORMATS, type SnapshotFormat, SOURCE_LABEL, SOURCE_LABEL_RULE } from '@app/domain';
import { Clock, ServerShutdown } from '@app/infrastructure';
import { AcceptSnapshotCommand } from './accept-snapshot.command.js';
import { GetIngestionQuery } from '../get-ingestion/get-ingestion.query.js';
import { type Ingestion, isFinal } from '../ingestion.js';

export class PostSnapshotParams {
  @ApiPropertyOptional({ description: 'A short label for where the snapshot came from (letters, digits, . : @ / - _)' })
  @IsOptional()
  @Matches(SOURCE_LABEL, { message: `source must be ${SOURCE_LABEL_RULE}` })
  source?: string;

  @ApiPropertyOptional({ description: 'When the snapshot was taken, ISO 8601; not in the future' })
  @IsOptional()
  @IsInstant('observedAt must be an ISO 8601 date or time of a real day, such as 2024-01-15 or 2024-01-15T10:00:00Z')
  observedAt?: string;

  @ApiPropertyOptional({ description: "The snapshot's format, when it should not be detected", enum: SNAPSHOT_FORMATS })
  @IsOptional()
  @IsIn(SNAPSHOT_FORMATS as unknown as string[], { message: `format must be one of: ${SNAPSHOT_FORMATS.join(', ')}` })
  format?: SnapshotFormat;

  @ApiPropertyOptional({ description: 'true: answer once done (up to timeoutMs) instead of at once' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'wait must be true or false (or 1 or 0)' })
  wait?: boolean;

  @ApiPropertyOptional({ description: 'How long wait=true waits, in ms', minimum: 1, maximum: 120_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(120_000)
  timeoutMs?: number;
}

const WAIT_POLL_MS = 25;

@ApiTags('snapshots')
@Controller()
export class AcceptSnapshotController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
    private readonly shutdown: ServerShutdown,
  ) {}

  @Post('snapshots')
  @ApiOperation({
    summary: 'Ingest a raw snapshot: API v2 JSON, legacy XML, a registry page as text or HTML',
    description:
      'Answers 202 with the ingestion id once the snapshot is stored and queued, or with ?wait=true the outcome. ' +
      'Input that is not a readable trial record is answered 400 and kept, rejected, for inspection. ' +
      'A Content-Encoding (gzip, deflate, br, zstd) is undone first; a body that is not such data is such input.',
  })
  @ApiConsumes('application/json', 'application/xml', 'text/plain', 'text/html')
  @ApiBody({ schema: { type: 'string', format: 'binary' } })
  @ApiAcceptedResponse({
    description: 'Stored and queued: { ingestionId, status: queued, nctIds, format }, with Location',
  })
  @ApiOkResponse({ description: 'With wait=true, once done: the ingestion and its outcome' })
  @ApiBadRequestResponse({ description: 'Not a readable trial record; kept as a rejected ingestion' })
  async post(
    @Body() body: Buffer,
    @Headers('content-type') contentType: string | undefined,
    @QueryParam() params: PostSnapshotParams,
    @Res({ passthrough: true }) response: Response,
  ) {
    const content = Buffer.isBuffer(body) ? body : Buffer.alloc(0);
    const accepted = await this.commandBus.execute(
      new AcceptSnapshotCommand({
        content,
        mediaType: contentType ?? null,
        // Set apart from the body parser (createApiApp): the pipeline undoes it, and keeps a body it cannot.
        contentEncoding: (response.locals['contentEncoding'] as string | undefined) ?? null,
        source: params.source ?? 'api',
        observedAt: params.observedAt ?? null,
        format: params.format ?? null,
      }),
    );
    response.location(`/ingestions/${accepted.ingestionId}`);
    if (!params.wait) {
      response.status(HttpStatus.ACCEPTED);
      return { ...accepted, links: { self: `/ingestions/${accepted.ingestionId}` } };
    }
    const ingestion = await this.waitForOutcome(accepted.ingestionId, params.timeoutMs ?? 30_000);
    response.status(isFinal(ingestion.status) ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return ingestion;
  }

  private async waitForOutcome(id: string, timeoutMs: number): Promise<Ingestion> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    for (;;) {
      const ingestion = await this.queryBus.execute(new GetIngestionQuery(id));
      // A stopping api answers at once with the ingestion as it stands (202 while queued).
      if (isFinal(ingestion.status) || this.clock.now().getTime() >= deadline || this.shutdown.requested) {
        return ingestion;
      }
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
    }
  }
}
