import { describeError } from '@app/domain';

/**
 * Starts a process (`trialwatch api`, `trialwatch worker`). A start that fails (a bad setting, PostgreSQL
 * not there within DATABASE_STARTUP_WAIT, a port already taken) is told on stderr as the CLI tells its
 * failures, `trialwatch <name>: <code>: <problem>` without a stack trace, and the process exits 1: what
 * it had opened by then (pools, Redis connections) would keep it running.
 */
export const startOrExit = async <T>(name: string, start: () => Promise<T>): Promise<T> => {
  try {
    return await start();
  } catch (error) {
    process.stderr.write(`trialwatch ${name}: ${describeError(error)}\n`);
    process.exit(1);
  }
};

/**
 * NestFactory options for an app started by `startOrExit`: a failed start is thrown to it rather than
 * logged by Nest as a stack trace, and the logs Nest buffered while starting are not printed then
 * (the app flushes them into its own logger once it is created).
 */
export const START_QUIETLY = { bufferLogs: true, autoFlushLogs: false, abortOnError: false } as const;
