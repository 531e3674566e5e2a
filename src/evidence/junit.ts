/**
 * Reads JUnit XML test reports into per-case results for verification records (IEC 62304 5.5.5,
 * 5.6.7, 5.7.5). Pure: text in, report out, never throws; malformed input yields problems.
 *
 * One reader for the flavours real tools write: Maven Surefire/Failsafe (with `rerunFailure`,
 * `rerunError`, `flakyFailure`, `flakyError`), pytest, Jest (jest-junit), Vitest, mocha, Go
 * (go-junit-report, gotestsum), GoogleTest (`--gtest_output=xml`), CTest (`--output-junit`), bazel,
 * scalatest and xunit-style files: a `testsuites` or `testsuite` root, suites nested at any depth,
 * attributes missing, no cases at all.
 *
 * Counting follows EnricoMi/publish-unit-test-result-action (its test files and `*.results.json`
 * oracles are the ground truth in test/evidence-readers.test.ts):
 * - A *test* is one identity, `classname` + `name`; `testcase` elements repeating an identity are
 *   further *runs* of the same test (gotestsum `--rerun-fails`, pytest-rerunfailures, reruns in
 *   general). `totals.tests` counts tests, `totals.runs` counts attempts.
 * - A case holding several results keeps the most severe: error, then failure, then skipped, so a
 *   case with both `<failure>` and `<error>` is an error.
 * - `totals.suites` counts leaf suites (suites with cases, or without nested suites).
 * - Each `testcase` element is also one *execution* (`case.executions`, `totals.byExecution`): for
 *   evidence, repeated names (TestNG data providers, Jest tests with equal titles, parametrised
 *   tests) are separate executions with their own outcomes, and the execution totals are the
 *   figures the report's own suite attributes give. Where the attributes a suite writes disagree
 *   with its elements, a warning says so.
 * - `declared` is what the suites declare (`tests`, `failures`, `errors`, `skipped`, `disabled`,
 *   `time` on each top-level suite), counted from the suite's cases where an attribute is missing;
 *   this is the oracle's "runs" family. When a report has no `testcase` at all, the totals fall back
 *   to these declared numbers (`totals.source: 'declared'`) and a warning says so.
 *
 * Deliberate deviations from that oracle, for evidence records:
 * - Flaky: a test whose explicit Surefire rerun (`rerunFailure`, `flakyFailure` inside one
 *   testcase) passed after a failure is `passed` with `flaky: true` and all attempts kept, like
 *   Surefire's own verdict; option `flaky: 'failed'` gives the oracle's verdict instead. Repeated
 *   testcase elements are `flaky` too when a later one passed, but their verdict is the worst
 *   attempt, as in the oracle: a repeat may be a distinct test sharing a name (Jest, one spec per
 *   browser), and evidence must not let a pass elsewhere hide a failure.
 * - A case that did not run is `skipped` even without a `<skipped>` element: `status="notrun"`,
 *   `"disabled"`, `"skipped"` (GoogleTest `DISABLED_` tests, CTest) or GoogleTest
 *   `result="skipped"|"suppressed"`. The oracle counts only `status="disabled"` and calls the rest
 *   passed. Likewise `status="fail"`/`"failed"` and `"error"`/`"errored"` without a result element
 *   count as failed/error.
 * - A `testcase` with neither `name` nor `classname` is kept (name `''`, with a warning) instead of
 *   being dropped; such cases never merge with one another.
 * - A case without `classname` is identified by suite path + name, so same-named cases of different
 *   files (Jest writes `classname=""`) stay apart; the oracle would merge them.
 * - `testcase` elements directly under `testsuites` are read (suite `''`); the oracle ignores them.
 * - Suite attributes are read one by one (`declared`, falling back to `counted` per attribute).
 *   junitparser, once one of `tests`/`skipped`/`failures`/`errors` is missing, recounts all of them
 *   and the `time` from the cases, so its duration for xunit.xml is 0 s where the suite declares
 *   2.407 s; `totals.durationS` keeps the declared time. The test reproduces the oracle's reading
 *   from `declared` and `counted`.
 */
import { parseXmlSafely, type XmlElement } from '../util/xml-parse.js';
import {
  attribute,
  childElements,
  decimalAttribute,
  type EvidenceProblem,
  integerAttribute,
  localName,
  ownText,
  rawAttribute,
  rootElement,
  xmlErrorProblem,
} from './xml-util.js';

export type JUnitOutcome = 'passed' | 'failed' | 'error' | 'skipped';

/** One attempt at running a test: a `testcase` element, or a Surefire rerun/flaky element inside one. */
export interface JUnitAttempt {
  readonly outcome: JUnitOutcome;
  readonly message?: string;
  readonly type?: string;
  readonly xmlLine: number;
}

