import type { PartChange } from '../reviews/changes.js';
import { lineDiff } from './line-diff.js';

/** Values of changed parts on one line for people: JSON, shortened around where they first differ. */
const MAX_VALUE = 200;
const CONTEXT = 40;

/** `at`, or one less when it would split a surrogate pair (an emoji shown as `\ud83d`). */
function atBoundary(text: string, at: number): number {
  const high = text.charCodeAt(at - 1);
  const low = text.charCodeAt(at);
  return high >= 0xd800 && high <= 0xdbff && low >= 0xdc00 && low <= 0xdfff ? at - 1 : at;
}

/** `before → after`, each as JSON ("(none)" when absent), cut to where they differ when long. */
export function shownChange(before: unknown, after: unknown): { before: string; after: string } {
  const a = before === undefined ? undefined : JSON.stringify(before);
  const b = after === undefined ? undefined : JSON.stringify(after);
  let from = 0;
  if (a !== undefined && b !== undefined && (a.length > MAX_VALUE || b.length > MAX_VALUE)) {
    while (from < a.length && from < b.length && a[from] === b[from]) from++;
    from = Math.max(0, from - CONTEXT);
  }
  const cut = (json: string | undefined) => {
    if (json === undefined) return '(none)';
    const head = from > 0 ? `…${json.slice(atBoundary(json, from))}` : json;
    return head.length > MAX_VALUE ? `${head.slice(0, atBoundary(head, MAX_VALUE - 1))}…` : head;
  };
  return { before: cut(a), after: cut(b) };
}

/**
 * The lines that describe one part's change: the text as a line diff (all added for a new record),
 * any other value as `before → after`. Parts outside the content are marked "(not content)".
 */
export function partLines(change: PartChange): string[] {
  const tag = change.content ? '' : ' (not content)';
  if (change.part === 'text' && typeof change.after === 'string') {
    const lines =
      typeof change.before === 'string'
        ? lineDiff(change.before, change.after)
        : change.after.split('\n').map((l) => `+ ${l}`);
    return [`text:${tag}`, ...lines.map((l) => `  ${l}`)];
  }
  const shown = shownChange(change.before, change.after);
  return [`${change.part}:${tag} ${shown.before} → ${shown.after}`];
}

/** The text change of a part as diff lines (for a fenced `diff` block), or undefined. */
export function textDiffLines(change: PartChange | undefined): string[] | undefined {
  if (!change || typeof change.after !== 'string') return undefined;
  return typeof change.before === 'string'
    ? lineDiff(change.before, change.after)
    : change.after.split('\n').map((l) => `+ ${l}`);
}

/** A fenced Markdown block that no backtick run in the lines can close early. */
export function fenced(lines: readonly string[], info: string): string[] {
  const longest = Math.max(
    0,
    ...lines.map((l) => Math.max(0, ...(l.match(/`+/g) ?? []).map((r) => r.length))),
  );
  const fence = '`'.repeat(Math.max(3, longest + 1));
  return [`${fence}${info}`, ...lines, fence];
}
