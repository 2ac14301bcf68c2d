export * from './errors.js';
export * from './parse-snapshots.js';
export { parseApiV2Study, isApiV2Study } from './ctgov-api-v2/parse-api-v2-study.js';
export { parseLegacyXml } from './ctgov-legacy-xml/parse-legacy-xml.js';
export { htmlToText, detectPageLayout } from './registry-pages/index.js';
export { OVERALL_STATUSES } from './vocabulary.js';