/**
 * One execution of a test: one `testcase` element. Repeated names (TestNG data providers, Jest
 * tests with equal titles, parametrised tests, reruns written as separate elements) are separate
 * executions, each with its own outcome; Surefire's rerun elements inside one `testcase` are
 * attempts of that one execution.
 */
export interface JUnitExecution {
  /** The element's verdict: its most severe result, or a flaky pass after an explicit Surefire rerun. */
  readonly outcome: JUnitOutcome;
  readonly message?: string;
  readonly type?: string;
  /** Failed, then passed on an explicit Surefire rerun (`flakyFailure`/`flakyError`) inside the element. */
  readonly flaky: boolean;
  readonly durationS?: number;
  readonly xmlLine: number;
}

export interface JUnitCase {
  /** Names of the enclosing suites, outermost first, joined by ' › ' (`''` when unnamed). */
  readonly suite: string;
  readonly classname?: string;
  /** `''` for a testcase without a name. */
  readonly name: string;
  readonly file?: string;
  readonly line?: number;
  readonly outcome: JUnitOutcome;
  /** The failure, error or skip message (the `message` attribute, else the first line of the text). */
  readonly message?: string;
  readonly type?: string;
  /** The text of the failure, error or skipped element (stack trace, assertion output), trimmed. */
  readonly details?: string;
  /** Sum of the attempts' `time` attributes, in seconds. */
  readonly durationS?: number;
  /** Case-level `<properties>` (pytest `record_property`, JUnit 5, CTest `cmake_labels`, …). */
  readonly properties: Readonly<Record<string, string>>;
  /** Attempts, reruns included (always ≥ 1). */
  readonly runs: number;
  /** Passed on a later attempt after failing or erroring on an earlier one. */
  readonly flaky: boolean;
  /** Every attempt in order, only when there was more than one. */
  readonly attempts?: readonly JUnitAttempt[];
  /** The `testcase` elements of this test in document order, one execution each (always ≥ 1). */
  readonly executions: readonly JUnitExecution[];
  /** `status` (and GoogleTest `result`) attributes as written, e.g. `run/completed`, `notrun/suppressed`. */
  readonly status?: string;
  /**
   * 1-based line of the (first) `testcase` element; for an empty `<testcase/>` without attributes,
   * which the parser gives no position, the line of the enclosing element.
   */
  readonly xmlLine: number;
}

/** Per top-level suite, and summed for the report: the suite attributes, counted where absent. */
export interface JUnitCounts {
  readonly tests: number;
  readonly failures: number;
  readonly errors: number;
  readonly skipped: number;
  /** The `disabled` attribute (GoogleTest, CTest); never counted from cases. */
  readonly disabled: number;
  readonly durationS: number;
}

export interface JUnitSuite {
  /** Full path of suite names, joined by ' › '. */
  readonly path: string;
  readonly name?: string;
  /** 0 for a top-level suite (a child of `testsuites`, or the root `testsuite`). */
  readonly depth: number;
  readonly timestamp?: string;
  readonly hostname?: string;
  /** `testcase` elements directly inside this suite. */
  readonly testcases: number;
  /** Counted in `totals.suites`: has cases, or has no nested suites. */
  readonly leaf: boolean;
  readonly properties: Readonly<Record<string, string>>;
  /** Non-empty suite-level `<system-out>` / `<system-err>` (bazel writes test logs there). */
  readonly systemOut: boolean;
  readonly systemErr: boolean;
  /** The count attributes the suite writes (only those present and numeric). */
  readonly declared: Partial<JUnitCounts>;
  /** The same numbers counted from its testcase elements, nested suites included (`disabled` is 0). */
  readonly counted: JUnitCounts;
  readonly xmlLine: number;
}

/** Counted per execution (`testcase` element): the figures a report's own suite attributes give. */
export interface JUnitExecutionTotals {
  readonly executions: number;
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  /** Executions that passed on an explicit Surefire rerun after failing (counted in `passed`). */
  readonly flaky: number;
}

export interface JUnitTotals {
  /** Distinct tests (identities). */
  readonly tests: number;
  /** Passed tests, flaky ones included. */
  readonly passed: number;
  readonly failed: number;
  readonly errors: number;
  readonly skipped: number;
  readonly flaky: number;
  /** Attempts: `testcase` elements plus Surefire rerun/flaky elements. */
  readonly runs: number;
  /** Leaf suites. */
  readonly suites: number;
  /** Sum of the top-level suites' `time` (counted from cases where absent), in seconds. */
  readonly durationS: number;
  /** `declared` when the report has no testcase and the numbers come from suite attributes. */
  readonly source: 'cases' | 'declared';
  /** The same report counted per execution: every `testcase` element once, with its own outcome. */
  readonly byExecution: JUnitExecutionTotals;
}

