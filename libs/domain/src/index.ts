export * from './shared/domain-error.js';
export * from './shared/nct-id.js';
export * from './shared/partial-date.js';
export * from './snapshot/trial-snapshot.js';
export * from './events/index.js';
export * from './events/event-codec.js';
export * from './trial/index.js';
export * from './signal/index.js';
