import { Query } from '@nestjs/cqrs';

/**
 * Which of these contents (SHA-256, hex) were already ingested as appended, learned, unchanged or stale:
 * ingesting them again would append nothing. A rerun of a bulk load skips them; rejected and failed
 * contents are not among them, so a rerun tries those again.
 */
export class FindIngestedContentsQuery extends Query<Set<string>> {
  constructor(readonly sha256s: readonly string[]) {
    super();
  }
}