export interface JUnitReport {
  readonly format: 'JUnit XML';
  /** The root element: `testsuites` or `testsuite`; absent when the input is not JUnit. */
  readonly root?: 'testsuites' | 'testsuite';
  /** Best guess at the tool that wrote the report (a hint for 5.7.5 e, "relevant test tools"). */
  readonly tool?: string;
  /** `name` of the root element. */
  readonly name?: string;
  /** Sorted by `xmlLine` (document order). */
  readonly cases: readonly JUnitCase[];
  readonly totals: JUnitTotals;
  readonly declared: JUnitCounts;
  /** Every suite, nested ones included, in the order they were read. */
  readonly suites: readonly JUnitSuite[];
  /** `<properties>` of the `testsuites` root and of the top-level suites (first value wins). */
  readonly properties: Readonly<Record<string, string>>;
  /** Test-environment hints found on suites (5.7.5 d, f): distinct values, sorted. */
  readonly environment: { readonly timestamps: readonly string[]; readonly hostnames: readonly string[] };
  readonly problems: readonly EvidenceProblem[];
}

export interface JUnitReadOptions {
  /**
   * The verdict for a test that failed and then passed on a rerun: `passed` (default, Surefire's
   * view) or `failed` (the oracle's: the most severe attempt wins, `error` over `failed`). Either way
   * `flaky` is true and all attempts are kept.
   */
  readonly flaky?: 'passed' | 'failed';
  /** Largest single attribute value or text, in UTF-8 bytes (`limits.maxXmlValueBytes`; src/util/xml-parse.ts). */
  readonly maxValueBytes?: number;
}

const ZERO_COUNTS: JUnitCounts = { tests: 0, failures: 0, errors: 0, skipped: 0, disabled: 0, durationS: 0 };
const ZERO_EXECUTIONS: JUnitExecutionTotals = {
  executions: 0,
  passed: 0,
  failed: 0,
  errors: 0,
  skipped: 0,
  flaky: 0,
};
const ZERO_TOTALS: JUnitTotals = {
  tests: 0,
  passed: 0,
  failed: 0,
  errors: 0,
  skipped: 0,
  flaky: 0,
  runs: 0,
  suites: 0,
  durationS: 0,
  source: 'cases',
  byExecution: ZERO_EXECUTIONS,
};
/** Suites nested deeper than this are not read (real reports nest a handful of levels). */
const MAX_DEPTH = 64;
const SUITE_SEPARATOR = ' › ';

interface Attempt extends JUnitAttempt {
  readonly details?: string;
}

/** One `testcase` element, before elements of the same test are merged. */
interface RawCase {
  readonly suite: string;
  readonly classname?: string;
  readonly name: string;
  readonly nameless: boolean;
  readonly file?: string;
  readonly line?: number;
  readonly status?: string;
  readonly durationS?: number;
  readonly properties: Record<string, string>;
  readonly attempts: readonly Attempt[];
  /** The element as one execution, and whether it carries a failure or an error (for the suite counts). */
  readonly execution: JUnitExecution;
  readonly failing: boolean;
  readonly erroring: boolean;
  readonly xmlLine: number;
}

/** What a suite's testcase elements hold, nested suites included, to set against its attributes. */
interface ReadCounts {
  executions: number;
  failing: number;
  erroring: number;
  skipped: number;
}

interface Context {
  readonly options: JUnitReadOptions;
  readonly lineOf: (node: unknown) => number | undefined;
  readonly suites: JUnitSuite[];
  readonly cases: RawCase[];
  readonly problems: EvidenceProblem[];
  leafSuites: number;
  tooDeep: boolean;
}

function emptyReport(problems: EvidenceProblem[]): JUnitReport {
  return {
    format: 'JUnit XML',
    cases: [],
    totals: ZERO_TOTALS,
    declared: ZERO_COUNTS,
    suites: [],
    properties: {},
    environment: { timestamps: [], hostnames: [] },
    problems,
  };
}

export function readJUnit(text: string, options: JUnitReadOptions = {}): JUnitReport {
  try {
    return read(text, options);
  } catch (error) {
    // Not expected; the reader promises never to throw, so a bug becomes a problem, not a crash.
    return emptyReport([
      { severity: 'error', message: `the JUnit report could not be read: ${(error as Error).message}` },
    ]);
  }
}

