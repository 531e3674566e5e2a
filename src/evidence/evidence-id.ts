/**
 * Identity of verification evidence: a content hash for a report, and the mapping from one test
 * result (a JUnit case) to the test record it is evidence for (IEC 62304 5.7.5 a: the result refers
 * to its test procedure; 5.7.4: requirement-to-test traceability). Pure functions.
 *
 * How a result names its test record, in order of precedence (the first route that names any of the
 * given test ids decides; later routes are not consulted):
 *   1. property — a case property `test`, `test_id`/`testId`, `testcase_id`/`testcaseId` or
 *      `dossier` whose value is a test id (pytest `record_property("test_id", "TC-012")`,
 *      GoogleTest `RecordProperty`, JUnit 5 report entries).
 *   2. bracketed id in the name or classname — `[TC-012] rejects empty rate`.
 *   3. pattern — a `*`-glob (or `/regex/`) declared on the test record, matched against
 *      `classname.name` and `suite › name`.
 *   4. bare word in the name or classname — `TC-012 rejects …`, `test_TC_012_rejects_empty_rate`,
 *      `TestTC_012_RampUp`: the id stands as a word of its own (nothing alphanumeric after it, and
 *      before it at most a lowercase letter, i.e. a camelCase boundary).
 * Ids have the shape /[A-Z][A-Z0-9]*-\d+/; in names an underscore may stand for the hyphen
 * (`TC_012`), since most languages do not allow hyphens in test function names. Only ids of the
 * given test records match: `SRS-012` in a name is not a test id unless a record has that id.
 * Requirement properties (`requirement`, `requirements`) are not test ids and are ignored here.
 *
 * When the deciding route names two or more different ids, the result is ambiguous: the function
 * returns every candidate of that route and the caller reports it.
 */

/**
 * SHA-256 (hex) of the text's UTF-8 encoding, without any normalisation (line endings, BOM). Not for
 * report files: their identity is the hash of their bytes (`reportSha256`, src/cli/evidence-hasher.ts).
 */
export { sha256Hex as sha256OfText } from '../util/hash.js';

export type MappingRoute = 'property' | 'name' | 'pattern';

export interface ResultMapping {
  readonly testId: string;
  readonly by: MappingRoute;
}

/** The parts of a test result used for mapping (a `JUnitCase` fits). */
export interface MappableResult {
  readonly name: string;
  readonly classname?: string;
  /** Suite path, names joined by ' › '. */
  readonly suite?: string;
  readonly properties?: Readonly<Record<string, string>>;
}

export interface TestRecordRef {
  readonly id: string;
  /** `*`-globs (any run of characters) or `/regex/flags`, over `classname.name` or `suite › name`. */
  readonly patterns?: readonly string[];
}

/** Property names (compared without case, `-` and `_`) whose value names the test record. */
const TEST_PROPERTIES = new Set(['test', 'testid', 'testcaseid', 'dossier']);

/**
 * An id-shaped token in free text. Nothing alphanumeric may follow it, and only a lowercase letter
 * may precede it (a camelCase boundary, as in Go's `TestTC_014_RampUp`): `XTC-012` and `TC-0123`
 * do not contain `TC-012`.
 */
const ID_TOKEN = /(?<![A-Z0-9])([A-Z][A-Z0-9]*)[-_](\d+)(?![A-Za-z0-9])/g;
const BRACKETED = /\[\s*([A-Z][A-Z0-9]*)[-_](\d+)\s*\]/g;

/**
 * Maps one result to a test record: one mapping, a list of at least two when the deciding route is
 * ambiguous, or `undefined` when nothing names a given test record.
 */
export function mapResultToTest(
  caseResult: MappableResult,
  tests: readonly TestRecordRef[],
): ResultMapping | readonly ResultMapping[] | undefined {
  return resultMapper(tests)(caseResult);
}

/**
 * The mapper for a set of test records, with the id index and the tests that declare patterns
 * computed once: an import maps thousands of cases against thousands of tests.
 */
