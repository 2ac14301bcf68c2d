import { Injectable, Logger } from '@nestjs/common';

/**
 * Tells whoever consumes the event store (projections, the notification matcher) that new events were
 * appended, so they catch up now rather than at their next scheduled wake-up. Consumers register a
 * wake-up when their module starts; writers raise the signal after a commit and wait for the wake-ups
 * to be queued. A wake-up that fails costs a few seconds, never an event: consumers read the store.
 */
@Injectable()
export class AppendedEventsSignal {
  private readonly logger = new Logger(AppendedEventsSignal.name);
  private readonly listeners: { name: string; wake: () => Promise<void> }[] = [];

  listen(name: string, wake: () => Promise<void>): void {
    this.listeners.push({ name, wake });
  }

  async raise(): Promise<void> {
    await Promise.all(
      this.listeners.map(({ name, wake }) =>
        wake().catch((error: Error) =>
          this.logger.warn(`Could not wake ${name} (its schedule will catch up): ${error.message}`),
        ),
      ),
    );
  }
}
