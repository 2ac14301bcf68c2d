/** The parameters a page was asked with, as a query string (blank ones left out), or '' when none is left. */
export const queryOf = (params: Readonly<Record<string, string | number | undefined>>): string => {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params))
    if (value !== undefined && value !== '') query.set(name, String(value));
  const text = query.toString();
  return text ? `?${text}` : '';
};
