import { z } from 'zod';
import { soupCpeProblem } from '../soup/cpe/name.js';
import { normalizeRepoUrl } from '../soup/osv/git.js';
import { calendarDateSchema } from '../util/calendar-date.js';
import { KIND_NAMES, type KindName } from './kind-names.js';
import { STAMP_PATTERN, stampListProblems } from './link-stamp.js';
import {
  ASSURANCE_METHODS,
  ASSURANCE_OUTCOMES,
  CHANGE_STATES,
  DEPENDENCY_SCOPES,
  ISSUE_DISPOSITIONS,
  ITEM_TYPES,
  PLAN_TYPES,
  PROBLEM_CRITICALITIES,
  PROBLEM_ORIGINS,
  PROBLEM_STATES,
  PROCESS_RISKS,
  RECORDED_ASSURANCE_METHODS,
  REQUIREMENT_CATEGORY_KEYS,
  REVIEW_CRITERION_KEYS,
  REVIEW_OUTCOMES,
  REVIEW_TYPE_KEYS,
  RISK_CONTROL_IMPLEMENTATIONS,
  RISK_CONTROL_OPTIONS,
  SAFETY_CLASSES,
  SECURITY_CONTROL_CATEGORY_KEYS,
  SECURITY_FINDING_DISPOSITIONS,
  SECURITY_LABELING_TOPICS,
  SECURITY_TEST_TYPES,
  SOFTWARE_CAUSE_KEYS,
  STRIDE_CATEGORIES,
  SUBMISSION_OUTCOMES,
  SUPPORT_LEVELS,
  TEST_LEVELS,
  TEST_METHODS,
  TEST_OUTCOMES,
  UNIT_ACCEPTANCE_KEYS,
  VALIDATION_DECISIONS,
  VEX_JUSTIFICATIONS,
  VEX_STATES,
} from './vocabulary.js';

export { KIND_NAMES, type KindName };

/**
 * The kinds that are the design of the device and its trace: what a change to the device changes,
 * and what change impact walks. The administrative kinds (problem reports, change requests,
 * releases, runs, plans, reviews, attestations) record the process, not the design.
 */
export const DESIGN_KINDS: ReadonlySet<KindName> = new Set<KindName>([
  'user-need',
  'system-requirement',
  'software-requirement',
  'software-item',
  'soup',
  'hazard',
  'hazardous-situation',
  'risk-control',
  'test',
  'vulnerability-evaluation',
  'threat-model',
  'threat',
  'security-risk',
  'security-control',
  'security-labeling',
]);

/** A typed, directional link written on the downstream record. */
export interface LinkSpec {
  /** Field name on the record that holds the target ids. */
  readonly field: string;
  /** Kinds the link may point to. */
  readonly targets: readonly KindName[];
  /** Name of the computed reverse link on the target, e.g. `derivesFrom` → `derivedBy`. */
  readonly reverse: string;
  /** At most this many targets (a software item has one parent). */
  readonly max?: number;
  /**
   * The source depends on the target's content: when the target changes after the link was last
   * reviewed, the link is suspect (docs/change-control.md). Its review state lives on the source
   * record, in `linkReviews`.
   */
  readonly suspect?: true;
  readonly description: string;
}

export interface KindSpec {
  readonly name: KindName;
  readonly label: string;
  readonly defaultPrefix: string;
  readonly description: string;
  /** Clauses the kind serves; shown in documentation and diagnostics. */
  readonly clauses: readonly string[];
  /** True when the record's text is its statement and must not be empty (62304 5.2.6 c, testable and unambiguous). */
  readonly statementRequired: boolean;
  /** Kind-specific fields (links excluded). */
  readonly fields: z.ZodRawShape;
  readonly links: readonly LinkSpec[];
}

const isoDate = calendarDateSchema();
/** A key of a list inside a record (a threat model's assets, boundaries and interfaces). */
const key = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]*$/, 'keys are lower-case words and digits joined by hyphens, e.g. "wifi"')
  .describe('Key other records refer to it by');
const text = (description: string) => z.string().describe(description);
const count = (description: string) => z.number().int().nonnegative().describe(description);

/**
 * Companion files that hold the rest of a long list (src/model/continuation.ts): written by the
 * import when one file would be over `limits.maxFileBytes`, loaded as part of the record.
 */
const continuedIn = (list: string) =>
  z
    .array(z.string().min(1))
    .min(1)
    .describe(
      `Companion files, relative to this record's file, that hold the rest of \`${list}\` (each starts \`continues: <this id>\`); written by \`dossier evidence import\` when one file would be over \`limits.maxFileBytes\`, and loaded as part of this record`,
    )
    .optional();

/** The first software version a record applies to; release gates of earlier versions leave it out. */
const introducedIn = z
  .string()
  .min(1)
  .describe(
    'First software version this record applies to (quote it, e.g. "1.2.0"); earlier releases are gated without it',
  )
  .optional();

/**
 * The review state of the record's tracked links (LinkSpec.suspect): a list of one plain string per
 * link, the target id, the target's fingerprint when the link was last reviewed, the date and who
 * reviewed it (src/model/link-stamp.ts). Outside the record's own fingerprint (NOT_CONTENT), so
 * reviewing a link never makes the links to this record suspect.
 */
const linkReviews = z
  // One pattern test per stamp in a plain loop, not a zod array of strings: a large project has
  // hundreds of thousands of stamps, and zod's per-item parsing cost three times the test itself.
  // The JSON Schema says the same (meta below); issues carry the stamp's index, so a malformed
  // stamp is a finding at its line.
  .unknown()
  .superRefine((value, ctx) => {
    for (const problem of stampListProblems(value)) {
      if (problem.kind === 'not-a-list') {
        ctx.addIssue({ code: 'invalid_type', expected: 'array', input: value });
      } else if (problem.kind === 'not-text') {
        ctx.addIssue({
          code: 'invalid_type',
          expected: 'string',
          input: problem.value,
          path: [problem.index],
        });
      } else {
        ctx.addIssue({
          code: 'custom',
          input: problem.value,
          message: problem.message,
          ...(problem.index === undefined ? {} : { path: [problem.index] }),
        });
      }
    }
  })
  .meta({
    type: 'array',
    items: {
      type: 'string',
      pattern: STAMP_PATTERN.source,
      description:
        'The link\'s review stamp: "<target id> <target fingerprint> <YYYY-MM-DD> <reviewer>", optionally followed by " [<review id>]"',
    },
  })
  .describe(
    'Review state of the tracked links, one stamp per link: the target fingerprint each link was last reviewed against, when and by whom (`dossier suspect --clear` writes it); a link whose target changed since is suspect (link/suspect)',
  )
  .optional();

/**
 * One text, or a non-empty list of them, each checked on its own so that a bad one is a finding at
 * its line (a list item's index in the path); the JSON Schema says the same.
 */
function oneOrList(spec: {
  readonly notAList: string;
  readonly problemOf: (text: unknown) => string | undefined;
  readonly item: Record<string, unknown>;
  readonly description: string;
}) {
  return z
    .unknown()
    .superRefine((value, ctx) => {
      const list = typeof value === 'string' ? [value] : value;
      if (!Array.isArray(list) || list.length === 0) {
        ctx.addIssue({ code: 'custom', input: value, message: spec.notAList });
        return;
      }
      for (const [index, text] of list.entries()) {
        const problem = spec.problemOf(text);
        if (problem)
          ctx.addIssue({
            code: 'custom',
            input: text,
            message: problem,
            ...(typeof value === 'string' ? {} : { path: [index] }),
          });
      }
    })
    .meta({ oneOf: [spec.item, { type: 'array', minItems: 1, items: spec.item }] })
    .describe(spec.description)
    .optional();
}

/**
 * The CPE 2.3 names of a SOUP item (NVD matching): one formatted string, or a list when the NVD
 * files the product under more than one vendor (Mbed TLS: `arm` and `trustedfirmware`). Checked
 * here string by string so that a malformed one is a finding at its line; that the version is the
 * record's `version` is the rule soup/cpe-version.
 */
