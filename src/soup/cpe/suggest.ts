/**
 * `dossier soup suggest-cpe`: CPE 2.3 names proposed from a SOUP record's name, vendor, version,
 * purl and repository, for a person to confirm against the NVD's CPE dictionary and copy into the
 * record's `cpe`. Nothing here is ever written to a record or used for matching: a CPE guessed from
 * a name is where CPE matching gets its false positives and misses (grype, Dependency-Track), so
 * only a `cpe` a person wrote identifies a SOUP item (src/soup/scan.ts).
 *
 * With NVD data in the advisory store, the vendor/product pairs its CVE configurations name are the
 * dictionary (`basis: nvd-dictionary`); otherwise, or when no product there fits, the candidates are
 * heuristic guesses (`basis: heuristic`) following the NVD's conventions (`<product>_project` for an
 * open-source project without a company).
 */
import type { DossierRecord } from '../../model/record.js';
import { normalizeRepoUrl, normalizeTag, repositoryTextsOf } from '../osv/git.js';
import { PurlError, parsePurl } from '../purl.js';
import { cpeTextsOf, cpeVersionMatches, soupCpeProblem } from './name.js';

/** A vendor/product pair the NVD data names, with how many CVEs name it (vulnerable criteria). */
export interface DictionaryProduct {
  readonly part: string;
  readonly vendor: string;
  readonly product: string;
  readonly cves: number;
}

export type SuggestionBasis = 'nvd-dictionary' | 'heuristic';

export interface CpeCandidate {
  readonly cpe: string;
  readonly basis: SuggestionBasis;
  /** CVEs of the NVD data naming the vendor and product (dictionary candidates only). */
  readonly cves: number | null;
  readonly why: string;
  /** True when the record's `cpe` already names it. */
  readonly inRecord: boolean;
}

export interface CpeSuggestion {
  readonly soup: string;
  readonly title: string;
  readonly version: string;
  /** The record's own `cpe` texts (what a person confirmed), empty when none. */
  readonly cpe: readonly string[];
  readonly candidates: readonly CpeCandidate[];
  /** Why there is no candidate (no usable version, no name). */
  readonly note?: string;
}

/** Letters and digits only, lower-case: `Mbed TLS`, `mbed_tls` and `mbedtls` are all `mbedtls`. */
const key = (text: string) => text.toLowerCase().replace(/[^a-z0-9]/g, '');

/** A CPE value as the NVD writes names: lower-case, spaces to `_`, other punctuation escaped. */
export function cpeValue(text: string): string {
  return text
    .trim()
    .toLowerCase()
    .replace(/\s+/g, '_')
    .replace(/[^a-z0-9._-]/g, (c) => `\\${c}`);
}

/** Words that name what a component is rather than which: never a product on their own. */
const GENERIC = new Set([
  'the',
  'and',
  'for',
  'library',
  'lib',
  'kernel',
  'stack',
  'driver',
  'drivers',
  'port',
  'firmware',
  'graphics',
  'host',
  'project',
  'software',
  'sdk',
  'hal',
  'api',
  'tcp',
  'ip',
  'c',
]);

interface NameHint {
  readonly key: string;
  readonly text: string;
  readonly whole: boolean;
  readonly from: string;
}

/** What names the product: the purl name, the repository name, the title, and their words. */
function nameHints(soup: DossierRecord): NameHint[] {
  const hints: NameHint[] = [];
  const add = (text: string | undefined, from: string, whole: boolean) => {
    if (!text) return;
    const k = key(text);
    if (k.length >= 2 && !hints.some((h) => h.key === k && (h.whole || !whole)))
      hints.push({ key: k, text, whole, from });
  };
  const purl = purlOf(soup);
  add(purl?.name, 'the purl name', true);
  for (const url of repositoryTextsOf(soup.fields.repository)) {
    const repo = normalizeRepoUrl(url);
    add(repo?.split('/').pop(), 'the repository name', true);
  }
  add(soup.title, 'the title', true);
  for (const [text, from] of [
    [soup.title, 'a word of the title'],
    [purl?.name, 'a word of the purl name'],
  ] as const) {
    for (const word of (text ?? '').split(/[\s()[\]/,;:_-]+/)) {
      if (word.length >= 3 && !GENERIC.has(word.toLowerCase())) add(word, from, false);
    }
  }
  return hints;
}

