export * from './materiality.js';
export * from './results-due.js';
export * from './hygiene.js';
export * from './baseline.js';
export * from './trial-signals.js';
export * from './signal-check.js';
export * from './outcome-switching.js';
export * from './change-context.js';
