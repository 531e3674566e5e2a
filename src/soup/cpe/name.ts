/**
 * CPE 2.3 formatted strings (NISTIR 7695, "CPE Naming" 6.2): parsing, validation and the identity
 * a SOUP item is matched by in the NVD.
 *
 * A formatted string is `cpe:2.3:` and eleven components separated by unescaped colons: part,
 * vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw, other
 * (13 colon-separated fields counting `cpe` and `2.3`). A component is `*` (ANY), `-` (NA), or a
 * value of letters, digits, `-`, `.` and `_`, where every other printable character is escaped with
 * a backslash (`\+`, `\:`, `\(`). Unescaped `?` and `*` are wildcards, allowed only at the start or
 * end of a value (NISTIR 7695 5.3.2), and only in match criteria: a SOUP item names one product.
 */

/** The eleven attributes in order (NISTIR 7695 5.2). */
export const CPE_ATTRIBUTES = [
  'part',
  'vendor',
  'product',
  'version',
  'update',
  'edition',
  'language',
  'sw_edition',
  'target_sw',
  'target_hw',
  'other',
] as const;
export type CpeAttribute = (typeof CPE_ATTRIBUTES)[number];

/** A parsed formatted string: each attribute as written (still escaped), lowercase. */
export type Cpe = { readonly [K in CpeAttribute]: string } & { readonly text: string };

/** Characters that may stand unescaped in a value (NISTIR 7695 6.2.2.2). */
const PLAIN = /[A-Za-z0-9._-]/;
/** Printable non-alphanumeric ASCII characters that may be escaped (NISTIR 7695 5.3.2, "special"). */
const ESCAPABLE = /[!"#$%&'()*+,/:;<=>?@[\\\]^`{|}~.\-_]/;
/** `language`: an RFC 5646 tag as the formatted-string grammar allows it (`en`, `en-us`, `de-at`). */
const LANGUAGE = /^[a-z]{2,3}(?:\\-(?:[a-z]{2}|\d{3}))?$/i;

export class CpeSyntaxError extends Error {}

/** Splits on unescaped colons; a trailing lone backslash is reported by the component check. */
function splitComponents(text: string): string[] {
  const out: string[] = [];
  let current = '';
  for (let i = 0; i < text.length; i++) {
    const c = text[i]!;
    if (c === '\\' && i + 1 < text.length) {
      current += c + text[i + 1]!;
      i++;
    } else if (c === ':') {
      out.push(current);
      current = '';
    } else current += c;
  }
  out.push(current);
  return out;
}

/**
 * Why one component breaks the grammar, or undefined. `wildcards`: unescaped `*`/`?` at the ends
 * of a value are allowed (match criteria); a SOUP item's own CPE names one product and has none.
 */
function componentProblem(value: string, attribute: CpeAttribute, wildcards: boolean): string | undefined {
  if (value === '') return `the ${attribute} component is empty: write * (any) or - (not applicable)`;
  if (value === '*' || value === '-') return undefined;
  if (attribute === 'part')
    return /^[aoh]$/i.test(value)
      ? undefined
      : `the part is "${value}": it must be a (application), o (operating system) or h (hardware)`;
  if (attribute === 'language' && !LANGUAGE.test(value) && !wildcards)
    return `the language "${value}" is not a language tag such as en or en\\-us`;
  let body = value;
  if (wildcards) body = body.replace(/^(\*|\?+)/, '').replace(/(?<!\\)(\*|\?+)$/, '');
  if (body === '') return `the ${attribute} component "${value}" is only wildcards: write *`;
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c === '\\') {
      const next = body[i + 1];
      if (next === undefined) return `the ${attribute} "${value}" ends in a lone backslash`;
      if (!ESCAPABLE.test(next))
        return `the ${attribute} "${value}" escapes "${next}", which is not a special character (only punctuation is escaped)`;
      i++;
      continue;
    }
    if (PLAIN.test(c)) continue;
    if (c === '*' || c === '?')
      return wildcards
        ? `the ${attribute} "${value}" has a wildcard "${c}" inside the value (wildcards stand only at its start or end)`
        : `the ${attribute} "${value}" has a wildcard "${c}": a SOUP item's CPE names one product, so write the value itself (escape a literal ${c} as \\${c})`;
    if (c === ' ')
      return `the ${attribute} "${value}" contains a space: write it as \\  or use _ as NVD does`;
    return `the ${attribute} "${value}" contains an unescaped "${c}": write \\${c}`;
  }
  return undefined;
}