function read(text: string, options: JUnitReadOptions): JUnitReport {
  if (text.trim() === '') {
    return emptyReport([
      {
        severity: 'error',
        message: 'the JUnit report is empty',
        hint: 'the test run may have crashed before writing its report; rerun it',
      },
    ]);
  }
  const parsed = parseXmlSafely(
    text,
    options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {},
  );
  if (!parsed.ok) {
    return emptyReport([
      {
        severity: 'error',
        ...xmlErrorProblem(parsed.message, parsed.line, text),
        hint:
          parsed.hint ??
          (/entit/i.test(parsed.message)
            ? 'JUnit reports never need entity declarations; find out what wrote this DOCTYPE before trusting the file'
            : 'a truncated report usually means the test run was interrupted; rerun it and record the complete report'),
      },
    ]);
  }
  const root = rootElement(parsed.document);
  const rootName = root ? localName(root.name) : undefined;
  if (!root || (rootName !== 'testsuites' && rootName !== 'testsuite')) {
    return emptyReport([
      {
        severity: 'error',
        message: root
          ? `not a JUnit XML report: the root element is <${root.name}>, expected <testsuites> or <testsuite>`
          : 'not a JUnit XML report: the document has no root element',
        line: parsed.lineOf(root?.node) ?? 1,
        hint: 'configure the test runner to write JUnit XML (e.g. pytest --junitxml, gotestsum --junitfile, ctest --output-junit)',
      },
    ]);
  }
  const rootNode = childElements({ root: root.node }, 'root')[0] ?? {};
  const context: Context = {
    options,
    lineOf: parsed.lineOf,
    suites: [],
    cases: [],
    problems: [],
    leafSuites: 0,
    tooDeep: false,
  };
  const rootLine = parsed.lineOf(rootNode) ?? 1;

  // The top-level suites and, for each, its counts (declared, else counted like junitparser does).
  const topLevel = rootName === 'testsuite' ? [rootNode] : childElements(rootNode, 'testsuite');
  const counts: JUnitCounts[] = [];
  const mismatches: string[] = [];
  for (const suite of topLevel) {
    const { entry, read } = walkSuite(suite, [], 0, rootLine, context);
    counts.push({ ...entry.counted, ...entry.declared });
    const disagreement = disagreementOf(entry.declared, read);
    if (disagreement)
      mismatches.push(
        `suite ${entry.name ? `"${entry.name}"` : '(unnamed)'} (line ${entry.xmlLine}) ${disagreement}`,
      );
  }
  if (rootName === 'testsuites') {
    const orphans = childElements(rootNode, 'testcase');
    for (const element of orphans) context.cases.push(readCase(element, '', rootLine, context));
    if (orphans.length > 0) {
      context.problems.push({
        severity: 'info',
        message: `${orphans.length} testcase element(s) stand directly under <testsuites>, outside any suite; they are read with suite ''`,
        line: context.lineOf(orphans[0]) ?? rootLine,
      });
    }
  }
  if (context.tooDeep) {
    context.problems.push({
      severity: 'warning',
      message: `suites nested deeper than ${MAX_DEPTH} levels were not read`,
      line: rootLine,
    });
  }

  const declared = sumCounts(counts);
  const cases = mergeCases(context.cases, options);
  reportNameless(context);
  const totals = computeTotals(cases, declared, context.leafSuites, context.problems, rootLine);
  if (context.cases.length > 0) {
    if (rootName === 'testsuites') {
      const disagreement = disagreementOf(declaredCounts(rootNode), readCounts(context.cases));
      if (disagreement) mismatches.unshift(`<testsuites> ${disagreement}`);
    }
    reportMismatches(mismatches, context, rootLine);
  }

  const properties: Record<string, string> = {};
  if (rootName === 'testsuites') addProperties(properties, rootNode);
  for (const suite of topLevel) addProperties(properties, suite);
  const timestamps = new Set<string>();
  const hostnames = new Set<string>();
  const rootTimestamp = attribute(rootNode, 'timestamp');
  if (rootTimestamp) timestamps.add(rootTimestamp);
  for (const suite of context.suites) {
    if (suite.timestamp) timestamps.add(suite.timestamp);
    if (suite.hostname) hostnames.add(suite.hostname);
  }
  const name = attribute(rootNode, 'name');
  const tool = detectTool(rootNode, rootName, topLevel, context);
  return {
    format: 'JUnit XML',
    root: rootName,
    ...(tool ? { tool } : {}),
    ...(name ? { name } : {}),
    cases,
    totals,
    declared,
    suites: context.suites,
    properties,
    environment: { timestamps: [...timestamps].sort(), hostnames: [...hostnames].sort() },
    problems: context.problems,
  };
}

