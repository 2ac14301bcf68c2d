import { InjectQueue, Processor, WorkerHost } from '@nestjs/bullmq';
import { Inject, type OnModuleInit } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import type { Job, Queue } from 'bullmq';
import { APP_CONFIG, type AppConfig, Clock, JobSchedules, QUEUES, WORKER_OPTIONS } from '@app/infrastructure';
import { CheckSignalsCommand, type SignalCheckSummary } from './check-signals.command.js';

const SCHEDULER_ID = 'daily-signal-check';

/** Runs the signal check on the clock's schedule (SIGNAL_CHECK_CRON), for the day it runs on. */
@Processor(QUEUES.signals, { ...WORKER_OPTIONS, concurrency: 1 })
export class SignalCheckProcessor extends WorkerHost implements OnModuleInit {
  constructor(
    private readonly commandBus: CommandBus,
    private readonly clock: Clock,
    @InjectQueue(QUEUES.signals) private readonly queue: Queue,
    @Inject(APP_CONFIG) private readonly config: AppConfig,
    private readonly schedules: JobSchedules,
  ) {
    super();
  }

  onModuleInit(): void {
    const { cron, timeZone } = this.config.signalCheck;
    this.schedules.keep('signal check', async () => {
      if (cron === null) await this.queue.removeJobScheduler(SCHEDULER_ID);
      else await this.queue.upsertJobScheduler(SCHEDULER_ID, { pattern: cron, tz: timeZone }, { name: 'check' });
    });
  }

  process(job: Job<{ on?: string }>): Promise<SignalCheckSummary> {
    return this.commandBus.execute(new CheckSignalsCommand(job.data?.on ?? this.clock.nowIso()));
  }
}
