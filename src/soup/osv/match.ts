import type { VersionComparator } from '../versions/types.js';
import type { OsvAffected, OsvEvent, OsvRange, OsvRecord } from './types.js';

/**
 * The ordering the matcher needs from a per-ecosystem comparator. The comparator is chosen by the
 * advisory's ecosystem, never by the range type: SEMVER and ECOSYSTEM ranges of one ecosystem
 * order versions the same way (osv-scalibr, osv.dev).
 */
export type VersionOrder = Pick<VersionComparator, 'compare' | 'parse'>;

const isValid = (order: VersionOrder, version: string) => order.parse(version) !== undefined;

/** `introduced: "0"` means "from the very beginning": it sorts before every version. */
const ZERO = '0';

export interface Interval {
  readonly introduced: string;
  /** Exclusive upper bound. */
  readonly fixed?: string;
  /** Inclusive upper bound. */
  readonly lastAffected?: string;
}

/** Why a version matched (or might match). */
export type MatchReason =
  | {
      readonly kind: 'range';
      readonly affected: number;
      readonly range: number;
      readonly interval: Interval;
      readonly limit?: string;
    }
  | { readonly kind: 'listed'; readonly affected: number; readonly version: string }
  | { readonly kind: 'unparseable-version'; readonly affected: number; readonly policy: UnparseablePolicy };

export type UnparseablePolicy = 'assume-affected' | 'listed-only';

export interface MatchResult {
  readonly affected: boolean;
  readonly reasons: readonly MatchReason[];
  /** Ranges that could not be evaluated (GIT ranges, unparseable bounds), for the audit trail. */
  readonly skipped: readonly { readonly affected: number; readonly range: number; readonly why: string }[];
}

export interface MatchOptions {
  /**
   * What to do when the version in use cannot be parsed by the ecosystem's comparator. The default,
   * `assume-affected`, is the conservative choice for a medical device: the finding goes to a person
   * for evaluation instead of disappearing. `listed-only` trusts only an exact entry in `versions[]`.
   */
  readonly unparseable?: UnparseablePolicy;
}

interface FlatEvent {
  readonly type: keyof OsvEvent;
  readonly version: string;
}

function flatten(events: readonly OsvEvent[]): FlatEvent[] {
  const out: FlatEvent[] = [];
  for (const e of events) {
    for (const type of ['introduced', 'fixed', 'last_affected', 'limit'] as const) {
      const version = e[type];
      if (typeof version === 'string') out.push({ type, version });
    }
  }
  return out;
}

/**
 * Splits a range into intervals. Events are sorted first (the schema only recommends sorting, and
 * unsorted multi-interval ranges are what broke other scanners). The sort is stable, as in osv.dev's
 * reference implementation: events at the same version keep the order written, so adjacent
 * intervals written `…fixed: 3.1.1 … introduced: 3.1.1…` join up (real data: PYSEC-2022-236).
 */
export function rangeIntervals(
  range: OsvRange,
  order: VersionOrder,
): { intervals: Interval[]; limits: string[] } | { error: string } {
  const events = flatten(range.events);
  for (const e of events) {
    if (e.version === ZERO && e.type === 'introduced') continue;
    if (e.type === 'limit' && e.version === '*') continue;
    if (!isValid(order, e.version))
      return { error: `${e.type} "${e.version}" is not a valid version for this ecosystem` };
  }
  const cmp = (a: string, b: string) =>
    a === b ? 0 : a === ZERO ? -1 : b === ZERO ? 1 : order.compare(a, b);
  const sorted = [...events].sort((a, b) => cmp(a.version, b.version));
  const intervals: Interval[] = [];
  const limits: string[] = [];
  let open: string | undefined;
  for (const e of sorted) {
    if (e.type === 'limit') limits.push(e.version);
    else if (e.type === 'introduced') open ??= e.version;
    else if (open !== undefined) {
      intervals.push(
        e.type === 'fixed'
          ? { introduced: open, fixed: e.version }
          : { introduced: open, lastAffected: e.version },
      );
      open = undefined;
    }
  }
  if (open !== undefined) intervals.push({ introduced: open });
  return { intervals, limits };
}

