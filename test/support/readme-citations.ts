/**
 * The documentation names the test that proves each guarantee it makes: a backticked spec file followed by the
 * quoted names of its tests (`decide.spec.ts`: "a newer version …", "…"), the fault suite by the name of a
 * scenario (fault suite: "three workers syncing"), or the pages' view specs (their view specs, "links …").
 * This reads those citations out of Markdown and checks them against the tests' titles, so a test renamed or
 * removed cannot leave a promise without its proof.
 */

/** Where a citation points: one file, any scenario of the fault suite, or the view specs of the web pages. */
export type CitationTarget =
  { kind: 'file'; file: string } | { kind: 'fault-suite' } | { kind: 'view-specs'; every: boolean };

export interface QuotedName {
  text: string;
  line: number;
}

export interface Citation {
  line: number;
  target: CitationTarget;
  names: QuotedName[];
}

export interface BrokenCitation {
  document: string;
  line: number;
  file: string;
  name?: string;
  problem: string;
}

export const FAULT_SUITE_FOLDER = 'test/faults/';
const FAULT_SPEC = /\.fault-spec\.ts$/;
const VIEW_SPEC = /\.view\.spec\.ts$/;
const SPEC_FILE = /^[\w./-]*spec\.ts$/;

type Token =
  | { kind: 'code'; text: string; at: number }
  | { kind: 'quote'; text: string; at: number }
  | { kind: 'open'; at: number }
  | { kind: 'close'; at: number }
  | { kind: 'end'; char: string; at: number }
  | { kind: 'text'; text: string; at: number };

const QUOTE_CLOSE: Record<string, string> = { '"': '"', '“': '”', '”': '”' };

