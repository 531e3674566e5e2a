/**
 * The headings of a Markdown text and the extent of the section each one opens, for finding the
 * sections of a plan. ATX (`## Traceability`) and setext (a line underlined with `===` or `---`)
 * headings are recognised; lines inside fenced code blocks are never headings.
 */

export interface Heading {
  /** 1 to 6. */
  readonly level: number;
  /** The heading's text as written, trimmed. */
  readonly text: string;
  /** The text as section headings are compared ({@link normalizeHeading}). */
  readonly normalized: string;
  /** Zero-based line of the heading (the first line of a setext heading) in the Markdown text. */
  readonly line: number;
  /** Zero-based line where its section ends: the next heading of the same or a higher level, or the end. */
  readonly end: number;
}

export interface Outline {
  readonly lines: readonly string[];
  readonly headings: readonly Heading[];
  /** Lines that belong to a heading (setext underlines included): not section text. */
  readonly headingLines: ReadonlySet<number>;
}

// Greedy and anchored, so that a long line costs linear time; the closing #s are removed after.
const ATX = /^ {0,3}(#{1,6})(?:[ \t]+(.*))?$/;
const ATX_CLOSING = /(?:^|[ \t])#+$/;
const SETEXT_UNDERLINE = /^ {0,3}(=+|-+)[ \t]*$/;
const FENCE = /^ {0,3}(`{3,}|~{3,})/;
/** Lines that cannot be the text of a setext heading: blank, list items, quotes, tables, fences. */
const NOT_PARAGRAPH = /^\s*$|^ {0,3}(?:[-*+][ \t]|\d+[.)][ \t]|>|\||`{3,}|~{3,}|#)/;

export function outline(markdown: string): Outline {
  const lines = markdown.split(/\r?\n/);
  const found: { level: number; text: string; line: number }[] = [];
  const headingLines = new Set<number>();
  let fence: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const fenceOpen = FENCE.exec(line)?.[1];
    if (fence !== undefined) {
      if (fenceOpen && fenceOpen[0] === fence[0] && fenceOpen.length >= fence.length) fence = undefined;
      continue;
    }
    if (fenceOpen) {
      fence = fenceOpen;
      continue;
    }
    const atx = ATX.exec(line);
    if (atx) {
      const text = (atx[2] ?? '').trimEnd().replace(ATX_CLOSING, '').trim();
      found.push({ level: atx[1]!.length, text, line: i });
      headingLines.add(i);
      continue;
    }
    const underline = SETEXT_UNDERLINE.exec(line);
    if (underline && i > 0 && !headingLines.has(i - 1) && !NOT_PARAGRAPH.test(lines[i - 1]!)) {
      // The heading's text is the paragraph the underline ends.
      let first = i - 1;
      while (first > 0 && !headingLines.has(first - 1) && !NOT_PARAGRAPH.test(lines[first - 1]!)) first--;
      const text = lines
        .slice(first, i)
        .map((l) => l.trim())
        .join(' ');
      found.push({ level: underline[1]![0] === '=' ? 1 : 2, text, line: first });
      for (let l = first; l <= i; l++) headingLines.add(l);
    }
  }
  // Each section ends at the next heading of the same or a higher level: one pass with a stack of
  // the headings still open (linear, whatever the number of headings).
  const ends = new Array<number>(found.length).fill(lines.length);
  const open: number[] = [];
  found.forEach((h, index) => {
    while (open.length > 0 && found[open.at(-1)!]!.level >= h.level) ends[open.pop()!] = h.line;
    open.push(index);
  });
  const headings = found.map((h, index) => ({
    ...h,
    normalized: normalizeHeading(h.text),
    end: ends[index]!,
  }));
  return { lines, headings, headingLines };
}

/** The text of a heading's section: its lines and its subsections', heading lines left out. */
export function sectionText(doc: Outline, heading: Heading): string {
  const text: string[] = [];
  for (let i = heading.line + 1; i < heading.end; i++) if (!doc.headingLines.has(i)) text.push(doc.lines[i]!);
  return text.join('\n');
}

/**
 * Headings are compared by their start (the longest section heading has 60 characters), so only the
 * first 300 characters of a heading are read: a megabyte-long heading costs no more than a short one.
 */
const MAX_HEADING_CHARACTERS = 300;

/** Leading numbering: "3.2", "4.", "A.1", "b)", "(c)", "§ 5". */
const NUMBERING = /^(?:§\s*)?(?:\d+(?:\.\d+)*\.?|[a-z]\.\d+(?:\.\d+)*\.?|\(?[a-z0-9]{1,2}\)|[a-z]\.)\s+/;

/**
 * A heading as section headings are compared: lower-case, Markdown links reduced to their text,
 * emphasis and code marks removed, dashes unified, leading numbering and a trailing colon removed.
 */
export function normalizeHeading(text: string): string {
  return text
    .slice(0, MAX_HEADING_CHARACTERS)
    .toLowerCase()
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1')
    .replace(/[*_`]/g, '')
    .replace(/[\u2010-\u2015]/g, '-')
    .replace(/\s+/g, ' ')
    .trim()
    .replace(NUMBERING, '')
    .replace(/[\s:.]+$/, '');
}

const WORD_CHARACTER = /[\p{L}\p{N}]/u;

/**
 * The length of the longest candidate a normalised heading names, 0 for none: a candidate is named
 * when the heading equals it, or starts with it followed by something that is not a letter or digit
 * ("traceability (5.1.1 c)"; not "risks" for "risk").
 */
export function headingMatchLength(normalized: string, candidates: readonly string[]): number {
  let longest = 0;
  for (const c of candidates) {
    const named =
      normalized === c || (normalized.startsWith(c) && !WORD_CHARACTER.test(normalized.charAt(c.length)));
    if (named && c.length > longest) longest = c.length;
  }
  return longest;
}

/** Does a normalised heading name one of the candidates ({@link headingMatchLength})? */
export function headingMatches(normalized: string, candidates: readonly string[]): boolean {
  return headingMatchLength(normalized, candidates) > 0;
}
