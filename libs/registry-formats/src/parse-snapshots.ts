import { createHash } from 'node:crypto';
import type { FactField, SnapshotFormat, TrialFacts, TrialSnapshot } from '@app/domain';
import { partialDateStart } from '@app/domain';
import { SnapshotParseError } from './errors.js';
import { apiV2DocumentDate, isApiV2Study, readApiV2Study } from './ctgov-api-v2/parse-api-v2-study.js';
import { isLegacyXml, legacyXmlDocumentDate, readLegacyXml } from './ctgov-legacy-xml/parse-legacy-xml.js';
import { detectPageLayout, htmlToText, parsePage, type PageLayout } from './registry-pages/index.js';

export const DEFAULT_MAX_SNAPSHOT_BYTES = 16 * 1024 * 1024;

export interface ParseSnapshotsOptions {
  /** When the snapshot was taken; defaults to the date the document itself carries, else `receivedAt`. */
  observedAt?: string;
  /** When trialwatch received the content (the caller's clock). */
  receivedAt: string;
  /** Skip detection and read the content as this format. */
  format?: SnapshotFormat;
  maxBytes?: number;
  /** The content's SHA-256 in hex, when the caller has it already (it is computed otherwise). */
  contentSha256?: string;
  /** The Content-Type it was sent with: the charset it names reads bytes that are not UTF-8. */
  mediaType?: string | null;
}

/** One trial's record in a document, and the fields the document states completely. */
interface ParsedRecord {
  facts: TrialFacts;
  definitive: readonly FactField[];
}

interface ParsedDocument {
  format: SnapshotFormat;
  records: ParsedRecord[];
  documentDate: string | null;
}

/*
 * What absence means, per format. A full API v2 record and a legacy XML record state every field:
 * a value they leave out is none (no whyStopped: the trial was not stopped). A registry page shows
 * what its layout shows, and an API v2 document limited by `fields=` only what was asked for: a value
 * they leave out is not shown, and says nothing about the registry. A legacy XML record that shows
 * neither results nor a submission awaiting the registry's review does not say whether results were
 * submitted (`readLegacyXml`).
 */
const pageRecord = (facts: TrialFacts): ParsedRecord => ({ facts, definitive: [] });

export const sha256Hex = (content: string | Uint8Array): string => createHash('sha256').update(content).digest('hex');

const PAGE_FORMATS: Record<PageLayout, { text: SnapshotFormat; html: SnapshotFormat }> = {
  'registry-mirror': { text: 'registry-mirror-text', html: 'registry-mirror-html' },
  'ctgov-classic': { text: 'ctgov-classic-text', html: 'ctgov-classic-html' },
  veeva: { text: 'veeva-text', html: 'veeva-html' },
};

/** Refuses content over `maxBytes` (`snapshot.too-large`), as parsing it would. */
export const assertSnapshotSize = (content: string | Uint8Array, maxBytes = DEFAULT_MAX_SNAPSHOT_BYTES): void => {
  const size = typeof content === 'string' ? Buffer.byteLength(content) : content.byteLength;
  if (size > maxBytes) {
    throw new SnapshotParseError(
      'snapshot.too-large',
      `The snapshot is ${size} bytes; the limit is ${maxBytes} bytes`,
      { size, maxBytes },
    );
  }
};

/** A snapshot's text, and the encoding its bytes were read in (`utf-8` for text given as a string). */
interface DecodedSnapshot {
  text: string;
  encoding: string;
}

const decode = (content: string | Uint8Array, maxBytes: number, charset: string | null): DecodedSnapshot => {
  assertSnapshotSize(content, maxBytes);
  let encoding = 'utf-8';
  if (typeof content !== 'string') {
    const bytes = content;
    const utf16 = utf16ByOrderMark(bytes);
    if (utf16 !== null) return { ...decode(utf16.text, maxBytes, null), encoding: utf16.encoding };
    if (bytes.includes(0)) {
      // UTF-16 without its byte-order mark is text only when the Content-Type says so.
      if (charset === null || !/^utf-16/.test(encodingNamed(charset) ?? '')) throw binary();
      [content, encoding] = decodeIn(bytes, charset, 'Content-Type');
    } else {
      try {
        content = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
      } catch {
        // Not UTF-8: the charset the Content-Type names, else the one the document declares; otherwise legacy
        // downloads and pages saved as "ANSI" are Windows-1252, which is Latin-1 but for the typographic quotes,
        // dashes and the euro sign at 0x80-0x9F; accept it only if it is plainly text.
        [content, encoding] = (charset !== null && decoderOf(charset, 'Content-Type').encoding !== 'utf-8'
          ? decodeIn(bytes, charset, 'Content-Type')
          : decodeDeclared(bytes)) ?? [new TextDecoder('windows-1252').decode(bytes), 'windows-1252'];
      }
    }
  }
  const text = content.replace(/^\uFEFF/, '');
  if (text.trim() === '') throw new SnapshotParseError('snapshot.empty', 'The snapshot is empty');
  if (/[\u0000-\u0008\u000E-\u001F]/.test(text.slice(0, 8192))) throw binary();
  return { text, encoding };
};