export function inInterval(version: string, interval: Interval, order: VersionOrder): boolean {
  const atLeast = interval.introduced === ZERO || order.compare(version, interval.introduced) >= 0;
  if (!atLeast) return false;
  if (interval.fixed !== undefined) return order.compare(version, interval.fixed) < 0;
  if (interval.lastAffected !== undefined) return order.compare(version, interval.lastAffected) <= 0;
  return true;
}

function belowSomeLimit(
  version: string,
  limits: readonly string[],
  order: VersionOrder,
): string | undefined | true {
  if (limits.length === 0) return true;
  return limits.find((limit) => limit === '*' || order.compare(version, limit) < 0);
}

/**
 * Is `version` affected by the `affected[]` entries of `record` whose package is the one given?
 * A version is affected if it lies in any interval of any non-GIT range, or is listed in
 * `versions[]` (OSV schema, "Evaluation"). GIT ranges are skipped without abandoning the others.
 * Every positive answer says why.
 */
export function matchVersion(
  record: OsvRecord,
  isPackage: (affected: OsvAffected) => boolean,
  version: string,
  order: VersionOrder,
  options: MatchOptions = {},
): MatchResult {
  const reasons: MatchReason[] = [];
  const skipped: { affected: number; range: number; why: string }[] = [];
  const valid = isValid(order, version);
  (record.affected ?? []).forEach((affected, a) => {
    if (!isPackage(affected)) return;
    if ((affected.versions ?? []).includes(version)) reasons.push({ kind: 'listed', affected: a, version });
    if (!valid) {
      const policy = options.unparseable ?? 'assume-affected';
      if (policy === 'assume-affected' && (affected.ranges?.length ?? 0) > 0) {
        reasons.push({ kind: 'unparseable-version', affected: a, policy });
      }
      return;
    }
    (affected.ranges ?? []).forEach((range, r) => {
      if (range.type === 'GIT') {
        skipped.push({
          affected: a,
          range: r,
          why: 'GIT ranges need the repository; versions[] is used instead',
        });
        return;
      }
      const split = rangeIntervals(range, order);
      if ('error' in split) {
        skipped.push({ affected: a, range: r, why: split.error });
        return;
      }
      const limit = belowSomeLimit(version, split.limits, order);
      if (limit === undefined) return;
      for (const interval of split.intervals) {
        if (inInterval(version, interval, order)) {
          reasons.push({
            kind: 'range',
            affected: a,
            range: r,
            interval,
            ...(limit !== true ? { limit } : {}),
          });
          break;
        }
      }
    });
  });
  return { affected: reasons.length > 0, reasons, skipped };
}

/** Words for a reason, for reports: "in [1.2.0, 1.4.2) of range 0", "listed in versions[]". */
export function describeReason(reason: MatchReason): string {
  switch (reason.kind) {
    case 'listed':
      return `${reason.version} is listed in affected[${reason.affected}].versions`;
    case 'unparseable-version':
      return `the version cannot be parsed for this ecosystem, so it is assumed affected (policy ${reason.policy})`;
    default: {
      const i = reason.interval;
      // RustSec writes `0.0.0-0`, the lowest SemVer version, for "every version including prereleases".
      const from = i.introduced === ZERO || i.introduced === '0.0.0-0' ? 'the first version' : i.introduced;
      const to =
        i.fixed !== undefined
          ? `, fixed in ${i.fixed}`
          : i.lastAffected !== undefined
            ? ` up to ${i.lastAffected} inclusive`
            : ', no fix';
      return `affected from ${from}${to} (affected[${reason.affected}].ranges[${reason.range}])`;
    }
  }
}
