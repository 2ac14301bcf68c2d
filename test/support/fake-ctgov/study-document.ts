/** A study as API v2 returns it: loosely typed, read and written by path. */
export type StudyDocument = Record<string, unknown>;

/** Reads a nested field of a loosely typed document, or undefined when any step is missing. */
export const field = (document: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>(
    (value, key) => (value && typeof value === 'object' ? (value as Record<string, unknown>)[key] : undefined),
    document,
  );

/** Sets a nested field, creating the objects on the way. */
export const setField = (document: StudyDocument, path: string[], value: unknown): void => {
  let target = document;
  for (const key of path.slice(0, -1)) {
    if (!target[key] || typeof target[key] !== 'object') target[key] = {};
    target = target[key] as StudyDocument;
  }
  target[path[path.length - 1]!] = value;
};

export const nctIdOf = (study: StudyDocument): string => {
  const nctId = field(study, 'protocolSection', 'identificationModule', 'nctId');
  if (typeof nctId !== 'string') throw new Error('a study document needs protocolSection.identificationModule.nctId');
  return nctId;
};
