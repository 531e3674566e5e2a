/**
 * The Tool Validation Report (issue 17 §2; docs/validation.md): what a user completes and approves to
 * validate Dossier for their intended use (ISO 13485 4.1.6, 7.5.6; FDA Computer Software Assurance).
 * Pure: the validation kit (Dossier's own records in validation/), the results of one run of the
 * acceptance suite and the environment go in, a DocumentModel comes out, rendered by the package's
 * Markdown and HTML renderers (record text escaped like every other document). The same inputs give
 * the same bytes: only the run's results, its environment and its date vary between runs.
 */
import { createHash } from 'node:crypto';
import { type Block, DOCUMENT_MODEL_VERSION, type DocumentModel, type Inline } from '../docs/model.js';
import { renderHtml } from '../docs/render-html.js';
import { renderMarkdown } from '../docs/render-markdown.js';
import type { TestOutcome } from '../model/vocabulary.js';

/** Every place the user must complete says this, so it can be searched for before approval. */
export const TO_COMPLETE = 'TO BE COMPLETED BY THE USER';

export interface KitRequirement {
  readonly id: string;
  readonly title: string;
  readonly text?: string;
}

export interface KitTest {
  readonly id: string;
  readonly title: string;
  readonly level: string;
  readonly verifies: readonly string[];
}

export interface KitAnomaly {
  readonly id: string;
  readonly title: string;
  readonly state: string;
}

/** What the validation project (validation/) says. */
export interface ValidationKit {
  /** The tool's intended use as its makers state it (dossier.yaml `device.intendedUse`). */
  readonly intendedUse?: string;
  readonly requirements: readonly KitRequirement[];
  readonly tests: readonly KitTest[];
  /** Problem reports that are not resolved or closed: the known anomalies. */
  readonly anomalies: readonly KitAnomaly[];
}

/** One acceptance test case of the run, mapped to its test record by the `[TC-…]` in its name. */
export interface CaseResult {
  readonly name: string;
  readonly testId?: string;
  readonly outcome: TestOutcome;
  readonly message?: string;
}

export interface ValidationEnvironment {
  readonly dossierVersion: string;
  readonly node: string;
  readonly os: string;
  /** The git commit of the package, when it is a clone; undefined for an installed package. */
  readonly commit?: string;
  /** The command-line interface the suite ran against. */
  readonly cli: string;
  /** Set when the CLI under test is not the package's own (DOSSIER_SELF_VALIDATE_CLI). */
  readonly cliOverride?: string;
}

export interface ValidationRun {
  /** Where the results come from: this run of the suite, or the test runs recorded in the project. */
  readonly source: 'self-validate' | 'records';
  /** Said with `source: 'records'`: the test-run records the results come from. */
  readonly sourceNote?: string;
  readonly cases: readonly CaseResult[];
  /** The exit status of the test runner; anything but 0 fails the validation. */
  readonly runnerExit?: number;
  /** Why the suite could not run or its results could not be read. */
  readonly runnerProblem?: string;
  readonly date: string;
  readonly environment?: ValidationEnvironment;
}

/** A feature of the tool, its process risk per the CSA approach, and the assurance chosen for it. */
export interface FeatureRisk {
  readonly feature: string;
  readonly failure: string;
  readonly risk: 'high' | 'not high';
  readonly assurance: string;
  readonly requirements: readonly string[];
}

/**
 * The tool's risk per feature (FDA CSA: "high process risk" when a failure may foreseeably
 * compromise safety; scripted testing for those, unscripted testing for the rest). The user confirms
 * or changes each risk for their intended use.
 */