/** Reads one suite and everything in it; returns its entry (also pushed to `context.suites`). */
function walkSuite(
  suite: XmlElement,
  parentPath: readonly string[],
  depth: number,
  parentLine: number,
  context: Context,
): { entry: JUnitSuite; read: ReadCounts } {
  const xmlLine = context.lineOf(suite) ?? parentLine;
  const name = attribute(suite, 'name');
  const pathParts = name ? [...parentPath, name] : [...parentPath];
  const path = pathParts.join(SUITE_SEPARATOR);
  const nested = childElements(suite, 'testsuite');
  const testcases = childElements(suite, 'testcase');
  const leaf = testcases.length > 0 || nested.length === 0;
  if (leaf) context.leafSuites++;
  const declared = declaredCounts(suite);
  const properties: Record<string, string> = {};
  addProperties(properties, suite);
  const timestamp = attribute(suite, 'timestamp');
  const hostname = attribute(suite, 'hostname');
  // junitparser's counting, used where the suite omits an attribute: every testcase is a test and
  // every failure/error/skipped element counts once (a case with two results counts twice).
  // Filled in below; the entry is pushed first so that parents come before their children.
  const counted = { ...ZERO_COUNTS };
  const entry: JUnitSuite = {
    path,
    ...(name ? { name } : {}),
    depth,
    ...(timestamp ? { timestamp } : {}),
    ...(hostname ? { hostname } : {}),
    testcases: testcases.length,
    leaf,
    properties,
    systemOut: childElements(suite, 'system-out').some((e) => ownText(e) !== undefined),
    systemErr: childElements(suite, 'system-err').some((e) => ownText(e) !== undefined),
    declared,
    counted,
    xmlLine,
  };
  context.suites.push(entry);

  const first = context.cases.length;
  for (const element of testcases) {
    context.cases.push(readCase(element, path, xmlLine, context));
    counted.tests++;
    counted.failures += childElements(element, 'failure').length;
    counted.errors += childElements(element, 'error').length;
    counted.skipped += childElements(element, 'skipped').length;
    counted.durationS += decimalAttribute(element, 'time') ?? 0;
  }
  const read = readCounts(context.cases.slice(first));
  if (nested.length > 0 && depth + 1 >= MAX_DEPTH) context.tooDeep = true;
  else {
    for (const child of nested) {
      const walked = walkSuite(child, pathParts, depth + 1, xmlLine, context);
      const inner = walked.entry.counted;
      for (const key of ['executions', 'failing', 'erroring', 'skipped'] as const)
        read[key] += walked.read[key];
      counted.tests += inner.tests;
      counted.failures += inner.failures;
      counted.errors += inner.errors;
      counted.skipped += inner.skipped;
      counted.durationS += inner.durationS;
    }
  }
  counted.durationS = Math.round(counted.durationS * 1000) / 1000;
  return { entry, read };
}

/** The count attributes an element writes (only those present and numeric). */
function declaredCounts(element: XmlElement): Partial<JUnitCounts> {
  const declared: Partial<Record<keyof JUnitCounts, number>> = {};
  for (const key of ['tests', 'failures', 'errors', 'skipped', 'disabled'] as const) {
    const value = integerAttribute(element, key);
    if (value !== undefined) declared[key] = value;
  }
  const time = decimalAttribute(element, 'time');
  if (time !== undefined) declared.durationS = time;
  return declared;
}

function readCounts(raws: readonly RawCase[]): ReadCounts {
  const read: ReadCounts = { executions: 0, failing: 0, erroring: 0, skipped: 0 };
  for (const raw of raws) {
    read.executions++;
    if (raw.failing) read.failing++;
    if (raw.erroring) read.erroring++;
    if (raw.execution.outcome === 'skipped') read.skipped++;
  }
  return read;
}

/**
 * How the attributes an element declares disagree with the executions read from it, or undefined.
 * Tools differ in two harmless ways that are not disagreements: GoogleTest and CTest count disabled
 * tests in `disabled` (in `tests` or not) while they are read as skipped; and a testcase holding
 * both a failure and an error counts in both attributes, as junitparser and pytest count it.
 */
function disagreementOf(declared: Partial<JUnitCounts>, read: ReadCounts): string | undefined {
  const disabled = declared.disabled ?? 0;
  const said: string[] = [];
  const found: string[] = [];
  const compare = (value: number | undefined, label: string, actual: number, alternative?: number) => {
    if (value === undefined || value === actual || alternative === actual) return;
    said.push(`${label}=${value}`);
    found.push(`${label}=${actual}`);
  };
  compare(declared.tests, 'tests', read.executions, (declared.tests ?? 0) - disabled);
  compare(declared.failures, 'failures', read.failing);
  compare(declared.errors, 'errors', read.erroring);
  compare(declared.skipped, 'skipped', read.skipped, (declared.skipped ?? 0) + disabled);
  if (said.length === 0) return undefined;
  return `declares ${said.join(', ')} but its testcase elements give ${found.join(', ')}`;
}

/** One warning for all the disagreements between declared and read totals (a report is wrong once). */
function reportMismatches(mismatches: readonly string[], context: Context, rootLine: number): void {
  if (mismatches.length === 0) return;
  const shown = mismatches.slice(0, 3).join('; ');
  const more = mismatches.length > 3 ? `; and ${mismatches.length - 3} more suite(s)` : '';
  context.problems.push({
    severity: 'warning',
    message: `the report's declared totals disagree with what was read: ${shown}${more}. The execution totals recorded are the ones read, one per testcase element`,
    line: rootLine,
    hint: 'a report whose totals disagree with its testcases may be truncated, merged from several runs or written by a faulty reporter; check it is complete before relying on it',
  });
}

