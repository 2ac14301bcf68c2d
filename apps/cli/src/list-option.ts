import { CliError } from './cli-error.js';

/**
 * Reads a repeatable, comma-separated option. A value naming nothing (`--condition ""`) is refused
 * (exit 2): dropped, it would leave a filter empty, and an empty filter restricts nothing.
 */
export const listOption =
  (option: string) =>
  (value: string, previous: string[]): string[] => {
    const items = value
      .split(',')
      .map((item) => item.trim())
      .filter(Boolean);
    if (items.length === 0) throw new CliError(`${option} needs a value, "${value}" names none`, 2);
    return [...previous, ...items];
  };
