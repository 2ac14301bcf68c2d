import { ValidateBy } from 'class-validator';
import { isCalendarDay, isInstant } from '@app/domain';
/**
 * `a,b, c` -> ['a', 'b', 'c'] for a query parameter that takes a comma-separated list; given more than
 * once (`?types=a,b&types=c`), the items of each.
 */
export const commaList = ({ value }: { value: unknown }) => {
  const given = typeof value === 'string' ? [value] : value;
  if (!Array.isArray(given) || !given.every((item) => typeof item === 'string')) return value;
  return given
    .flatMap((item: string) => item.split(','))
    .map((item) => item.trim())
    .filter(Boolean);
};

/**
 * A yes-or-no query parameter: `true` or `1`, `false` or `0`. Anything else (`yes`, `TRUE`) is left as
 * it came, for `@IsBoolean` to refuse, rather than read as no.
 */
export const queryBoolean = ({ value }: { value: unknown }) =>
  value === 'true' || value === '1' ? true : value === 'false' || value === '0' ? false : value;

/** A query parameter that is a day of the calendar, `YYYY-MM-DD` (see `isCalendarDay`). */
export const IsCalendarDay = (message: string): PropertyDecorator =>
  ValidateBy({
    name: 'isCalendarDay',
    validator: {
      validate: (value) => typeof value === 'string' && isCalendarDay(value),
      defaultMessage: () => message,
    },
  });

/** A query parameter that is a day or a time of one, read as the same instant everywhere (see `isInstant`). */
export const IsInstant = (message: string): PropertyDecorator =>
  ValidateBy({
    name: 'isInstant',
    validator: { validate: (value) => typeof value === 'string' && isInstant(value), defaultMessage: () => message },
  });
