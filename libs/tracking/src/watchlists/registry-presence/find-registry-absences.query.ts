import { Query } from '@nestjs/cqrs';

/**
 * Trials the registry no longer has, as watchlist syncs found them: a trial it had before (or that
 * trialwatch tracks) answered as missing, and not found again by any watchlist since. Each maps to when
 * it was first found missing (ISO 8601). `nctIds` narrows the answer; null asks for every one.
 */
export class FindRegistryAbsencesQuery extends Query<Map<string, string>> {
  constructor(readonly nctIds: readonly string[] | null = null) {
    super();
  }
}
