/** Watchlists' public face: modules, commands, queries and what they return. */
export * from './watchlists.module.js';
export * from './manage/watchlist-input.js';
export * from './manage/create-watchlist.command.js';
export * from './manage/update-watchlist.command.js';
export * from './manage/delete-watchlist.command.js';
export * from './manage/request-watchlist-sync.command.js';
export * from './manage/get-watchlist.query.js';
export * from './manage/list-watchlists.query.js';
export * from './manage/list-watchlist-runs.query.js';
export * from './manage/get-watchlist-run.query.js';
export * from './manage/list-watched-trials.query.js';
export * from './membership/get-watchlist-trials.query.js';
export * from './registry-presence/find-registry-absences.query.js';
export type {
  Backfill,
  RegistryState,
  Schedule,
  WatchedTrial,
  Watchlist,
  WatchlistRun,
  RunStatus,
  RunError,
} from './watchlist.js';
