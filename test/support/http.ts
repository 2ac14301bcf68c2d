/** Response bodies in tests are checked by assertions, not by the type system. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Json = any;

export const json = (response: Response): Promise<Json> => response.json() as Promise<Json>;
