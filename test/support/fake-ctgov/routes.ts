import { json, notFound, type Answer } from './answer.js';
import type { ServedPages } from './served-pages.js';
import type { StudyHistories } from './study-history.js';
import type { StudyStore } from './study-store.js';

/** What the fake registry holds, each part answering its own routes. */
export interface Registry {
  studies: StudyStore;
  histories: StudyHistories;
  pages: ServedPages;
  /** GET /api/v2/version */
  version: { apiVersion: string; dataTimestamp: string };
}

/** The answer to a request without a fault: only GET, then by path, else 404. */
export const route = (registry: Registry, method: string | undefined, url: URL): Answer => {
  if (method !== 'GET') return json(405, { message: `${method} is not allowed` });
  const path = url.pathname;
  if (path === '/api/v2/version') return json(200, registry.version);
  if (path === '/api/v2/studies') return registry.studies.search(url.searchParams);
  const single = /^\/api\/v2\/studies\/([^/]+)$/.exec(path);
  if (single) return registry.studies.one(decodeURIComponent(single[1]!));
  const history = /^\/api\/int\/studies\/([^/]+)\/history(?:\/(\d+))?$/.exec(path);
  if (history) {
    const version = history[2] === undefined ? undefined : Number(history[2]);
    return registry.histories.answer(decodeURIComponent(history[1]!), version);
  }
  return registry.pages.answer(path) ?? notFound(`No route for ${path}`);
};
