/**
 * A small reStructuredText scanner for the directive-based sources (sphinx-needs `.. req::`,
 * mlx.traceability `.. item::`): section headings, and the directives a reader asks for with
 * their argument, options and body, each with its 1-based line. It does not run docutils: it
 * knows only what those sources need, and leaves everything else alone.
 *
 * Headings are levelled as docutils does, by the order in which adornment styles first appear in
 * the file (underline `===` first seen is level 1, and so on; an overlined style differs from the
 * underline-only one).
 */

export interface RstHeading {
  readonly kind: 'heading';
  readonly title: string;
  /** 1 for the outermost style of the file. */
  readonly level: number;
  readonly line: number;
}

export interface RstOption {
  readonly name: string;
  /** The value, continuation lines joined with a space; '' for an option written with nothing after it. */
  readonly value: string;
  readonly line: number;
}

export interface RstDirective {
  readonly kind: 'directive';
  readonly name: string;
  /** Text after `::` on the directive line (a need's title, an item's id and caption). */
  readonly argument: string;
  readonly options: readonly RstOption[];
  /** The content, dedented, surrounding blank lines removed; '' when there is none. */
  readonly body: string;
  readonly line: number;
  /** Line of the first body line, when there is a body. */
  readonly bodyLine?: number;
  /** Wanted directives written inside this one's body (nested needs), left out of `body`. */
  readonly nested: readonly RstDirective[];
}

