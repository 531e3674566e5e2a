/**
 * Turning what a spreadsheet stores into the text a person saw: Excel's `_xHHHH_` escapes, numbers
 * as Excel shows them, dates as calendar dates, multi-line cells as Markdown.
 */

/**
 * Decodes OOXML `_xHHHH_` escapes (ECMA-376 ST_Xstring), in one pass so that `_x005F_x000D_`
 * (an escaped underscore) stays the literal text `_x000D_`. Excel exports escape the carriage
 * return of a CRLF as `_x000D_`; a CR before a line feed is dropped, a lone CR becomes a line feed.
 *
 * The XLSX library already decodes shared strings, but not inline strings (what DOORS and many
 * exporters write), so this runs on every cell; the one cost is that a shared string holding the
 * literal text `_x005F_x000D_` is decoded twice.
 */
export function decodeExcelEscapes(text: string): string {
  const decoded = text.includes('_x')
    ? text.replace(/_x([0-9A-Fa-f]{4})_/g, (_, hex: string) => String.fromCharCode(Number.parseInt(hex, 16)))
    : text;
  return decoded.replace(/\r\n?/g, '\n');
}

/**
 * A number as Excel shows it in a General cell: at most 15 significant digits, so the binary
 * artefact 0.30000000000000004 of 0.1+0.2 reads 0.3, as in Excel.
 */
export function excelNumber(value: number): number {
  if (!Number.isFinite(value) || Number.isInteger(value)) return value;
  return Number(value.toPrecision(15));
}

export function numberText(value: number): string {
  const n = excelNumber(value);
  // Integers up to 15 digits print in full (an id 20240101001 must not become 2.0240101001e+10).
  return Math.abs(n) < 1e15 && Number.isInteger(n) ? n.toFixed(0) : String(n);
}

/**
 * A date cell as YYYY-MM-DD, with the time of day only when it has one. The XLSX library turns
 * Excel's serial day numbers into Dates at UTC, so the UTC fields are the ones Excel shows.
 */
export function dateText(date: Date): string {
  if (Number.isNaN(date.getTime())) return '';
  const iso = date.toISOString();
  const day = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  if (time === '00:00:00') return day;
  return `${day} ${time.endsWith(':00') ? time.slice(0, 5) : time}`;
}

/** A line that opens a Markdown block of its own: a hard break before it would print a stray backslash. */
const BLOCK_START = /^\s{0,3}(?:[-*+]\s|\d{1,9}[.)]\s|#{1,6}\s|>|```|~~~|\|)/;

/**
 * A multi-line cell as Markdown: each line break inside a paragraph becomes a hard line break
 * (a trailing backslash, which editors do not strip as they do trailing spaces); blank lines stay
 * paragraph breaks and lines starting a list, heading or quote start their block.
 */
export function markdownLines(text: string): string {
  const lines = text.replace(/\r\n?/g, '\n').split('\n');
  let out = '';
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    out += line;
    if (i === lines.length - 1) break;
    const next = lines[i + 1]!;
    const hard = line.trim() !== '' && next.trim() !== '' && !BLOCK_START.test(next) && !line.endsWith('\\');
    out += hard ? '\\\n' : '\n';
  }
  return out;
}

/** Wraps a run in a Markdown emphasis marker, keeping its surrounding spaces outside (`** x**` is not bold). */
export function emphasise(text: string, marker: string): string {
  const match = /^(\s*)([\s\S]*?)(\s*)$/.exec(text)!;
  const [, lead, core, trail] = match;
  return core ? `${lead}${marker}${core}${marker}${trail}` : text;
}

/** A Markdown link; a link whose text is its address is written as an autolink. */
export function markdownLink(text: string, url: string): string {
  const label = text.trim();
  if (!label || label === url) return `<${url}>`;
  return `[${label.replace(/([[\]])/g, '\\$1')}](${url.replace(/[ ()]/g, (c) => encodeURIComponent(c))})`;
}
