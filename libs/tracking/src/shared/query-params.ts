/** `a,b, c` -> ['a', 'b', 'c'] for a query parameter that takes a comma-separated list. */
export const commaList = ({ value }: { value: unknown }) =>
  typeof value === 'string'
    ? value
        .split(',')
        .map((item) => item.trim())
        .filter(Boolean)
    : value;