const ADORNMENT = /^([!-/:-@[-`{-~])\1+\s*$/;
const DIRECTIVE = /^(\s*)\.\.\s+([\w][\w:.-]*?)::(?:\s+(.*))?$/;
const OPTION = /^(\s+):([^:\s][^:]*?):(?:\s+(.*))?\s*$/;

/** Headings and the wanted directives of `text`, in file order, section path ready for readers. */
export function scanRst(text: string, wanted: (name: string) => boolean): (RstHeading | RstDirective)[] {
  const lines = text.split(/\r\n|\r|\n/);
  const styles: string[] = [];
  const events: (RstHeading | RstDirective)[] = [];
  const level = (style: string) => {
    let index = styles.indexOf(style);
    if (index < 0) index = styles.push(style) - 1;
    return index + 1;
  };
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    const previousBlank = i === 0 || lines[i - 1]!.trim() === '';
    // Overline, title, underline.
    if (previousBlank && ADORNMENT.test(line) && i + 2 < lines.length) {
      const title = lines[i + 1]!;
      const under = lines[i + 2]!;
      if (title.trim() !== '' && !ADORNMENT.test(title) && under.trimEnd() === line.trimEnd()) {
        events.push({
          kind: 'heading',
          title: title.trim(),
          level: level(`over${line.trim()[0]}`),
          line: i + 2,
        });
        i += 3;
        continue;
      }
    }
    // Title, underline (as long as the title at least, give or take: docutils only warns).
    const next = lines[i + 1];
    if (
      previousBlank &&
      line.trim() !== '' &&
      !/^\s/.test(line) &&
      !ADORNMENT.test(line) &&
      !line.startsWith('.. ') &&
      next !== undefined &&
      ADORNMENT.test(next) &&
      next.trim().length >= Math.min(3, line.trim().length)
    ) {
      events.push({
        kind: 'heading',
        title: line.trim(),
        level: level(`under${next.trim()[0]}`),
        line: i + 1,
      });
      i += 2;
      continue;
    }
    const directive = DIRECTIVE.exec(line);
    if (directive && wanted(directive[2]!)) {
      const parsed = readDirective(lines, i, directive[1]!.length, directive[2]!, directive[3] ?? '', wanted);
      events.push(parsed.directive);
      i = parsed.end;
      continue;
    }
    // Code shown in the documentation (a code-block, a `::` literal block) may quote directives:
    // its whole block is skipped so they are not read as needs.
    if ((directive && LITERAL_DIRECTIVES.has(directive[2]!)) || (!directive && /::\s*$/.test(line))) {
      i = blockEnd(lines, i + 1, indentOf(line));
      continue;
    }
    // Directives not wanted are not consumed: needs inside `.. only::` or `.. container::` are
    // still found, one indentation level down.
    i++;
  }
  return events;
}

const LITERAL_DIRECTIVES = new Set(['code-block', 'code', 'sourcecode', 'literalinclude', 'parsed-literal']);

/** The index after the lines indented deeper than `indent` from `start` (blank lines included). */
function blockEnd(lines: readonly string[], start: number, indent: number): number {
  let end = start;
  while (end < lines.length && (lines[end]!.trim() === '' || indentOf(lines[end]!) > indent)) end++;
  return end;
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

function readDirective(
  lines: readonly string[],
  start: number,
  indent: number,
  name: string,
  firstArgument: string,
  wanted: (name: string) => boolean,
): { directive: RstDirective; end: number } {
  const inside = (line: string) => line.trim() === '' || indentOf(line) > indent;
  let i = start + 1;
  // The argument may wrap onto following lines, before any option or blank line.
  let argument = firstArgument.trim();
  while (
    i < lines.length &&
    lines[i]!.trim() !== '' &&
    indentOf(lines[i]!) > indent &&
    !OPTION.test(lines[i]!)
  ) {
    argument = `${argument} ${lines[i]!.trim()}`.trim();
    i++;
  }
  const options: { name: string; value: string; line: number }[] = [];
  while (i < lines.length && lines[i]!.trim() !== '' && indentOf(lines[i]!) > indent) {
    const option = OPTION.exec(lines[i]!);
    if (!option) break;
    const optionIndent = option[1]!.length;
    const entry = { name: option[2]!.trim(), value: (option[3] ?? '').trim(), line: i + 1 };
    i++;
    // Continuation lines are indented deeper than the option's colon.
    while (i < lines.length && lines[i]!.trim() !== '' && indentOf(lines[i]!) > optionIndent) {
      entry.value = `${entry.value} ${lines[i]!.trim()}`.trim();
      i++;
    }
    options.push(entry);
  }
  let end = i;
  while (end < lines.length && inside(lines[end]!)) end++;
  let first = i;
  while (first < end && lines[first]!.trim() === '') first++;
  let last = end;
  while (last > first && lines[last - 1]!.trim() === '') last--;
  // Directives of the wanted kinds inside the body (a need nested in a need) are read on their
  // own and cut out of the body, so their text is not repeated in the outer one's.
  const nested: RstDirective[] = [];
  const block: string[] = [];
  /** The 0-based file line of each entry of `block`. */
  const blockAt: number[] = [];
  let k = first;
  while (k < last) {
    const line = lines[k]!;
    const inner = DIRECTIVE.exec(line);
    if (inner && wanted(inner[2]!)) {
      const parsed = readDirective(lines, k, inner[1]!.length, inner[2]!, inner[3] ?? '', wanted);
      nested.push(parsed.directive);
      k = Math.min(parsed.end, last);
      continue;
    }
    const literalEnd =
      (inner && LITERAL_DIRECTIVES.has(inner[2]!)) || (!inner && /::\s*$/.test(line))
        ? Math.min(blockEnd(lines, k + 1, indentOf(line)), last)
        : k + 1;
    for (; k < literalEnd; k++) {
      block.push(lines[k]!);
      blockAt.push(k);
    }
  }
  while (block.length > 0 && block[block.length - 1]!.trim() === '') block.pop();
  while (block.length > 0 && block[0]!.trim() === '') {
    block.shift();
    blockAt.shift();
  }
  // A loop, not Math.min(...): a spread of a very long block would overflow the call stack.
  let margin = Number.POSITIVE_INFINITY;
  for (const l of block) if (l.trim() !== '') margin = Math.min(margin, indentOf(l));
  if (!Number.isFinite(margin)) margin = 0;
  const body = block.map((l) => (l.trim() === '' ? '' : l.slice(margin))).join('\n');
  const directive: RstDirective = {
    kind: 'directive',
    name,
    argument,
    options,
    body,
    line: start + 1,
    ...(block.length ? { bodyLine: blockAt[0]! + 1 } : {}),
    nested,
  };
  return { directive, end };
}

/** Keeps the current section path while walking scanned events: headings push, deeper levels pop. */
export class SectionTracker {
  private readonly stack: { title: string; level: number }[] = [];

  heading(heading: RstHeading): void {
    while (this.stack.length > 0 && this.stack[this.stack.length - 1]!.level >= heading.level)
      this.stack.pop();
    this.stack.push({ title: heading.title, level: heading.level });
  }

  get path(): string[] {
    return this.stack.map((entry) => entry.title);
  }

  reset(): void {
    this.stack.length = 0;
  }
}
