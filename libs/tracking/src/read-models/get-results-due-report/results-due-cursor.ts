import { ValidateBy } from 'class-validator';
import { isCalendarDay } from '@app/domain';

const RESULTS_DUE_CURSOR = /^(\d{4}-\d{2}-\d{2})~(NCT\d{8})$/;

/** Where a results-due page goes on from: after the trial with this due date and NCT ID, as `nextCursor` names it. */
export interface ResultsDueCursor {
  dueDate: string;
  nctId: string;
}

/** `2024-03-15~NCT00000001` as the page it continues after; null for anything else, a day the calendar lacks too. */
export const parseResultsDueCursor = (value: string): ResultsDueCursor | null => {
  const match = RESULTS_DUE_CURSOR.exec(value);
  return match && isCalendarDay(match[1]!) ? { dueDate: match[1]!, nctId: match[2]! } : null;
};

export const resultsDueCursorOf = ({ dueDate, nctId }: ResultsDueCursor): string => `${dueDate}~${nctId}`;

/** A query parameter that is a results-due cursor (see `parseResultsDueCursor`). */
export const IsResultsDueCursor = (message: string): PropertyDecorator =>
  ValidateBy({
    name: 'isResultsDueCursor',
    validator: {
      validate: (value) => typeof value === 'string' && parseResultsDueCursor(value) !== null,
      defaultMessage: () => message,
    },
  });
