import { Query } from '@nestjs/cqrs';
import type { MaterialityTier } from '@app/domain';

export interface MaterialChange {
  nctId: string;
  eventId: string;
  type: string;
  streamVersion: number;
  occurredAt: string;
  materiality: { tier: MaterialityTier; subtype: string; reason: string };
}

/** Each of these trials' latest change graded at least `minMateriality` (by registry date), by NCT ID. */
export class GetLastMaterialChangesQuery extends Query<Map<string, MaterialChange>> {
  constructor(
    readonly nctIds: readonly string[],
    readonly minMateriality: MaterialityTier = 'medium',
  ) {
    super();
  }
}
