import { Injectable } from '@nestjs/common';

/** The application's source of "now", injected so that domain code receives time as an argument. */
@Injectable()
export class Clock {
  now(): Date {
    return new Date();
  }

  nowIso(): string {
    return this.now().toISOString();
  }
}
