/**
 * A streaming reader of NVD CVE API 2.0 JSON: a response page (or a year file of 40,000 CVEs laid
 * out the same way) is `{ …wrapper…, "vulnerabilities": [ { "cve": {…} }, … ] }`. Parsing such a file
 * in one go holds the whole text and its object tree in memory (gigabytes for a year file); this
 * reader walks the bytes once and hands out the text of one `vulnerabilities` element at a time,
 * so memory stays that of the largest single CVE.
 *
 * It tracks only what it needs: string and escape state, nesting depth, and the top-level key the
 * scanner is in. Everything outside the `vulnerabilities` array (the wrapper, or a whole file that
 * is one bare CVE object, as the fkie-cad mirror stores them) is kept, up to `maxOtherBytes`, and
 * parsed at the end. The JSON itself is checked by JSON.parse of each piece: the scanner finds
 * boundaries, it does not validate.
 */
import fs from 'node:fs';
import { StringDecoder } from 'node:string_decoder';

export class NvdStreamError extends Error {}

export type NvdStreamItem =
  /** One element of the top-level `vulnerabilities` array, as written, and its index. */
  | { readonly kind: 'element'; readonly index: number; readonly text: string }
  /** The end: the top-level value without the elements of `vulnerabilities` (`[]` in their place). */
  | { readonly kind: 'end'; readonly rest: string; readonly elements: number };

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const OPEN_BRACKET = 0x5b;
const CLOSE_BRACKET = 0x5d;
const COLON = 0x3a;
const COMMA = 0x2c;

export interface NvdStreamOptions {
  /** Largest text of one element (one CVE). */
  readonly maxElementBytes: number;
  /** Largest text outside the elements (the wrapper, or a single bare CVE). */
  readonly maxOtherBytes: number;
  /** Read size (default 1 MiB). */
  readonly chunkBytes?: number;
}

/**
 * The elements of the file's top-level `vulnerabilities` array, one at a time, then the rest.
 * Throws {@link NvdStreamError} for a file that ends inside a value (truncated), or a piece over
 * its limit.
 */
