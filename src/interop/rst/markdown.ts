/**
 * The reStructuredText every RST-based source carries (sphinx-needs content, mlx.traceability item
 * bodies, StrictDoc STATEMENT fields) turned into the Markdown Dossier records hold. Only the
 * simple constructs are converted: emphasis, inline literals, hyperlinks, bullet and enumerated
 * lists, literal blocks, code-block directives, block quotes. Anything else (roles such as
 * `:need:`, other directives, field lists) is kept verbatim: it still reads, and a person can fix
 * it. A construct changed in a way that loses something (a heading inside a body, a table kept as
 * preformatted text, code-block options) is reported, so the reader can raise an 'approximated'
 * issue; a lossless conversion is not.
 */

export interface RstConversion {
  readonly markdown: string;
  /** What was changed with a loss, one phrase each ("table kept as preformatted text"). */
  readonly approximations: readonly string[];
}

const ADORNMENT = /^([!-/:-@[-`{-~])\1{2,}\s*$/;
const BULLET = /^(\s*)[*+\-•‣⁃] +(.*)$/;
const ENUMERATED = /^(\s*)(\d+|#)[.)] +(.*)$/;
const PAREN_ENUMERATED = /^(\s*)\((\d+|#)\) +(.*)$/;
const CODE_DIRECTIVE = /^(\s*)\.\. (?:code-block|code|sourcecode)::\s*(\S*)\s*$/;
const TABLE_BORDER = /^(\+[-=+]+\+|=+( +=+)+)\s*$/;

export function rstToMarkdown(rst: string): RstConversion {
  const lines = rst.split(/\r\n|\r|\n/);
  const out: string[] = [];
  const approximations = new Set<string>();
  // Whether the last block was a list item, so that an indented block after it continues the
  // item (Markdown reads that the same way) instead of being a block quote.
  let afterListItem = false;
  let i = 0;
  while (i < lines.length) {
    const line = lines[i]!;
    if (line.trim() === '') {
      out.push('');
      i++;
      continue;
    }
    const code = CODE_DIRECTIVE.exec(line);
    if (code) {
      const start = i + 1;
      let j = start;
      // Directive options (`:linenos:`) come first, before the blank line and the code.
      while (j < lines.length && /^\s+:[\w-]+:/.test(lines[j]!)) j++;
      if (j > start) approximations.add('code-block options left out');
      const block = indentedBlock(lines, j, indentOf(line));
      out.push(`${code[1]}\`\`\`${code[2]}`, ...block.lines.map((l) => code[1] + l), `${code[1]}\`\`\``);
      i = block.end;
      afterListItem = false;
      continue;
    }
    // A section heading inside a body: Markdown headings would compete with the record's own
    // structure, so it becomes a bold line (reported: the heading level is lost).
    const next = lines[i + 1];
    if (indentOf(line) === 0 && next !== undefined && ADORNMENT.test(next) && !ADORNMENT.test(line)) {
      const over = i > 0 && ADORNMENT.test(lines[i - 1]!) ? out.pop() : undefined;
      if (over !== undefined && over !== '') out.push(over);
      out.push(`**${inline(line.trim())}**`);
      approximations.add('heading inside the text kept as a bold line');
      i += 2;
      afterListItem = false;
      continue;
    }
    if (
      ADORNMENT.test(line) &&
      (lines[i + 2] === undefined || ADORNMENT.test(lines[i + 2]!)) &&
      next &&
      next.trim() !== '' &&
      !ADORNMENT.test(next)
    ) {
      // Overlined heading: drop the overline, the text and underline are handled above.
      i++;
      continue;
    }
    if (TABLE_BORDER.test(line)) {
      let j = i;
      while (j < lines.length && lines[j]!.trim() !== '') j++;
      out.push('```text', ...lines.slice(i, j), '```');
      approximations.add('table kept as preformatted text');
      i = j;
      afterListItem = false;
      continue;
    }
    if (indentOf(line) > 0 && !afterListItem && (i === 0 || lines[i - 1]!.trim() === '')) {
      // An indented paragraph not continuing a list is a block quote in RST; in Markdown four
      // spaces would make it code.
      const block = indentedBlock(lines, i, 0);
      out.push(...block.lines.map((l) => (l === '' ? '>' : `> ${inline(l)}`)));
      i = block.end;
      continue;
    }
    // A paragraph: consecutive non-blank lines, list markers rewritten, then a literal block if
    // it ends with `::`.
    let j = i;
    const paragraph: string[] = [];
    while (j < lines.length && lines[j]!.trim() !== '') {
      if (j > i && CODE_DIRECTIVE.test(lines[j]!)) break;
      paragraph.push(lines[j]!);
      j++;
    }
    // An indented paragraph here continues the list above it; one at the margin ends the list.
    afterListItem = afterListItem && indentOf(paragraph[0]!) > 0;
    for (const raw of paragraph) {
      const bullet = BULLET.exec(raw);
      const enumerated = ENUMERATED.exec(raw) ?? PAREN_ENUMERATED.exec(raw);
      if (bullet && !isEmphasisLine(raw)) {
        out.push(`${bullet[1]}- ${inline(bullet[2]!)}`);
        afterListItem = true;
      } else if (enumerated) {
        const number = enumerated[2] === '#' ? '1' : enumerated[2];
        out.push(`${enumerated[1]}${number}. ${inline(enumerated[3]!)}`);
        afterListItem = true;
      } else {
        // Plain RST text that Markdown would read as a heading or a quote keeps its meaning.
        out.push(inline(raw).replace(/^(\s*)([#>])/, '$1\\$2'));
      }
    }
    i = j;
    const last = out[out.length - 1]!;
    if (last.endsWith('::')) {
      // `text::` is `text:` followed by a literal block; a lone `::` disappears.
      const trimmed = last.trimEnd();
      if (trimmed.trim() === '::') out.pop();
      else out[out.length - 1] = trimmed.slice(0, -1);
      let k = i;
      while (k < lines.length && lines[k]!.trim() === '') k++;
      if (k < lines.length && indentOf(lines[k]!) > indentOf(paragraph[0]!)) {
        const block = indentedBlock(lines, k, indentOf(paragraph[0]!));
        out.push('', '```', ...block.lines, '```');
        i = block.end;
        afterListItem = false;
      }
    }
  }
  while (out.length > 0 && out[out.length - 1] === '') out.pop();
  while (out.length > 0 && out[0] === '') out.shift();
  return { markdown: out.join('\n'), approximations: [...approximations] };
}

/** `*` at the start of a line is emphasis, not a bullet, when the emphasis closes on the line. */
function isEmphasisLine(line: string): boolean {
  return /^\s*\*[^*\s]/.test(line);
}

function indentOf(line: string): number {
  return line.length - line.trimStart().length;
}

/** The lines indented deeper than `parent`, starting at `start`, dedented; blank lines inside kept. */
function indentedBlock(
  lines: readonly string[],
  start: number,
  parent: number,
): { lines: string[]; end: number } {
  while (start < lines.length && lines[start]!.trim() === '') start++;
  let end = start;
  while (end < lines.length && (lines[end]!.trim() === '' || indentOf(lines[end]!) > parent)) end++;
  while (end > start && lines[end - 1]!.trim() === '') end--;
  const block = lines.slice(start, end);
  // A loop, not Math.min(...): a spread of a very long block would overflow the call stack.
  let margin = Number.POSITIVE_INFINITY;
  for (const l of block) if (l.trim() !== '') margin = Math.min(margin, indentOf(l));
  if (!Number.isFinite(margin)) margin = 0;
  return { lines: block.map((l) => (l.trim() === '' ? '' : l.slice(margin))), end };
}

/**
 * Inline markup of one line. Inline literals are cut out first so nothing inside them is touched;
 * then hyperlinks; then the default role (`text`, a title reference in docutils, shown in
 * italics) becomes emphasis. Roles (`:need:`X``) and named references (`name`_) stay as written.
 */
export function inline(text: string): string {
  const parts = text.split(/(``\S.*?``)/);
  return parts
    .map((part, index) => {
      if (index % 2 === 1) {
        const literal = part.slice(2, -2).trim();
        return literal.includes('`') ? `\`\` ${literal} \`\`` : `\`${literal}\``;
      }
      return part
        .replace(/`([^`<]*?)\s*<([^`>]+)>`__?/g, (_m, label: string, url: string) =>
          label === '' ? `<${url}>` : `[${label}](${url})`,
        )
        .replace(/(^|[^:\w`])`([^`]+)`(?![_`:])/g, '$1*$2*');
    })
    .join('');
}
