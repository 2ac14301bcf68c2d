import type { LocalServices } from '../../libs/infrastructure/src/local-services/index.js';

/** Stops what the global setup (local-services.global-setup.ts) started. */
export default async function stopTestServices(): Promise<void> {
  const holder = globalThis as { trialwatchLocalServices?: LocalServices[] };
  const services = (holder.trialwatchLocalServices ?? []).splice(0);
  await Promise.all(services.map((started) => started.stop()));
}
