/**
 * Would the loader take this file? Every writer of project files (`evidence import`, `soup import`,
 * `init`) asks before it writes anything, with the loader's own checks: the size limit
 * (`limits.maxFileBytes`), text that is valid UTF-8 once written, YAML that parses (aliases within
 * their budget), front matter where a Markdown record needs it, and the shape of a collection file.
 * A file the loader would refuse is never written: it would only make `check` fail afterwards and
 * the next import collide with it.
 */
import { CONFIG_FILE_NAME } from '../model/config.js';
import { CONFIG_LIMIT, configFromText } from './config-load.js';
import { readRecordText } from './read-file.js';

export const byteLength = (text: string) => Buffer.byteLength(text, 'utf8');

/**
 * Writers fill a new record file to this share of the limit at most: the rest is room for what
 * people add to the records (requirements, reviews, approvals, anomalies) before the file would be
 * refused. A file always takes one record or item that fits within the limit at all.
 */
export const WRITER_FILL_SHARE = 0.5;

/** A lone surrogate cannot be written as UTF-8: Node would replace it silently with U+FFFD. */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * Why the loader would refuse a record file with this text (project-relative path `rel`), or
 * undefined when it would load it. The message names the file and says what is wrong.
 */
export function recordFileRefusal(rel: string, text: string, maxBytes: number): string | undefined {
  const size = byteLength(text);
  if (size > maxBytes) {
    return `${rel} would be ${size.toLocaleString('en-US')} bytes, over the ${maxBytes.toLocaleString('en-US')}-byte limit for a record file (limits.maxFileBytes)`;
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) {
    return `${rel} would not be valid UTF-8 (a lone surrogate at character ${surrogate.index})`;
  }
  const read = readRecordText(rel, text);
  const problem = read.failure?.finding ?? read.findings[0] ?? read.failureIfItHeldRecords;
  return problem ? `${rel} would not load: ${problem.message}` : undefined;
}

/** Why the loader would refuse this `dossier.yaml`, or undefined when it would take it. */
export function configFileRefusal(text: string): string | undefined {
  const size = byteLength(text);
  if (size > CONFIG_LIMIT) {
    return `${CONFIG_FILE_NAME} would be ${size.toLocaleString('en-US')} bytes, over the ${CONFIG_LIMIT.toLocaleString('en-US')}-byte limit`;
  }
  const surrogate = LONE_SURROGATE.exec(text);
  if (surrogate) return `${CONFIG_FILE_NAME} would not be valid UTF-8 (a lone surrogate)`;
  const problem = configFromText(text).findings[0];
  return problem ? `${CONFIG_FILE_NAME} would not load: ${problem.message}` : undefined;
}
