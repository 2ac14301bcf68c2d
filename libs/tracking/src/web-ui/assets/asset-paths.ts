import { createHash } from 'node:crypto';
import { ENHANCEMENTS_SCRIPT } from './enhancements.js';
import { STYLESHEET } from './stylesheet.js';

export interface Asset {
  contentType: string;
  body: string;
  /** Part of the asset's URL, so a changed asset is a new URL and browsers may cache each one for good. */
  version: string;
}

const versionOf = (body: string): string => createHash('sha256').update(body).digest('hex').slice(0, 12);

export const ASSETS: Readonly<Record<string, Asset>> = {
  'trialwatch.css': { contentType: 'text/css; charset=utf-8', body: STYLESHEET, version: versionOf(STYLESHEET) },
  'trialwatch.js': {
    contentType: 'text/javascript; charset=utf-8',
    body: ENHANCEMENTS_SCRIPT,
    version: versionOf(ENHANCEMENTS_SCRIPT),
  },
};

export const assetPath = (name: keyof typeof ASSETS & string): string =>
  `/ui/assets/${name}?v=${ASSETS[name]?.version ?? ''}`;
