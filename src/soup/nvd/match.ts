/**
 * Matching a SOUP item's CPE names against an NVD CVE's configurations (pure; the store only finds
 * the candidate CVEs by vendor and product).
 *
 * Semantics, chosen to miss nothing a person should see (IEC 62304 7.1.3: the published anomalies
 * of the version in use; FD&C 524B and the FDA premarket cybersecurity guidance: every known
 * vulnerability assessed) while staying exact where the data is:
 * - Only `vulnerable: true` criteria make a finding; `vulnerable: false` ones describe the platform.
 * - vendor and product must be equal (or the criterion's `*`, or its wildcard pattern). A different
 *   part (`a` against `o`) of the same vendor and product still matches, with a note: the NVD files
 *   some products under both, and a wrong part in a record must not hide a CVE.
 * - The version: a criterion of version `*` takes its bounds (`versionStartIncluding/Excluding`,
 *   `versionEndIncluding/Excluding`; none = every version); an exact version matches that version
 *   only; `-` ("not applicable", NISTIR 7695) matches no concrete release, so lwIP's "git head"
 *   record does not flag every lwIP version. Bounds are compared with compareCVersions; when it
 *   cannot order two versions the criterion is reported as "could not compare", to be reviewed by a
 *   person, never as not affected.
 * - The other attributes (update, edition, target_sw…): equal or `*` in the criterion matches; a
 *   criterion value the SOUP CPE leaves at `*` is assumed to apply, with a note.
 * - AND configurations (firmware AND hardware, application AND operating system): the platform
 *   nodes cannot be evaluated (Dossier does not know what the device runs on), so a match in one
 *   node is a finding marked conditional ("only when running on or with …"), never dropped. A
 *   negated node is reported for review.
 * Every match carries its reason: the criterion, where it sits, and the bound that decided.
 */
import { CPE_ATTRIBUTES, type Cpe, parseCpe, unescapeCpe } from '../cpe/name.js';
import { compareCVersions } from '../cpe/version.js';
import type { NvdCpeMatch, NvdCve } from './types.js';

export type CriterionVerdict =
  | { readonly kind: 'match'; readonly reason: string }
  /** The criterion may apply, but a version could not be compared: a person decides. */
  | { readonly kind: 'unknown'; readonly reason: string }
  | { readonly kind: 'no' };

/** A CPE value with wildcards (`*`, `?` at its ends) as a test of a plain value. */
function valueMatches(criterion: string, value: string): boolean {
  if (criterion === '*') return true;
  if (!/(^[*?])|((?<!\\)[*?]$)/.test(criterion)) return unescapeCpe(criterion) === unescapeCpe(value);
  let pattern = '';
  for (let i = 0; i < criterion.length; i++) {
    const c = criterion[i]!;
    if (c === '\\') {
      pattern += (criterion[++i] ?? '').replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
    } else if (c === '*') pattern += '.*';
    else if (c === '?') pattern += '.';
    else pattern += c.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${pattern}$`).test(unescapeCpe(value));
}

/** Each bound and whether the order of the version against it puts the version inside. */
const BOUNDS = [
  ['versionStartIncluding', (o: number) => o >= 0],
  ['versionStartExcluding', (o: number) => o > 0],
  ['versionEndIncluding', (o: number) => o <= 0],
  ['versionEndExcluding', (o: number) => o < 0],
] as const;

/** Whether `version` satisfies the criterion's version and bounds. */
function versionVerdict(version: string, criterion: Cpe, match: NvdCpeMatch): CriterionVerdict {
  const v = unescapeCpe(version);
  const bounds = BOUNDS.filter(([key]) => match[key] !== undefined);
  const described = bounds.map(([key]) => `${key} ${match[key]}`).join(', ');
  if (criterion.version === '-')
    // NISTIR 7695: NA is a value of its own; a concrete release is not "not applicable".
    return { kind: 'no' };
  if (criterion.version !== '*') {
    if (!valueMatches(criterion.version, version)) {
      const order = compareCVersions(v, unescapeCpe(criterion.version));
      if ('unknown' in order)
        return {
          kind: 'unknown',
          reason: `could not compare ${v} with the criterion's version ${unescapeCpe(criterion.version)}: ${order.unknown}`,
        };
      if (order.order !== 0) return { kind: 'no' };
    }
    if (bounds.length === 0) return { kind: 'match', reason: `names version ${v} exactly` };
  }
  if (bounds.length === 0) return { kind: 'match', reason: 'applies to every version' };
  const unknown: string[] = [];
  for (const [key, inside] of bounds) {
    const bound = match[key]!;
    const order = compareCVersions(v, bound);
    if ('unknown' in order) unknown.push(`${key} ${bound} (${order.unknown})`);
    else if (!inside(order.order)) return { kind: 'no' };
  }
  if (unknown.length > 0)
    return { kind: 'unknown', reason: `${described}: could not compare ${v} with ${unknown.join('; ')}` };
  return { kind: 'match', reason: `${described}: ${v} is inside` };
}

