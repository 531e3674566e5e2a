/**
 * Maven versions: `org.apache.maven.artifact.versioning.ComparableVersion` as of Maven 3.8.6,
 * the version osv-scalibr's fixtures were generated with, written from its algorithm.
 *
 * Two known differences from other Maven releases, both checked against maven-artifact jars:
 * - Maven 3.8.7+ (MNG-7644) puts a qualifier that follows a dot into its own sub-list when it is
 *   glued to a number or ends the version, so e.g. 6.1.12.rc5 vs 6.1.12rc1 and 2.9.0-1 vs
 *   2.9.0.RC1 order differently there (18 of the 14,752 generated fixture lines);
 * - the "Version Order Specification" web page claims 1-ga-1 = 1-1, which no Maven release
 *   implements (1-ga-1 < 1-1); we follow the implementation.
 * ComparableVersion is not a total order on unusual input (10-foo-rc < 10-ga-rc < 10-ga <
 * 10-foo-rc, in every Maven release); this module reproduces Maven rather than inventing a
 * different order. Numbers with `.`/`-` and the prerelease qualifiers below the release do
 * order transitively (see the property tests).
 *
 * The version is lower-cased and read into a tree of items:
 * - `.` separates items of the current list; `-` starts a nested list (a sub-version);
 * - a switch between digits and letters also starts a nested list (`1rc2` = `1-rc-2`), and a
 *   one-letter `a`, `b` or `m` directly followed by a digit means alpha, beta or milestone;
 * - an empty item (`1..2`, `1-`) is the number 0; `ga`, `final` and `release` mean "" (the
 *   release itself) and `cr` means `rc`;
 * - each list then drops its trailing "null" items (0, "", empty lists), so 1 = 1.0 = 1-0 = 1.ga.
 *
 * Items compare by kind: number > list > qualifier ("1.1" > "1-1" > "1-sp"), numbers by value,
 * and qualifiers in the order alpha < beta < milestone < rc < snapshot < "" < sp < any other
 * word (other words alphabetically). A missing item is compared as "null": 0 for a number, the
 * release for a qualifier, so 1-rc < 1 < 1-sp and 1 < 1.1.
 *
 * Maven accepts any text; only empty text and text with whitespace or control characters
 * (never a real Maven version) is reported as unparseable.
 */
import { compareDigits, compareText } from './compare-util.js';
import { defineComparator, type Ordering, type ParsedVersion } from './types.js';

export type MavenItem =
  | { readonly kind: 'number'; readonly digits: string }
  | { readonly kind: 'qualifier'; readonly value: string }
  | { readonly kind: 'list'; readonly items: readonly MavenItem[] };

export interface MavenVersion extends ParsedVersion {
  readonly items: readonly MavenItem[];
}

type MutableList = { kind: 'list'; items: MavenItem[] };

const QUALIFIERS = ['alpha', 'beta', 'milestone', 'rc', 'snapshot', '', 'sp'];
const ALIASES: Record<string, string> = { ga: '', final: '', release: '', cr: 'rc' };
const SHORTHANDS: Record<string, string> = { a: 'alpha', b: 'beta', m: 'milestone' };
const RELEASE_RANK = QUALIFIERS.indexOf('');

function numberItem(digits: string): MavenItem {
  return { kind: 'number', digits: digits.replace(/^0+(?=.)/, '') };
}

function qualifierItem(text: string, followedByDigit: boolean): MavenItem {
  const expanded = followedByDigit ? (SHORTHANDS[text] ?? text) : text;
  return { kind: 'qualifier', value: ALIASES[expanded] ?? expanded };
}

function item(isDigit: boolean, text: string): MavenItem {
  return isDigit ? numberItem(text) : qualifierItem(text, false);
}

function isNull(i: MavenItem): boolean {
  if (i.kind === 'number') return i.digits === '0';
  if (i.kind === 'qualifier') return i.value === '';
  return i.items.length === 0;
}

/** Drops trailing null items, looking past nested lists (1.0-a normalises to 1-a). */
function normalize(list: MutableList): void {
  for (let i = list.items.length - 1; i >= 0; i--) {
    const last = list.items[i]!;
    if (isNull(last)) list.items.splice(i, 1);
    else if (last.kind !== 'list') break;
  }
}

function parseItems(version: string): MavenItem[] {
  const text = version.toLowerCase();
  const root: MutableList = { kind: 'list', items: [] };
  let list = root;
  const stack: MutableList[] = [root];
  const openList = (): void => {
    const nested: MutableList = { kind: 'list', items: [] };
    list.items.push(nested);
    list = nested;
    stack.push(nested);
  };
  let isDigit = false;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '.' || c === '-') {
      list.items.push(i === start ? numberItem('0') : item(isDigit, text.slice(start, i)));
      start = i + 1;
      if (c === '-') openList();
    } else if (c >= '0' && c <= '9') {
      if (!isDigit && i > start) {
        list.items.push(qualifierItem(text.slice(start, i), true));
        start = i;
        openList();
      }
      isDigit = true;
    } else {
      if (isDigit && i > start) {
        list.items.push(numberItem(text.slice(start, i)));
        start = i;
        openList();
      }
      isDigit = false;
    }
  }
  if (text.length > start) list.items.push(item(isDigit, text.slice(start)));
  // Innermost lists first, so an emptied nested list is itself trimmed by its parent.
  for (let i = stack.length - 1; i >= 0; i--) normalize(stack[i]!);
  return root.items;
}

export function parseMaven(version: string): MavenVersion | undefined {
  if (version === '' || /[\s\p{Cc}]/u.test(version)) return undefined;
  return { original: version, items: parseItems(version) };
}

function qualifierRank(value: string): string {
  const index = QUALIFIERS.indexOf(value);
  // Unknown qualifiers sort after all known ones, alphabetically among themselves.
  return index === -1 ? `${QUALIFIERS.length}-${value}` : String(index);
}

/** Compares an item with a missing one (the other version ran out of items at this point). */
function compareWithNull(a: MavenItem): Ordering {
  if (a.kind === 'number') return a.digits === '0' ? 0 : 1;
  if (a.kind === 'qualifier') return compareText(qualifierRank(a.value), String(RELEASE_RANK));
  for (const inner of a.items) {
    const order = compareWithNull(inner);
    if (order !== 0) return order;
  }
  return 0;
}

function compareItems(a: MavenItem, b: MavenItem): Ordering {
  if (a.kind === 'number') {
    return b.kind === 'number' ? compareDigits(a.digits, b.digits) : 1;
  }
  if (a.kind === 'qualifier') {
    return b.kind === 'qualifier' ? compareText(qualifierRank(a.value), qualifierRank(b.value)) : -1;
  }
  if (b.kind === 'number') return -1;
  if (b.kind === 'qualifier') return 1;
  return compareLists(a.items, b.items);
}

function compareLists(a: readonly MavenItem[], b: readonly MavenItem[]): Ordering {
  const length = Math.max(a.length, b.length);
  for (let i = 0; i < length; i++) {
    const x = a[i];
    const y = b[i];
    let order: Ordering;
    if (x === undefined) order = y === undefined ? 0 : ((0 - compareWithNull(y)) as Ordering);
    else order = y === undefined ? compareWithNull(x) : compareItems(x, y);
    if (order !== 0) return order;
  }
  return 0;
}

export function compareMaven(a: MavenVersion, b: MavenVersion): Ordering {
  return compareLists(a.items, b.items);
}

export const maven = defineComparator<MavenVersion>('Maven', parseMaven, compareMaven);