function sumCounts(counts: readonly JUnitCounts[]): JUnitCounts {
  const sum = { ...ZERO_COUNTS };
  for (const c of counts) {
    sum.tests += c.tests;
    sum.failures += c.failures;
    sum.errors += c.errors;
    sum.skipped += c.skipped;
    sum.disabled += c.disabled;
    sum.durationS += c.durationS;
  }
  return { ...sum, durationS: Math.round(sum.durationS * 1e6) / 1e6 };
}

function addProperties(into: Record<string, string>, parent: XmlElement): void {
  for (const properties of childElements(parent, 'properties')) {
    for (const property of childElements(properties, 'property')) {
      const name = attribute(property, 'name');
      if (!name || Object.hasOwn(into, name)) continue;
      into[name] = rawAttribute(property, 'value') ?? ownText(property) ?? '';
    }
  }
}

function firstLine(text: string | undefined): string | undefined {
  if (text === undefined) return undefined;
  const line = text
    .split('\n')
    .map((l) => l.trim())
    .find((l) => l !== '');
  return line;
}

/** The attempt recorded by a result element (`failure`, `flakyError`, …). */
function resultAttempt(element: XmlElement, outcome: JUnitOutcome, fallbackLine: number, context: Context) {
  const stackTrace = childElements(element, 'stackTrace')
    .map((e) => ownText(e))
    .find((t) => t !== undefined);
  const details = ownText(element) ?? stackTrace;
  const message = attribute(element, 'message') ?? firstLine(details);
  const type = attribute(element, 'type');
  return {
    outcome,
    ...(message !== undefined ? { message } : {}),
    ...(type ? { type } : {}),
    ...(details !== undefined ? { details } : {}),
    xmlLine: context.lineOf(element) ?? fallbackLine,
  } satisfies Attempt;
}

const NOT_RUN = new Set(['notrun', 'not_run', 'disabled', 'skipped', 'skip', 'ignored', 'suppressed']);
const FAILED_STATUS = new Set(['fail', 'failed', 'failure']);
const ERROR_STATUS = new Set(['error', 'errored']);

function readCase(element: XmlElement, suite: string, suiteLine: number, context: Context): RawCase {
  const xmlLine = context.lineOf(element) ?? suiteLine;
  const name = attribute(element, 'name');
  const classname = attribute(element, 'classname');
  const file = attribute(element, 'file');
  const lineNumber = integerAttribute(element, 'line');
  const status = attribute(element, 'status')?.toLowerCase();
  const result = attribute(element, 'result')?.toLowerCase();
  const durationS = decimalAttribute(element, 'time');
  const properties: Record<string, string> = {};
  addProperties(properties, element);

  const errors = childElements(element, 'error');
  const failures = childElements(element, 'failure');
  const skips = childElements(element, 'skipped');
  const primary: Attempt =
    errors[0] !== undefined
      ? resultAttempt(errors[0], 'error', xmlLine, context)
      : failures[0] !== undefined
        ? resultAttempt(failures[0], 'failed', xmlLine, context)
        : skips[0] !== undefined
          ? resultAttempt(skips[0], 'skipped', xmlLine, context)
          : { outcome: statusOutcome(status, result), xmlLine };
  // Surefire: flaky elements are failed attempts before the final pass, rerun elements are failed
  // attempts after the first failure.
  const flakyAttempts = [
    ...childElements(element, 'flakyFailure').map((e) => resultAttempt(e, 'failed', xmlLine, context)),
    ...childElements(element, 'flakyError').map((e) => resultAttempt(e, 'error', xmlLine, context)),
  ].sort((a, b) => a.xmlLine - b.xmlLine);
  const rerunAttempts = [
    ...childElements(element, 'rerunFailure').map((e) => resultAttempt(e, 'failed', xmlLine, context)),
    ...childElements(element, 'rerunError').map((e) => resultAttempt(e, 'error', xmlLine, context)),
  ].sort((a, b) => a.xmlLine - b.xmlLine);
  const statusText = [attribute(element, 'status'), attribute(element, 'result')].filter(Boolean).join('/');
  const attempts = [...flakyAttempts, primary, ...rerunAttempts];
  const execution = executionOf(attempts, durationS, xmlLine, context.options);
  return {
    suite,
    ...(classname ? { classname } : {}),
    name: name ?? '',
    nameless: name === undefined && classname === undefined,
    ...(file ? { file } : {}),
    ...(lineNumber !== undefined ? { line: lineNumber } : {}),
    ...(statusText ? { status: statusText } : {}),
    ...(durationS !== undefined ? { durationS } : {}),
    properties,
    attempts,
    execution,
    failing: failures.length > 0 || execution.outcome === 'failed',
    erroring: errors.length > 0 || execution.outcome === 'error',
    xmlLine,
  };
}

/**
 * The verdict of one testcase element. Only an explicit rerun inside one element (Surefire's
 * rerunFailure / flakyFailure) may turn a failure into a flaky pass; otherwise the most severe
 * attempt decides.
 */