/** A block is a paragraph, a list item or a table row: no citation reaches across one. */
const blocksOf = (markdown: string): { text: string; lineAt: (offset: number) => number }[] => {
  const lines = markdown.split('\n');
  const blocks: { text: string; lineAt: (offset: number) => number }[] = [];
  let current: { line: number; text: string }[] = [];
  const flush = () => {
    if (current.length === 0) return;
    const starts: number[] = [];
    let text = '';
    for (const { text: line } of current) {
      starts.push(text.length);
      text += `${line}\n`;
    }
    const first = current[0].line;
    blocks.push({
      text,
      lineAt: (offset) => {
        let index = 0;
        while (index + 1 < starts.length && starts[index + 1] <= offset) index += 1;
        return first + index;
      },
    });
    current = [];
  };
  let fenced = false;
  lines.forEach((line, index) => {
    if (/^\s*(```|~~~)/.test(line)) {
      fenced = !fenced;
      flush();
      return;
    }
    if (fenced) return;
    const blank = line.trim() === '';
    const startsBlock = /^\s*([-*+]|\d+\.)\s/.test(line) || /^\s*#/.test(line) || /^\s*\|/.test(line);
    if (blank || startsBlock) flush();
    if (!blank) current.push({ line: index + 1, text: line });
    if (/^\s*(#|\|)/.test(line)) flush();
  });
  flush();
  return blocks;
};

const tokensOf = (text: string): Token[] => {
  const tokens: Token[] = [];
  let plain = '';
  let plainAt = 0;
  const pushPlain = () => {
    if (plain) tokens.push({ kind: 'text', text: plain, at: plainAt });
    plain = '';
  };
  let index = 0;
  while (index < text.length) {
    const char = text[index];
    if (char === '`') {
      const close = text.indexOf('`', index + 1);
      if (close > index) {
        pushPlain();
        tokens.push({ kind: 'code', text: text.slice(index + 1, close), at: index });
        index = close + 1;
        continue;
      }
    }
    if (char === '"' || char === '“') {
      const close = text.indexOf(QUOTE_CLOSE[char], index + 1);
      const closeCurly = char === '"' ? text.indexOf('”', index + 1) : -1;
      const end = [close, closeCurly].filter((at) => at > index).sort((a, b) => a - b)[0];
      if (end !== undefined) {
        pushPlain();
        tokens.push({ kind: 'quote', text: text.slice(index + 1, end), at: index });
        index = end + 1;
        continue;
      }
    }
    if (char === '(' || char === ')') {
      pushPlain();
      tokens.push({ kind: char === '(' ? 'open' : 'close', at: index });
      index += 1;
      continue;
    }
    if ((char === '.' && /\s/.test(text[index + 1] ?? ' ')) || char === '|') {
      pushPlain();
      tokens.push({ kind: 'end', char, at: index });
      index += 1;
      continue;
    }
    if (!plain) plainAt = index;
    plain += char;
    index += 1;
  }
  pushPlain();
  return tokens;
};

/** What the prose just before a quote says it names, when it names no file: the fault suite or the view specs. */
const markerBefore = (previous: Token | undefined): CitationTarget | undefined => {
  if (previous?.kind !== 'text') return undefined;
  const tail = previous.text.replace(/\s+/g, ' ');
  if (/\bfault suite(:|['’]s) ?$/i.test(tail)) return { kind: 'fault-suite' };
  const view = /\b(each page['’]s|their) view specs?, ?$/i.exec(tail);
  if (view) return { kind: 'view-specs', every: /^each/i.test(view[1]) };
  return undefined;
};

const isBlank = (token: Token | undefined): boolean => token?.kind === 'text' && token.text.trim() === '';

/** The parenthesis that opens right after a token, if one does. */
const firstOpenAfter = (tokens: Token[], index: number): number | undefined => {
  let next = index + 1;
  while (isBlank(tokens[next])) next += 1;
  return tokens[next]?.kind === 'open' ? next : undefined;
};

/** Every citation in a Markdown text, with the line it starts on and the line of each quoted name. */
export const extractCitations = (markdown: string): Citation[] => {
  const citations: Citation[] = [];
  for (const block of blocksOf(markdown)) {
    const tokens = tokensOf(block.text);
    const starts: { index: number; target: CitationTarget }[] = [];
    tokens.forEach((token, index) => {
      if (token.kind === 'code' && SPEC_FILE.test(token.text))
        starts.push({ index, target: { kind: 'file', file: token.text } });
      if (token.kind === 'quote') {
        const target = markerBefore(tokens[index - 1]);
        if (target) starts.push({ index: index - 1, target });
      }
    });
    const isStart = (index: number) => starts.some((start) => start.index === index);
    const claimed = new Set<number>();
    const inBlock: Citation[] = [];

    for (const start of starts) {
      const citation: Citation = { line: block.lineAt(tokens[start.index].at), target: start.target, names: [] };
      // A parenthesis right after the file holds its names; else the names run to the end of the parenthesis
      // the citation stands in, or of its sentence; never past the next citation.
      const open = firstOpenAfter(tokens, start.index);
      let level = 0;
      for (let index = (open ?? start.index) + 1; index < tokens.length && !isStart(index); index += 1) {
        const token = tokens[index];
        if (token.kind === 'open') level += 1;
        if (token.kind === 'close') level -= 1;
        if (level < 0) break;
        if (token.kind === 'end' && (token.char === '|' || level === 0)) break;
        if (token.kind === 'quote' && !claimed.has(index)) {
          claimed.add(index);
          citation.names.push({ text: token.text, line: block.lineAt(token.at) });
        }
      }
      inBlock.push(citation);
    }

    // A parenthesis holding quoted names alone, in a paragraph that cited a file before, goes on citing it:
    // (`csv-export.spec.ts`: "stops reading …"). … ("writes a cell …", "…").
    tokens.forEach((token, index) => {
      if (token.kind !== 'open') return;
      const quotes: number[] = [];
      let at = index + 1;
      for (; at < tokens.length; at += 1) {
        const inner = tokens[at];
        if (inner.kind === 'quote') quotes.push(at);
        else if (inner.kind !== 'text' || !/^[\s,;]*(and[\s,;]*)?$/.test(inner.text)) break;
      }
      if (tokens[at]?.kind !== 'close' || quotes.length === 0 || quotes.some((quote) => claimed.has(quote))) return;
      const before = [...starts].reverse().find((start) => start.index < index);
      if (!before) return;
      const citation = inBlock[starts.indexOf(before)];
      for (const quote of quotes) {
        claimed.add(quote);
        const { text, at: offset } = tokens[quote] as { text: string; at: number };
        citation.names.push({ text, line: block.lineAt(offset) });
      }
    });
    citations.push(...inBlock);
  }
  return citations;
};

/** A test or a group of tests: its title and those of the groups around it, outermost first. */
export interface TestTitle {
  file: string;
  titles: string[];
}

/** Stands in a title for what a template or a table of `each` puts there. */
const ANY = '\u0000';

const CALL = /(?<![\w.$])(describe|it|test)((?:\.(?:only|skip|concurrent|failing|sequential))*)(\.each)?\s*\(/g;
const SKIPPED = /\.skip\b/;

const skipSpaceAndComments = (source: string, from: number): number => {
  let index = from;
  for (;;) {
    while (/\s/.test(source[index] ?? '')) index += 1;
    if (source.startsWith('//', index))
      index = source.indexOf('\n', index) === -1 ? source.length : source.indexOf('\n', index);
    else if (source.startsWith('/*', index)) index = source.indexOf('*/', index) + 2;
    else return index;
  }
};

/** The index just past a string or template literal starting at `from`, and its text. */
const readLiteral = (source: string, from: number): { end: number; text: string } => {
  const quote = source[from];
  let text = '';
  let index = from + 1;
  while (index < source.length && source[index] !== quote) {
    const char = source[index];
    if (char === '\\') {
      const escaped = source[index + 1];
      text += escaped === 'n' ? '\n' : escaped === 't' ? '\t' : escaped;
      index += 2;
    } else if (quote === '`' && source.startsWith('${', index)) {
      index = skipBalanced(source, index + 1);
      text += ANY;
    } else {
      text += char;
      index += 1;
    }
  }
  return { end: index + 1, text };
};

/** The index just past the bracket that closes the one at `from`, skipping strings and comments. */
const skipBalanced = (source: string, from: number): number => {
  let depth = 0;
  let index = from;
  while (index < source.length) {
    const char = source[index];
    if (char === "'" || char === '"' || char === '`') {
      index = readLiteral(source, index).end;
      continue;
    }
    if (source.startsWith('//', index) || source.startsWith('/*', index)) {
      index = skipSpaceAndComments(source, index);
      continue;
    }
    if ('([{'.includes(char)) depth += 1;
    if (')]}'.includes(char)) {
      depth -= 1;
      if (depth === 0) return index + 1;
    }
    index += 1;
  }
  return index;
};

/** A title written as string literals joined by `+`, else undefined (a title held in a variable). */
const readTitle = (source: string, from: number): string | undefined => {
  let index = skipSpaceAndComments(source, from);
  let title = '';
  for (;;) {
    if (!["'", '"', '`'].includes(source[index])) return undefined;
    const literal = readLiteral(source, index);
    title += literal.text;
    index = skipSpaceAndComments(source, literal.end);
    if (source[index] !== '+') return title;
    index = skipSpaceAndComments(source, index + 1);
  }
};

/**
 * The titles of a spec file's tests and groups. A group holds what follows it, indented deeper, up to the
 * line that closes it at its own indentation (the files are formatted by Prettier). A skipped test proves
 * nothing, so neither it nor what a skipped group holds is among them.
 */
export const testTitlesOf = (file: string, source: string): TestTitle[] => {
  const lines = source.split('\n');
  const lineStarts: number[] = [];
  lines.reduce((offset, line) => (lineStarts.push(offset), offset + line.length + 1), 0);
  const lineOf = (offset: number) => {
    let low = 0;
    let high = lineStarts.length - 1;
    while (low < high) {
      const middle = Math.ceil((low + high) / 2);
      if (lineStarts[middle] <= offset) low = middle;
      else high = middle - 1;
    }
    return low;
  };
  const indentOf = (line: number) => /^\s*/.exec(lines[line])![0].length;
  const endOf = (line: number) => {
    const indent = indentOf(line);
    for (let next = line + 1; next < lines.length; next += 1)
      if (lines[next].trim() !== '' && indentOf(next) <= indent) return next;
    return lines.length;
  };

  const found: { line: number; group: boolean; skipped: boolean; title: string }[] = [];
  for (const call of source.matchAll(CALL)) {
    let open = call.index + call[0].length - 1;
    if (call[3]) {
      const next = skipSpaceAndComments(source, skipBalanced(source, open));
      if (source[next] !== '(') continue;
      open = next;
    }
    const title = readTitle(source, open + 1);
    if (title === undefined) continue;
    const named = call[3] ? title.replace(/%[sdifjop#%]|\$[\w.]+/g, ANY) : title;
    found.push({
      line: lineOf(call.index),
      group: call[1] === 'describe',
      skipped: SKIPPED.test(call[2]),
      title: named,
    });
  }
  return found.flatMap((test) => {
    const groups = found.filter(
      (group) =>
        group.group &&
        group.line < test.line &&
        endOf(group.line) > test.line &&
        indentOf(group.line) < indentOf(test.line),
    );
    if (test.skipped || groups.some((group) => group.skipped)) return [];
    return [{ file, titles: [...groups.map((group) => group.title), test.title] }];
  });
};

/** Typographic and straight apostrophes and quotes alike, whitespace collapsed. */
export const normaliseTitle = (text: string): string =>
  text.replace(/[‘’]/g, "'").replace(/[“”]/g, '"').replace(/\s+/g, ' ').trim();

const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/**
 * Whether a quoted name names the test: the name is its title, or its title after the titles of some of the
 * groups around it; "…" or "..." stand for any words left out. A name may also be the leading part of a title
 * up to a colon ("case 9" for "case 9: …"), or a group's title without its "fault: " label.
 */
export const namesTest = (quoted: string, test: TestTitle): boolean => {
  const name = normaliseTitle(quoted);
  const pattern = new RegExp(
    `^(?:fault: )?${name
      .split(/…|\.\.\./)
      .map((part) => escape(part))
      .join(`[^]*?`)}(?::[^]*)?$`,
  );
  for (let from = 0; from < test.titles.length; from += 1) {
    const title = normaliseTitle(test.titles.slice(from).join(' '));
    if (pattern.test(title)) return true;
    if (title.includes(ANY)) {
      const templated = new RegExp(`^${title.split(ANY).map(escape).join('[^]+?')}$`);
      if (templated.test(name)) return true;
    }
  }
  return false;
};

/** The files a citation may name: a path from the repository's root, the end of one, or a bare file name. */
export const resolveCitedFile = (
  cited: string,
  files: readonly string[],
): { file: string } | { problem: string; candidates: string[] } => {
  if (files.includes(cited)) return { file: cited };
  const candidates = files.filter((file) => file.endsWith(`/${cited}`));
  if (candidates.length === 1) return { file: candidates[0] };
  if (candidates.length === 0) return { problem: 'no such file', candidates };
  return { problem: `names ${candidates.length} files (${candidates.join(', ')}); give its path`, candidates };
};

/**
 * Every citation of the documents that does not hold: a file that is not there or not one, a quoted name no
 * test of its file (of the fault suite, of the view specs) bears.
 */
export const brokenCitations = (
  documents: readonly { path: string; text: string }[],
  files: readonly string[],
  read: (file: string) => string,
): BrokenCitation[] => {
  const titles = new Map<string, TestTitle[]>();
  const titlesOf = (file: string) => {
    if (!titles.has(file)) titles.set(file, testTitlesOf(file, read(file)));
    return titles.get(file)!;
  };
  const broken: BrokenCitation[] = [];
  for (const document of documents) {
    for (const citation of extractCitations(document.text)) {
      const { target } = citation;
      let specs: string[][];
      let label: string;
      if (target.kind === 'file') {
        label = target.file;
        const resolved = resolveCitedFile(target.file, files);
        if ('problem' in resolved) {
          broken.push({ document: document.path, line: citation.line, file: label, problem: resolved.problem });
          continue;
        }
        specs = [[resolved.file]];
      } else if (target.kind === 'fault-suite') {
        label = `fault suite (${FAULT_SUITE_FOLDER}*.fault-spec.ts)`;
        specs = [files.filter((file) => file.startsWith(FAULT_SUITE_FOLDER) && FAULT_SPEC.test(file))];
      } else {
        label = target.every ? 'each view spec (*.view.spec.ts)' : 'the view specs (*.view.spec.ts)';
        const views = files.filter((file) => VIEW_SPEC.test(file));
        specs = target.every ? views.map((file) => [file]) : [views];
      }
      for (const name of citation.names) {
        const unproved = specs.filter(
          (group) => !group.some((file) => titlesOf(file).some((test) => namesTest(name.text, test))),
        );
        if (specs.length === 0 || specs.every((group) => group.length === 0) || unproved.length > 0)
          broken.push({
            document: document.path,
            line: name.line,
            file: target.kind === 'view-specs' && target.every ? `${label}: ${unproved.flat().join(', ')}` : label,
            name: normaliseTitle(name.text),
            problem: 'no test of that title',
          });
      }
    }
  }
  return broken;
};

export const describeBroken = (broken: readonly BrokenCitation[]): string =>
  broken
    .map(({ document, line, file, name, problem }) =>
      name === undefined
        ? `${document}:${line}: ${file}: ${problem}`
        : `${document}:${line}: ${file}: "${name}": ${problem}`,
    )
    .join('\n');
