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
