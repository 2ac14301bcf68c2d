import { isCalendarDay, parseNctId } from '@app/domain';
import { CtgovInvalidQueryError } from './errors.js';

export interface StudyQuery {
  /** Sent as filter.ids, at most 100 per request. An empty list asks for nothing (no request is made). */
  nctIds?: string[];
  /** API v2 query parameters passed through as given: query.cond, query.spons, query.term, filter.overallStatus, ... */
  search?: Record<string, string>;
  /** YYYY-MM-DD: only studies whose last update was posted on or after this day. */
  lastUpdatePostedOnOrAfter?: string;
  /** Default and maximum 1000. */
  pageSize?: number;
  /** Only these fields of each study (API v2 `fields`, e.g. ['NCTId']); default: the whole record. */
  fields?: string[];
}

export const MAX_PAGE_SIZE = 1_000;
export const MAX_IDS_PER_REQUEST = 100;

/** Parameters the client sets itself; letting a search override them would break paging or chunking. */
const RESERVED_PARAMETERS: Record<string, string> = {
  format: 'the client always asks for JSON',
  pageSize: 'use the pageSize option',
  pageToken: 'the client follows nextPageToken itself',
  countTotal: 'the client asks for the total on the first page',
  'filter.ids': 'use the nctIds option, which is split into requests of at most 100 IDs',
  fields: 'use the fields option',
};

/** Why a search may not set `name` itself (the client sets it), or undefined when it may. */
export const reservedSearchParameter = (name: string): string | undefined =>
  Object.hasOwn(RESERVED_PARAMETERS, name) ? RESERVED_PARAMETERS[name] : undefined;

export const lastUpdatePostedRange = (day: string): string => `AREA[LastUpdatePostDate]RANGE[${day},MAX]`;

/**
 * The query parameters of every request a study query needs, before paging: one request per chunk of
 * at most 100 IDs, or a single one for a search without IDs.
 */
export const studySearchParameters = (query: StudyQuery): Record<string, string>[] => {
  const search = { ...query.search };
  for (const name of Object.keys(search)) {
    const reason = reservedSearchParameter(name);
    if (reason) throw new CtgovInvalidQueryError(`The search parameter ${name} is not allowed: ${reason}`, { name });
  }

  const pageSize = query.pageSize ?? MAX_PAGE_SIZE;
  if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
    throw new CtgovInvalidQueryError(`pageSize must be a whole number from 1 to ${MAX_PAGE_SIZE}, got ${pageSize}`, {
      pageSize,
    });
  }

  if (query.lastUpdatePostedOnOrAfter !== undefined) {
    const day = query.lastUpdatePostedOnOrAfter;
    if (!isCalendarDay(day)) {
      throw new CtgovInvalidQueryError(`lastUpdatePostedOnOrAfter must be a day as YYYY-MM-DD, got "${day}"`, { day });
    }
    const existing = search['filter.advanced']?.trim();
    // The existing expression is parenthesised so that an OR inside it cannot escape the date range.
    search['filter.advanced'] = existing
      ? `(${existing}) AND ${lastUpdatePostedRange(day)}`
      : lastUpdatePostedRange(day);
  }

  if (query.fields !== undefined) {
    if (query.fields.length === 0 || query.fields.some((field) => !/^[A-Za-z][A-Za-z0-9.]*$/.test(field))) {
      throw new CtgovInvalidQueryError(`fields must be API v2 field names, got ${JSON.stringify(query.fields)}`, {
        fields: query.fields,
      });
    }
    search.fields = query.fields.join(',');
  }

  const common = { format: 'json', ...search, pageSize: String(pageSize) };
  if (query.nctIds === undefined) {
    if (Object.keys(search).length === 0) {
      throw new CtgovInvalidQueryError(
        'A study query needs nctIds, a search or lastUpdatePostedOnOrAfter: without any, it would page through the whole registry',
      );
    }
    return [common];
  }

  const nctIds = [...new Set(query.nctIds.map(parseNctId))];
  const requests: Record<string, string>[] = [];
  for (let start = 0; start < nctIds.length; start += MAX_IDS_PER_REQUEST) {
    requests.push({ ...common, 'filter.ids': nctIds.slice(start, start + MAX_IDS_PER_REQUEST).join(',') });
  }
  return requests;
};