export async function* streamNvdFile(file: string, options: NvdStreamOptions): AsyncGenerator<NvdStreamItem> {
  const decoder = new StringDecoder('utf8');
  let depth = 0;
  let inString = false;
  let escaped = false;
  /** At depth 1: the last string was a key (followed by `:`), and which. */
  let lastString = '';
  let stringStart = -1;
  let key = '';
  let expectKey = false;
  /** Inside the `vulnerabilities` array of the top-level object (depth ≥ 2 there). */
  let inArray = false;
  let elementStart = -1;
  let elementPieces: string[] = [];
  let elementBytes = 0;
  let elements = 0;
  const other: string[] = [];
  let otherBytes = 0;
  let otherStart = 0;
  let first = true;

  const keepOther = (piece: string) => {
    if (piece.length === 0) return;
    otherBytes += piece.length;
    if (otherBytes > options.maxOtherBytes)
      throw new NvdStreamError(
        `more than ${options.maxOtherBytes} bytes outside the "vulnerabilities" array: not an NVD CVE API 2.0 file (a page or year file holds its CVEs in "vulnerabilities"; a single-CVE file is one small object)`,
      );
    other.push(piece);
  };

  const stream = fs.createReadStream(file, { highWaterMark: options.chunkBytes ?? 1024 * 1024 });
  for await (const buffer of stream) {
    let chunk = decoder.write(buffer as Buffer);
    if (first && chunk.length > 0) {
      if (chunk.charCodeAt(0) === 0xfeff) chunk = chunk.slice(1);
      first = false;
    }
    otherStart = inArray ? -1 : 0;
    if (elementStart >= 0) elementStart = 0;
    if (stringStart >= 0) stringStart = 0;
    const n = chunk.length;
    for (let i = 0; i < n; i++) {
      const c = chunk.charCodeAt(i);
      if (inString) {
        if (escaped) escaped = false;
        else if (c === BACKSLASH) escaped = true;
        else if (c === QUOTE) {
          inString = false;
          if (stringStart >= 0) {
            lastString += chunk.slice(stringStart, i);
            stringStart = -1;
          }
        }
        continue;
      }
      switch (c) {
        case QUOTE:
          inString = true;
          if (depth === 1 && expectKey) {
            lastString = '';
            stringStart = i + 1;
          }
          break;
        case COLON:
          if (depth === 1 && expectKey) {
            key = lastString;
            expectKey = false;
          }
          break;
        case COMMA:
          if (depth === 1) expectKey = true;
          break;
        case OPEN_BRACE:
        case OPEN_BRACKET:
          depth++;
          if (depth === 1) expectKey = c === OPEN_BRACE;
          else if (depth === 2 && c === OPEN_BRACKET && key === 'vulnerabilities' && !inArray) {
            inArray = true;
            // Keep the `[`; the elements and their commas are left out.
            keepOther(chunk.slice(otherStart, i + 1));
            otherStart = -1;
          } else if (depth === 3 && inArray && elementStart < 0) {
            elementStart = i;
            elementPieces = [];
            elementBytes = 0;
          }
          break;
        case CLOSE_BRACE:
        case CLOSE_BRACKET:
          depth--;
          if (depth < 0) throw new NvdStreamError('unbalanced brackets: not valid JSON');
          if (inArray && depth === 2 && elementStart >= 0) {
            const piece = chunk.slice(elementStart, i + 1);
            elementPieces.push(piece);
            elementBytes += piece.length;
            if (elementBytes > options.maxElementBytes) throw elementTooLarge(elements, options);
            yield { kind: 'element', index: elements++, text: elementPieces.join('') };
            elementPieces = [];
            elementStart = -1;
          } else if (inArray && depth === 1) {
            inArray = false;
            otherStart = i;
          }
          break;
        default:
          break;
      }
    }
    if (inString && stringStart >= 0) {
      lastString += chunk.slice(stringStart);
    }
    if (elementStart >= 0) {
      const piece = chunk.slice(elementStart);
      elementPieces.push(piece);
      elementBytes += piece.length;
      if (elementBytes > options.maxElementBytes) throw elementTooLarge(elements, options);
    }
    if (otherStart >= 0) keepOther(chunk.slice(otherStart));
  }
  const tail = decoder.end();
  if (tail.trim()) keepOther(tail);
  if (depth !== 0 || inString)
    throw new NvdStreamError(
      'the file ends inside a value: it is truncated (a download cut short?) or not JSON',
    );
  yield { kind: 'end', rest: other.join(''), elements };
}

function elementTooLarge(index: number, options: NvdStreamOptions): NvdStreamError {
  return new NvdStreamError(
    `vulnerabilities[${index}] is over ${options.maxElementBytes} bytes, more than any CVE record (limits.maxZipEntryBytes)`,
  );
}

/**
 * Whether the start of a JSON file looks like NVD CVE API 2.0 data (a response page, a year file,
 * or a single CVE as the fkie-cad mirror stores them) rather than an OSV record. `head` is the first
 * few kilobytes: NVD writes its wrapper fields, and a CVE its `id`, `sourceIdentifier` and
 * `vulnStatus`, before anything long.
 */
export function looksLikeNvd(head: string): 'page' | 'cve' | 'nvd-1.1' | undefined {
  if (/"CVE_Items"\s*:/.test(head) || /"CVE_data_type"\s*:/.test(head)) return 'nvd-1.1';
  if (/"format"\s*:\s*"NVD_CVE"/.test(head) || /^\s*\{[\s\S]*?"vulnerabilities"\s*:\s*\[/.test(head)) {
    // An OSV record names no top-level `vulnerabilities`; an NVD page always does.
    if (!/"affected"\s*:\s*\[\s*\{\s*"package"/.test(head)) return 'page';
  }
  if (/"sourceIdentifier"\s*:/.test(head) && /"vulnStatus"\s*:/.test(head)) return 'cve';
  return undefined;
}

/** The first `bytes` of a file, decoded. */
export function readHead(file: string, bytes = 16 * 1024): string {
  const fd = fs.openSync(file, 'r');
  try {
    const buffer = Buffer.alloc(bytes);
    const n = fs.readSync(fd, buffer, 0, bytes, 0);
    return buffer.subarray(0, n).toString('utf8');
  } finally {
    fs.closeSync(fd);
  }
}
