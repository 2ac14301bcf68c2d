import { afterLabel, hasLabel, readLabelled } from './page-lines.js';

/*
 * A group of single-valued fields that a page prints either with labels ("Recruitment Status" /
 * "RECRUITING") or, on some saved copies, as bare values in a fixed order, recognisable only by shape.
 */

export interface FieldReader<V> {
  label: string;
  read: (raw: string) => V | null;
  /** Reads the value printed without its label; accepts only the exact shape the page uses for it. */
  bare?: (line: string) => V | null;
  /** Fields of one kind (two dates, two ages) have the same shape and are told apart by their order. */
  kind?: string;
}

export type FieldReaders<T> = { [K in keyof T]: FieldReader<T[K]> };
export type FieldValues<T> = { [K in keyof T]: T[K] | null };

const keysOf = <T extends object>(readers: FieldReaders<T>): (keyof T)[] => Object.keys(readers) as (keyof T)[];

export const hasAnyLabel = <T extends object>(lines: readonly string[], readers: FieldReaders<T>): boolean =>
  keysOf(readers).some((key) => hasLabel(lines, readers[key].label));

export const readByLabel = <T extends object>(lines: readonly string[], readers: FieldReaders<T>): FieldValues<T> => {
  const values = {} as FieldValues<T>;
  for (const key of keysOf(readers)) values[key] = readLabelled(lines, readers[key].label, readers[key].read);
  return values;
};

/**
 * Assigns each bare value to the one kind of field its shape fits; a kind gets values only when the page
 * shows exactly as many as there are fields of that kind, and no value fits two kinds. Lines of no known
 * shape (descriptions) are skipped.
 */
export const readByShape = <T extends object>(lines: readonly string[], readers: FieldReaders<T>): FieldValues<T> => {
  const keys = keysOf(readers);
  const kindOf = (key: keyof T): string => readers[key].kind ?? String(key);
  const linesByKind = new Map<string, string[]>();
  const ambiguousKinds = new Set<string>();
  for (const line of lines) {
    const kinds = new Set(keys.filter((key) => readers[key].bare?.(line) != null).map(kindOf));
    if (kinds.size > 1) kinds.forEach((kind) => ambiguousKinds.add(kind));
    if (kinds.size !== 1) continue;
    const [kind] = kinds;
    const kindLines = linesByKind.get(kind!);
    if (kindLines) kindLines.push(line);
    else linesByKind.set(kind!, [line]);
  }
  const values = {} as FieldValues<T>;
  for (const key of keys) {
    const kind = kindOf(key);
    const sameKind = keys.filter((other) => kindOf(other) === kind);
    const kindLines = linesByKind.get(kind) ?? [];
    const line = kindLines[sameKind.indexOf(key)];
    const certain = !ambiguousKinds.has(kind) && kindLines.length === sameKind.length;
    values[key] = certain && line !== undefined ? (readers[key].bare?.(line) ?? null) : null;
  }
  return values;
};

/** Where the run of bare values that ends the lines starts (`lines.length` when the last line is not one). */
export const startOfBareTail = <T extends object>(lines: readonly string[], readers: FieldReaders<T>): number => {
  let start = lines.length;
  while (start > 0 && keysOf(readers).some((key) => readers[key].bare?.(lines[start - 1]!) != null)) start--;
  return start;
};

/** Index of the first line that carries one of the labels, or -1. */
export const firstLabelledLine = <T extends object>(lines: readonly string[], readers: FieldReaders<T>): number =>
  lines.findIndex((line) => keysOf(readers).some((key) => hasLabel([line], readers[key].label)));

export interface AnchoredChunk {
  /** The lines before the anchor, back to the previous anchor. */
  lines: string[];
  anchor: string;
  value: string | null;
}

/**
 * Splits lines at anchor lines such as `Group Type EXPERIMENTAL` / `Site Status` that end each entry of a
 * list. An anchor's value is on its line or, when it fits the anchor's vocabulary, on the next one.
 */
export const splitAtAnchors = (
  lines: readonly string[],
  anchors: Record<string, (raw: string) => string | null>,
): { chunks: AnchoredChunk[]; rest: string[] } => {
  const chunks: AnchoredChunk[] = [];
  let pending: string[] = [];
  for (let index = 0; index < lines.length; index++) {
    const line = lines[index]!;
    const anchor = Object.keys(anchors).find((label) => hasLabel([line], label));
    if (anchor === undefined) {
      pending.push(line);
      continue;
    }
    const read = anchors[anchor]!;
    const rest = afterLabel(line, anchor) ?? '';
    let value = rest !== '' ? read(rest) : null;
    const next = lines[index + 1];
    if (rest === '' && next !== undefined && read(next) !== null) {
      value = read(next);
      index++;
    }
    chunks.push({ lines: pending, anchor, value });
    pending = [];
  }
  return { chunks, rest: pending };
};
