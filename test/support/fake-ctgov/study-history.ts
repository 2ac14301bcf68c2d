import { json, notFound, type Answer } from './answer.js';
import { field, type StudyDocument } from './study-document.js';

/*
 * The undocumented history API of the ClinicalTrials.gov site:
 *   GET /api/int/studies/{nctId}/history            the list of versions, each with the modules it changed
 *   GET /api/int/studies/{nctId}/history/{version}  one version's study
 */

export interface HistoryVersion {
  date: string;
  study: StudyDocument;
  /** Defaults to the overall status in `study`. */
  status?: string;
}

/** "sponsorCollaboratorsModule" -> "Sponsor Collaborators", close enough to the site's own module labels. */
const moduleLabel = (key: string): string =>
  key
    .replace(/Module$/, '')
    .replace(/([a-z])([A-Z])/g, '$1 $2')
    .replace(/^./, (first) => first.toUpperCase());

const modulesOf = (study: StudyDocument): Record<string, unknown> => {
  const protocol = field(study, 'protocolSection');
  return protocol && typeof protocol === 'object' ? (protocol as Record<string, unknown>) : study;
};

/** Version 0 changes every module; each later one the modules that differ from the version before. */
const changesOf = (versions: HistoryVersion[]) =>
  versions.map((entry, version) => {
    const modules = modulesOf(entry.study);
    const previous = version === 0 ? {} : modulesOf(versions[version - 1]!.study);
    const changed = Object.keys(modules).filter(
      (key) => JSON.stringify(modules[key]) !== JSON.stringify(previous[key]),
    );
    const status = entry.status ?? field(modules, 'statusModule', 'overallStatus');
    return {
      version,
      date: entry.date,
      ...(typeof status === 'string' ? { status } : {}),
      moduleLabels: changed.map(moduleLabel),
    };
  });

/** The past versions of studies, and the studies whose history the site does not serve (404). */
export class StudyHistories {
  private readonly histories = new Map<string, HistoryVersion[]>();
  private readonly unavailable = new Set<string>();

  set(nctId: string, versions: HistoryVersion[]): void {
    this.histories.set(
      nctId,
      versions.map((version) => ({ ...version, study: structuredClone(version.study) })),
    );
    this.unavailable.delete(nctId);
  }

  setUnavailable(nctId: string): void {
    this.unavailable.add(nctId);
  }

  /** The list of versions, or with `version` that version's study. */
  answer(nctId: string, version?: number): Answer {
    const versions = this.unavailable.has(nctId) ? undefined : this.histories.get(nctId);
    if (!versions) return notFound(`No history for ${nctId}`);
    if (version === undefined) return json(200, { changes: changesOf(versions) });
    const entry = versions[version];
    return entry
      ? json(200, { studyVersion: version, study: entry.study })
      : notFound(`${nctId} has no version ${version}`);
  }
}