function executionOf(
  attempts: readonly Attempt[],
  durationS: number | undefined,
  xmlLine: number,
  options: JUnitReadOptions,
): JUnitExecution {
  const worst = worstOutcome(attempts);
  const flaky = isFlaky(attempts);
  const outcome: JUnitOutcome = flaky && (options.flaky ?? 'passed') === 'passed' ? 'passed' : worst;
  const deciding = outcome === 'passed' ? undefined : attempts.find((a) => a.outcome === outcome);
  return {
    outcome,
    ...(deciding?.message !== undefined ? { message: deciding.message } : {}),
    ...(deciding?.type !== undefined ? { type: deciding.type } : {}),
    flaky,
    ...(durationS !== undefined ? { durationS } : {}),
    xmlLine,
  };
}

function worstOutcome(attempts: readonly JUnitAttempt[]): JUnitOutcome {
  return attempts.reduce<JUnitOutcome>(
    (acc, a) => (SEVERITY[a.outcome] > SEVERITY[acc] ? a.outcome : acc),
    'skipped',
  );
}

/** Passed at the last attempt after failing or erroring on an earlier one. */
function isFlaky(attempts: readonly JUnitAttempt[]): boolean {
  const last = attempts[attempts.length - 1];
  return last?.outcome === 'passed' && attempts.some((a) => a.outcome === 'failed' || a.outcome === 'error');
}

/** The outcome of a testcase without result elements, from GoogleTest/CTest/bazel status attributes. */
function statusOutcome(status: string | undefined, result: string | undefined): JUnitOutcome {
  if (status !== undefined) {
    if (NOT_RUN.has(status)) return 'skipped';
    if (FAILED_STATUS.has(status)) return 'failed';
    if (ERROR_STATUS.has(status)) return 'error';
  }
  if (result !== undefined && NOT_RUN.has(result)) return 'skipped';
  return 'passed';
}

const SEVERITY: Readonly<Record<JUnitOutcome, number>> = { error: 3, failed: 2, passed: 1, skipped: 0 };

function identity(raw: RawCase, index: number): string {
  if (raw.nameless) return `\u0000nameless\u0000${index}`;
  return raw.classname !== undefined
    ? `c\u0000${raw.classname}\u0000${raw.name}`
    : `s\u0000${raw.suite}\u0000${raw.name}`;
}

function mergeCases(raws: readonly RawCase[], options: JUnitReadOptions): JUnitCase[] {
  const groups = new Map<string, RawCase[]>();
  raws.forEach((raw, index) => {
    const key = identity(raw, index);
    const group = groups.get(key);
    if (group) group.push(raw);
    else groups.set(key, [raw]);
  });
  const cases: JUnitCase[] = [];
  for (const group of groups.values()) {
    group.sort((a, b) => a.xmlLine - b.xmlLine);
    const first = group[0];
    if (!first) continue;
    const attempts = group.flatMap((raw) => raw.attempts);
    const worst = worstOutcome(attempts);
    const flaky = isFlaky(attempts);
    // Only an explicit rerun inside one testcase element (Surefire's rerunFailure / flakyFailure)
    // may turn a failure into a flaky pass. Repeated testcase elements may be reruns (gotestsum,
    // pytest-rerunfailures) or distinct tests that share a name (Jest, one spec per browser): for
    // evidence the conservative reading wins, and a failure among them is the verdict.
    const explicitRerun = group.length === 1;
    const outcome: JUnitOutcome =
      flaky && explicitRerun && (options.flaky ?? 'passed') === 'passed' ? 'passed' : worst;
    const deciding = attempts.find((a) => a.outcome === outcome);
    const properties: Record<string, string> = {};
    for (const raw of group) {
      for (const [key, value] of Object.entries(raw.properties))
        if (!Object.hasOwn(properties, key)) properties[key] = value;
    }
    const durations = group.flatMap((raw) => (raw.durationS !== undefined ? [raw.durationS] : []));
    const durationS =
      durations.length > 0 ? Math.round(durations.reduce((a, b) => a + b, 0) * 1e6) / 1e6 : undefined;
    const showDetail = outcome !== 'passed' && deciding !== undefined;
    cases.push({
      suite: first.suite,
      ...(first.classname !== undefined ? { classname: first.classname } : {}),
      name: first.name,
      ...(first.file !== undefined ? { file: first.file } : {}),
      ...(first.line !== undefined ? { line: first.line } : {}),
      outcome,
      ...(showDetail && deciding.message !== undefined ? { message: deciding.message } : {}),
      ...(showDetail && deciding.type !== undefined ? { type: deciding.type } : {}),
      ...(showDetail && deciding.details !== undefined ? { details: deciding.details } : {}),
      ...(durationS !== undefined ? { durationS } : {}),
      properties,
      runs: attempts.length,
      flaky,
      ...(attempts.length > 1
        ? {
            attempts: attempts.map((a) => ({
              outcome: a.outcome,
              ...(a.message !== undefined ? { message: a.message } : {}),
              ...(a.type !== undefined ? { type: a.type } : {}),
              xmlLine: a.xmlLine,
            })),
          }
        : {}),
      ...(first.status !== undefined ? { status: first.status } : {}),
      executions: group.map((raw) => raw.execution),
      xmlLine: first.xmlLine,
    });
  }
  return cases.sort((a, b) => a.xmlLine - b.xmlLine);
}