export const FEATURE_RISKS: readonly FeatureRisk[] = [
  {
    feature: 'Release gate (dossier release check)',
    failure: 'a version with a failed or missing test, or an unevaluated vulnerability, is released',
    risk: 'high',
    assurance: 'scripted testing (acceptance suite), plus the vendor test suite',
    requirements: ['SRS-003', 'SRS-004'],
  },
  {
    feature: 'Software safety classification (dossier classify, check)',
    failure: 'a class lower than the risks call for; the software gets too little rigour',
    risk: 'high',
    assurance: 'scripted testing (acceptance suite), plus the vendor test suite',
    requirements: ['SRS-005'],
  },
  {
    feature: 'Vulnerability matching (advisories, soup scan)',
    failure: 'a known vulnerability of a SOUP item is missed',
    risk: 'high',
    assurance: 'scripted testing (acceptance suite), plus the vendor test suite',
    requirements: ['SRS-004'],
  },
  {
    feature: 'Trace and coverage (dossier check, trace)',
    failure: 'a requirement without a test, or a risk control without verification, passes',
    risk: 'high',
    assurance: 'scripted testing (acceptance suite), plus the vendor test suite',
    requirements: ['SRS-001', 'SRS-002'],
  },
  {
    feature: 'Loading the records',
    failure: 'a record file is lost or skipped and the dossier still looks complete',
    risk: 'high',
    assurance: 'scripted testing (acceptance suite), plus the vendor test suite',
    requirements: ['SRS-006'],
  },
  {
    feature: 'Record writers (suspect --clear, review fingerprint, imports)',
    failure: "a user's field, comment or text is lost or changed without a decision",
    risk: 'high',
    assurance:
      'scripted testing (acceptance suite); the change is also visible in the git diff the user reviews',
    requirements: ['SRS-007'],
  },
  {
    feature: 'Document generation (dossier build, docs)',
    failure: 'a document misstates the records or differs between builds',
    risk: 'not high',
    assurance:
      'scripted tests supplied (determinism, escaping); the user reviews and approves each document before use',
    requirements: ['SRS-008', 'SRS-009'],
  },
  {
    feature: 'Reporting and exports (trace matrices, gap scan, SBOM and VEX export, history, diff)',
    failure: 'a report is incomplete or wrong; people review reports before relying on them',
    risk: 'not high',
    assurance: 'unscripted testing: exploratory or ad-hoc use on the user’s own project, recorded below',
    requirements: [],
  },
  {
    feature: 'Self-validation (dossier self-validate)',
    failure: 'a failed acceptance test is reported as passed',
    risk: 'high',
    assurance: 'scripted testing (acceptance test against a command-line interface that always passes)',
    requirements: ['SRS-010'],
  },
];

const RANK: Readonly<Record<TestOutcome, number>> = {
  passed: 0,
  skipped: 1,
  'not-run': 2,
  failed: 3,
  error: 4,
};

/** Each test record's outcome in the run: the worst of its cases; a test with no case did not run. */
export function testOutcomes(kit: ValidationKit, run: ValidationRun): Map<string, TestOutcome> {
  const out = new Map<string, TestOutcome>();
  for (const test of kit.tests) out.set(test.id, 'not-run');
  const seen = new Set<string>();
  for (const c of run.cases) {
    if (!c.testId || !out.has(c.testId)) continue;
    const before = out.get(c.testId)!;
    if (!seen.has(c.testId) || RANK[c.outcome] > RANK[before]) out.set(c.testId, c.outcome);
    seen.add(c.testId);
  }
  return out;
}

export interface ValidationVerdict {
  readonly passed: boolean;
  readonly counts: Readonly<Record<TestOutcome, number>>;
  /** Why the validation did not pass, one line each. */
  readonly reasons: readonly string[];
}

/**
 * Pass only when the runner exited 0, every test record of the kit passed, no case of the run failed
 * (mapped to a record or not) and there is at least one test: anything else fails closed.
 */
