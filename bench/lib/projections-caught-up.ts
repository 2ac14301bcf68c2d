import type { INestApplicationContext } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { GetProjectionStatusQuery } from '@app/tracking/read-models';

/** Waits until every projection has applied every event in the store. */
export const waitForProjections = async (context: INestApplicationContext, timeoutMs = 3_600_000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const statuses = await context.get(QueryBus).execute(new GetProjectionStatusQuery());
    if (statuses.every((status) => status.lagEvents === 0)) return;
    if (Date.now() > deadline) throw new Error(`projections still behind after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
};