function reportNameless(context: Context): void {
  const nameless = context.cases.filter((c) => c.nameless);
  const first = nameless[0];
  if (!first) return;
  context.problems.push({
    severity: 'warning',
    message: `${nameless.length} testcase element(s) have neither name nor classname; they are counted but cannot be traced to a test`,
    line: first.xmlLine,
    hint: 'configure the test runner to write test names into the report',
  });
}

function computeTotals(
  cases: readonly JUnitCase[],
  declared: JUnitCounts,
  suites: number,
  problems: EvidenceProblem[],
  rootLine: number,
): JUnitTotals {
  const durationS = declared.durationS;
  if (cases.length === 0 && declared.tests > 0) {
    problems.push({
      severity: 'warning',
      message: `the suites declare ${declared.tests} test(s) but the report lists no testcase; the totals come from the suite attributes and no result can be traced to a test`,
      line: rootLine,
      hint: 'configure the test runner to write one <testcase> per test',
    });
    const skipped = declared.skipped + declared.disabled;
    return {
      tests: declared.tests,
      passed: Math.max(0, declared.tests - declared.failures - declared.errors - skipped),
      failed: declared.failures,
      errors: declared.errors,
      skipped,
      flaky: 0,
      runs: declared.tests,
      suites,
      durationS,
      source: 'declared',
      byExecution: {
        executions: declared.tests,
        passed: Math.max(0, declared.tests - declared.failures - declared.errors - skipped),
        failed: declared.failures,
        errors: declared.errors,
        skipped,
        flaky: 0,
      },
    };
  }
  const count = (outcome: JUnitOutcome) => cases.filter((c) => c.outcome === outcome).length;
  const executions = cases.flatMap((c) => c.executions);
  const executed = (outcome: JUnitOutcome) => executions.filter((e) => e.outcome === outcome).length;
  return {
    tests: cases.length,
    passed: count('passed'),
    failed: count('failed'),
    errors: count('error'),
    skipped: count('skipped'),
    flaky: cases.filter((c) => c.flaky).length,
    runs: cases.reduce((sum, c) => sum + c.runs, 0),
    suites,
    durationS,
    source: 'cases',
    byExecution: {
      executions: executions.length,
      passed: executed('passed'),
      failed: executed('failed'),
      errors: executed('error'),
      skipped: executed('skipped'),
      flaky: executions.filter((e) => e.flaky && e.outcome === 'passed').length,
    },
  };
}

/** A best-effort hint at the producing tool, from the marks each tool leaves. */
function detectTool(
  rootNode: XmlElement,
  rootName: 'testsuites' | 'testsuite',
  topLevel: readonly XmlElement[],
  context: Context,
): string | undefined {
  const rootLabel = attribute(rootNode, 'name')?.toLowerCase();
  const firstSuite = topLevel[0] ?? {};
  const schema = Object.entries(firstSuite).find(
    ([key, value]) => key.endsWith('noNamespaceSchemaLocation') && typeof value === 'string',
  )?.[1];
  const statuses = new Set(context.cases.map((c) => c.status?.split('/')[0]?.toLowerCase()));
  const hasResultAttribute = context.cases.some((c) => c.status?.includes('/'));
  const suiteProperties = context.suites.flatMap((s) => Object.keys(s.properties));
  if (typeof schema === 'string' && /surefire|failsafe/i.test(schema)) return 'Maven Surefire/Failsafe';
  if (rootLabel === 'alltests' || hasResultAttribute) return 'GoogleTest';
  if (
    rootName === 'testsuite' &&
    (statuses.has('fail') || statuses.has('notrun') || statuses.has('disabled'))
  )
    return 'CTest';
  if (rootLabel === 'jest tests') return 'Jest (jest-junit)';
  if (rootLabel === 'vitest tests') return 'Vitest';
  if (rootLabel === 'mocha tests' || attribute(firstSuite, 'name') === 'Mocha Tests') return 'mocha';
  if (attribute(firstSuite, 'name') === 'pytest' || rootLabel === 'pytest tests') return 'pytest';
  if (suiteProperties.includes('go.version')) return 'Go (go-junit-report/gotestsum)';
  if (suiteProperties.some((p) => p.startsWith('java.'))) return 'JVM test runner';
  return undefined;
}
