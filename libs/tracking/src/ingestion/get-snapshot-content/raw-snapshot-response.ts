import type { Response } from 'express';
import { snapshotEncoding } from '@app/registry-formats';
import type { SnapshotContent } from './get-snapshot-content.query.js';

/**
 * Stored snapshots are whatever someone posted, saved pages with their scripts included. They are
 * served so that no browser runs or renders them: JSON as JSON and everything else that is text as
 * text/plain in the encoding it was read in, never sniffed (nosniff), sandboxed with nothing allowed to load (CSP), and binary or
 * `download=true` as an attachment.
 */
export const INERT_CONTENT_HEADERS: Readonly<Record<string, string>> = {
  'x-content-type-options': 'nosniff',
  'content-security-policy': "sandbox; default-src 'none'",
  'cross-origin-resource-policy': 'same-origin',
  'referrer-policy': 'no-referrer',
};

const EXTENSIONS: [RegExp, string][] = [
  [/json/i, 'json'],
  [/xml/i, 'xml'],
  [/html/i, 'html'],
];

export const sendRawSnapshot = (response: Response, snapshot: SnapshotContent, download: boolean): void => {
  const declared = snapshot.mediaType ?? '';
  // Labelled with the encoding its first post was read in (a page saved as "ANSI", UTF-16), so they show as read.
  const encoding = snapshotEncoding(snapshot.content, snapshot.mediaType);
  const text = encoding !== null;
  const json = text && encoding === 'utf-8' && /^application\/([\w.+-]+\+)?json\b/i.test(declared);
  const extension = EXTENSIONS.find(([pattern]) => pattern.test(declared))?.[1] ?? (text ? 'txt' : 'bin');
  response.set(INERT_CONTENT_HEADERS);
  response.type(
    json ? 'application/json; charset=utf-8' : text ? `text/plain; charset=${encoding}` : 'application/octet-stream',
  );
  if (download || !text) response.attachment(`${snapshot.sha256}.${extension}`);
  response.send(snapshot.content);
};
