import { CliError } from './cli-error.js';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** Reads a command's `<id>`: anything but a UUID is told in one line (exit 2) before anything is loaded. */
export const idArgument =
  (what: string) =>
  (value: string): string => {
    if (!UUID.test(value)) throw new CliError(`"${value}" is not ${what} (a UUID)`, 2);
    return value;
  };
