/**
 * Shared shape of the per-ecosystem version comparators.
 *
 * Vulnerability ranges are evaluated by walking versions in a total order, so every comparator
 * returns a strict sign and never guesses: text it cannot parse is reported (parse gives
 * undefined, compare throws, tryCompare says which input was bad) instead of being ordered or
 * treated as equal to something, which would silently turn into a missed or a false match.
 */

/** What every parsed version keeps: the exact text it came from, for messages and reports. */
export interface ParsedVersion {
  readonly original: string;
}

/** The sign of a comparison: -1 when the left version sorts first, 0 when equal, 1 when after. */
export type Ordering = -1 | 0 | 1;

/** The outcome of comparing two version strings when either may be unparseable. */
export type CompareResult =
  | { readonly ok: true; readonly order: Ordering }
  | { readonly ok: false; readonly invalid: readonly string[] };

export interface VersionComparator<P extends ParsedVersion = ParsedVersion> {
  /** The OSV ecosystem name this comparator implements, e.g. `PyPI`. */
  readonly ecosystem: string;
  /** Parses a version string, or returns undefined when it is not a version of this ecosystem. */
  parse(version: string): P | undefined;
  /** Orders two already parsed versions. */
  compareParsed(a: P, b: P): Ordering;
  /** Orders two version strings; throws InvalidVersionError when either cannot be parsed. */
  compare(a: string, b: string): Ordering;
  /** Orders two version strings, reporting unparseable input instead of throwing. */
  tryCompare(a: string, b: string): CompareResult;
}

/** Thrown by `compare` for text that is not a version of the comparator's ecosystem. */
export class InvalidVersionError extends Error {
  readonly ecosystem: string;
  readonly version: string;

  constructor(ecosystem: string, version: string) {
    super(`"${version}" is not a valid ${ecosystem} version`);
    this.name = 'InvalidVersionError';
    this.ecosystem = ecosystem;
    this.version = version;
  }
}

/**
 * Builds the string-level methods from an ecosystem's parse and compareParsed, so every module
 * reports unparseable input in the same way.
 */
export function defineComparator<P extends ParsedVersion>(
  ecosystem: string,
  parse: (version: string) => P | undefined,
  compareParsed: (a: P, b: P) => Ordering,
): VersionComparator<P> {
  const parseOrThrow = (version: string): P => {
    const parsed = parse(version);
    if (parsed === undefined) throw new InvalidVersionError(ecosystem, version);
    return parsed;
  };
  return {
    ecosystem,
    parse,
    compareParsed,
    compare: (a, b) => compareParsed(parseOrThrow(a), parseOrThrow(b)),
    tryCompare: (a, b) => {
      const pa = parse(a);
      const pb = parse(b);
      if (pa === undefined || pb === undefined) {
        return { ok: false, invalid: [pa === undefined ? [a] : [], pb === undefined ? [b] : []].flat() };
      }
      return { ok: true, order: compareParsed(pa, pb) };
    },
  };
}