const cpeField = oneOrList({
  notAList:
    'cpe is a CPE 2.3 formatted string, or a non-empty list of them: cpe:2.3:a:<vendor>:<product>:<version>:*:*:*:*:*:*:*',
  problemOf: soupCpeProblem,
  item: { type: 'string', pattern: '^cpe:2\\.3:[aoh]:' },
  description:
    'CPE 2.3 name(s) of this exact version, as the NVD writes the product (cpe:2.3:a:<vendor>:<product>:<version>:*:*:*:*:*:*:*); a list when the NVD uses several vendor names. The identity NVD CVEs are matched by',
});

/**
 * The source repository of a SOUP item (OSV advisories keyed by git: OSS-Fuzz, CVEs osv.dev
 * converted from the NVD): one URL, or a list when the project moved (ARMmbed/mbedtls became
 * Mbed-TLS/mbedtls). Each must be a repository URL (https, http, git, ssh, or `git@host:owner/repo`).
 */
const repositoryField = oneOrList({
  notAList: 'repository is a repository URL (https://github.com/<owner>/<repo>), or a non-empty list of them',
  problemOf: (text) =>
    typeof text === 'string' && normalizeRepoUrl(text) !== undefined
      ? undefined
      : `"${String(text)}" is not a repository URL (https://<host>/<owner>/<repo>, git://…, ssh://…, or git@<host>:<owner>/<repo>.git)`,
  item: { type: 'string', minLength: 1 },
  description:
    'Source repository URL(s) of the SOUP (a list when the project moved); with `version`, the identity OSV advisories keyed by git (GIT ranges, versions[] tags) are matched by',
});

/** Records of a release configuration, each at its version (8.1.3). */
const versionedIds = (id: string, version: string) =>
  z.array(
    z.strictObject({
      id: z.string().min(1).describe(id),
      version: z.string().min(1).describe(version),
    }),
  );

const ALL_TRACEABLE: readonly KindName[] = [
  'user-need',
  'system-requirement',
  'software-requirement',
  'software-item',
  'soup',
  'risk-control',
  'test',
];

