/** Signals' public face: modules and the check command. */
export * from './signals.module.js';
export * from './check-signals/check-signals.command.js';
