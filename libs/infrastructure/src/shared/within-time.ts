/** Thrown when work did not finish within its time. */
export class TimeLimitError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} took longer than ${ms >= 1000 ? `${ms / 1000} s` : `${ms} ms`}`);
  }
}

/**
 * The work's result, or a TimeLimitError once `ms` have passed (then `onTimeout` runs, to stop the work).
 * The timer does not keep the process alive.
 */
export const withinTime = async <T>(work: Promise<T>, ms: number, what: string, onTimeout?: () => void): Promise<T> => {
  let timer: NodeJS.Timeout | undefined;
  const limit = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      onTimeout?.();
      reject(new TimeLimitError(what, ms));
    }, ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, limit]);
  } finally {
    clearTimeout(timer);
  }
};