/**
 * The encoding trialwatch reads a stored snapshot's bytes in (by the Content-Type it came with, else what
 * the document declares, else UTF-8 or Windows-1252), so it can be served labelled as what it is; null
 * for bytes it does not read as text.
 */
export const snapshotEncoding = (content: Uint8Array, mediaType: string | null): string | null => {
  try {
    return decode(content, Number.POSITIVE_INFINITY, charsetOf(mediaType)).encoding;
  } catch {
    return null;
  }
};

/** The charset a Content-Type names (`text/html; charset=windows-1250`), or null. */
const charsetOf = (mediaType: string | null | undefined): string | null =>
  /;\s*charset\s*=\s*"?([^";\s]+)"?/i.exec(mediaType ?? '')?.[1] ?? null;

/** The encoding a label names (`latin1` names windows-1252), or null for one trialwatch cannot read. */
const encodingNamed = (label: string): string | null => {
  try {
    return new TextDecoder(label).encoding;
  } catch {
    return null;
  }
};

/** A decoder of an encoding named by the document or its Content-Type (`namedBy`); one trialwatch cannot read is refused. */
const decoderOf = (encoding: string, namedBy: 'document' | 'Content-Type'): InstanceType<typeof TextDecoder> => {
  try {
    return new TextDecoder(encoding, { fatal: true });
  } catch {
    throw new SnapshotParseError(
      'snapshot.malformed',
      namedBy === 'document'
        ? `The document declares the encoding "${encoding}", which trialwatch cannot read, and is not UTF-8`
        : `The Content-Type names the charset "${encoding}", which trialwatch cannot read, and the snapshot is not UTF-8`,
      namedBy === 'document' ? { encoding } : { charset: encoding },
    );
  }
};

/** Bytes read as text in the encoding the document or its Content-Type names; bytes that are not such text are refused. */
const decodeIn = (
  bytes: Uint8Array,
  encoding: string,
  namedBy: 'document' | 'Content-Type',
): [text: string, encoding: string] => {
  const decoder = decoderOf(encoding, namedBy);
  try {
    return [decoder.decode(bytes), decoder.encoding];
  } catch {
    throw new SnapshotParseError(
      'snapshot.malformed',
      namedBy === 'document'
        ? `The document declares the encoding "${encoding}", but its bytes are not text in that encoding`
        : `The Content-Type names the charset "${encoding}", but the snapshot's bytes are not text in that charset`,
      namedBy === 'document' ? { encoding } : { charset: encoding },
    );
  }
};

/**
 * The encoding an XML declaration (`<?xml version="1.0" encoding="GBK"?>`) or an HTML `<meta>` charset
 * names near the start of the document, which is ASCII in every encoding that can declare it.
 */
