/**
 * A link's review stamp, as written in `linkReviews` (docs/change-control.md): one plain string per
 * link, `<fp1 fingerprint> <YYYY-MM-DD> <reviewer> [<review id>]`, the review id optional.
 *
 * One string and not a mapping because of what it costs at scale: a project of 100,000 records has
 * hundreds of thousands of stamps, and YAML parses and the schema validates a plain string about
 * twice as fast as a flow mapping. The text form lives here only: the pattern that the kind schema
 * validates, the parser, the writer and the cheap "is this stamp current" test.
 */

/** `fp1:` and 64 lowercase hex digits: the length of a fingerprint. */
const FINGERPRINT_LENGTH = 4 + 64;

/**
 * The whole stamp, anchored. The reviewer is everything between the date and an optional trailing
 * ` [REVIEW-ID]` (so a name may hold spaces and dots, but not end in a bracketed word).
 */
export const STAMP_PATTERN =
  /^(fp1:[0-9a-f]{64}) (\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])) (\S(?:[^\n\r]*?\S)?)(?: \[([^\s[\]]+)\])?$/;

export const STAMP_FORMAT_HINT =
  'a link review stamp is "<fingerprint> <YYYY-MM-DD> <reviewer>" with an optional " [<review id>]", e.g. "fp1:<64 hex digits> 2026-11-25 A. Nowak [REV-004]"';

/** A stamp read: the target's fingerprint at the review, who reviewed the link, when, and in which review. */
export interface LinkStamp {
  readonly fingerprint: string;
  readonly by: string;
  readonly on: string;
  readonly review?: string;
}

/** The stamp's parts, or undefined when the text is not a stamp (the schema reports it then). */
export function parseStamp(text: unknown): LinkStamp | undefined {
  if (typeof text !== 'string') return undefined;
  const m = STAMP_PATTERN.exec(text);
  if (!m) return undefined;
  const [, fingerprint, on, by, review] = m;
  return review === undefined
    ? { fingerprint: fingerprint!, by: by!, on: on! }
    : { fingerprint: fingerprint!, by: by!, on: on!, review };
}

/** Why a reviewer name cannot be written into a stamp (so that it reads back as given), or undefined. */
export function reviewerProblem(by: string): string | undefined {
  if (!/\S/.test(by)) return 'say who reviewed the links';
  if (/[\n\r]/.test(by)) return 'a reviewer name is one line';
  if (by !== by.trim()) return 'a reviewer name does not start or end with spaces';
  if (/ \[[^\s[\]]+\]$/.test(by))
    return 'a reviewer name does not end in a bracketed word (that is where the review id goes)';
  return undefined;
}

/** A review id that can stand in the brackets of a stamp. */
export function reviewIdProblem(review: string): string | undefined {
  return /^[^\s[\]]+$/.test(review) ? undefined : 'a review id has no spaces or brackets';
}

/** The stamp's text; throws on parts that would not read back as given (callers check them first). */
export function formatStamp(stamp: LinkStamp): string {
  const text = `${stamp.fingerprint} ${stamp.on} ${stamp.by}${stamp.review !== undefined ? ` [${stamp.review}]` : ''}`;
  const back = parseStamp(text);
  if (
    back?.fingerprint !== stamp.fingerprint ||
    back.on !== stamp.on ||
    back.by !== stamp.by ||
    back.review !== stamp.review
  ) {
    throw new Error(`not a link review stamp: ${JSON.stringify(text)} (${STAMP_FORMAT_HINT})`);
  }
  return text;
}

/**
 * Whether a stamp was made against this fingerprint: a prefix comparison, no parse (the hot loop of
 * a large project runs this once per tracked link). `fingerprint` is the target's fingerprint now,
 * always `fp1:` and 64 hex digits, so a stamp that starts with it and a space has a well-formed
 * fingerprint; whether the rest is well formed is the schema's finding.
 */
export function stampIsFor(stamp: unknown, fingerprint: string): boolean {
  return (
    typeof stamp === 'string' &&
    fingerprint.length === FINGERPRINT_LENGTH &&
    stamp.charCodeAt(FINGERPRINT_LENGTH) === 32 &&
    stamp.startsWith(fingerprint)
  );
}