export function validationVerdict(kit: ValidationKit, run: ValidationRun): ValidationVerdict {
  const outcomes = testOutcomes(kit, run);
  const counts: Record<TestOutcome, number> = { passed: 0, failed: 0, error: 0, skipped: 0, 'not-run': 0 };
  for (const o of outcomes.values()) counts[o]++;
  const reasons: string[] = [];
  if (run.runnerProblem) reasons.push(run.runnerProblem);
  if (run.runnerExit !== undefined && run.runnerExit !== 0)
    reasons.push(`the test runner exited with status ${run.runnerExit}`);
  if (kit.tests.length === 0) reasons.push('the validation kit has no test records');
  for (const [id, o] of outcomes) if (o !== 'passed') reasons.push(`${id}: ${o}`);
  for (const c of run.cases) {
    if (RANK[c.outcome] >= RANK.failed && (!c.testId || !outcomes.has(c.testId)))
      reasons.push(`${c.name}: ${c.outcome} (no test record)`);
  }
  return { passed: reasons.length === 0, counts, reasons };
}

const t = (text: string): Inline => ({ text });
const ref = (id: string): Inline => ({ ref: id });
const strong = (text: string): Inline => ({ strong: text });
const heading = (level: 1 | 2 | 3, text: string, anchor?: string): Block => ({
  kind: 'heading',
  level,
  text,
  ...(anchor ? { anchor } : {}),
});
const para = (...inlines: Inline[]): Block => ({ kind: 'paragraph', inlines });
const todo = (what: string): Inline => strong(`[${TO_COMPLETE}: ${what}]`);
const refs = (ids: readonly string[]): Inline[] =>
  ids.length === 0 ? [t('—')] : ids.flatMap((id, i) => (i === 0 ? [ref(id)] : [t(', '), ref(id)]));
const OUTCOME_LABEL: Readonly<Record<TestOutcome, string>> = {
  passed: 'PASS',
  failed: 'FAIL',
  error: 'ERROR',
  skipped: 'SKIPPED',
  'not-run': 'NOT RUN',
};

export interface ReportOptions {
  readonly device: string;
  readonly manufacturer: string;
  /** Dossier's version: the baseline of the report. */
  readonly version: string;
}

