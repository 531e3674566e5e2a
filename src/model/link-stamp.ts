/**
 * A link's review stamp, one item of the `linkReviews` list (docs/change-control.md): one plain
 * string per link, `<target id> <fp1 fingerprint> <YYYY-MM-DD> <reviewer> [<review id>]`, the
 * review id optional.
 *
 * A list of strings and not a mapping by target id, because of what it costs at scale: a project
 * of 100,000 records has hundreds of thousands of stamps, and a mapping keyed by ids gives every
 * record's `linkReviews` object its own set of keys. The JavaScript engine then builds a new object
 * shape for each (measured: 1.5 s and 175 MB more for a 100,000-record check than the same project
 * without stamps; with the list, about a third of that). The text form lives here only: the
 * pattern the kind schema validates, the parser, the writer and the cheap "is this stamp current"
 * test.
 */

/** `fp1:` and 64 lowercase hex digits: the length of a fingerprint. */
const FINGERPRINT_LENGTH = 4 + 64;

/**
 * The whole stamp, anchored. The target is the first word; the reviewer is everything between the
 * date and an optional trailing ` [REVIEW-ID]` (so a name may hold spaces and dots, but not end in
 * a bracketed word).
 */
export const STAMP_PATTERN =
  /^(\S+) (fp1:[0-9a-f]{64}) (\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\d|3[01])) (\S(?:[^\n\r]*?\S)?)(?: \[([^\s[\]]+)\])?$/;

export const STAMP_FORMAT_HINT =
  'a link review stamp is "<target id> <fingerprint> <YYYY-MM-DD> <reviewer>" with an optional " [<review id>]", e.g. "SYS-003 fp1:<64 hex digits> 2026-11-25 A. Nowak [REV-004]"';

/** A stamp read: the target, its fingerprint at the review, who reviewed the link, when, and in which review. */
export interface LinkStamp {
  readonly target: string;
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
  const [, target, fingerprint, on, by, review] = m;
  const stamp = { target: target!, fingerprint: fingerprint!, by: by!, on: on! };
  return review === undefined ? stamp : { ...stamp, review };
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
  const text = `${stamp.target} ${stamp.fingerprint} ${stamp.on} ${stamp.by}${stamp.review !== undefined ? ` [${stamp.review}]` : ''}`;
  const back = parseStamp(text);
  if (
    back?.target !== stamp.target ||
    back.fingerprint !== stamp.fingerprint ||
    back.on !== stamp.on ||
    back.by !== stamp.by ||
    back.review !== stamp.review
  ) {
    throw new Error(`not a link review stamp: ${JSON.stringify(text)} (${STAMP_FORMAT_HINT})`);
  }
  return text;
}

/** Whether the text is a stamp of the link to `targetId` (its first word), without parsing it. */
export function isStampOf(text: unknown, targetId: string): text is string {
  return (
    typeof text === 'string' &&
    text.length > targetId.length &&
    text.charCodeAt(targetId.length) === 32 &&
    text.startsWith(targetId)
  );
}

/** The target id a stamp's text names (its first word), parsed or not. */
export function stampTarget(text: string): string {
  const space = text.indexOf(' ');
  return space === -1 ? text : text.slice(0, space);
}

/** Lists longer than this get a map by target; shorter ones are searched (cheaper than building it). */
const SCAN_LIMIT = 16;

/**
 * Finds the stamp text of each target in a record's `linkReviews` list: the first stamp that names
 * it (a second one is the schema's error). Items that are not text are skipped.
 */
export function stampFinder(stamps: readonly unknown[]): (targetId: string) => string | undefined {
  if (stamps.length <= SCAN_LIMIT) {
    return (targetId) => {
      for (const text of stamps) if (isStampOf(text, targetId)) return text;
      return undefined;
    };
  }
  const byTarget = new Map<string, string>();
  for (const text of stamps) {
    if (typeof text !== 'string') continue;
    const target = stampTarget(text);
    if (!byTarget.has(target)) byTarget.set(target, text);
  }
  return (targetId) => byTarget.get(targetId);
}

/**
 * Whether a stamp of `targetId` was made against this fingerprint: a prefix comparison, no parse
 * (the hot loop of a large project runs this once per tracked link). `fingerprint` is the target's
 * fingerprint now, always `fp1:` and 64 hex digits, so a stamp that holds it followed by a space has
 * a well-formed fingerprint; whether the rest is well formed is the schema's finding.
 */
export function stampIsFor(text: string | undefined, targetId: string, fingerprint: string): boolean {
  const at = targetId.length + 1;
  return (
    text !== undefined &&
    fingerprint.length === FINGERPRINT_LENGTH &&
    text.charCodeAt(at + FINGERPRINT_LENGTH) === 32 &&
    text.startsWith(fingerprint, at) &&
    isStampOf(text, targetId)
  );
}
