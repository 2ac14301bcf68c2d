import { Injectable } from '@nestjs/common';
import { Database } from '@app/infrastructure';

/** Whether PostgreSQL answers one round trip. */
@Injectable()
export class PostgresHealth {
  constructor(private readonly database: Database) {}

  ping(): Promise<void> {
    return this.database.ping();
  }
}
