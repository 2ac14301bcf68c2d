import { notFound, json, type Answer } from './answer.js';
import { nctIdOf, type StudyDocument } from './study-document.js';
import { matchingStudies, pageOf } from './study-query.js';

/** The studies the fake registry holds, and the old NCT IDs that now redirect to a current one. */
export class StudyStore {
  private readonly studies = new Map<string, StudyDocument>();
  private readonly aliases = new Map<string, string>();

  put(document: StudyDocument): void {
    this.studies.set(nctIdOf(document), structuredClone(document));
  }

  remove(nctId: string): void {
    this.studies.delete(nctId);
  }

  /** The old ID redirects (301) to the current one, and is no longer found by filter.ids. */
  alias(oldNctId: string, currentNctId: string): void {
    this.aliases.set(oldNctId, currentNctId);
  }

  /** GET /api/v2/studies/{nctId} */
  one(nctId: string): Answer {
    const current = this.aliases.get(nctId);
    const study = this.studies.get(nctId);
    if (current !== undefined) return { status: 301, body: '', headers: { location: `/api/v2/studies/${current}` } };
    if (study) return json(200, study);
    return notFound(`Study not found: ${nctId}`);
  }

  /** GET /api/v2/studies: aliased IDs are not searched. */
  search(parameters: URLSearchParams): Answer {
    const current = new Map([...this.studies].filter(([nctId]) => !this.aliases.has(nctId)));
    return pageOf(matchingStudies(current, parameters), parameters);
  }
}
