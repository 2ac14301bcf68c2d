import { Command } from '@nestjs/cqrs';

export interface SignalCheckSummary {
  /** The day checked (ISO date). */
  on: string;
  trialsChecked: number;
  /** Events recorded, by type. */
  recorded: Record<string, number>;
}

/** Records, for every trial, the signals (results overdue, hygiene flags) that started or ended by `on`. */
export class CheckSignalsCommand extends Command<SignalCheckSummary> {
  constructor(readonly on: string) {
    super();
  }
}
