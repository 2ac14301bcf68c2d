import { Module } from '@nestjs/common';
import { CheckSignalsHandler } from './check-signals/check-signals.handler.js';
import { SignalAnnouncements } from './check-signals/signal-announcements.js';
import { SignalCheckProcessor } from './check-signals/signal-check.processor.js';

/**
 * Signals: what the clock, not a snapshot, makes true of a trial (results overdue, registry-hygiene
 * flags), checked daily and recorded as events on the trial's stream so that every subscriber hears of them.
 */
@Module({ providers: [CheckSignalsHandler, SignalAnnouncements] })
export class SignalsModule {}

/** The daily check on its schedule (the worker). */
@Module({ imports: [SignalsModule], providers: [SignalCheckProcessor] })
export class SignalsWorkerModule {}