const declaredEncoding = (bytes: Uint8Array): string | null => {
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, 4096));
  const declared =
    /^\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([^"']+)["']/i.exec(head) ??
    /<meta\b[^>]*?\bcharset\s*=\s*["']?\s*([^\s"';/>]+)/i.exec(head);
  return declared ? declared[1]!.trim() : null;
};

/** Bytes that are not UTF-8 read in the encoding the document declares; null when it declares none. */
const decodeDeclared = (bytes: Uint8Array): [text: string, encoding: string] | null => {
  const encoding = declaredEncoding(bytes);
  if (encoding === null) return null;
  // A document declared as UTF-8 that is not: the "ANSI" copy of a page saved in Windows-1252.
  if (decoderOf(encoding, 'document').encoding === 'utf-8') return null;
  return decodeIn(bytes, encoding, 'document');
};

/**
 * A file that begins with UTF-16's byte-order mark ("Unicode" in Windows Notepad) read as that text;
 * null for any other. Without the mark, UTF-16's NUL bytes make it binary.
 */
const utf16ByOrderMark = (bytes: Uint8Array): { text: string; encoding: string } | null => {
  const encoding =
    bytes[0] === 0xff && bytes[1] === 0xfe ? 'utf-16le' : bytes[0] === 0xfe && bytes[1] === 0xff ? 'utf-16be' : null;
  if (encoding === null) return null;
  try {
    return { text: new TextDecoder(encoding, { fatal: true, ignoreBOM: true }).decode(bytes.subarray(2)), encoding };
  } catch {
    throw new SnapshotParseError(
      'snapshot.malformed',
      `The snapshot begins as ${encoding.toUpperCase()} text but is not`,
      {
        encoding,
      },
    );
  }
};

const binary = () =>
  new SnapshotParseError('snapshot.binary', 'The snapshot is binary data, not JSON, XML, HTML or text');

const looksLikeHtml = (text: string): boolean =>
  /^\s*(<!doctype html|<html[\s>]|<head[\s>]|<body[\s>])/i.test(text) ||
  /<(html|body|div|p|span|table|script|main|article|section)[\s>]/i.test(text.slice(0, 4096));

const parseJson = (text: string): ParsedDocument => {
  let document: unknown;
  try {
    document = JSON.parse(text);
  } catch (error) {
    throw new SnapshotParseError('snapshot.malformed', `The JSON cannot be parsed: ${(error as Error).message}`);
  }
  const record = document !== null && typeof document === 'object' ? (document as Record<string, unknown>) : {};
  // A search page lists studies; a history version wraps one study.
  if (Array.isArray(record['studies'])) {
    const studies = record['studies'] as unknown[];
    if (studies.length === 0) {
      throw new SnapshotParseError('snapshot.not-a-trial-record', 'The search page lists no studies');
    }
    return {
      format: 'ctgov-api-v2-json',
      records: studies.map((study, index) => {
        try {
          return readApiV2Study(study);
        } catch (error) {
          if (!(error instanceof SnapshotParseError)) throw error;
          // One unreadable study refuses the page; the error says which one.
          throw new SnapshotParseError(
            error.code,
            `Study ${index + 1} of the search page's ${studies.length}: ${error.message}`,
            { ...error.details, study: index + 1 },
          );
        }
      }),
      documentDate: apiV2DocumentDate(studies[0]),
    };
  }
  const historyVersion = !isApiV2Study(record) && isApiV2Study(record['study']);
  const study = isApiV2Study(record) ? record : historyVersion ? record['study'] : undefined;
  if (!study) {
    throw new SnapshotParseError(
      'snapshot.not-a-trial-record',
      'The JSON is neither a ClinicalTrials.gov API v2 study (protocolSection) nor a search page (studies)',
    );
  }
  return {
    format: 'ctgov-api-v2-json',
    records: [readApiV2Study(study, { historyVersion })],
    documentDate: apiV2DocumentDate(study),
  };
};

/** Registry fields are at most a few tens of thousands of characters; a far longer line is not a registry page. */
export const MAX_PAGE_LINE_CHARACTERS = 200_000;

const refuseOverlongLines = (text: string): void => {
  for (let start = 0; start < text.length;) {
    const end = text.indexOf('\n', start);
    const stop = end === -1 ? text.length : end;
    if (stop - start > MAX_PAGE_LINE_CHARACTERS) {
      const length = text.slice(start, stop).trim().length;
      if (length > MAX_PAGE_LINE_CHARACTERS) {
        throw new SnapshotParseError(
          'snapshot.malformed',
          `The page has a line of ${length} characters; registry pages have none longer than ${MAX_PAGE_LINE_CHARACTERS}`,
          { lineCharacters: length, maxLineCharacters: MAX_PAGE_LINE_CHARACTERS },
        );
      }
    }
    start = stop + 1;
  }
};

const parsePageText = (text: string, medium: 'text' | 'html'): ParsedDocument => {
  refuseOverlongLines(text);
  const layout = detectPageLayout(text);
  if (!layout) {
    throw new SnapshotParseError(
      'snapshot.not-a-trial-record',
      `The ${medium === 'html' ? 'HTML page' : 'text'} is not a trial record trialwatch can read ` +
        '(API v2 JSON, legacy ClinicalTrials.gov XML, or a registry mirror, classic ClinicalTrials.gov or ClinicalTrials.Veeva page)',
    );
  }
  return { format: PAGE_FORMATS[layout][medium], records: [pageRecord(parsePage(text, layout))], documentDate: null };
};

const parseAs = (text: string, format: SnapshotFormat): ParsedDocument => {
  switch (format) {
    case 'ctgov-api-v2-json':
      return parseJson(text);
    case 'ctgov-legacy-xml':
      return { format, records: [readLegacyXml(text)], documentDate: legacyXmlDocumentDate(text) };
    default: {
      const layout = (Object.keys(PAGE_FORMATS) as PageLayout[]).find((key) =>
        Object.values(PAGE_FORMATS[key]).includes(format),
      )!;
      const pageText = format.endsWith('-html') ? htmlToText(text) : text;
      refuseOverlongLines(pageText);
      return { format, records: [pageRecord(parsePage(pageText, layout))], documentDate: null };
    }
  }
};

export const detectFormat = (text: string): 'json' | 'legacy-xml' | 'html' | 'text' => {
  const start = text.trimStart();
  if (start.startsWith('{') || start.startsWith('[')) return 'json';
  if (start.startsWith('<') && isLegacyXml(start)) return 'legacy-xml';
  if (start.startsWith('<') && looksLikeHtml(start)) return 'html';
  if (start.startsWith('<?xml')) return 'legacy-xml';
  return 'text';
};

const parseDetected = (text: string): ParsedDocument => {
  switch (detectFormat(text)) {
    case 'json':
      return parseJson(text);
    case 'legacy-xml':
      return {
        format: 'ctgov-legacy-xml',
        records: [readLegacyXml(text)],
        documentDate: legacyXmlDocumentDate(text),
      };
    case 'html':
      return parsePageText(htmlToText(text), 'html');
    case 'text':
      return parsePageText(text, 'text');
  }
};

/** Half of a UTF-16 surrogate pair without the other half: JSON's `\ud800` alone, which is no character. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

/** What in a text no registry text holds and PostgreSQL cannot store, or null. */
const unstorable = (text: string): string | null =>
  text.includes('\u0000')
    ? 'a NUL character (U+0000)'
    : LONE_SURROGATE.test(text)
      ? 'half of a UTF-16 surrogate pair (such as \\ud800 alone)'
      : null;

/**
 * The first text in `value` that cannot be stored: the keys and indexes leading to it (gathered on the way
 * back, so a record with none builds no path) and what it holds; or null.
 */
const firstUnstorable = (value: unknown): { path: (string | number)[]; holds: string } | null => {
  if (typeof value === 'string') {
    const holds = unstorable(value);
    return holds === null ? null : { path: [], holds };
  }
  if (value === null || typeof value !== 'object') return null;
  if (Array.isArray(value)) {
    for (let index = 0; index < value.length; index += 1) {
      const found = firstUnstorable(value[index]);
      if (found !== null) {
        found.path.unshift(index);
        return found;
      }
    }
    return null;
  }
  for (const key of Object.keys(value)) {
    const found = firstUnstorable((value as Record<string, unknown>)[key]);
    if (found !== null) {
      found.path.unshift(key);
      return found;
    }
  }
  return null;
};

/** The first text in `value` that cannot be stored: its path (`locations[1].city`) and what it holds, or null. */
const unstorableText = (value: unknown): { field: string; holds: string } | null => {
  const found = firstUnstorable(value);
  if (found === null) return null;
  const field = found.path.reduce<string>(
    (path, step) => (typeof step === 'number' ? `${path}[${step}]` : path ? `${path}.${step}` : step),
    '',
  );
  return { field, holds: found.holds };
};

/**
 * A NUL or a lone surrogate written as a JSON escape (`\u0000`, `\ud800`) passes the checks on the bytes;
 * no registry text holds one and no text column or JSON value of PostgreSQL can keep it, so the record
 * is refused here, not when stored.
 */
const refuseUnstorableText = (records: readonly ParsedRecord[]): void => {
  for (const { facts } of records) {
    const found = unstorableText(facts);
    if (found !== null) {
      throw new SnapshotParseError(
        'snapshot.malformed',
        `The record${records.length > 1 ? ` of ${facts.nctId}` : ''}'s ${found.field} holds ${found.holds}, which no registry text has`,
        { field: found.field, nctId: facts.nctId },
      );
    }
  }
};

/**
 * Reads raw content of any supported format into normalized snapshots: one for a single record,
 * one per study for an API v2 search page. Throws SnapshotParseError for anything else.
 */
export const parseSnapshots = (content: string | Uint8Array, options: ParseSnapshotsOptions): TrialSnapshot[] => {
  const { text } = decode(content, options.maxBytes ?? DEFAULT_MAX_SNAPSHOT_BYTES, charsetOf(options.mediaType));
  const document = options.format ? parseAs(text, options.format) : parseDetected(text);
  refuseUnstorableText(document.records);
  const contentSha256 = options.contentSha256 ?? sha256Hex(content);
  const observedAt =
    options.observedAt ?? (document.documentDate ? partialDateStart(document.documentDate) : options.receivedAt);
  return document.records.map(({ facts, definitive }) => ({
    ...facts,
    source: { format: document.format, observedAt, contentSha256, definitive },
  }));
};
