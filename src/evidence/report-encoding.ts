import { sha256Hex } from '../util/hash.js';
import { firstInvalidUtf8 } from '../util/utf8.js';
/**
 * Turns the bytes of a report file into text, the way an XML processor determines the encoding
 * (XML 1.0 section 4.3.3 and appendix F): a byte order mark first, then the `encoding` of the XML
 * declaration, else UTF-8. Pure.
 *
 * Why bytes and not `readFileSync(file, 'utf8')`: the report's identity is the sha256 of its bytes
 * (the release gate hashes the file as it is on disk, src/cli/evidence-hasher.ts), and Node's UTF-8
 * decoding silently replaces invalid bytes with U+FFFD. A report is evidence, so decoding is fatal:
 * a byte that is not valid in the encoding is an error naming it, never a changed character in a
 * recorded test name.
 *
 * Supported: UTF-8 (with or without BOM), UTF-16 LE/BE (with BOM, or recognisable from `<?xml`),
 * ISO-8859-1 (every byte is the code point of the same number, as ISO defines it) and windows-1252
 * (WHATWG's table). Any other declared encoding is refused with a message saying how to fix it.
 */

export type DecodedReport =
  | {
      readonly ok: true;
      /** The text; a UTF-8 byte order mark stays in it (the readers skip it). */
      readonly text: string;
      /** The encoding the text was decoded from (canonical name). */
      readonly encoding: string;
    }
  | { readonly ok: false; readonly message: string; readonly hint: string };

type Encoding = 'UTF-8' | 'UTF-16LE' | 'UTF-16BE' | 'ISO-8859-1' | 'windows-1252';

/** Declared names (compared without case) of the supported encodings. */
const DECLARED: Readonly<Record<string, Encoding>> = {
  'utf-8': 'UTF-8',
  utf8: 'UTF-8',
  'us-ascii': 'UTF-8',
  ascii: 'UTF-8',
  'iso-8859-1': 'ISO-8859-1',
  iso_8859_1: 'ISO-8859-1',
  'iso8859-1': 'ISO-8859-1',
  latin1: 'ISO-8859-1',
  'latin-1': 'ISO-8859-1',
  'windows-1252': 'windows-1252',
  cp1252: 'windows-1252',
};

const HINT = 'convert the report to UTF-8 (e.g. iconv -f <encoding> -t UTF-8) and import it again';

/** The byte-order-mark encoding, or the UTF-16 that `<?` in two bytes per character reveals. */
function sniff(bytes: Uint8Array): { encoding: Encoding; bom: number } | undefined {
  const [b0, b1, b2, b3] = bytes;
  if (b0 === 0xef && b1 === 0xbb && b2 === 0xbf) return { encoding: 'UTF-8', bom: 3 };
  if (b0 === 0xff && b1 === 0xfe) return { encoding: 'UTF-16LE', bom: 2 };
  if (b0 === 0xfe && b1 === 0xff) return { encoding: 'UTF-16BE', bom: 2 };
  if (b0 === 0x3c && b1 === 0x00 && b2 === 0x3f && b3 === 0x00) return { encoding: 'UTF-16LE', bom: 0 };
  if (b0 === 0x00 && b1 === 0x3c && b2 === 0x00 && b3 === 0x3f) return { encoding: 'UTF-16BE', bom: 0 };
  return undefined;
}

