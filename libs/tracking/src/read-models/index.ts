/** The read models' public face: modules, commands, queries and what they return. */
export * from './read-models.module.js';
export * from './catch-up-projections/catch-up-projections.command.js';
export * from './rebuild-projection/rebuild-projection.command.js';
export type { RebuildReport } from './projections/projection-rebuilder.js';
export { UnknownProjectionError } from './projections/projection-registry.js';
export * from './get-projection-status/get-projection-status.query.js';
export * from './get-trial/get-trial.query.js';
export * from './get-trial-events/get-trial-events.query.js';
export * from './get-trial-titles/get-trial-titles.query.js';
export * from './get-status-history/get-status-history.query.js';
export * from './get-field-history/get-field-history.query.js';
export * from './get-change-feed/get-change-feed.query.js';
export * from './get-change-feed/change-feed-params.js';
export * from './get-change-feed-end/get-change-feed-end.query.js';
export * from './get-recent-changes/get-recent-changes.query.js';
export * from './search-trials/search-trials.query.js';
export * from './lookup-trial/trial-lookup.query.js';
export * from './trial-not-found.error.js';