/** The Tool Validation Report as a document of the package's model. */
export function toolValidationReport(
  kit: ValidationKit,
  run: ValidationRun,
  options: ReportOptions,
): DocumentModel {
  const outcomes = testOutcomes(kit, run);
  const verdict = validationVerdict(kit, run);
  const requirementIds = new Set(kit.requirements.map((r) => r.id));
  const testsOf = (id: string) => kit.tests.filter((x) => x.verifies.includes(id));
  const requirementResult = (id: string): string => {
    const tests = testsOf(id);
    if (tests.length === 0) return 'NO TEST';
    const worst = tests.map((x) => outcomes.get(x.id) ?? 'not-run').sort((a, b) => RANK[b] - RANK[a])[0]!;
    return OUTCOME_LABEL[worst];
  };
  const env = run.environment;
  const blocks: Block[] = [
    heading(1, 'Purpose'),
    para(
      t(
        `This report records the validation of Dossier ${options.version} for the intended use stated below, as ISO 13485:2016 4.1.6 (software used in the quality management system) and 7.5.6 ask, and as 21 CFR 820 asks through the QMSR. It follows the risk-based approach of the FDA guidance "Computer Software Assurance for Production and Quality Management System Software": the assurance for each feature is chosen by its process risk. Dossier's makers supply the requirements, the acceptance suite and its results; the user completes the places marked `,
      ),
      strong(`[${TO_COMPLETE}]`),
      t(', decides whether the validation is acceptable and approves it.'),
    ),
    heading(1, 'Intended use and context of use'),
    heading(2, 'The tool, as its makers describe it'),
    para(t(kit.intendedUse?.trim() || 'Not stated in the validation kit (dossier.yaml device.intendedUse).')),
    heading(2, 'Your intended use'),
    para(
      todo(
        'which Dossier features your quality system relies on, for which devices and records, and which decisions are made from its output',
      ),
    ),
    heading(2, 'Your context of use'),
    para(
      todo(
        'who runs Dossier, on which machines or CI, under which procedures (SOPs), which human reviews follow its output, and how upgrades are controlled',
      ),
    ),
    heading(1, 'Tool risk and assurance activities per feature'),
    para(
      t(
        'A feature has high process risk when its failure may foreseeably compromise product quality or patient safety (FDA CSA). High-risk features get scripted testing; the others unscripted (exploratory or ad-hoc) testing, still recorded. The risks below are the makers’ assessment for the intended use above; confirm or change each one for yours.',
      ),
    ),
    {
      kind: 'table',
      columns: [
        { title: 'Feature', width: 3 },
        { title: 'What a failure could cause', width: 3 },
        { title: 'Process risk (makers)', width: 1 },
        { title: 'Assurance activity', width: 3 },
        { title: 'Requirements', width: 2 },
        { title: 'Your risk determination', width: 2 },
      ],
      rows: FEATURE_RISKS.map((f) => [
        [t(f.feature)],
        [t(f.failure)],
        [t(f.risk)],
        [t(f.assurance)],
        refs(f.requirements.filter((id) => requirementIds.has(id))),
        [todo('high / not high, and why')],
      ]),
    },
    heading(2, 'Unscripted testing of the features that are not high risk'),
    para(
      todo(
        'date, tester, the features exercised on your own project (for example the trace matrices, the gap scan, the SBOM export), what was looked for, issues found and their disposition',
      ),
    ),
    heading(1, 'Requirements, acceptance tests and results'),
    run.source === 'self-validate'
      ? para(
          t(
            'Results of this run of the acceptance suite shipped in the package (validation/acceptance/), run by ',
          ),
          { code: 'dossier self-validate' },
          t(' against the environment described below.'),
        )
      : para(
          t(
            `Results recorded in the validation project's test runs${run.sourceNote ? ` (${run.sourceNote})` : ''}; run `,
          ),
          { code: 'dossier self-validate --out DIR' },
          t(' to produce them in your environment.'),
        ),
    {
      kind: 'table',
      columns: [
        { title: 'Requirement', width: 1 },
        { title: 'Title', width: 4 },
        { title: 'Acceptance tests', width: 2 },
        { title: 'Result', width: 1 },
      ],
      rows: kit.requirements.map((r) => [
        [ref(r.id)],
        [t(r.title)],
        refs(testsOf(r.id).map((x) => x.id)),
        [t(requirementResult(r.id))],
      ]),
    },
    heading(2, 'Acceptance tests'),
    {
      kind: 'table',
      columns: [
        { title: 'Test', width: 1 },
        { title: 'Title', width: 4 },
        { title: 'Level', width: 1 },
        { title: 'Verifies', width: 2 },
        { title: 'Result', width: 1 },
      ],
      rows: kit.tests.map((x) => [
        [ref(x.id)],
        [t(x.title)],
        [t(x.level)],
        refs(x.verifies),
        [t(OUTCOME_LABEL[outcomes.get(x.id) ?? 'not-run'])],
      ]),
    },
  ];
  const problems = run.cases.filter((c) => c.outcome !== 'passed');
  if (problems.length > 0) {
    blocks.push(heading(2, 'Cases that did not pass'), {
      kind: 'table',
      columns: [
        { title: 'Case', width: 4 },
        { title: 'Result', width: 1 },
        { title: 'Message', width: 5 },
      ],
      rows: problems.map((c) => [[t(c.name)], [t(OUTCOME_LABEL[c.outcome])], [t(firstLine(c.message))]]),
    });
  }
  blocks.push(
    heading(1, 'Known anomalies'),
    kit.anomalies.length === 0
      ? para(
          t(
            'No open problem report in the validation kit. Check the project’s issue tracker for problems reported after this version, and record here any anomaly found in your own testing: ',
          ),
          todo('anomalies found and their disposition, or "none"'),
        )
      : {
          kind: 'table',
          columns: [
            { title: 'Problem report', width: 1 },
            { title: 'Title', width: 4 },
            { title: 'State', width: 1 },
            { title: 'Impact on your intended use', width: 3 },
          ],
          rows: kit.anomalies.map((a) => [[ref(a.id)], [t(a.title)], [t(a.state)], [todo('evaluation')]]),
        },
    heading(1, 'Environment'),
    {
      kind: 'fields',
      rows: [
        ['Dossier version', [t(options.version)]],
        ['Node.js', [t(env?.node ?? 'not recorded (results from the project’s test runs)')]],
        ['Operating system', [t(env?.os ?? 'not recorded')]],
        ['Commit', [t(env ? (env.commit ?? 'not known (installed package)') : 'not recorded')]],
        ['Command-line interface tested', [t(env?.cli ?? 'not recorded')]],
        ...(env?.cliOverride
          ? ([
              [
                'WARNING',
                [strong(`not the package's own CLI: DOSSIER_SELF_VALIDATE_CLI=${env.cliOverride}`)],
              ],
            ] as const)
          : []),
        ['Date of the run', [t(run.date)]],
        ['Your environment (machines, CI, network, installation method)', [todo('describe')]],
      ],
    },
    heading(1, 'Conclusion'),
    para(
      t('Result: '),
      strong(verdict.passed ? 'PASS' : 'FAIL'),
      t(
        ` — ${verdict.counts.passed} of ${kit.tests.length} acceptance tests passed` +
          (verdict.passed
            ? '.'
            : `; ${verdict.reasons.length} problem(s): ${verdict.reasons.slice(0, 20).join('; ')}.`),
      ),
    ),
    para(
      t('Validation decision for your intended use: '),
      todo('acceptable / not acceptable, with the rationale and any restrictions of use'),
    ),
    heading(1, 'Approval'),
    {
      kind: 'table',
      columns: [
        { title: 'Role', width: 2 },
        { title: 'Name', width: 2 },
        { title: 'Signature', width: 2 },
        { title: 'Date', width: 1 },
      ],
      rows: ['Prepared by', 'Reviewed by', 'Approved by (quality)'].map((role) => [
        [t(role)],
        [todo('name')],
        [todo('signature')],
        [todo('date')],
      ]),
    },
  );
  const contentHash = createHash('sha256')
    .update(JSON.stringify({ kit, cases: run.cases, version: options.version }))
    .digest('hex');
  return {
    modelVersion: DOCUMENT_MODEL_VERSION,
    key: 'TVR',
    title: 'Tool Validation Report',
    device: options.device,
    manufacturer: options.manufacturer,
    control: {
      number: `${TO_COMPLETE}: your document number`,
      author: `${TO_COMPLETE}: who prepared it`,
      baseline: options.version,
      revision: `${options.version}+${contentHash.slice(0, 8)}`,
      contentHash,
      date: run.date,
      status: 'uncontrolled draft',
      statusReason: `To be completed and approved by the user: every place marked ${TO_COMPLETE}`,
      approvalHint:
        'not approved: complete the Approval section and approve the report in your document control system',
      fingerprint: `sha256:${contentHash}`,
      signatories: [],
    },
    records: [...kit.requirements.map((r) => r.id), ...kit.tests.map((x) => x.id)].sort(),
    blocks,
  };
}

function firstLine(text: string | undefined): string {
  if (!text) return '';
  const line = text.split('\n').find((l) => l.trim() !== '') ?? '';
  return line.length > 300 ? `${line.slice(0, 300)}…` : line;
}

/** The report in Markdown and HTML. */
export function renderToolValidationReport(doc: DocumentModel): { markdown: string; html: string } {
  return { markdown: renderMarkdown(doc), html: renderHtml(doc) };
}
