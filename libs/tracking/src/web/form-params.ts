/** A form sends empty fields for filters left blank: those mean "any". */
export const trimmedOrAbsent = ({ value }: { value: unknown }) => {
  if (typeof value !== 'string') return value;
  const trimmed = value.trim();
  return trimmed === '' ? undefined : trimmed;
};

export const ISO_DAY = /^\d{4}-\d{2}-\d{2}$/;