/** The `encoding` pseudo-attribute of an XML declaration at the start (read as ASCII). */
function declaredEncoding(bytes: Uint8Array): string | undefined {
  const head = Buffer.from(bytes.subarray(0, 256)).toString('latin1');
  const declaration = /^<\?xml\s[^>]*?\bencoding\s*=\s*(["'])([A-Za-z][A-Za-z0-9._-]*)\1/.exec(head);
  return declaration?.[2];
}

/**
 * windows-1252's 0x80–0x9F (WHATWG's table; the five unassigned bytes keep their C1 code point).
 * Node's TextDecoder('windows-1252') decodes these bytes as ISO-8859-1 (nodejs/node#56542), so the
 * table is here.
 */
const CP1252_HIGH =
  '\u20AC\u0081\u201A\u0192\u201E\u2026\u2020\u2021\u02C6\u2030\u0160\u2039\u0152\u008D\u017D\u008F' +
  '\u0090\u2018\u2019\u201C\u201D\u2022\u2013\u2014\u02DC\u2122\u0161\u203A\u0153\u009D\u017E\u0178';

function decodeAs(bytes: Uint8Array, encoding: Encoding, skip: number): string {
  const body = bytes.subarray(skip);
  // Buffer's latin1 is ISO-8859-1 proper: every byte is the code point of the same number.
  const latin1 = () => Buffer.from(body).toString('latin1');
  if (encoding === 'ISO-8859-1') return latin1();
  if (encoding === 'windows-1252')
    return latin1().replace(/[\u0080-\u009F]/g, (c) => CP1252_HIGH[c.charCodeAt(0) - 0x80] ?? c);
  return new TextDecoder(encoding.toLowerCase(), { fatal: true, ignoreBOM: true }).decode(body);
}

export function decodeReport(bytes: Uint8Array): DecodedReport {
  const sniffed = sniff(bytes);
  const declared = sniffed?.encoding.startsWith('UTF-16') ? undefined : declaredEncoding(bytes);
  let encoding: Encoding = sniffed?.encoding ?? 'UTF-8';
  if (declared !== undefined) {
    const known = DECLARED[declared.toLowerCase()];
    if (!known) {
      return {
        ok: false,
        message: `its XML declaration names encoding "${declared}", which is not supported (UTF-8, UTF-16 with a byte order mark, ISO-8859-1 and windows-1252 are)`,
        hint: HINT,
      };
    }
    if (sniffed && known !== sniffed.encoding) {
      return {
        ok: false,
        message: `it starts with a ${sniffed.encoding} byte order mark but its XML declaration names encoding "${declared}"`,
        hint: 'the file was re-encoded without updating its declaration; fix the declaration or the encoding',
      };
    }
    encoding = known;
  } else if (
    /^\s*<\?xml\s[^>]*\bencoding\s*=\s*["']utf-?16/i.test(
      Buffer.from(bytes.subarray(0, 256)).toString('latin1'),
    )
  ) {
    return {
      ok: false,
      message:
        'its XML declaration names UTF-16, but the file has neither a byte order mark nor two bytes per character',
      hint: 'the file was re-encoded without updating its declaration; fix the declaration or the encoding',
    };
  }
  // A UTF-8 BOM is kept in the text: re-encoding the text as UTF-8 then gives the file's bytes.
  const skip = encoding === 'UTF-8' ? 0 : (sniffed?.bom ?? 0);
  try {
    return { ok: true, text: decodeAs(bytes, encoding, skip), encoding };
  } catch {
    return {
      ok: false,
      message: `it is not valid ${encoding}${encoding === 'UTF-8' ? invalidUtf8At(bytes) : ''}; no character was replaced, nothing was imported`,
      hint:
        encoding === 'UTF-8'
          ? 'if the file is in another encoding, declare it (<?xml version="1.0" encoding="ISO-8859-1"?>) or convert it to UTF-8'
          : HINT,
    };
  }
}

/** ` (first invalid byte at offset N)`: where a UTF-8 decode fails. */
function invalidUtf8At(bytes: Uint8Array): string {
  return ` (first invalid byte at offset ${firstInvalidUtf8(bytes)})`;
}

/**
 * The identity of a report: the sha256 of its bytes as they are on disk, never of decoded text (an
 * ISO-8859-1 or UTF-16 report re-encoded as UTF-8 would hash differently). `evidence import`
 * records it and the release gate compares with it, so both use this one function.
 */
export function reportSha256(bytes: Uint8Array): string {
  return sha256Hex(bytes);
}
