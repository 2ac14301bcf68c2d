import { InvalidConfigError } from '../config/app-config.js';

/**
 * `TRIALWATCH_EMBEDDED`: when the demo and the test suites start PostgreSQL and Redis themselves.
 * `auto`: a service whose URL is unset and that nothing answers on its default port;
 * `always`: both, whatever is set or answering; `never`: neither.
 */
export const EMBEDDED_MODES = ['auto', 'always', 'never'] as const;
export type EmbeddedMode = (typeof EMBEDDED_MODES)[number];

export const parseEmbeddedMode = (raw: string | undefined): EmbeddedMode => {
  const value = (raw ?? '').trim().toLowerCase();
  if (value === '') return 'auto';
  if ((EMBEDDED_MODES as readonly string[]).includes(value)) return value as EmbeddedMode;
  throw new InvalidConfigError([`TRIALWATCH_EMBEDDED must be auto, always or never; got "${raw}"`]);
};