/** What names the vendor: the manufacturer's words, the purl namespace, the repository owner. */
function vendorHints(soup: DossierRecord): { key: string; from: string }[] {
  const out: { key: string; from: string }[] = [];
  const add = (text: string | undefined, from: string) => {
    const k = text ? key(text) : '';
    if (k.length >= 2 && !out.some((v) => v.key === k)) out.push({ key: k, from });
  };
  const purl = purlOf(soup);
  add(purl?.namespace?.split('/').pop(), 'the purl namespace');
  for (const url of repositoryTextsOf(soup.fields.repository)) {
    const parts = normalizeRepoUrl(url)?.split('/') ?? [];
    add(parts.length >= 3 ? parts[parts.length - 2] : undefined, 'the repository owner');
  }
  const manufacturer = typeof soup.fields.manufacturer === 'string' ? soup.fields.manufacturer : '';
  add(manufacturer, 'the manufacturer');
  for (const word of manufacturer.split(/[\s(),/;:]+/))
    if (word.length >= 3 && !GENERIC.has(word.toLowerCase())) add(word, 'a word of the manufacturer');
  return out;
}

function purlOf(soup: DossierRecord) {
  if (typeof soup.fields.purl !== 'string') return undefined;
  try {
    return parsePurl(soup.fields.purl);
  } catch (error) {
    if (error instanceof PurlError) return undefined;
    throw error;
  }
}

/**
 * The version component: the record's version (or its purl's) as a plain version (`V11.1.0` is
 * 11.1.0, a tag `STABLE-2_2_0_RELEASE` is 2.2.0), provided `soup/cpe-version` would accept it for
 * the record's `version`. Undefined when none would.
 */
export function cpeVersionFor(soup: DossierRecord): string | undefined {
  const version = typeof soup.fields.version === 'string' ? soup.fields.version : undefined;
  if (!version) return undefined;
  const candidates = [
    normalizeTag(version),
    ...version.split(/[\s()[\],;/]+/).map((w) => normalizeTag(w)),
    purlOf(soup)?.version !== undefined ? normalizeTag(purlOf(soup)!.version!) : undefined,
    version.split(/[\s()[\],;/]+/).find((w) => /\d/.test(w)),
  ];
  for (const c of candidates) {
    if (!c) continue;
    const value = cpeValue(c);
    if (cpeVersionMatches(value, version)) return value;
  }
  return undefined;
}

const cpeText = (part: string, vendor: string, product: string, version: string) =>
  `cpe:2.3:${part}:${vendor}:${product}:${version}:*:*:*:*:*:*:*`;

/**
 * Candidates for one SOUP record, best first (at most `limit`). Dictionary products whose name is
 * the item's (letters and digits compared) come first, those whose vendor the item also names
 * before the others; without a dictionary hit, heuristic guesses.
 */
export function suggestCpes(
  soup: DossierRecord,
  dictionary: readonly DictionaryProduct[] | undefined,
  limit = 5,
): CpeSuggestion {
  const version = typeof soup.fields.version === 'string' ? soup.fields.version : '';
  const own = cpeTextsOf(soup.fields.cpe);
  const ownKeys = new Set(own.map((t) => t.toLowerCase().split(':').slice(2, 5).join(':')));
  const base = { soup: soup.id, title: soup.title, version, cpe: own };
  const cpeVersion = cpeVersionFor(soup);
  if (!cpeVersion)
    return {
      ...base,
      candidates: [],
      note: `no CPE version can be derived from version "${version}" that soup/cpe-version would accept: write the cpe by hand`,
    };
  const names = nameHints(soup);
  const vendors = vendorHints(soup);
  const scored: (CpeCandidate & { score: number })[] = [];
  for (const entry of dictionary ?? []) {
    const productKey = key(entry.product.replace(/\\(.)/g, '$1'));
    const name = names.find((n) => n.key === productKey);
    if (!name) continue;
    const vendorKey = key(entry.vendor.replace(/\\(.)/g, '$1'));
    const vendor =
      vendors.find(
        (v) => v.key === vendorKey || vendorKey.startsWith(v.key) || v.key.startsWith(vendorKey),
      ) ??
      (vendorKey === `${productKey}project` ? { from: 'the NVD convention <product>_project' } : undefined);
    const score = (name.whole ? 10 : 5) + (vendor ? 3 : 0) + Math.min(entry.cves, 50) / 100;
    const cpe = cpeText(entry.part, entry.vendor, entry.product, cpeVersion);
    scored.push({
      cpe,
      basis: 'nvd-dictionary',
      cves: entry.cves,
      why: `product ${entry.product} is ${name.from} ("${name.text}")${vendor ? `; vendor ${entry.vendor} matches ${vendor.from}` : ''}; named by ${entry.cves} CVE${entry.cves === 1 ? '' : 's'} of the NVD data`,
      inRecord: ownKeys.has(`${entry.part}:${entry.vendor}:${entry.product}`),
      score,
    });
  }
  if (scored.length === 0) {
    const product = names.find((n) => n.whole);
    if (product) {
      const productValue = cpeValue(product.text);
      const guesses = new Map<string, string>();
      const purl = purlOf(soup);
      if (purl?.namespace) guesses.set(cpeValue(purl.namespace.split('/').pop()!), 'the purl namespace');
      const manufacturer =
        typeof soup.fields.manufacturer === 'string' ? soup.fields.manufacturer : undefined;
      const firstWord = manufacturer?.split(/[\s(),/;:]+/).find((w) => w.length >= 2);
      if (firstWord && !guesses.has(cpeValue(firstWord)))
        guesses.set(cpeValue(firstWord), 'the first word of the manufacturer');
      guesses.set(
        `${productValue}_project`,
        'the NVD convention <product>_project for an open-source project',
      );
      let rank = 0;
      for (const [vendor, from] of guesses) {
        const cpe = cpeText('a', vendor, productValue, cpeVersion);
        if (soupCpeProblem(cpe) !== undefined) continue;
        scored.push({
          cpe,
          basis: 'heuristic',
          cves: null,
          why: `a guess: product from ${product.from} ("${product.text}"), vendor from ${from}${dictionary ? '; no product of the NVD data has this name' : '; no NVD data to check it against'}`,
          inRecord: ownKeys.has(`a:${vendor}:${productValue}`),
          score: 1 - rank++ / 10,
        });
      }
    }
  }
  scored.sort((a, b) => b.score - a.score || (a.cpe < b.cpe ? -1 : a.cpe > b.cpe ? 1 : 0));
  const candidates = scored.slice(0, limit).map(({ score: _score, ...c }) => c);
  return {
    ...base,
    candidates,
    ...(candidates.length === 0 ? { note: 'no name to derive a product from' } : {}),
  };
}

