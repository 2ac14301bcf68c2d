import type { Response } from 'express';
import type { SnapshotContent } from './get-snapshot-content.query.js';

/**
 * Stored snapshots are whatever someone posted, saved pages with their scripts included. They are
 * served so that no browser runs or renders them: JSON as JSON and everything else that is text as
 * text/plain, never sniffed (nosniff), sandboxed with nothing allowed to load (CSP), and binary or
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

const isText = (content: Buffer): boolean => {
  if (content.subarray(0, 8192).includes(0)) return false;
  try {
    new TextDecoder('utf-8', { fatal: true }).decode(content.subarray(0, 65536));
    return true;
  } catch {
    return !/[\u0000-\u0008\u000E-\u001F]/.test(content.subarray(0, 8192).toString('latin1'));
  }
};

export const sendRawSnapshot = (response: Response, snapshot: SnapshotContent, download: boolean): void => {
  const declared = snapshot.mediaType ?? '';
  const json = /^application\/([\w.+-]+\+)?json\b/i.test(declared);
  const text = isText(snapshot.content);
  const extension = EXTENSIONS.find(([pattern]) => pattern.test(declared))?.[1] ?? (text ? 'txt' : 'bin');
  response.set(INERT_CONTENT_HEADERS);
  response.type(
    json ? 'application/json; charset=utf-8' : text ? 'text/plain; charset=utf-8' : 'application/octet-stream',
  );
  if (download || !text) response.attachment(`${snapshot.sha256}.${extension}`);
  response.send(snapshot.content);
};
