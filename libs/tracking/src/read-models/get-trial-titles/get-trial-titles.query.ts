import { Query } from '@nestjs/cqrs';

/** The brief title of each of these trials the read model knows (null where the record has none). */
export class GetTrialTitlesQuery extends Query<Map<string, string | null>> {
  constructor(readonly nctIds: readonly string[]) {
    super();
  }
}