/** Where the candidates came from, for the report. */
export interface SuggestionDictionary {
  /** The advisory database read, or null when none was there. */
  readonly database: string | null;
  /** Vendor/product pairs its NVD data names; 0 without NVD data (heuristics only). */
  readonly products: number;
}

export { SUGGEST_FORMATS } from '../../report-formats.js';

/** `soup suggest-cpe --format json` (docs/json.md): schemaVersion 1. */
export function renderSuggestionsJson(
  dictionary: SuggestionDictionary,
  suggestions: readonly CpeSuggestion[],
): string {
  return `${JSON.stringify(
    {
      schemaVersion: 1,
      confirmed: false,
      dictionary: {
        source: dictionary.products > 0 ? 'nvd-dictionary' : 'heuristic',
        database: dictionary.database,
        products: dictionary.products,
      },
      items: suggestions.map((s) => ({
        soup: s.soup,
        title: s.title,
        version: s.version,
        cpe: s.cpe,
        candidates: s.candidates,
        note: s.note ?? null,
      })),
    },
    null,
    2,
  )}\n`;
}

export function renderSuggestionsText(
  dictionary: SuggestionDictionary,
  suggestions: readonly CpeSuggestion[],
): string {
  const lines = [
    'Suggested CPE 2.3 names: NOT CONFIRMED and not written. Check each against the NVD CPE dictionary',
    "(https://nvd.nist.gov/products/cpe/search) and copy the right ones into the record's cpe field;",
    'only a cpe written in the record is ever matched.',
    dictionary.products > 0
      ? `Dictionary: the ${dictionary.products.toLocaleString('en-US')} vendor/product pairs named by the NVD data in ${dictionary.database}; "heuristic" candidates are guesses where none fits.`
      : `Dictionary: none (${dictionary.database ? `no NVD data in ${dictionary.database}` : 'no advisory database'}): every candidate is a heuristic guess (import NVD CVE JSON with "dossier advisories import" for candidates named by real CVEs).`,
  ];
  if (suggestions.length === 0)
    lines.push('', 'No SOUP item in use without a cpe (use --all to include those with one).');
  for (const s of suggestions) {
    lines.push(
      '',
      `${s.soup} ${s.title} ${s.version}${s.cpe.length > 0 ? ` (cpe in the record: ${s.cpe.join(', ')})` : ''}`,
    );
    if (s.note) lines.push(`  ${s.note}`);
    for (const c of s.candidates)
      lines.push(`  ${c.cpe}  [${c.basis}${c.inRecord ? ', already in the record' : ''}]`, `      ${c.why}`);
  }
  return `${lines.join('\n')}\n`;
}
