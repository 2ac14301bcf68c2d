import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

export interface Asset {
  contentType: string;
  body: string;
  /** Part of the asset's URL, so a changed asset is a new URL and browsers may cache each one for good. */
  version: string;
}

/**
 * Read once, at start-up, from beside this module: the build copies the files next to the compiled code in dist/,
 * and the tests run this module from its source folder, where the files live.
 */
const asset = (fileName: string, contentType: string): Asset => {
  const body = readFileSync(new URL(`./${fileName}`, import.meta.url), 'utf8');
  return { contentType, body, version: createHash('sha256').update(body).digest('hex').slice(0, 12) };
};

export const ASSETS: Readonly<Record<string, Asset>> = {
  'trialwatch.css': asset('trialwatch.css', 'text/css; charset=utf-8'),
  'trialwatch.js': asset('trialwatch.js', 'text/javascript; charset=utf-8'),
};

export const assetPath = (name: keyof typeof ASSETS & string): string =>
  `/ui/assets/${name}?v=${ASSETS[name]?.version ?? ''}`;
