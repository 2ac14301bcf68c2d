import { json, type Answer } from './answer.js';
import { field, nctIdOf, type StudyDocument } from './study-document.js';

/*
 * GET /api/v2/studies: the filters the fake understands (filter.ids, filter.overallStatus, query.cond,
 * query.spons, query.term, and AREA[LastUpdatePostDate]RANGE[from,to] in filter.advanced), paging
 * with pageSize, pageToken and countTotal, and fields=NCTId.
 */

const MAX_PAGE_SIZE = 1_000;
/** What API v2 uses when pageSize is absent or 0. */
const DEFAULT_PAGE_SIZE = 10;

/** The part of filter.advanced the fake understands: AREA[LastUpdatePostDate]RANGE[from,to], MIN/MAX allowed. */
const LAST_UPDATE_POSTED_RANGE = /AREA\[LastUpdatePostDate\]RANGE\[\s*([^,\]]+?)\s*,\s*([^\]]+?)\s*\]/i;

const textOf = (value: unknown): string => (typeof value === 'string' ? value.toLowerCase() : '');

const listParameter = (value: string | null): string[] | null =>
  value === null
    ? null
    : value
        .split(/[,|]/)
        .map((item) => item.trim())
        .filter(Boolean);

const encodePageToken = (offset: number): string => Buffer.from(`offset:${offset}`).toString('base64url');

const decodePageToken = (token: string): number | null => {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'));
  return match ? Number(match[1]) : null;
};

/** The studies (by NCT ID) that the query's filters let through, in NCT ID order. */
export const matchingStudies = (studies: Map<string, StudyDocument>, parameters: URLSearchParams): StudyDocument[] => {
  const ids = listParameter(parameters.get('filter.ids'));
  const statuses = listParameter(parameters.get('filter.overallStatus'));
  const condition = parameters.get('query.cond')?.toLowerCase();
  const sponsor = parameters.get('query.spons')?.toLowerCase();
  const term = parameters.get('query.term')?.toLowerCase();
  const range = LAST_UPDATE_POSTED_RANGE.exec(parameters.get('filter.advanced') ?? '');
  const [from, to] = range ? [range[1]!.toUpperCase(), range[2]!.toUpperCase()] : ['MIN', 'MAX'];

  return [...studies.entries()]
    .filter(([nctId]) => ids === null || ids.includes(nctId))
    .map(([, study]) => study)
    .filter((study) => {
      const protocol = field(study, 'protocolSection');
      const conditions = field(protocol, 'conditionsModule', 'conditions');
      const posted = field(protocol, 'statusModule', 'lastUpdatePostDateStruct', 'date');
      return (
        (statuses === null || statuses.includes(field(protocol, 'statusModule', 'overallStatus') as string)) &&
        (!condition || (Array.isArray(conditions) && conditions.some((value) => textOf(value).includes(condition)))) &&
        (!sponsor || textOf(field(protocol, 'sponsorCollaboratorsModule', 'leadSponsor', 'name')).includes(sponsor)) &&
        (!term || textOf(field(protocol, 'identificationModule', 'briefTitle')).includes(term)) &&
        (from === 'MIN' || (typeof posted === 'string' && posted >= from)) &&
        (to === 'MAX' || (typeof posted === 'string' && posted <= to))
      );
    })
    .sort((a, b) => nctIdOf(a).localeCompare(nctIdOf(b)));
};

/** One page of `matching` as pageSize and pageToken ask, with totalCount on the first page when countTotal=true. */
export const pageOf = (matching: StudyDocument[], parameters: URLSearchParams): Answer => {
  const requestedSize = Number(parameters.get('pageSize') ?? 0);
  if (!Number.isInteger(requestedSize) || requestedSize < 0) {
    return json(400, { message: `pageSize: invalid value ${parameters.get('pageSize')}` });
  }
  const pageSize = requestedSize === 0 ? DEFAULT_PAGE_SIZE : Math.min(requestedSize, MAX_PAGE_SIZE);
  const token = parameters.get('pageToken');
  const offset = token === null ? 0 : decodePageToken(token);
  if (offset === null) {
    return json(400, { message: `pageToken: invalid token ${token}` });
  }
  const end = offset + pageSize;
  // fields=NCTId (the only field list the fake understands): each study as its NCT ID alone.
  const shown =
    parameters.get('fields') === 'NCTId'
      ? (study: StudyDocument) => ({ protocolSection: { identificationModule: { nctId: nctIdOf(study) } } })
      : (study: StudyDocument) => study;
  return json(200, {
    ...(token === null && parameters.get('countTotal') === 'true' ? { totalCount: matching.length } : {}),
    studies: matching.slice(offset, end).map(shown),
    ...(end < matching.length ? { nextPageToken: encodePageToken(end) } : {}),
  });
};