export const KINDS: readonly KindSpec[] = [
  {
    name: 'user-need',
    label: 'User need',
    defaultPrefix: 'UN',
    description: 'A need of users or patients; the design input that validation traces to.',
    clauses: ['ISO 13485 7.3.3'],
    statementRequired: true,
    fields: {
      source: text('Where the need came from, e.g. a clinical workshop or complaint trend').optional(),
    },
    links: [],
  },
  {
    name: 'system-requirement',
    label: 'System requirement',
    defaultPrefix: 'SYS',
    description: 'A device-level requirement that the software helps satisfy.',
    clauses: ['5.1.3', '5.2.1'],
    statementRequired: true,
    fields: {
      introducedIn,
      linkReviews,
    },
    links: [
      {
        field: 'derivesFrom',
        targets: ['user-need', 'system-requirement'],
        reverse: 'derivedBy',
        suspect: true,
        description: 'User needs or parent system requirements this requirement refines',
      },
    ],
  },
  {
    name: 'software-requirement',
    label: 'Software requirement',
    defaultPrefix: 'SRS',
    description: 'A software requirement (IEC 62304 5.2).',
    clauses: ['5.2.1', '5.2.2', '5.2.3', '5.2.6'],
    statementRequired: true,
    fields: {
      introducedIn,
      category: z.enum(REQUIREMENT_CATEGORY_KEYS).describe('IEC 62304 5.2.2 content category (a–l)'),
      riskControl: z
        .boolean()
        .describe('True when the requirement implements a software risk control measure (5.2.3, 7.2.2 a)')
        .optional(),
      source: text(
        'Other source the requirement traces to when not derived from a system requirement (5.2.6 f)',
      )
        .min(1)
        .optional(),
      linkReviews,
    },
    links: [
      {
        field: 'derivesFrom',
        targets: ['system-requirement', 'software-requirement', 'user-need'],
        reverse: 'derivedBy',
        suspect: true,
        description:
          'System requirements (or parent software requirements) this requirement derives from (5.2.1)',
      },
      {
        field: 'implements',
        targets: ['risk-control'],
        reverse: 'implementedBy',
        suspect: true,
        description: 'Risk control measures this requirement implements (5.2.3, 7.2.2 a)',
      },
    ],
  },
  {
    name: 'software-item',
    label: 'Software item',
    defaultPrefix: 'SI',
    description: 'The software system, a software item or a software unit of the architecture (5.3, 5.4).',
    clauses: ['4.3', '5.3.1', '5.3.2', '5.3.5', '5.4.1'],
    statementRequired: false,
    fields: {
      introducedIn,
      itemType: z.enum(ITEM_TYPES).describe('system, item or unit'),
      safetyClass: z.enum(SAFETY_CLASSES).describe('Declared software safety class (4.3)').optional(),
      segregation: z
        .strictObject({
          rationale: z.string().min(1).describe('Why the item can be classified on its own (4.3 d)'),
          mechanism: z
            .string()
            .min(1)
            .describe('The segregation mechanism and how it is made effective (5.3.5)')
            .optional(),
        })
        .describe('Required when the item has a lower class than its parent')
        .optional(),
      interfaces: text(
        'Interfaces to other items and to external hardware and software (5.3.2); for a class C unit, the detailed design of its interfaces (5.4.3)',
      ).optional(),
      design: text(
        'Class C units: the detailed design, enough to implement the unit correctly (5.4.2): its responsibilities, data, algorithms, states and error handling',
      ).optional(),
      noContribution: z
        .string()
        .regex(/\S/, 'give the reason the item cannot contribute to a hazardous situation')
        .describe(
          'Outcome of the hazard analysis when the item cannot contribute to any hazardous situation: why (4.3 a, 7.1.1). An item records either this or its contributions (contributesTo, causes); with neither it is not analysed and is class C (4.3 g)',
        )
        .optional(),
      causes: z
        .array(
          z.strictObject({
            situation: z.string().min(1).describe('The hazardous situation this cause can lead to (7.1.1)'),
            category: z.enum(SOFTWARE_CAUSE_KEYS).describe('IEC 62304 7.1.2 category (a–e)'),
            description: z.string().min(1).describe('How the item could contribute'),
            soup: z.string().min(1).describe('The SOUP item, for category soup (7.1.2 c)').optional(),
            controls: z
              .array(z.string())
              .describe('Risk control measures that address this cause (7.2.1)')
              .optional(),
          }),
        )
        .describe('Potential causes of contribution to hazardous situations (7.1.2, 7.1.4, 7.3.3)')
        .optional(),
      unitVerification: z
        .partialRecord(
          z.enum(UNIT_ACCEPTANCE_KEYS),
          z.strictObject({
            tests: z.array(z.string().min(1)).describe('Tests that show the criterion is met').optional(),
            evidence: z
              .string()
              .min(1)
              .describe('Other evidence: review, analysis, static analysis')
              .optional(),
            notApplicable: z
              .string()
              .min(1)
              .describe('Why the criterion does not apply to this unit')
              .optional(),
          }),
        )
        .describe(
          'Class C units: the eight 5.5.4 acceptance criteria, each with evidence or a reasoned not-applicable',
        )
        .optional(),
      sourceFiles: z
        .array(z.string().min(1))
        .describe('Globs of the source files of this item or unit (code tags, coverage and static analysis)')
        .optional(),
      linkReviews,
    },
    links: [
      {
        field: 'partOf',
        targets: ['software-item'],
        reverse: 'parts',
        max: 1,
        description: 'The parent item (software system → item → unit)',
      },
      {
        field: 'implements',
        targets: ['software-requirement'],
        reverse: 'implementedBy',
        suspect: true,
        description: 'Software requirements this item implements (5.3.1)',
      },
      {
        field: 'contributesTo',
        targets: ['hazardous-situation'],
        reverse: 'contributors',
        description: 'Hazardous situations this item can contribute to (7.1.1)',
      },
      { field: 'uses', targets: ['soup'], reverse: 'usedBy', description: 'SOUP items this item uses' },
    ],
  },
  {
    name: 'soup',
    label: 'SOUP item',
    defaultPrefix: 'SOUP',
    description: 'Software of unknown provenance: a third-party component (5.3.3, 5.3.4, 7.1.3, 8.1.2).',
    clauses: ['5.3.3', '5.3.4', '7.1.3', '8.1.2'],
    statementRequired: false,
    fields: {
      manufacturer: z
        .string()
        .min(1)
        .describe('Supplier, vendor or open-source project (8.1.2 b)')
        .optional(),
      version: z.string().min(1).describe('Unique version designator (8.1.2 c); quote numbers like "1.0"'),
      purl: text('Package URL with version; the identity used to match advisories').optional(),
      cpe: cpeField,
      repository: repositoryField,
      dependency: z
        .enum(DEPENDENCY_SCOPES)
        .describe('direct: the software names it; transitive: another component pulls it in')
        .optional(),
      sources: z
        .array(z.string().min(1))
        .describe('Lockfiles or SBOMs it was imported from (written by `dossier soup import`)')
        .optional(),
      hashes: z
        .array(z.strictObject({ alg: z.string().min(1), content: z.string().min(1) }))
        .describe('Integrity hashes of the artefact used, CycloneDX algorithm names')
        .optional(),
      license: text('Licence (SPDX expression)').optional(),
      website: text('Project or vendor web site').optional(),
      requirements: text('Functional and performance requirements for our intended use (5.3.3)').optional(),
      systemRequirements: text('Hardware and software the SOUP needs to work properly (5.3.4)').optional(),
      anomalyReview: z
        .strictObject({
          date: isoDate.describe(
            'When the anomaly lists were reviewed; counts for a release within soup.anomalyReviewMaxAgeDays before its date',
          ),
          reviewer: z.string().optional(),
          conclusion: z.string().min(1),
          coversVulnerabilities: z
            .boolean()
            .describe(
              'True when the review also searched the vulnerability sources (CVE/NVD, the supplier security advisories) for this version: required for SOUP no advisory database can match (7.1.3)',
            )
            .optional(),
          sources: z
            .array(z.string().min(1))
            .min(1)
            .describe(
              'Anomaly lists and vulnerability sources consulted: bug tracker, errata, release notes, NVD query, supplier advisories',
            )
            .optional(),
        })
        .describe('Review of the published anomaly list for this version (7.1.3)')
        .optional(),
      supportLevel: z
        .enum(SUPPORT_LEVELS)
        .describe('Level of support (FDA cybersecurity guidance)')
        .optional(),
      endOfSupport: isoDate.describe('End-of-support date (FDA cybersecurity guidance)').optional(),
      supportJustification: text(
        'How the support level was assessed, or why it is unknown (cdx:fda:justification)',
      ).optional(),
      supportSource: text(
        'Where the support information came from, when `soup import` took it from an SBOM: the file and its properties',
      ).optional(),
      removed: z
        .strictObject({
          date: isoDate,
          from: z.string().min(1).describe('The lockfile or SBOM it disappeared from'),
        })
        .describe('Set by `dossier soup import` when the component is no longer in the build')
        .optional(),
      versionChanges: z
        .array(
          z.strictObject({
            from: z.string().min(1),
            to: z.string().min(1),
            date: isoDate,
            source: z.string().min(1).describe('The lockfile or SBOM that showed the change').optional(),
            changeRequest: z
              .string()
              .min(1)
              .describe('Change request that evaluated it (7.4.1, 8.2)')
              .optional(),
            evaluation: z
              .string()
              .min(1)
              .describe('Why the new version is acceptable: anomalies, requirements still met (7.4.1, 6.1 f)')
              .optional(),
          }),
        )
        .describe(
          'Version changes recorded by `dossier soup import`; each needs an evaluation (7.4.1, 6.1 f)',
        )
        .optional(),
    },
    links: [
      {
        field: 'dependsOn',
        targets: ['soup'],
        reverse: 'requiredBy',
        description: 'SOUP items this one depends on (the SBOM dependency relationship)',
      },
    ],
  },
  {
    name: 'vulnerability-evaluation',
    label: 'Vulnerability evaluation',
    defaultPrefix: 'VE',
    description:
      'The evaluation of one published anomaly or vulnerability for one SOUP item (7.1.3; FDA cybersecurity; VEX).',
    clauses: ['7.1.3', '7.1.2 c', 'FD&C 524B'],
    statementRequired: false,
    fields: {
      advisory: z
        .string()
        .min(1)
        .describe('Advisory id as published (GHSA-…, PYSEC-…, RUSTSEC-…, CVE-…); any alias matches'),
      aliases: z.array(z.string().min(1)).describe('Other ids of the same vulnerability').optional(),
      version: z
        .string()
        .min(1)
        .describe('SOUP version evaluated; a different version in use re-opens the finding')
        .optional(),
      state: z.enum(VEX_STATES).describe('not_affected, affected, fixed or under_investigation (OpenVEX)'),
      justification: z
        .enum(VEX_JUSTIFICATIONS)
        .describe('Why the device is not affected (OpenVEX vocabulary); required for not_affected')
        .optional(),
      impact: text('Impact statement: what the vulnerability means for this device').optional(),
      action: text('Action statement: what is done about it; required when affected').optional(),
      securityRisk: text('The security risk it creates, when not a hazardous situation').optional(),
      reviewer: z.string().min(1).describe('Who evaluated it'),
      date: isoDate.describe('When it was evaluated'),
      linkReviews,
    },
    links: [
      {
        field: 'soup',
        targets: ['soup'],
        reverse: 'evaluations',
        max: 1,
        suspect: true,
        description: 'The SOUP item evaluated',
      },
      {
        field: 'hazardousSituations',
        targets: ['hazardous-situation'],
        reverse: 'vulnerabilities',
        description: 'Hazardous situations the vulnerability can lead to (7.1.3)',
      },
      {
        field: 'riskControls',
        targets: ['risk-control'],
        reverse: 'vulnerabilityControls',
        description: 'Risk control measures that address it',
      },
    ],
  },
  {
    name: 'test-run',
    label: 'Test run',
    defaultPrefix: 'RUN',
    description:
      'One execution of tests on one software version: imported from a test report or recorded by hand (5.6.7, 5.7.5, 9.8).',
    clauses: ['5.5.5', '5.6.7', '5.7.5', '9.8'],
    statementRequired: false,
    fields: {
      version: z.string().min(1).describe('Software version or build tested (5.7.5 c)'),
      commit: text('Commit or build id tested').optional(),
      date: isoDate.describe('When the tests ran (5.7.5 f)'),
      executedBy: z.string().min(1).describe('Who ran and recorded the tests (5.7.5 g)'),
      environment: text('Hardware and software test configuration (5.7.5 d)').optional(),
      tools: z.array(z.string().min(1)).describe('Test tools and their versions (5.7.5 e)').optional(),
      level: z.enum(TEST_LEVELS).describe('Test level of the run, when all its tests share one').optional(),
      manual: z
        .literal(true)
        .describe(
          'Recorded by hand, not imported from a report: its approval is what makes it evidence (5.7.5); a run has either `manual: true` or a `report`',
        )
        .optional(),
      report: z
        .strictObject({
          file: z.string().min(1).describe('The report as imported, relative to the project root'),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
          format: z.string().min(1),
        })
        .describe('The source report of an imported run; importing it again changes nothing')
        .optional(),
      totals: z
        .strictObject({
          tests: count('Distinct tests (names) in the report'),
          executions: count('Executions: testcase elements, repeated names included (5.7.5 b)'),
          passed: count('Executions that passed'),
          failed: count('Executions that failed'),
          errors: count('Executions that ended in an error'),
          skipped: count('Executions skipped or not run'),
          flaky: count('Executions that passed on an explicit rerun after failing').optional(),
        })
        .describe("The report's totals as read, one execution per testcase element")
        .optional(),
      reportWarnings: z
        .array(z.string().min(1))
        .describe(
          'What the reader found wrong with the report, e.g. declared totals that disagree with its testcases',
        )
        .optional(),
      results: z
        .array(
          z.strictObject({
            test: z.string().min(1).describe('Test record id the result belongs to').optional(),
            case: z.string().min(1).describe('Test case name as reported').optional(),
            outcome: z.enum(TEST_OUTCOMES),
            message: z.string().optional(),
            flaky: z.boolean().describe('Failed, then passed on a rerun').optional(),
          }),
        )
        .describe(
          'Results (5.7.5 b): one per execution; several for one test aggregate to the worst outcome',
        ),
      continuedIn: continuedIn('results'),
    },
    links: [
      {
        field: 'anomalies',
        targets: ['problem-report'],
        reverse: 'foundInRuns',
        description: 'Problem reports raised for anomalies found in this run (5.6.8, 5.7.2)',
      },
    ],
  },
  {
    name: 'verification-report',
    label: 'Verification report',
    defaultPrefix: 'VR',
    description:
      'Coverage or static-analysis results on one software version, tied to the units whose files they name (5.1.12, 5.5.2, 5.5.5).',
    clauses: ['5.1.12', '5.5.2', '5.5.5'],
    statementRequired: false,
    fields: {
      type: z.enum(['coverage', 'static-analysis']).describe('What the report measured'),
      version: z.string().min(1).describe('Software version or build analysed'),
      date: isoDate.describe('When the analysis ran'),
      executedBy: z.string().min(1).describe('Who ran it'),
      tools: z.array(z.string().min(1)).describe('Tools and their versions').optional(),
      report: z
        .strictObject({
          file: z.string().min(1),
          sha256: z.string().regex(/^[0-9a-f]{64}$/, 'expected 64 lower-case hex digits'),
          format: z.string().min(1),
        })
        .describe('The source report; importing it again changes nothing'),
      units: z
        .array(
          z.strictObject({
            unit: z.string().min(1).describe('Software item or unit whose `sourceFiles` the report names'),
            files: z.number().int().nonnegative().optional(),
            linesFound: z.number().int().nonnegative().optional(),
            linesHit: z.number().int().nonnegative().optional(),
            branchesFound: z.number().int().nonnegative().optional(),
            branchesHit: z.number().int().nonnegative().optional(),
            errors: z.number().int().nonnegative().optional(),
            warnings: z.number().int().nonnegative().optional(),
          }),
        )
        .describe('Per unit: coverage, or the count of unsuppressed findings')
        .optional(),
      findings: z
        .array(
          z.strictObject({
            unit: z.string().min(1).optional(),
            rule: z.string(),
            level: z.enum(['error', 'warning', 'note', 'none']),
            file: z.string().optional(),
            line: z.number().int().positive().optional(),
            message: z.string(),
            suppressed: z.boolean().optional(),
            justification: z.string().optional(),
          }),
        )
        .describe('Static-analysis findings (errors and warnings), each tied to its unit')
        .optional(),
      continuedIn: continuedIn('findings'),
    },
    links: [],
  },
  {
    name: 'hazard',
    label: 'Hazard',
    defaultPrefix: 'HAZ',
    description: 'A potential source of harm (ISO 14971 5.4).',
    clauses: ['ISO 14971 5.4'],
    statementRequired: false,
    fields: {
      category: text(
        'Hazard category, e.g. energy, biological, chemical, operational, information',
      ).optional(),
    },
    links: [],
  },
  {
    name: 'hazardous-situation',
    label: 'Hazardous situation',
    defaultPrefix: 'HS',
    description: 'A circumstance in which people are exposed to a hazard (ISO 14971 5.4, 5.5).',
    clauses: ['ISO 14971 5.4', 'ISO 14971 5.5', '7.1'],
    statementRequired: false,
    fields: {
      sequenceOfEvents: z
        .array(z.string())
        .describe('Steps from the initiating cause to the exposure')
        .optional(),
      harm: text('The harm that can result').optional(),
      severity: text('Severity of the harm: a key of the configured severity scale').optional(),
      p1: text('Probability that the hazardous situation occurs: a key of the probability scale').optional(),
      p2: text(
        'Probability that the hazardous situation leads to harm: a key of the probability scale',
      ).optional(),
      probability: text('Probability of harm when not given as P1 and P2').optional(),
      residualSeverity: text('Severity after risk control measures').optional(),
      residualProbability: text('Probability of harm after risk control measures').optional(),
      withExternalControls: z
        .strictObject({
          probability: z
            .string()
            .describe(
              'Probability of harm with software failure taken as certain and only external controls',
            ),
          severity: z
            .string()
            .describe('Severity with only external controls (default: severity)')
            .optional(),
          credits: z
            .array(z.string().min(1))
            .min(1)
            .describe(
              'The risk controls external to the software system this estimate relies on; each must mitigate the situation, be implemented outside the software and be verified',
            )
            .optional(),
          rationale: z.string().describe('Why the external controls reduce the risk this far').optional(),
        })
        .describe('Risk when only risk controls external to the software system count (IEC 62304 4.3 a)')
        .optional(),
      benefitRisk: text(
        'Benefit–risk conclusion when the residual risk is not acceptable (ISO 14971 7.4)',
      ).optional(),
      linkReviews,
    },
    links: [
      {
        field: 'arisesFrom',
        targets: ['hazard'],
        reverse: 'situations',
        suspect: true,
        description: 'The hazard',
      },
    ],
  },
  {
    name: 'risk-control',
    label: 'Risk control measure',
    defaultPrefix: 'RC',
    description: 'A risk control measure (ISO 14971 7.1, IEC 62304 7.2).',
    clauses: ['ISO 14971 7.1', '7.2.1', '7.2.2', '7.3.1'],
    statementRequired: true,
    fields: {
      introducedIn,
      option: z.enum(RISK_CONTROL_OPTIONS).describe('ISO 14971 7.1 option, in priority order'),
      implementedIn: z
        .enum(RISK_CONTROL_IMPLEMENTATIONS)
        .describe('software = inside the software system; everything else is external to it'),
      linkReviews,
    },
    links: [
      {
        field: 'mitigates',
        targets: ['hazardous-situation'],
        reverse: 'mitigatedBy',
        suspect: true,
        description: 'Hazardous situations whose risk this measure reduces',
      },
    ],
  },
  {
    name: 'test',
    label: 'Test',
    defaultPrefix: 'TC',
    description: 'A verification or validation test (5.5, 5.6, 5.7).',
    clauses: ['5.5.5', '5.6.3', '5.7.1'],
    statementRequired: false,
    fields: {
      introducedIn,
      level: z.enum(TEST_LEVELS).describe('unit, integration, system or validation'),
      method: z.enum(TEST_METHODS).describe('Verification method (default: test)').optional(),
      procedure: text('Inputs and actions').optional(),
      expectedResults: text('Expected results').optional(),
      acceptanceCriteria: text('Pass/fail criteria').optional(),
      patterns: z
        .array(z.string().min(1))
        .describe('Globs over "classname.name" or "suite › name" that map imported results to this test')
        .optional(),
      linkReviews,
    },
    links: [
      {
        field: 'verifies',
        targets: [
          'software-requirement',
          'system-requirement',
          'user-need',
          'risk-control',
          'software-item',
          'security-control',
          'feature',
        ],
        reverse: 'verifiedBy',
        suspect: true,
        description:
          'Requirements, risk controls, security controls or items this test verifies; for production software, the features it tests (scripted testing)',
      },
      {
        field: 'verifiesEffectiveness',
        targets: ['risk-control'],
        reverse: 'effectivenessVerifiedBy',
        suspect: true,
        description: 'Risk controls whose effectiveness this test shows (ISO 14971 7.2)',
      },
    ],
  },
  {
    name: 'problem-report',
    label: 'Problem report',
    defaultPrefix: 'PR',
    description: 'A software problem report (clause 9).',
    clauses: ['9.1', '9.2', '9.3', '9.5'],
    statementRequired: true,
    fields: {
      state: z.enum(PROBLEM_STATES).describe('Where the problem is in its resolution').optional(),
      reported: isoDate.describe('Date reported').optional(),
      reporter: text('Who reported it').optional(),
      origin: z.enum(PROBLEM_ORIGINS).describe('How the problem was found').optional(),
      criticality: z.enum(PROBLEM_CRITICALITIES).describe('Statement of criticality (9.1)').optional(),
      safetyRelevant: z.boolean().describe('Outcome of the clause 7 safety evaluation (9.2 b)').optional(),
      affectedVersions: z.array(z.string()).describe('Released versions affected').optional(),
      investigation: text('Cause and outcome of the investigation (9.2)').optional(),
      rationaleNoAction: text('Why no change is made (9.2 d)').optional(),
      category: text('Trend category (9.6), e.g. a defect class from AAMI SW91').optional(),
      partiesAdvised: text('Relevant parties advised of the problem (9.3)').optional(),
      resolutionVerification: text(
        'How the resolution was verified: problem resolved, trend reversed, no new problems (9.7)',
      ).optional(),
      residualRisk: text(
        'For a known anomaly of a release: why it does not contribute to unacceptable risk (5.8.3)',
      ).optional(),
      userImpact: text(
        'For a known anomaly: its impact on operator use and human factors (FDA 2023 software guidance, unresolved anomalies)',
      ).optional(),
      workaround: text(
        'For a known anomaly: the workarounds or mitigations users are given, or why none is needed',
      ).optional(),
      securityAssessment: text(
        'For a known anomaly: whether it has a cybersecurity impact, and why (FDA 2023 software and premarket cybersecurity guidance)',
      ).optional(),
      history: z
        .array(
          z.strictObject({
            date: isoDate,
            state: z.enum(PROBLEM_STATES),
            by: z.string().min(1).optional(),
            note: z.string().optional(),
          }),
        )
        .describe('State changes in order (8.3 configuration status accounting)')
        .optional(),
    },
    links: [
      {
        field: 'affects',
        targets: ['software-item', 'software-requirement', 'soup'],
        reverse: 'problems',
        description: 'Items, requirements or SOUP affected',
      },
      {
        field: 'foundBy',
        targets: ['test'],
        reverse: 'found',
        description: 'Tests that revealed the problem',
      },
      {
        field: 'hazardousSituations',
        targets: ['hazardous-situation'],
        reverse: 'problemReports',
        description:
          'Hazardous situations the problem can lead to or makes more likely; required when it is safety-relevant (9.2, 9.5)',
      },
    ],
  },
  {
    name: 'change-request',
    label: 'Change request',
    defaultPrefix: 'CR',
    description: 'A change request (6.2.3, 7.4, 8.2).',
    clauses: ['6.2.3', '6.2.4', '7.4', '8.2.1', '8.2.4'],
    statementRequired: true,
    fields: {
      state: z.enum(CHANGE_STATES).describe('Where the change is in change control').optional(),
      impactAnalysis: text(
        'Effect on the organisation, released software and interfacing systems (6.2.3)',
      ).optional(),
      safetyImpact: text('New causes, needed controls, interference with controls (7.4)').optional(),
      approvedBy: text('Who approved the change (8.2.1)').optional(),
      approvedOn: isoDate.describe('When it was approved').optional(),
      verification: text('How the implemented change was verified (8.2.3, 9.7)').optional(),
      impact: z
        .strictObject({
          analysed: isoDate.describe('When the impact was analysed (`dossier impact CR-… --write`)'),
          records: z
            .array(z.string().min(1))
            .describe('Every record in the impact: changed, upstream, downstream and containing items'),
          tests: z.array(z.string().min(1)).describe('The regression test selection (5.7.3, 8.2.3)'),
          classes: z.array(z.string().min(1)).describe('Safety classes involved, most rigorous first'),
          risk: z
            .array(z.string().min(1))
            .describe('Hazardous situations and risk controls whose analysis to revisit (7.4.2, 7.4.3)'),
        })
        .describe(
          'The change impact as `dossier impact --write` analysed it from the trace (6.2.3, 7.4, 8.2.1); `impactAnalysis` keeps the human assessment',
        )
        .optional(),
      submissionDecision: z
        .strictObject({
          outcome: z
            .enum(SUBMISSION_OUTCOMES)
            .describe(
              'document-only (no new 510(k): documented in the design history file), new-510k (submitted before the change is marketed) or pre-submission (FDA asked first, Q-Sub)',
            ),
          guidance: z
            .string()
            .regex(/\S/, 'cite the guidance version the decision followed')
            .describe(
              'The guidance version followed, as in data/fda-510k-software-change.json `guidance.version`',
            ),
          decidedBy: z.string().regex(/\S/, 'say who decided').describe('Who decided (name and role)'),
          date: isoDate.describe('When it was decided'),
          rationale: z
            .string()
            .regex(/\S/, 'say why')
            .describe('Why: the answers to the questions with their evidence, the baseline compared with'),
          answers: z
            .string()
            .min(1)
            .describe('The answers file the decision rests on (`dossier impact --510k --answers`)')
            .optional(),
        })
        .describe(
          "A person's decision whether the change to a 510(k)-cleared device needs a new 510(k) (21 CFR 807.81(a)(3); FDA software-change guidance); never made by Dossier",
        )
        .optional(),
      history: z
        .array(
          z.strictObject({
            date: isoDate,
            state: z.enum(CHANGE_STATES),
            by: z.string().min(1).optional(),
            note: z.string().optional(),
          }),
        )
        .describe('State changes in order (8.3 configuration status accounting)')
        .optional(),
    },
    links: [
      {
        field: 'addresses',
        targets: ['problem-report'],
        reverse: 'addressedBy',
        description: 'Problem reports the change resolves (8.2.4)',
      },
      {
        field: 'changes',
        targets: ALL_TRACEABLE,
        reverse: 'changedBy',
        description: 'Records the change modifies',
      },
    ],
  },
  {
    name: 'release',
    label: 'Release',
    defaultPrefix: 'REL',
    description: 'A software release (5.8).',
    clauses: ['5.8'],
    statementRequired: false,
    fields: {
      version: z.string().min(1).describe('Released version identifier (5.8.4); quote numbers like "1.0"'),
      date: isoDate.describe('Release date').optional(),
      buildProcedure: text('How the released software was built (5.8.5)').optional(),
      buildEnvironment: text('Toolchain and environment used to build it (5.8.5)').optional(),
      archive: text('Where the software and documentation are archived (5.8.7)').optional(),
      delivery: text('How it is delivered without corruption or unauthorised change (5.8.8)').optional(),
      approvedBy: z
        .string()
        .regex(/\S/, 'say who authorised the release')
        .describe('Who authorised the release (5.8, ISO 13485 7.3): names and roles, or the release board')
        .optional(),
      approvedOn: isoDate.describe('When the release was authorised (on or before `date`)').optional(),
      cleared: z
        .strictObject({
          kNumber: z
            .string()
            .regex(/\S/, 'give the 510(k) number, e.g. K251873')
            .describe('The FDA 510(k) (or De Novo) number that cleared this version'),
          date: isoDate.describe('The date of the clearance letter'),
        })
        .describe(
          'This version was cleared by FDA: the baseline of `dossier impact --510k` for later changes (the most recently cleared version)',
        )
        .optional(),
      carriedForward: z
        .array(
          z.strictObject({
            run: z.string().min(1).describe('The test run of an earlier version whose results are reused'),
            tests: z
              .array(z.string().min(1))
              .min(1)
              .describe('The tests whose results are reused (default: every test the run has a result for)')
              .optional(),
            rationale: z
              .string()
              .regex(/\S/, 'say why the result still holds for this release')
              .describe(
                'Why the result still holds: what changed since and why it does not touch these tests',
              ),
          }),
        )
        .describe(
          "Test results of an earlier version reused for this release (5.6.6, 5.7.4, 8.2.3): release check verifies that no record or source file in each test's impact changed since the tested commit",
        )
        .optional(),
      configuration: z
        .strictObject({
          commit: z
            .string()
            .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/, 'give the full git commit id (40 hexadecimal digits)')
            .describe('The git commit the release was built from')
            .optional(),
          tag: z.string().min(1).describe('The git tag that names the release baseline').optional(),
          buildId: z.string().min(1).describe('Identifier of the build (CI pipeline and run)').optional(),
          artifacts: z
            .array(
              z.strictObject({
                name: z.string().min(1).describe('File name of the released artifact'),
                sha256: z
                  .string()
                  .regex(/^[0-9a-f]{64}$/, 'give the sha256 as 64 lower-case hexadecimal digits')
                  .describe('Its sha256'),
              }),
            )
            .describe('The released artifacts and their hashes')
            .optional(),
          tools: z
            .array(
              z.strictObject({
                name: z.string().min(1).describe('Tool, e.g. compiler, linker, build system'),
                version: z.string().min(1).describe('Its exact version'),
              }),
            )
            .describe('Build and development tools under configuration control (5.1.10)')
            .optional(),
          soup: versionedIds('SOUP record id', 'Version in this release')
            .describe('The SOUP baseline of the release (8.1.2)')
            .optional(),
          items: versionedIds('Software item id', 'Its version or the commit of its sources')
            .describe('The software items of the release with their versions')
            .optional(),
        })
        .describe(
          'Configuration identification of the release (8.1.3): `dossier release record VERSION` fills in what git and the project know',
        )
        .optional(),
    },
    links: [
      {
        field: 'includes',
        targets: ['change-request'],
        reverse: 'releasedIn',
        description: 'Change requests included',
      },
      {
        field: 'knownAnomalies',
        targets: ['problem-report'],
        reverse: 'knownIn',
        description: 'Known residual anomalies (5.8.2)',
      },
    ],
  },
  {
    name: 'plan',
    label: 'Plan',
    defaultPrefix: 'PLAN',
    description:
      'A plan of the software life cycle (development 5.1, maintenance 6.1, configuration management 8, problem resolution 9, risk management ISO 14971 4.4, verification, integration, cybersecurity); its required sections are data (data/plan-sections.json).',
    clauses: ['5.1.1', '5.1.2', '6.1', 'ISO 14971 4.4'],
    statementRequired: false,
    fields: {
      planType: z.enum(PLAN_TYPES).describe('Which plan this is; decides its required sections'),
      documentNumber: text('Document number in the quality system, e.g. SDP-0001').optional(),
      revision: text('Document revision, e.g. "C"').optional(),
      covers: z
        .array(z.enum(PLAN_TYPES))
        .describe(
          'Other plans this one contains as sections (5.1 lets the development plan hold configuration management and problem resolution): their sections are then required here',
        )
        .optional(),
      sections: z
        .record(z.string(), z.string())
        .describe(
          'Sections given as fields instead of Markdown headings: section key (see docs/plans.md) → its text',
        )
        .optional(),
      independentReview: z
        .array(z.enum(REVIEW_TYPE_KEYS))
        .describe('Review types that need at least one independent participant (5.1.6, ISO 13485 7.3.5)')
        .optional(),
      approvedBy: z
        .string()
        .regex(/\S/, 'say who approved the plan')
        .describe('Who approved the plan')
        .optional(),
      approvedOn: isoDate.describe('When it was approved').optional(),
      disclosureContact: text(
        'Cybersecurity plans: where vulnerability reports are received under coordinated vulnerability disclosure, e.g. a monitored address or web form (FD&C 524B(b)(1))',
      )
        .regex(/\S/, 'say where vulnerability reports are received')
        .optional(),
    },
    links: [],
  },
  {
    name: 'review',
    label: 'Review',
    defaultPrefix: 'REV',
    description:
      'A review or verification of design outputs (5.2.6, 5.3.6, 5.4.4, 5.5.2; design review ISO 13485 7.3.5): what was reviewed, at which content, by whom, the findings and the outcome.',
    clauses: ['5.2.6', '5.3.6', '5.4.4', '5.5.2', 'ISO 13485 7.3.5'],
    statementRequired: false,
    fields: {
      reviewType: z.enum(REVIEW_TYPE_KEYS).describe('What kind of review or verification this is'),
      date: isoDate.describe('When the review took place').optional(),
      participants: z
        .array(
          z.strictObject({
            name: z.string().min(1).describe('Name'),
            role: z.string().min(1).describe('Role, e.g. software lead, QA').optional(),
            independent: z
              .boolean()
              .describe('Not responsible for the design outputs under review (ISO 13485 7.3.5)')
              .optional(),
          }),
        )
        .describe('Who took part')
        .optional(),
      fingerprints: z
        .record(
          z.string(),
          z.string().regex(/^fp1:[0-9a-f]{64}$/, 'a fingerprint is fp1: and 64 hexadecimal digits'),
        )
        .describe(
          'The content fingerprint of each reviewed record at review time (`dossier review fingerprint REV-…` writes them), so a later change shows',
        )
        .optional(),
      criteria: z
        .partialRecord(
          z.enum(REVIEW_CRITERION_KEYS),
          z.strictObject({
            met: z.boolean().describe('Whether the reviewed outputs meet the criterion'),
            note: z.string().min(1).describe('What was checked, or why it is not met').optional(),
          }),
        )
        .describe('The verification criteria of the review type, one by one (5.2.6 a–f, 5.3.6 a–c, 5.4.4)')
        .optional(),
      findings: z
        .array(
          z.strictObject({
            description: z.string().min(1).describe('What the review found'),
            resolution: z.string().min(1).describe('How it was resolved').optional(),
            problemReport: z.string().min(1).describe('The problem report it became (clause 9)').optional(),
          }),
        )
        .describe('Findings: each resolved, or turned into a problem report')
        .optional(),
      outcome: z.enum(REVIEW_OUTCOMES).describe('passed, passed-with-actions or failed').optional(),
    },
    links: [
      {
        field: 'reviewed',
        targets: [
          'user-need',
          'system-requirement',
          'software-requirement',
          'software-item',
          'soup',
          'hazard',
          'hazardous-situation',
          'risk-control',
          'test',
          'plan',
          'change-request',
          'release',
        ],
        reverse: 'reviewedIn',
        description: 'The records reviewed',
      },
    ],
  },
  {
    name: 'attestation',
    label: 'Attestation',
    defaultPrefix: 'ATT',
    description:
      'A signed statement that something outside the repository exists and applies, e.g. the quality management system (4.1) or the risk management process (4.2): what, the reference, who attested it and when.',
    clauses: ['4.1', '4.2'],
    statementRequired: true,
    fields: {
      clauses: z
        .array(z.string().min(1))
        .min(1)
        .describe('The clauses or obligations it provides evidence for, e.g. "4.1", "ISO 13485 7.3.10"'),
      reference: text('The certificate, procedure or document it refers to, with its number and revision'),
      attestedBy: z.string().regex(/\S/, 'say who attested it').describe('Who attested it (name and role)'),
      date: isoDate.describe('When it was attested'),
      validUntil: isoDate.describe('When the attested evidence expires, e.g. a certificate').optional(),
    },
    links: [],
  },
  {
    name: 'threat-model',
    label: 'Threat model',
    defaultPrefix: 'TM',
    description:
      'The threat model of the system: its assets, trust boundaries, entry points and interfaces (the external communications among them), the method and the assumptions (FDA premarket cybersecurity guidance V.A.1; IEC 81001-5-1 7.2; AAMI SW96 security risk analysis).',
    clauses: ['FDA cybersecurity V.A.1', 'IEC 81001-5-1 7.2', 'AAMI SW96'],
    statementRequired: false,
    fields: {
      introducedIn,
      method: text('How threats were found, e.g. "STRIDE per data flow of the global system view"'),
      scope: text('What the model covers: system parts, lifecycle phases, use environments').optional(),
      assets: z
        .array(
          z.strictObject({
            key,
            name: z.string().min(1).describe('The asset'),
            description: z.string().min(1).optional(),
            patientSafety: z
              .boolean()
              .describe('True when compromising the asset can contribute to patient harm')
              .optional(),
          }),
        )
        .describe('What an attacker could compromise: data, functions, keys, the therapy itself')
        .optional(),
      trustBoundaries: z
        .array(
          z.strictObject({
            key,
            name: z.string().min(1).describe('The boundary'),
            description: z.string().min(1).optional(),
          }),
        )
        .describe('Where trust changes between parts of the system')
        .optional(),
      interfaces: z
        .array(
          z.strictObject({
            key,
            name: z.string().min(1).describe('The interface or entry point'),
            protocol: z
              .string()
              .min(1)
              .describe('Protocol, port or medium, e.g. "HTTPS over Wi-Fi", "USB"')
              .optional(),
            external: z
              .boolean()
              .describe(
                "True for the device's external communications (network, wireless, removable media, service ports)",
              ),
            boundary: key.describe('The trust boundary it crosses').optional(),
            description: z.string().min(1).optional(),
          }),
        )
        .describe(
          'Entry points and interfaces; every one must have its threats assessed (security/interface-unassessed)',
        )
        .optional(),
      assumptions: z
        .array(z.string().min(1))
        .describe('What the model assumes of the environment, users and other systems')
        .optional(),
    },
    links: [
      {
        field: 'softwareItems',
        targets: ['software-item'],
        reverse: 'threatModels',
        description: 'The software system and items in the model',
      },
    ],
  },
  {
    name: 'threat',
    label: 'Threat',
    defaultPrefix: 'THR',
    description:
      'A threat found in the threat model: its STRIDE categories, the entry points and assets it involves and the attack path (FDA premarket cybersecurity guidance V.A.1; IEC 81001-5-1 7.2).',
    clauses: ['FDA cybersecurity V.A.1', 'IEC 81001-5-1 7.2'],
    statementRequired: true,
    fields: {
      introducedIn,
      stride: z.array(z.enum(STRIDE_CATEGORIES)).min(1).describe('STRIDE categories of the threat'),
      entryPoints: z
        .array(key)
        .describe("Keys of the threat model's interfaces the attack enters through")
        .optional(),
      assets: z.array(key).describe("Keys of the threat model's assets it targets").optional(),
      attackPath: text('How an attacker gets from the entry point to the asset').optional(),
      assumptions: z.array(z.string().min(1)).describe('What the threat assumes of the attacker').optional(),
      linkReviews,
    },
    links: [
      {
        field: 'threatModel',
        targets: ['threat-model'],
        reverse: 'threats',
        max: 1,
        suspect: true,
        description: 'The threat model the threat belongs to',
      },
    ],
  },
  {
    name: 'security-risk',
    label: 'Security risk',
    defaultPrefix: 'SR',
    description:
      'A cybersecurity risk, estimated by exploitability (not probability) and impact before and after its security controls, with acceptability from the configured security risk matrix; linked to the hazardous situations it can lead to, so that safety and security risk meet without being merged (ANSI/AAMI SW96; FDA premarket cybersecurity guidance V.A.2).',
    clauses: ['AAMI SW96', 'FDA cybersecurity V.A.2', 'IEC 81001-5-1 7.3'],
    statementRequired: true,
    fields: {
      introducedIn,
      exploitability: text('Exploitability before control: a key of the configured exploitability scale'),
      impact: text('Impact on the assets before control: a key of the configured impact scale'),
      cvssVector: text(
        'The CVSS 3.1 vector the exploitability rating is derived from, when the plan derives it that way',
      ).optional(),
      patientHarm: z.boolean().describe('True when the risk can lead to patient harm').optional(),
      multiPatientHarm: z
        .boolean()
        .describe(
          'True when one exploit can harm several patients, e.g. through a shared server (multi-patient harm view)',
        )
        .optional(),
      residualExploitability: text('Exploitability after the security controls').optional(),
      residualImpact: text('Impact after the security controls').optional(),
      acceptance: text(
        'Why the residual security risk is acceptable when the matrix says it is not (SW96 overall residual risk)',
      ).optional(),
      linkReviews,
    },
    links: [
      {
        field: 'threats',
        targets: ['threat'],
        reverse: 'securityRisks',
        suspect: true,
        description: 'The threats this risk is the risk of',
      },
      {
        field: 'leadsTo',
        targets: ['hazardous-situation'],
        reverse: 'securityRisks',
        suspect: true,
        description:
          'Hazardous situations the security risk can lead to: where the security analysis hands over to the safety risk file (SW96)',
      },
    ],
  },
  {
    name: 'security-control',
    label: 'Security control',
    defaultPrefix: 'SC',
    description:
      'A security control, in the categories of the FDA premarket cybersecurity guidance Appendix 1, traced to the software requirements that implement it (IEC 62304 5.2.2 e) and verified by tests.',
    clauses: ['FDA cybersecurity Appendix 1', '5.2.2', 'IEC 81001-5-1 5.3'],
    statementRequired: true,
    fields: {
      introducedIn,
      categories: z
        .array(z.enum(SECURITY_CONTROL_CATEGORY_KEYS))
        .min(1)
        .describe('Control categories of the FDA guidance, Appendix 1'),
      linkReviews,
    },
    links: [
      {
        field: 'mitigates',
        targets: ['security-risk'],
        reverse: 'controlledBy',
        suspect: true,
        description: 'Security risks this control reduces',
      },
      {
        field: 'softwareRequirements',
        targets: ['software-requirement'],
        reverse: 'securityControls',
        description: 'Software requirements that implement the control (5.2.2 e, security requirements)',
      },
    ],
  },
  {
    name: 'security-test',
    label: 'Security test',
    defaultPrefix: 'ST',
    description:
      'A cybersecurity test campaign (penetration test, fuzzing, static or dynamic analysis, vulnerability scan, attack-surface analysis…): who tested and how independently, the scope, the version, and each finding with its disposition (FDA premarket cybersecurity guidance V.C; IEC 81001-5-1 5.7).',
    clauses: ['FDA cybersecurity V.C', 'IEC 81001-5-1 5.7'],
    statementRequired: false,
    fields: {
      testType: z.enum(SECURITY_TEST_TYPES).describe('Kind of security testing'),
      date: isoDate.describe('When the campaign ended').optional(),
      softwareVersion: text('Software version tested (quote it, e.g. "1.2.0-rc1")').optional(),
      tester: z
        .strictObject({
          name: z.string().min(1).describe('Tester or team'),
          organisation: z.string().min(1).describe('Their organisation').optional(),
          independent: z.boolean().describe('True when the testers are independent of the developers'),
          independence: z
            .string()
            .min(1)
            .describe('How independent, e.g. "external firm, no design role", or why not')
            .optional(),
          expertise: z.string().min(1).describe('Their qualification for this testing').optional(),
        })
        .describe('Who tested, and their independence from the developers (IEC 81001-5-1 5.7.5)')
        .optional(),
      scope: text('What was tested and what was out of scope').optional(),
      report: text('The test report: document number and revision, or file').optional(),
      outcome: z.enum(REVIEW_OUTCOMES).describe('passed, passed-with-actions or failed').optional(),
      findings: z
        .array(
          z.strictObject({
            id: z.string().min(1).describe("The finding's id in the report").optional(),
            title: z.string().min(1).describe('What was found'),
            severity: z.string().min(1).describe("The tester's severity, or a CVSS score").optional(),
            cwe: z
              .string()
              .regex(/^CWE-[0-9]+$/, 'a CWE id is CWE- and digits, e.g. CWE-787')
              .describe('CWE id, e.g. CWE-787')
              .optional(),
            location: z
              .string()
              .min(1)
              .describe('Where it was found: file and line, URL, port or component, as the tool says')
              .optional(),
            description: z.string().min(1).describe("The tester's or tool's description").optional(),
            disposition: z
              .enum(SECURITY_FINDING_DISPOSITIONS)
              .describe('open, resolved, problem-report (tracked there) or accepted (with a reason)'),
            resolution: z.string().min(1).describe('How it was resolved, or why it is accepted').optional(),
            problemReport: z.string().min(1).describe('The problem report it became (clause 9)').optional(),
          }),
        )
        .describe('Findings: each resolved, accepted with a reason, or turned into a problem report')
        .optional(),
    },
    links: [
      {
        field: 'tested',
        targets: ['security-control', 'threat', 'software-item', 'soup'],
        reverse: 'securityTests',
        description: 'Security controls, threats, items or SOUP the campaign tested',
      },
    ],
  },
  {
    name: 'security-labeling',
    label: 'Security labeling',
    defaultPrefix: 'LAB',
    description:
      'Cybersecurity information given to users: where it is (IFU section, security guide) and what it covers (SBOM availability, end of support, recommended controls, update instructions…) (FDA premarket cybersecurity guidance VI; FD&C 524B).',
    clauses: ['FDA cybersecurity VI', 'IEC 81001-5-1 annex'],
    statementRequired: true,
    fields: {
      topics: z.array(z.enum(SECURITY_LABELING_TOPICS)).min(1).describe('What this labeling covers'),
      document: text('Where users find it: document number, revision and section'),
    },
    links: [
      {
        field: 'describes',
        targets: ['security-control', 'soup', 'software-item'],
        reverse: 'labeledIn',
        description: 'Controls, SOUP or items the labeling describes',
      },
    ],
  },

  {
    name: 'intended-use',
    label: 'Intended use',
    defaultPrefix: 'IU',
    description:
      'The intended use of software used in production or in the quality system: what it does in which process, for whom, and what decisions rest on it (FDA CSA V.A(1); ISO 13485 4.1.6, 7.5.6). The text is the intended use statement.',
    clauses: ['FDA CSA V.A(1)', 'ISO 13485 4.1.6', 'ISO 13485 7.5.6'],
    statementRequired: true,
    fields: {
      supplier: text('Who makes the software: vendor and product, or the in-house team').optional(),
      deployment: text('How it is deployed: on premises, SaaS, PaaS, IaaS; where it runs').optional(),
      processes: text('The production or quality system processes it is used in').optional(),
      users: text('Who uses it, and which human reviews follow its output').optional(),
    },
    links: [],
  },
  {
    name: 'feature',
    label: 'Feature',
    defaultPrefix: 'FEAT',
    description:
      'A feature, function or operation of production or quality system software, with its process risk (high or not high) and why: the risk decides the assurance it needs (FDA CSA V.A(2)).',
    clauses: ['FDA CSA V.A(2)', 'FDA CSA V.A(4)'],
    statementRequired: true,
    fields: {
      processRisk: z
        .enum(PROCESS_RISKS)
        .describe(
          'high: a failure may cause a quality problem that foreseeably compromises safety; not-high: everything else (FDA CSA V.A(2)). Required: a feature without it fails check',
        )
        .optional(),
      riskRationale: z
        .string()
        .regex(/\S/, 'say why the feature has this process risk')
        .describe('Why: what a failure of the feature could cause, and what would catch it')
        .optional(),
      assurance: z
        .array(z.enum(ASSURANCE_METHODS))
        .min(1)
        .describe(
          'The assurance activities chosen for the feature (scripted, unscripted, ad-hoc, vendor-evidence)',
        )
        .optional(),
    },
    links: [
      {
        field: 'intendedUse',
        targets: ['intended-use'],
        reverse: 'features',
        max: 1,
        description: 'The intended use the feature serves',
      },
    ],
  },
  {
    name: 'assurance-activity',
    label: 'Assurance activity',
    defaultPrefix: 'AA',
    description:
      'An assurance activity other than scripted testing: an unscripted (exploratory) or ad-hoc test session, or vendor evidence, with who, when, the version, the outcome and the issues found and their disposition (FDA CSA V.A(4), V.A(6)). The text says what was done.',
    clauses: ['FDA CSA V.A(4)', 'FDA CSA V.A(6)'],
    statementRequired: true,
    fields: {
      method: z.enum(RECORDED_ASSURANCE_METHODS).describe('unscripted, ad-hoc or vendor-evidence'),
      version: z.string().min(1).describe('The version of the system the activity covers (quote it)'),
      date: isoDate.describe('When it was done'),
      performedBy: z.string().regex(/\S/, 'say who did it').describe('Who did it (name and role)'),
      outcome: z
        .enum(ASSURANCE_OUTCOMES)
        .describe('passed, passed-with-issues (each issue disposed of) or failed'),
      evidence: text(
        'Where the objective evidence is: session notes, screenshots, the vendor report and its revision',
      ).optional(),
      issues: z
        .array(
          z.strictObject({
            description: z.string().min(1).describe('What was found'),
            disposition: z.enum(ISSUE_DISPOSITIONS).describe('fixed, accepted, workaround or open'),
            note: z.string().min(1).describe('How it was resolved, or why it is acceptable').optional(),
          }),
        )
        .describe('Issues found and their disposition')
        .optional(),
      linkReviews,
    },
    links: [
      {
        field: 'assures',
        targets: ['feature'],
        reverse: 'assuredBy',
        suspect: true,
        description: 'The features the activity gives assurance for',
      },
    ],
  },
  {
    name: 'validation-decision',
    label: 'Validation decision',
    defaultPrefix: 'VD',
    description:
      'The conclusion of the validation of one version of production or quality system software for its intended use: acceptable or not, with any restriction of use, who decided and when (FDA CSA V.A(6); ISO 13485 4.1.6). The text is the rationale.',
    clauses: ['FDA CSA V.A(6)', 'ISO 13485 4.1.6', 'ISO 13485 7.5.6'],
    statementRequired: true,
    fields: {
      version: z.string().min(1).describe('The version validated (quote it, e.g. "4.2.1")'),
      decision: z
        .enum(VALIDATION_DECISIONS)
        .describe('acceptable, acceptable-with-restrictions or not-acceptable'),
      restrictions: text('The restrictions of use, for acceptable-with-restrictions').optional(),
      decidedBy: z.string().regex(/\S/, 'say who decided').describe('Who decided (name and role)'),
      date: isoDate.describe('When it was decided'),
    },
    links: [],
  },
];

const KIND_BY_NAME = new Map<string, KindSpec>(KINDS.map((k) => [k.name, k]));

export function kindSpec(name: KindName): KindSpec {
  const spec = KIND_BY_NAME.get(name);
  if (!spec) throw new Error(`unknown kind ${name}`);
  return spec;
}

export function isKindName(name: unknown): name is KindName {
  return typeof name === 'string' && KIND_BY_NAME.has(name);
}

const LINKS_BY_KIND = new Map<string, ReadonlyMap<string, LinkSpec>>(
  KINDS.map((k) => [k.name, new Map(k.links.map((l) => [l.field, l]))]),
);

export function linkSpec(kind: KindName, field: string): LinkSpec | undefined {
  return LINKS_BY_KIND.get(kind)?.get(field);
}

/** Fields every record has, whatever its kind. */
export const COMMON_FIELD_NAMES = ['id', 'kind', 'title', 'status', 'tags', 'text'] as const;
