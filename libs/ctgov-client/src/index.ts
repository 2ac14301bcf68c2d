export { CtgovClient, type CtgovDataVersion, type CtgovStudy, type StudyPage } from './ctgov-client.js';
export {
  type CtgovClientOptions,
  type CtgovClientStats,
  CtgovHttp,
  type CtgovRequestOptions,
  type CtgovResponse,
} from './ctgov-http.js';
export { CtgovHistoryClient, type StudyHistoryEntry, type StudyHistoryVersion } from './ctgov-history-client.js';
export {
  CtgovHistoryUnavailableError,
  CtgovIncompleteResultsError,
  CtgovInvalidQueryError,
  CtgovRequestError,
  type CtgovRequestFailure,
  CtgovStudyNotFoundError,
  CtgovUnexpectedResponseError,
} from './errors.js';
export { MAX_IDS_PER_REQUEST, MAX_PAGE_SIZE, reservedSearchParameter, type StudyQuery } from './study-query.js';
export {
  localTurns,
  type RequestTurns,
  SHARED_WINDOW_MARGIN_MS,
  SharedTurns,
  type SharedTurnsOptions,
  type Turn,
  type TurnsStoreClient,
  sharedWindowOf,
} from './request-turns.js';
