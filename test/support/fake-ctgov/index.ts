export { FakeCtgovServer, type ReceivedRequest } from './fake-ctgov-server.js';
export type { Fault } from './faults.js';
export type { FixtureChanges } from './study-builders.js';
export type { StudyDocument } from './study-document.js';
export type { HistoryVersion } from './study-history.js';