/** Parses a formatted string; throws {@link CpeSyntaxError} saying what is wrong and how to write it. */
export function parseCpe(text: string, options: { wildcards?: boolean } = {}): Cpe {
  if (typeof text !== 'string')
    throw new CpeSyntaxError('a CPE is a text such as cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*');
  if (!/^cpe:2\.3:/i.test(text))
    throw new CpeSyntaxError(
      text.toLowerCase().startsWith('cpe:/')
        ? `"${text}" is a CPE 2.2 URI: write the CPE 2.3 formatted string (cpe:2.3:part:vendor:product:version:…, 13 components)`
        : `"${text}" is not a CPE 2.3 formatted string: it must start with cpe:2.3:`,
    );
  const components = splitComponents(text);
  if (components.length !== 13)
    throw new CpeSyntaxError(
      `"${text}" has ${components.length} colon-separated components, a CPE 2.3 formatted string has 13 (cpe:2.3: and part, vendor, product, version, update, edition, language, sw_edition, target_sw, target_hw, other; write * for each one not known and escape a colon inside a value as \\:)`,
    );
  const values = components.slice(2);
  const out: Record<string, string> = { text };
  for (const [i, attribute] of CPE_ATTRIBUTES.entries()) {
    const value = values[i]!;
    const problem = componentProblem(value, attribute, options.wildcards === true);
    if (problem) throw new CpeSyntaxError(`${text}: ${problem}`);
    out[attribute] = value.toLowerCase();
  }
  return out as Cpe;
}

/** Why `text` is not a CPE a SOUP item can be identified by, or undefined when it is one. */
export function soupCpeProblem(text: unknown): string | undefined {
  if (typeof text !== 'string') return 'a CPE is a text such as cpe:2.3:a:vendor:product:1.0:*:*:*:*:*:*:*';
  let cpe: Cpe;
  try {
    cpe = parseCpe(text);
  } catch (error) {
    return (error as Error).message;
  }
  if (cpe.part === '*' || cpe.part === '-')
    return `${text}: the part must be a, o or h: a SOUP item is an application, an operating system or hardware`;
  for (const attribute of ['vendor', 'product'] as const)
    if (cpe[attribute] === '*' || cpe[attribute] === '-')
      return `${text}: the ${attribute} must be named (as the NVD's CPE dictionary writes it), not ${cpe[attribute]}`;
  // IEC 62304 7.1.3 asks for the anomalies of the version in use: a CPE of any version (*) would
  // match every CVE of the product and one of no version (-) only the NVD's "not applicable" entries.
  if (cpe.version === '*' || cpe.version === '-')
    return `${text}: the version is ${cpe.version}; the CPE of a SOUP item names its exact version (7.1.3: the anomalies of the version in use)`;
  return undefined;
}

/** The `cpe` field of a SOUP record as a list (one text, or several for vendor aliases). */
export function cpeTextsOf(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.filter((v): v is string => typeof v === 'string');
  return [];
}

/** A value with its escapes removed (`mbed\_tls` → `mbed_tls`), for display and version comparison. */
export function unescapeCpe(value: string): string {
  return value.replace(/\\(.)/g, '$1');
}

/**
 * Whether the CPE's version is the SOUP record's `version`: equal once a leading v is dropped and
 * case is ignored (`V11.1.0` and `11.1.0`), or one word of a version written with words (`4.3.0
 * (toolchain 13.2.Rel1)`). A CPE left at an old version after an upgrade would check the wrong
 * version, and say nothing (7.1.3, 7.4.1).
 */
export function cpeVersionMatches(cpeVersion: string, soupVersion: string): boolean {
  const norm = (v: string) => v.toLowerCase().replace(/^v(?=\d)/, '');
  const mine = norm(unescapeCpe(cpeVersion));
  if (mine === norm(soupVersion)) return true;
  return soupVersion
    .split(/[\s()[\],;/]+/)
    .filter(Boolean)
    .some((word) => norm(word) === mine);
}
