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

/** What is wrong with a `linkReviews` value: the list, or one item of it (by index). */
export type StampListProblem =
  | { readonly kind: 'not-a-list'; readonly value: unknown }
  | {
      readonly kind: 'mapping';
      readonly value: unknown;
      readonly index?: undefined;
      readonly message: string;
    }
  | { readonly kind: 'not-text'; readonly value: unknown; readonly index: number }
  | {
      readonly kind: 'malformed' | 'duplicate';
      readonly value: string;
      readonly index: number;
      readonly message: string;
    };

/** Lists longer than this are checked for a second stamp of a target with a set. */
const PAIRWISE_LIMIT = 32;

/**
 * Every problem of a `linkReviews` value, in list order: the schema reports them, and
 * `dossier suspect --clear` refuses to rewrite a list that has any (it would lose the stamps that
 * are fine). Runs for every record of a large project: one pattern test per stamp, and a second
 * stamp of a target found without a set or a substring for the usual two or three.
 */
export function stampListProblems(value: unknown): StampListProblem[] {
  if (!Array.isArray(value)) {
    return value !== null && typeof value === 'object'
      ? [
          {
            kind: 'mapping',
            value,
            message:
              'must be a list of stamps, one per link ("- SYS-003 fp1:… 2026-11-25 A. Nowak"), not a mapping by target id (the form of early development versions): write each "TARGET: STAMP" line as "- TARGET STAMP"',
          },
        ]
      : [{ kind: 'not-a-list', value }];
  }
  const problems: StampListProblem[] = [];
  // A long list (a test of hundreds of requirements, or a hostile file) is checked with a set.
  const seen = value.length > PAIRWISE_LIMIT ? new Set<string>() : undefined;
  for (let index = 0; index < value.length; index++) {
    const stamp: unknown = value[index];
    if (typeof stamp !== 'string') {
      problems.push({ kind: 'not-text', value: stamp, index });
    } else if (!STAMP_PATTERN.test(stamp)) {
      problems.push({ kind: 'malformed', value: stamp, index, message: STAMP_FORMAT_HINT });
    } else if (
      seen ? seen.size === seen.add(stampTarget(stamp)).size : earlierStampOfSameTarget(value, index)
    ) {
      problems.push({
        kind: 'duplicate',
        value: stamp,
        index,
        message: `a second stamp for ${stampTarget(stamp)}: keep one stamp per link (delete the other; \`dossier suspect --clear\` then records a review if the link needs one)`,
      });
    }
  }
  return problems;
}

/** Whether a well-formed stamp before `stamps[i]` names the same target, character by character. */
function earlierStampOfSameTarget(stamps: readonly unknown[], i: number): boolean {
  const stamp = stamps[i] as string;
  const length = stamp.indexOf(' ');
  for (let j = 0; j < i; j++) {
    const other = stamps[j];
    if (typeof other !== 'string' || other.charCodeAt(length) !== 32) continue;
    let k = 0;
    while (k < length && other.charCodeAt(k) === stamp.charCodeAt(k)) k++;
    if (k === length) return true;
  }
  return false;
}