/** One criterion against one SOUP CPE. */
export function matchCriterion(soup: Cpe, match: NvdCpeMatch): CriterionVerdict {
  if (!match.vulnerable) return { kind: 'no' };
  let criterion: Cpe;
  try {
    criterion = parseCpe(match.criteria, { wildcards: true });
  } catch (error) {
    return {
      kind: 'unknown',
      reason: `the criterion ${match.criteria} cannot be read (${(error as Error).message})`,
    };
  }
  if (!valueMatches(criterion.vendor, soup.vendor) || !valueMatches(criterion.product, soup.product))
    return { kind: 'no' };
  const notes: string[] = [];
  if (criterion.part !== '*' && criterion.part !== soup.part)
    notes.push(
      `part ${criterion.part} in the criterion, ${soup.part} in the SOUP CPE: same vendor and product, matched`,
    );
  for (const attribute of CPE_ATTRIBUTES.slice(4)) {
    const want = criterion[attribute];
    const have = soup[attribute];
    if (want === '*' || want === have) continue;
    if (have === '*') {
      notes.push(
        `the criterion's ${attribute} is ${unescapeCpe(want)}; the SOUP CPE does not say, so it is assumed to apply`,
      );
      continue;
    }
    if (want !== '-' && have !== '-' && valueMatches(want, have)) continue;
    return { kind: 'no' };
  }
  const verdict = versionVerdict(soup.version, criterion, match);
  if (verdict.kind === 'no') return verdict;
  const note = notes.length > 0 ? ` (${notes.join('; ')})` : '';
  return { kind: verdict.kind, reason: `${match.criteria} ${verdict.reason}${note}` };
}

/** What one CVE means for one SOUP item, when anything. */
export interface CveMatch {
  /** One line per matching criterion: which, where, and the bound that decided. */
  readonly reasons: readonly string[];
  /**
   * Set when every matching criterion sits in an AND configuration whose other nodes (the
   * platform) Dossier cannot evaluate: the CVE applies only when running on or with them.
   */
  readonly conditional?: string;
  /** True when no criterion matched for certain: only versions that could not be compared. */
  readonly uncertain: boolean;
}

const MAX_SHOWN = 3;

function platformOf(criteria: readonly string[]): string {
  const shown = criteria.slice(0, MAX_SHOWN).join(', ');
  return criteria.length > MAX_SHOWN ? `${shown} or ${criteria.length - MAX_SHOWN} more` : shown;
}

/** Matches a CVE's configurations against the SOUP item's CPEs (its vendor aliases). */
export function matchCve(cve: NvdCve, soupCpes: readonly Cpe[]): CveMatch | undefined {
  const reasons: string[] = [];
  let unconditional = false;
  let certain = false;
  let condition: string | undefined;
  for (const [c, config] of (cve.configurations ?? []).entries()) {
    for (const [n, node] of config.nodes.entries()) {
      for (const [m, match] of node.cpeMatch.entries()) {
        const verdicts = soupCpes
          .map((soup) => matchCriterion(soup, match))
          .filter((v): v is Exclude<CriterionVerdict, { kind: 'no' }> => v.kind !== 'no');
        if (verdicts.length === 0) continue;
        const verdict = verdicts.find((v) => v.kind === 'match') ?? verdicts[0]!;
        const where = `configurations[${c}].nodes[${n}].cpeMatch[${m}]`;
        // The platform: the other nodes of an AND configuration, the other criteria of an AND node.
        const others = [
          ...(config.operator === 'AND' ? config.nodes.filter((_, i) => i !== n) : []).flatMap((o) =>
            o.cpeMatch.map((x) => `${o.negate ? 'NOT ' : ''}${x.criteria}`),
          ),
          ...(node.operator === 'AND' ? node.cpeMatch.filter((_, i) => i !== m).map((x) => x.criteria) : []),
        ];
        const negated = node.negate === true || config.negate === true;
        const prefix = negated ? 'in a negated configuration node, to be reviewed: ' : '';
        const conditionText =
          others.length > 0
            ? `only when running on or with ${platformOf(others)} (${where} is in an AND configuration; Dossier cannot evaluate the platform)`
            : undefined;
        reasons.push(
          `${prefix}${verdict.kind === 'unknown' ? 'COULD NOT COMPARE, assumed affected until reviewed: ' : ''}${verdict.reason} [${where}]${conditionText ? `; ${conditionText}` : ''}`,
        );
        if (verdict.kind === 'match' && !negated) certain = true;
        if (conditionText) condition ??= conditionText;
        else unconditional = true;
      }
    }
  }
  if (reasons.length === 0) return undefined;
  return {
    reasons,
    ...(unconditional || condition === undefined ? {} : { conditional: condition }),
    uncertain: !certain,
  };
}
