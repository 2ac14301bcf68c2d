import {
  Body,
  Controller,
  Delete,
  Get,
  HttpCode,
  HttpStatus,
  Param,
  Patch,
  Post,
  Query as QueryParam,
  Res,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiAcceptedResponse,
  ApiOkResponse,
  ApiOperation,
  ApiProperty,
  ApiPropertyOptional,
  ApiTags,
  PartialType,
} from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import {
  IsArray,
  IsBoolean,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  Max,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';
import type { Response } from 'express';
import { Clock, ServerShutdown } from '@app/infrastructure';
import { queryBoolean } from '../../shared/query-params.js';
import { isFinalRun, WatchlistDeletedDuringRunError, type WatchlistRun } from '../watchlist.js';
import { CreateWatchlistCommand } from './create-watchlist.command.js';
import { DeleteWatchlistCommand } from './delete-watchlist.command.js';
import { GetWatchlistQuery } from './get-watchlist.query.js';
import { GetWatchlistRunQuery } from './get-watchlist-run.query.js';
import { ListWatchedTrialsQuery } from './list-watched-trials.query.js';
import { ListWatchlistRunsQuery } from './list-watchlist-runs.query.js';
import { ListWatchlistsQuery } from './list-watchlists.query.js';
import { RequestWatchlistSyncCommand } from './request-watchlist-sync.command.js';
import { UpdateWatchlistCommand } from './update-watchlist.command.js';

export class ScheduleBody {
  @ApiPropertyOptional({ example: '0 6 * * *', description: 'cron: 5 fields, or 6 with seconds first' })
  @IsOptional()
  @IsString()
  cron?: string;

  @ApiPropertyOptional({ example: 'Europe/Paris' })
  @IsOptional()
  @IsString()
  timeZone?: string;
}

export class CreateWatchlistBody {
  @ApiProperty({ example: 'stroke trials' })
  @IsString()
  @MaxLength(100)
  name!: string;

  @ApiPropertyOptional({ example: ['NCT04811651'] })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  nctIds?: string[];

  @ApiPropertyOptional({ example: { 'query.cond': 'ischemic stroke', 'filter.overallStatus': 'RECRUITING' } })
  @IsOptional()
  @IsObject()
  search?: Record<string, string> | null;

  @ApiPropertyOptional({ description: 'registry pages (HTML) fetched on the same schedule' })
  @IsOptional()
  @IsArray()
  @IsString({ each: true })
  pageUrls?: string[];

  @ApiPropertyOptional({ type: ScheduleBody, description: 'default: daily at 06:00 UTC' })
  @IsOptional()
  @ValidateNested()
  @Type(() => ScheduleBody)
  schedule?: ScheduleBody;

  @ApiPropertyOptional({ description: 'import past versions of newly watched trials (needs CTGOV_HISTORY_ENABLED)' })
  @IsOptional()
  @IsBoolean()
  backfillHistory?: boolean;
}

export class UpdateWatchlistBody extends PartialType(CreateWatchlistBody) {}

export class SyncParams {
  @ApiPropertyOptional({ description: 'true: answer once done (up to timeoutMs) instead of at once' })
  @IsOptional()
  @Transform(queryBoolean)
  @IsBoolean({ message: 'wait must be true or false (or 1 or 0)' })
  wait?: boolean;

  @ApiPropertyOptional({ description: 'How long wait=true waits, in ms', minimum: 1, maximum: 600_000 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(600_000)
  timeoutMs?: number;
}

export class RunsParams {
  @ApiPropertyOptional({ description: 'How many per page', minimum: 1, maximum: 500 })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(500)
  limit?: number;
}

const WAIT_POLL_MS = 100;

@ApiTags('watchlists')
@Controller('watchlists')
export class WatchlistsController {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly queryBus: QueryBus,
    private readonly clock: Clock,
    private readonly shutdown: ServerShutdown,
  ) {}

  @Post()
  @ApiOperation({ summary: 'Create a watchlist (NCT IDs, an API v2 search, registry pages) with its schedule' })
  create(@Body() body: CreateWatchlistBody) {
    return this.commandBus.execute(new CreateWatchlistCommand(body));
  }

  @Get()
  @ApiOperation({ summary: 'All watchlists' })
  list() {
    return this.queryBus.execute(new ListWatchlistsQuery());
  }

  @Get(':id')
  get(@Param('id') id: string) {
    return this.queryBus.execute(new GetWatchlistQuery(id));
  }

  @Patch(':id')
  @ApiOperation({ summary: 'Change a watchlist; its schedule follows' })
  update(@Param('id') id: string, @Body() body: UpdateWatchlistBody) {
    return this.commandBus.execute(new UpdateWatchlistCommand(id, body));
  }

  @Delete(':id')
  @HttpCode(HttpStatus.NO_CONTENT)
  @ApiOperation({ summary: 'Delete a watchlist and its schedule (the trials and their history stay)' })
  async delete(@Param('id') id: string): Promise<void> {
    await this.commandBus.execute(new DeleteWatchlistCommand(id));
  }

  @Post(':id/sync')
  @ApiOperation({ summary: 'Run a sync now: 202 with the queued run, or with ?wait=true the finished run' })
  @ApiAcceptedResponse({ description: 'The run, queued (or, with wait=true, not finished within timeoutMs)' })
  @ApiOkResponse({ description: 'With wait=true: the finished run' })
  async sync(
    @Param('id') id: string,
    @QueryParam() params: SyncParams,
    @Res({ passthrough: true }) response: Response,
  ) {
    const run = await this.commandBus.execute(new RequestWatchlistSyncCommand(id));
    if (!params.wait) {
      response.status(HttpStatus.ACCEPTED);
      return run;
    }
    const finished = await this.waitForRun(id, run, params.timeoutMs ?? 120_000);
    response.status(isFinalRun(finished.status) ? HttpStatus.OK : HttpStatus.ACCEPTED);
    return finished;
  }

  @Get(':id/runs')
  @ApiOperation({
    summary: "The watchlist's runs, newest first: what each asked for, fetched, appended, and its errors",
  })
  runs(@Param('id') id: string, @QueryParam() params: RunsParams) {
    return this.queryBus.execute(new ListWatchlistRunsQuery(id, params.limit ?? 50));
  }

  @Get(':id/trials')
  @ApiOperation({
    summary:
      'The trials the watchlist names: whether it has fetched each in full yet, whether the registry still has it (found, not-found, removed), and its history backfill (pending, done, failed with the error and attempts)',
  })
  trials(@Param('id') id: string) {
    return this.queryBus.execute(new ListWatchedTrialsQuery(id));
  }

  private async waitForRun(watchlist: string, run: WatchlistRun, timeoutMs: number): Promise<WatchlistRun> {
    const deadline = this.clock.now().getTime() + timeoutMs;
    let current = run;
    // A stopping api answers at once with the run as it stands (202 while running).
    while (!isFinalRun(current.status) && this.clock.now().getTime() < deadline && !this.shutdown.requested) {
      await new Promise((resolve) => setTimeout(resolve, WAIT_POLL_MS));
      const read = await this.queryBus.execute(new GetWatchlistRunQuery(run.id));
      // A run's record goes only with its watchlist: deleted meanwhile, the run will not finish.
      if (!read) throw new WatchlistDeletedDuringRunError(watchlist, current);
      current = read;
    }
    return current;
  }
}
