/**
 * The date generated documents carry (SBOM, VEX, SOUP list, build outputs): real, and the same for
 * the same commit. `SOURCE_DATE_EPOCH` when set (reproducible-builds.org), else the commit date of
 * HEAD when the project is in git, else the current time. Never 1970: epoch 0 is refused.
 */
import { gitHeadCommitDate } from './git.js';

export interface BuildDate {
  /** RFC 3339, UTC, whole seconds: `2024-05-06T05:08:09Z`. */
  readonly timestamp: string;
  readonly source: 'SOURCE_DATE_EPOCH' | 'commit' | 'clock';
}

/** SOURCE_DATE_EPOCH is set but is not a date: a usage error, not a silent 1970. */
export class BuildDateError extends Error {}

export interface BuildDateInputs {
  /** The value of SOURCE_DATE_EPOCH; unset or empty means not given. */
  readonly sourceDateEpoch?: string | undefined;
  /** The commit date of HEAD, asked only when needed. */
  readonly commitDate: () => string | undefined;
  readonly now: () => Date;
}

/**
 * 9999-12-31T23:59:59Z: the last second an RFC 3339 timestamp (four-digit year) can write; later
 * dates would come out as `+010000-…`, which no SBOM or VEX reader accepts.
 */
const MAX_EPOCH_SECONDS = 253_402_300_799;

/** 1971-01-01T00:00:00Z: a date in 1970 is an unset or broken clock, never a date to publish. */
const MIN_EPOCH_SECONDS = 31_536_000;

function rfc3339(ms: number): string {
  return new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** Pure: the resolution order, with its inputs passed in. */
export function resolveBuildDate(inputs: BuildDateInputs): BuildDate {
  const epoch = inputs.sourceDateEpoch;
  if (epoch !== undefined && epoch !== '') {
    const seconds = /^\d+$/.test(epoch) ? Number(epoch) : Number.NaN;
    if (!Number.isSafeInteger(seconds) || seconds < MIN_EPOCH_SECONDS || seconds > MAX_EPOCH_SECONDS) {
      throw new BuildDateError(
        `SOURCE_DATE_EPOCH must be a whole number of seconds since 1970-01-01 UTC giving a date from 1971-01-01 to 9999-12-31 (31536000 to 253402300799; got "${epoch}"); unset it to use the commit date`,
      );
    }
    return { timestamp: rfc3339(seconds * 1000), source: 'SOURCE_DATE_EPOCH' };
  }
  const commit = inputs.commitDate();
  const commitMs = commit === undefined ? Number.NaN : Date.parse(commit);
  // A commit dated in 1970 (or before) is a broken clock, not a date to publish.
  if (Number.isFinite(commitMs) && commitMs >= MIN_EPOCH_SECONDS * 1000) {
    return { timestamp: rfc3339(Math.floor(commitMs / 1000) * 1000), source: 'commit' };
  }
  return { timestamp: rfc3339(Math.floor(inputs.now().getTime() / 1000) * 1000), source: 'clock' };
}

/** The build date of the project in `root`, from the environment, git and the clock. */
export function projectBuildDate(root: string, env: NodeJS.ProcessEnv = process.env): BuildDate {
  return resolveBuildDate({
    sourceDateEpoch: env.SOURCE_DATE_EPOCH,
    commitDate: () => gitHeadCommitDate(root),
    now: () => new Date(),
  });
}
