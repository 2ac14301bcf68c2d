import { INGESTION_STATUSES } from '@app/tracking/ingestion';
import { STATUSES } from './ingestions.command.js';

describe('trialwatch ingestions list --status', () => {
  it("accepts exactly the ingestion log's statuses, in its order", () => {
    expect(STATUSES).toEqual(INGESTION_STATUSES);
  });
});
