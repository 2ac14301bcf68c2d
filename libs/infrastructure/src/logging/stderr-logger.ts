import { pino } from 'pino';
import { LOG_LEVELS } from '../config/app-config.js';

/**
 * A pino logger writing JSON lines to stderr as they happen, for what must be seen before the app has
 * started (Nest holds its own logs back until then) or beside a CLI command's output on stdout.
 * An unknown level is read as `info`.
 */
export const stderrLogger = (level: string): pino.Logger =>
  pino({ level: (LOG_LEVELS as readonly string[]).includes(level) ? level : 'info' }, pino.destination(2));
