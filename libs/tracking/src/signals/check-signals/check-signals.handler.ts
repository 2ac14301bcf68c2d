import { randomUUID } from 'node:crypto';
import { Logger } from '@nestjs/common';
import { CommandHandler, type ICommandHandler, QueryBus } from '@nestjs/cqrs';
import { checkSignals, DomainError, streamIdOf } from '@app/domain';
import { Clock, ConcurrencyError, Database, EventStore, Metrics } from '@app/infrastructure';
import { GetSignalInputsQuery, type SignalInputs, type SignalInputsPage } from '@app/tracking/read-models';
import { FindRegistryAbsencesQuery } from '@app/tracking/watchlists';
import { CheckSignalsCommand, type SignalCheckSummary } from './check-signals.command.js';
import { SignalAnnouncements } from './signal-announcements.js';

const PAGE_SIZE = 500;

/** A check of a day still to come: it would announce signals that have not started, dated in the future. */
export class SignalCheckDayAheadError extends DomainError {
  readonly code = 'signals.day-ahead';
  readonly kind = 'invalid' as const;
  constructor(day: string, today: string) {
    super(`${day} is after today (${today}): only a day that has begun can be checked`, { on: day, today });
  }
}

const startOfDay = (day: string): string => `${day}T00:00:00.000Z`;
const later = (a: string, b: string): string => (Date.parse(a) >= Date.parse(b) ? a : b);

/**
 * The daily check: reads the deadlines and flag days of every trial recorded by the day checked from the
 * current-state read model (the hygiene flag days as each record stood that day), and from watchlist
 * syncs whether the registry still has it, and appends to a trial's stream the signals that started or
 * ended since the last check. It decides
 * on the stream version the read model had reached; a trial that moved on meanwhile is left for the
 * next check, which sees its newer state.
 */
@CommandHandler(CheckSignalsCommand)
export class CheckSignalsHandler implements ICommandHandler<CheckSignalsCommand> {
  private readonly logger = new Logger(CheckSignalsHandler.name);

  constructor(
    private readonly queryBus: QueryBus,
    private readonly database: Database,
    private readonly eventStore: EventStore,
    private readonly announcements: SignalAnnouncements,
    private readonly clock: Clock,
    private readonly metrics: Metrics,
  ) {}

  async execute({ on }: CheckSignalsCommand): Promise<SignalCheckSummary> {
    const day = on.slice(0, 10);
    const today = this.clock.nowIso().slice(0, 10);
    if (day > today) throw new SignalCheckDayAheadError(day, today);
    const summary: SignalCheckSummary = { on: day, trialsChecked: 0, recorded: {} };
    let after: string | null = null;
    do {
      const page: SignalInputsPage = await this.queryBus.execute(new GetSignalInputsQuery(day, after, PAGE_SIZE));
      summary.trialsChecked += page.trials.length;
      const absences: Map<string, string> = await this.queryBus.execute(
        new FindRegistryAbsencesQuery(page.trials.map((trial) => trial.nctId)),
      );
      for (const trial of page.trials) {
        const missingSince = absences.get(trial.nctId);
        if (missingSince) trial.hygieneFrom['gone-from-registry'] = missingSince.slice(0, 10);
      }
      const recorded = await this.announcements.recordedFor(page.trials.map((trial) => trial.nctId));
      for (const trial of page.trials) {
        const outcome = checkSignals(trial, recorded.get(trial.nctId)!, day);
        if (outcome.started.length === 0 && outcome.ended.length === 0) continue;
        const types = await this.record(trial, day);
        for (const type of types) summary.recorded[type] = (summary.recorded[type] ?? 0) + 1;
      }
      after = page.nextCursor;
    } while (after !== null);
    return summary;
  }

  /** Records one trial's started and ended signals with its events, in one transaction. */
  private async record(trial: SignalInputs, day: string): Promise<string[]> {
    const streamId = streamIdOf(trial.nctId);
    try {
      return await this.database.transaction(async (sql) => {
        await this.announcements.lock(sql, [trial.nctId]);
        const recorded = (await this.announcements.recordedFor([trial.nctId], sql)).get(trial.nctId)!;
        const outcome = checkSignals(trial, recorded, day);
        if (outcome.started.length === 0 && outcome.ended.length === 0) return [];
        const head = (await this.eventStore.streamHeads([streamId], sql)).get(streamId);
        if (!head || head.version !== trial.streamVersion) return [];
        const headAt = head.occurredAt.toISOString();
        const checkId = randomUUID();
        await this.eventStore.appendMany(
          [
            {
              streamId,
              expectedVersion: trial.streamVersion,
              events: outcome.events.map(({ event, since }) => ({
                type: event.type,
                schemaVersion: event.schemaVersion,
                data: event.data,
                // A stream's occurredAt never runs backwards; a flag that ends was ended by the latest change.
                occurredAt: since === null ? headAt : later(startOfDay(since), headAt),
                metadata: { source: 'daily-check', checkedOn: day, correlationId: checkId, causationId: checkId },
              })),
            },
          ],
          sql,
        );
        await this.announcements.save(sql, trial.nctId, outcome.started, outcome.ended, this.clock.nowIso());
        for (const { event } of outcome.events) this.metrics.eventsAppended.inc({ type: event.type });
        return outcome.events.map(({ event }) => event.type);
      });
    } catch (error) {
      if (error instanceof ConcurrencyError) {
        this.logger.debug(`${trial.nctId} moved on during the signal check; the next check sees it`);
        return [];
      }
      throw error;
    }
  }
}