export function resultMapper(
  tests: readonly TestRecordRef[],
): (caseResult: MappableResult) => ResultMapping | readonly ResultMapping[] | undefined {
  const known = new Set(tests.map((t) => t.id));
  const withPatterns = tests.filter((t) => (t.patterns ?? []).length > 0);
  return (caseResult) => mapWith(caseResult, known, withPatterns);
}

function mapWith(
  caseResult: MappableResult,
  known: ReadonlySet<string>,
  tests: readonly TestRecordRef[],
): ResultMapping | readonly ResultMapping[] | undefined {
  const texts = [caseResult.name, caseResult.classname].filter((t): t is string => !!t);

  const fromProperties = new Set<string>();
  for (const [name, value] of Object.entries(caseResult.properties ?? {})) {
    if (!TEST_PROPERTIES.has(name.toLowerCase().replace(/[-_]/g, ''))) continue;
    for (const id of idsIn(value, ID_TOKEN, known)) fromProperties.add(id);
  }
  const decided = decide(fromProperties, 'property');
  if (decided) return decided;

  const bracketed = new Set(texts.flatMap((t) => idsIn(t, BRACKETED, known)));
  const byBracket = decide(bracketed, 'name');
  if (byBracket) return byBracket;

  const subjects = patternSubjects(caseResult);
  const byPattern = new Set(
    tests
      .filter((t) => (t.patterns ?? []).some((p) => subjects.some((s) => patternMatches(p, s))))
      .map((t) => t.id),
  );
  const decidedByPattern = decide(byPattern, 'pattern');
  if (decidedByPattern) return decidedByPattern;

  const bare = new Set(texts.flatMap((t) => idsIn(t, ID_TOKEN, known)));
  return decide(bare, 'name');
}

function decide(
  ids: ReadonlySet<string>,
  by: MappingRoute,
): ResultMapping | readonly ResultMapping[] | undefined {
  if (ids.size === 0) return undefined;
  const mappings = [...ids].sort().map((testId) => ({ testId, by }));
  return mappings.length === 1 ? mappings[0] : mappings;
}

/** The known test ids written in `text` (`TC_012` read as `TC-012`). */
function idsIn(text: string, pattern: RegExp, known: ReadonlySet<string>): string[] {
  const out: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const id = `${match[1]}-${match[2]}`;
    if (known.has(id)) out.push(id);
  }
  return out;
}

function patternSubjects(c: MappableResult): string[] {
  const subjects = new Set<string>();
  subjects.add(c.classname ? `${c.classname}.${c.name}` : c.name);
  subjects.add(c.suite ? `${c.suite} › ${c.name}` : c.name);
  return [...subjects];
}

/** A `/regex/flags` pattern compiled once; `null` when it does not compile. */
const regexCache = new Map<string, RegExp | null>();

function patternMatches(pattern: string, subject: string): boolean {
  const regex = /^\/(.+)\/([a-z]*)$/s.exec(pattern);
  if (regex) {
    let compiled = regexCache.get(pattern);
    if (compiled === undefined) {
      try {
        compiled = new RegExp(regex[1] ?? '', (regex[2] ?? '').replace(/[gy]/g, ''));
      } catch {
        compiled = null;
      }
      regexCache.set(pattern, compiled);
    }
    return compiled?.test(subject) ?? false;
  }
  return globMatches(pattern, subject);
}

/**
 * Whole-string match of a glob where `*` stands for any run of characters (dots and spaces
 * included) and everything else is literal. Linear backtracking to the last star, so no pattern can
 * make it slow (unlike a glob turned into a regular expression).
 */
export function globMatches(pattern: string, subject: string): boolean {
  let p = 0;
  let s = 0;
  let star = -1;
  let resume = 0;
  while (s < subject.length) {
    if (p < pattern.length && pattern[p] !== '*' && pattern[p] === subject[s]) {
      p++;
      s++;
    } else if (p < pattern.length && pattern[p] === '*') {
      star = p++;
      resume = s;
    } else if (star >= 0) {
      p = star + 1;
      s = ++resume;
    } else return false;
  }
  while (p < pattern.length && pattern[p] === '*') p++;
  return p === pattern.length;
}
