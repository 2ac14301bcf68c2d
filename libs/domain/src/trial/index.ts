export * from './comparison.js';
export * from './diff.js';
export * from './evolve.js';
export * from './field-changes.js';
export * from './describe-event.js';
export * from './trial-stream.js';
export * from './decide.js';
export * from './knowledge.js';
