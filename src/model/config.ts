import { z } from 'zod';
import { KIND_NAMES, type KindName } from './kinds.js';
import { LIMIT_KEYS, LIMITS, type LimitKey } from './limits.js';
import { ACCEPTABILITY, PROFILES, SAFETY_CLASSES } from './vocabulary.js';

export const CONFIG_FILE_NAME = 'dossier.yaml';

export const DEFAULT_RECORD_GLOBS = ['records/**/*.md', 'records/**/*.yaml', 'records/**/*.yml'];

/** Default trace chains (issue: system req → software req → item → test; hazard chain → test). */
export const DEFAULT_TRACE_CHAINS: TraceChainConfig[] = [
  {
    name: 'requirements',
    title: 'System requirement → software requirement → software item → test',
    kinds: ['system-requirement', 'software-requirement', 'software-item', 'test'],
  },
  {
    name: 'risk-controls',
    title: 'Hazardous situation → risk control → software requirement → test',
    kinds: ['hazardous-situation', 'risk-control', 'software-requirement', 'test'],
    // Most software requirements implement no risk control; listing them here would be noise.
    orphans: false,
  },
];

const kindEnum = z.enum(KIND_NAMES);
const key = z
  .string()
  .regex(/^[a-z][a-z0-9-]*$/, 'keys are lower-case words joined by hyphens, e.g. "serious"')
  .describe('Key used in records');

const severityLevel = z.strictObject({
  key,
  label: z.string().min(1),
  description: z.string().optional(),
  serious: z
    .boolean()
    .describe('True when harm of this severity is death or serious injury (IEC 62304 4.3, class C)'),
});

const probabilityLevel = z.strictObject({
  key,
  label: z.string().min(1),
  description: z.string().optional(),
  max: z
    .number()
    .gt(0)
    .lte(1)
    .describe(
      'Upper bound of the probability (per use or per patient-year, as the plan defines); used for P1 × P2',
    )
    .optional(),
});

export const riskConfigSchema = z
  .strictObject({
    severity: z.array(severityLevel).min(2).describe('Severity levels, least severe first (ISO 14971 5.5)'),
    probability: z
      .array(probabilityLevel)
      .min(2)
      .describe('Probability levels, least likely first (ISO 14971 5.5)'),
    acceptability: z
      .record(z.string(), z.array(z.enum(ACCEPTABILITY)))
      .describe('One row per severity key; columns follow the probability order (ISO 14971 4.2, 6)'),
  })
  .superRefine((risk, ctx) =>
    checkRiskMatrix(
      ctx,
      { name: 'severity', levels: risk.severity },
      { name: 'probability', levels: risk.probability },
      risk.acceptability,
    ),
  );

interface Scale {
  readonly name: string;
  readonly levels: readonly { readonly key: string }[];
}

/**
 * An acceptability matrix has one row per level of `rows`, each with one cell per level of
 * `columns`, and each scale's keys are unique: the same check for the safety matrix (severity ×
 * probability) and the security matrix (impact × exploitability).
 */
function checkRiskMatrix(
  ctx: z.RefinementCtx,
  rows: Scale,
  columns: Scale,
  acceptability: Readonly<Record<string, readonly unknown[]>>,
): void {
  const rowKeys = new Set(rows.levels.map((s) => s.key));
  for (const level of rows.levels) {
    const row = acceptability[level.key];
    if (!row) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptability'],
        message: `the acceptability matrix has no row for ${rows.name} "${level.key}"`,
      });
    } else if (row.length !== columns.levels.length) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptability', level.key],
        message: `row "${level.key}" has ${row.length} cells but the ${columns.name} scale has ${columns.levels.length} levels`,
      });
    }
  }
  for (const rowKey of Object.keys(acceptability)) {
    if (!rowKeys.has(rowKey)) {
      ctx.addIssue({
        code: 'custom',
        path: ['acceptability', rowKey],
        message: `"${rowKey}" is not a ${rows.name} key; use one of ${[...rowKeys].join(', ')}`,
      });
    }
  }
  for (const scale of [rows, columns]) {
    const seen = new Set<string>();
    scale.levels.forEach((level, index) => {
      if (seen.has(level.key)) {
        ctx.addIssue({
          code: 'custom',
          path: [scale.name, index, 'key'],
          message: `duplicate ${scale.name} key "${level.key}"`,
        });
      }
      seen.add(level.key);
    });
  }
}

const scaleLevel = z.strictObject({
  key,
  label: z.string().min(1),
  description: z.string().optional(),
});

/**
 * The security risk policy (ANSI/AAMI SW96; FDA premarket cybersecurity guidance V.A.2): security
 * risk is estimated by exploitability, not probability, and by impact; acceptability is a matrix
 * like the safety one.
 */
export const securityRiskConfigSchema = z
  .strictObject({
    impact: z
      .array(scaleLevel)
      .min(2)
      .describe('Impact levels on the assets (incl. patient harm), least severe first'),
    exploitability: z
      .array(scaleLevel)
      .min(2)
      .describe(
        'Exploitability levels, least exploitable first; say in each description how a level is assigned (e.g. from CVSS exploitability metrics)',
      ),
    acceptability: z
      .record(z.string(), z.array(z.enum(ACCEPTABILITY)))
      .describe('One row per impact key; columns follow the exploitability order'),
  })
  .superRefine((security, ctx) =>
    checkRiskMatrix(
      ctx,
      { name: 'impact', levels: security.impact },
      { name: 'exploitability', levels: security.exploitability },
      security.acceptability,
    ),
  );

export const CUSTOM_FIELD_TYPES = [
  'string',
  'number',
  'integer',
  'boolean',
  'date',
  'enum',
  'string-list',
] as const;

const customFieldSchema = z
  .strictObject({
    type: z.enum(CUSTOM_FIELD_TYPES),
    values: z.array(z.string()).min(1).describe('Allowed values for type enum').optional(),
    required: z.boolean().optional(),
    description: z.string().optional(),
  })
  .refine((f) => f.type !== 'enum' || (f.values?.length ?? 0) > 0, {
    message: 'a field of type enum needs `values`',
    path: ['values'],
  });
export type CustomFieldConfig = z.infer<typeof customFieldSchema>;

const traceChainSchema = z.strictObject({
  name: z.string().regex(/^[a-z0-9][a-z0-9-]*$/, 'chain names are lower-case words joined by hyphens'),
  title: z.string().optional(),
  kinds: z
    .array(kindEnum)
    .min(2)
    .describe('Kinds from upstream to downstream; consecutive kinds must be linked'),
  orphans: z
    .boolean()
    .describe('Also list records of later kinds that no upstream record reaches (default true)')
    .optional(),
});
export type TraceChainConfig = z.infer<typeof traceChainSchema>;

/**
 * Whether records of one kind in a release's scope must be approved before the release. Turning it
 * off needs a reason, which every release report shows (lowering a check is never silent).
 */
const approvalSettingSchema = z
  .strictObject({
    required: z.boolean().describe("Must this kind's records in a release's scope be approved?"),
    reason: z
      .string()
      .regex(/\S/, 'the reason must say something')
      .describe('Why approval is not required (needed with `required: false`; shown in every release report)')
      .optional(),
  })
  .refine((s) => s.required || s.reason !== undefined, {
    message: 'turning approval off needs a `reason`, which every release report shows',
    path: ['reason'],
  });

/**
 * Change control: where signed approvals are kept and which signatures a release needs
 * (docs/signatures.md). The trust root of the signers file is deliberately not here: it is pinned
 * outside the data it vouches for (DOSSIER_TRUST_ROOT).
 */
const approvalPolicySchema = z.strictObject({
  kinds: z.array(kindEnum).min(1).describe('Record kinds the rule covers'),
  classes: z
    .array(z.enum(SAFETY_CLASSES))
    .min(1)
    .describe('Safety classes (of each record, as `check` reads them) the rule covers; default every class')
    .optional(),
  require: z
    .array(
      z.strictObject({
        meaning: z
          .enum(['authored', 'reviewed', 'approved'])
          .describe('The meaning of the signature (21 CFR 11.50)'),
        role: z.string().regex(/\S/).describe('The role the signer must have in the signers file').optional(),
        independent: z
          .boolean()
          .describe('The signer must differ from every signer who signed the record as `authored`')
          .optional(),
      }),
    )
    .min(1)
    .describe('Signatures each record needs, valid on its current content'),
});

/** A path inside the project: relative, without `..` (signatures are read from it and written to it). */
const projectPath = () =>
  z
    .string()
    .min(1)
    .regex(
      /^(?![\\/])(?![A-Za-z]:)(?!(?:.*[\\/])?\.\.(?:[\\/]|$))/,
      'a path inside the project, relative, without ".."',
    );

/** Document control data of one document of the package (docs/documents.md#document-control). */
const documentSettingsSchema = z
  .strictObject({
    number: z
      .string()
      .regex(/\S/, 'the document number must not be blank')
      .describe('The document number in the quality system, e.g. SRS-0001')
      .optional(),
    author: z
      .string()
      .regex(/\S/, 'the author must not be blank')
      .describe('Who is responsible for the document')
      .optional(),
  })
  .describe('Control data of one document');

const changeControlSchema = z
  .strictObject({
    signers: z
      .string()
      .min(1)
      .describe('The signers file, relative to the project root (default signers.yaml)')
      .optional(),
    signaturesDir: projectPath()
      .describe('Folder of the signatures files, one per record (default signatures)')
      .optional(),
    approvals: z
      .array(approvalPolicySchema)
      .describe(
        'Approval policy: which kinds need which signatures, per class; `dossier release check` blocks on records in scope that lack them',
      )
      .optional(),
  })
  .describe('Change control: signed approvals (docs/signatures.md)');
export type ApprovalPolicyRule = z.infer<typeof approvalPolicySchema>;

export const SEVERITY_SETTINGS = ['error', 'warning', 'info', 'off'] as const;
export type SeveritySetting = (typeof SEVERITY_SETTINGS)[number];

const ruleSettingSchema = z.union([
  z.enum(SEVERITY_SETTINGS),
  z.strictObject({
    severity: z.enum(SEVERITY_SETTINGS),
    reason: z
      .string()
      .regex(/\S/, 'the reason must not be blank')
      .describe(
        'Why the rule is set this way; required to lower a rule whose severity follows the class (an obligation) below its default',
      )
      .optional(),
  }),
]);

/** A `rules:` entry of dossier.yaml, written as a bare severity or as `{ severity, reason }`. */
export interface RuleSetting {
  readonly severity: SeveritySetting;
  readonly reason?: string;
}

export function ruleSetting(config: Pick<DossierConfig, 'rules'>, code: string): RuleSetting | undefined {
  const value = config.rules[code];
  if (value === undefined) return undefined;
  if (typeof value === 'string') return { severity: value };
  return { severity: value.severity, ...(value.reason !== undefined ? { reason: value.reason.trim() } : {}) };
}

const configShape = z.strictObject({
  profile: z
    .enum(PROFILES, {
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : `unknown profile ${JSON.stringify(issue.input)}: write \`profile: device\` (medical device software, IEC 62304; the default) or \`profile: production-software\` (software used in production or the quality system, validated under FDA CSA; docs/csa.md)`,
    })
    .describe(
      'What the project documents: `device` (default), the software of a medical device under IEC 62304; or `production-software`, software used in production or the quality system, validated for its intended use (FDA Computer Software Assurance, ISO 13485 4.1.6 and 7.5.6; docs/csa.md)',
    )
    .default('device'),
  ruleset: z
    .string({
      error: (issue) =>
        issue.input === undefined
          ? undefined
          : 'write the ruleset as quoted text, e.g. ruleset: "2026.12" (unquoted, YAML reads 2026.12 as a number)',
    })
    .regex(/^\d{4}\.\d{2}$/, 'a ruleset version is YYYY.MM, e.g. "2026.12"')
    .describe(
      'The ruleset whose verdicts the project follows (YYYY.MM). A newer Dossier keeps the pinned verdicts, or refuses, until `dossier migrate` moves the pin (docs/config.md#ruleset)',
    )
    .optional(),
  device: z
    .strictObject({
      name: z
        .string()
        .min(1)
        .describe('Device name (production-software profile: the devices the system is used for)'),
      manufacturer: z
        .string()
        .min(1)
        .describe('Legal manufacturer (production-software profile: who uses and validates the system)'),
      model: z.string().optional(),
      intendedUse: z.string().optional().describe('Intended use / indications for use'),
      deviceClass: z.enum(['I', 'II', 'III']).describe('FDA device class').optional(),
      combinationProduct: z.boolean().describe('Device constituent of a combination product').optional(),
      bloodEstablishmentSoftware: z.boolean().describe('Blood establishment computer software').optional(),
      cyberDevice: z
        .boolean()
        .describe(
          'FD&C Act 524B(c) cyber device: software that can connect to the internet, directly or through another device (Wi-Fi, Bluetooth, USB and network ports can count), and could be vulnerable to cybersecurity threats. The gap scan treats a device as a cyber device until this says false',
        )
        .optional(),
    })
    .describe('The medical device'),
  software: z
    .strictObject({
      system: z
        .string()
        .min(1)
        .describe(
          'Id of the software-item record that is the software system (production-software profile: the intended-use record of the system validated)',
        ),
      safetyClass: z
        .enum(SAFETY_CLASSES)
        .describe(
          'Declared software safety class of the system (4.3); required for the device profile, not used for production-software',
        )
        .optional(),
      version: z
        .string()
        .optional()
        .describe('Current software version (production-software profile: the version validated)'),
    })
    .describe('The software system'),
  records: z
    .array(z.string().min(1))
    .min(1)
    .describe('Globs, relative to the project root, of record and collection files')
    .default(DEFAULT_RECORD_GLOBS),
  exclude: z.array(z.string().min(1)).describe('Globs to leave out').default([]),
  ids: z
    .partialRecord(
      kindEnum,
      z.string().regex(/^[A-Z][A-Z0-9]*$/, 'prefixes are upper-case letters and digits'),
    )
    .describe(
      'Id prefix per record kind (defaults: UN, SYS, SRS, SI, SOUP, HAZ, HS, RC, TC, PR, CR, REL, VE, RUN, VR, PLAN, REV, ATT, TM, THR, SR, SC, ST, LAB)',
    )
    .default({}),
  risk: riskConfigSchema.optional(),
  securityRisk: securityRiskConfigSchema
    .describe('Security risk policy: impact and exploitability scales and their acceptability (AAMI SW96)')
    .optional(),
  security: z
    .strictObject({
      patchDays: z
        .strictObject({
          critical: z.number().int().positive().describe('Days for a critical vulnerability'),
          major: z.number().int().positive().describe('Days for a major one'),
          minor: z.number().int().positive().describe('Days for a minor one'),
        })
        .describe(
          "The cybersecurity plan's patch timelines: days from a vulnerability's identification to its deployed fix, per criticality (FD&C 524B(b)(2): out of cycle for critical, a regular cycle otherwise). `dossier security report` dates every open item from them",
        )
        .optional(),
    })
    .describe('Postmarket cybersecurity settings (`dossier security report`)')
    .optional(),
  classification: z
    .strictObject({
      creditInformationForSafety: z
        .strictObject({
          rationale: z
            .string()
            .regex(/\S/, 'say why the risk management plan accepts this credit')
            .describe('Why information for safety may be credited; quoted in every rationale that uses it'),
        })
        .describe(
          'Allow information for safety (labeling, training) to count as risk control external to the software when classifying (IEC 62304 4.3 a); without it such credit is ignored',
        )
        .optional(),
    })
    .describe('Software safety classification policy (IEC 62304 4.3)')
    .optional(),
  customFields: z
    .partialRecord(kindEnum, z.record(z.string().regex(/^[a-zA-Z][a-zA-Z0-9]*$/), customFieldSchema))
    .describe('Typed project-specific fields per kind')
    .default({}),
  rules: z
    .record(z.string(), ruleSettingSchema)
    .describe(
      'Severity per rule code: a severity (error, warning, info, off) or { severity, reason }. Raising is always allowed; lowering a rule whose severity follows the class needs a reason, and every report shows it',
    )
    .default({}),
  trace: z
    .strictObject({ chains: z.array(traceChainSchema).min(1) })
    .describe('Traceability matrices to produce')
    .optional(),
  fda: z
    .strictObject({
      probableThreshold: key
        .describe(
          'Lowest probability level that counts as a "probable" risk for the FDA documentation level (default: the second level of the scale)',
        )
        .optional(),
      basicRationale: z
        .string()
        .describe(
          'Rationale for Basic documentation despite a class III, combination or blood establishment device',
        )
        .optional(),
    })
    .describe('FDA 2023 premarket software guidance: documentation level')
    .optional(),
  levelOfConcern: z
    .strictObject({
      bloodEstablishmentSoftware: z.boolean(),
      combinationWithDrugOrBiologic: z.boolean(),
      accessoryToMajorDevice: z.boolean(),
      failureCouldCauseDeathOrSeriousInjury: z.boolean(),
      accessoryToModerateDevice: z.boolean(),
      failureCouldCauseMinorInjury: z.boolean(),
    })
    .describe('FDA 2005 Level of Concern questionnaire, answered before mitigation (legacy programs)')
    .optional(),
  legacy: z
    .strictObject({
      version: z
        .string()
        .min(1)
        .describe('The version of the legacy software on the market that continues in use (IEC 62304 4.4.5)'),
      rationale: z
        .string()
        .regex(/\S/, 'say why continued use of the legacy software is acceptable')
        .describe(
          'Why its continued use is acceptable, from the gap analysis and the risk assessment (4.4.5)',
        )
        .optional(),
    })
    .describe(
      'Legacy software (IEC 62304 4.4): software already on the market without the development records 62304 asks for; the gap scan then evaluates the legacy route (4.4.2 to 4.4.5)',
    )
    .optional(),
  codeTags: z
    .strictObject({
      sources: z
        .array(z.string().min(1))
        .min(1)
        .describe('Globs of source and test files to scan for @implements / @verifies tags'),
      exclude: z.array(z.string().min(1)).describe('Globs to leave out').optional(),
    })
    .describe('Code tags: `@implements SRS-012` in code and `@verifies SRS-012` in tests, in any language')
    .optional(),
  soup: z
    .strictObject({
      lockfiles: z
        .array(z.string().min(1))
        .describe(
          'Lockfiles and SBOMs, relative to the project root, that `dossier soup import` reads by default',
        )
        .optional(),
      importInto: z
        .string()
        .min(1)
        .describe('Collection file that receives new SOUP records (default records/soup/imported.yaml)')
        .optional(),
      advisoryDatabase: z
        .string()
        .min(1)
        .describe('Advisory database file (default .dossier/advisories.sqlite in the project)')
        .optional(),
      maxAdvisoryAgeDays: z
        .number()
        .int()
        .positive()
        .describe('Former name of advisories.maxAgeDays, used when that is not set')
        .optional(),
      anomalyReviewMaxAgeDays: z
        .number()
        .int()
        .positive()
        .describe(
          'An anomaly-list review (anomalyReview.date) counts for a release only when it is at most this many days before the release date, or today for an undated release or check (default 180; 7.1.3)',
        )
        .optional(),
    })
    .describe('SOUP import, advisory data and vulnerability scanning')
    .optional(),
  release: z
    .strictObject({
      approvals: z
        .partialRecord(kindEnum, approvalSettingSchema)
        .describe(
          "Per record kind, whether records in a release's scope must be approved before release (default: requirements, software items, risk controls, tests, test runs and verification reports, at every class; 5.2.6, 5.7.5, ISO 13485 7.3)",
        )
        .optional(),
    })
    .describe('The release gate (`dossier release check`)')
    .optional(),
  changeControl: changeControlSchema.optional(),
  documents: z
    .record(z.string().regex(/^[A-Z][A-Z0-9-]*$/, 'a document key such as SRS'), documentSettingsSchema)
    .describe(
      'Document control data per document of the package, by key (`SRS`): number and author (docs/documents.md)',
    )
    .optional(),
  documentTemplates: projectPath()
    .describe(
      "A folder of the project whose templates replace Dossier's: document.typ (the PDF layout, Typst) and style.css (the HTML style sheet) (docs/documents.md#templates)",
    )
    .optional(),
  advisories: z
    .strictObject({
      maxAgeDays: z
        .number()
        .int()
        .positive()
        .describe(
          'Advisory data of an ecosystem must reach to within this many days before the release date (today for an undated release and for check): its newest `modified` date is its age (default 30; 7.1.3)',
        )
        .optional(),
    })
    .describe('Advisory data: how fresh it must be for a release')
    .optional(),
  limits: z
    .strictObject(
      Object.fromEntries(
        LIMIT_KEYS.map((k) => [
          k,
          z
            .number()
            .int()
            .positive()
            .describe(
              `${LIMITS[k].description} (${LIMITS[k].unit === 'bytes' ? 'bytes, ' : ''}default ${LIMITS[k].default})`,
            )
            .optional(),
        ]),
      ) as Record<LimitKey, z.ZodOptional<z.ZodNumber>>,
    )
    .describe('Size limits on what Dossier reads (docs/security.md, "Limits")')
    .optional(),
});

/**
 * The profile decides what `software` must say: a device has a declared safety class (IEC 62304
 * 4.3); production or quality system software has none and must name the version it validates.
 */
export const configSchema = configShape.superRefine((config, ctx) => {
  if (config.profile === 'device' && config.software.safetyClass === undefined)
    ctx.addIssue({
      code: 'custom',
      path: ['software', 'safetyClass'],
      message:
        'software.safetyClass is required for a device project: the declared software safety class A, B or C (IEC 62304 4.3)',
    });
  if (config.profile === 'production-software') {
    if (config.software.safetyClass !== undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['software', 'safetyClass'],
        message:
          'software.safetyClass is an IEC 62304 device class; a production-software project has none: remove it (the process risk is decided per feature, docs/csa.md)',
      });
    if (config.software.version === undefined)
      ctx.addIssue({
        code: 'custom',
        path: ['software', 'version'],
        message:
          'software.version is required for a production-software project: the version of the system validated (quote it, e.g. "4.2.1")',
      });
  }
});

export type DossierConfig = z.infer<typeof configSchema>;

/**
 * The configuration as content (what document revisions hash): the default profile is left out, so
 * that a device project's revisions, and the signatures on them, are what they were before
 * profiles existed; a production-software project's profile is part of its content.
 */
export function configContent(config: DossierConfig): unknown {
  if (config.profile !== 'device') return config;
  const { profile: _default, ...rest } = config;
  return rest;
}

/** True for a project of software used in production or the quality system (FDA CSA). */
export const isProductionSoftware = (config: Pick<DossierConfig, 'profile'>): boolean =>
  config.profile === 'production-software';
export type RiskConfig = z.infer<typeof riskConfigSchema>;

export const DEFAULT_MAX_FILE_BYTES: number = LIMITS.maxFileBytes.default;

/** The size limit of one record file: `limits.maxFileBytes`, else the default. */
export function maxFileBytesOf(config: DossierConfig): number {
  return config.limits?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
}

export const DEFAULT_ADVISORY_MAX_AGE_DAYS = 30;
export const DEFAULT_ANOMALY_REVIEW_MAX_AGE_DAYS = 180;

/** `advisories.maxAgeDays`, else the former `soup.maxAdvisoryAgeDays`, else 30. */
export function advisoryMaxAgeDays(config: Pick<DossierConfig, 'advisories' | 'soup'>): number {
  return config.advisories?.maxAgeDays ?? config.soup?.maxAdvisoryAgeDays ?? DEFAULT_ADVISORY_MAX_AGE_DAYS;
}

/** `soup.anomalyReviewMaxAgeDays`, else 180. */
export function anomalyReviewMaxAgeDays(config: Pick<DossierConfig, 'soup'>): number {
  return config.soup?.anomalyReviewMaxAgeDays ?? DEFAULT_ANOMALY_REVIEW_MAX_AGE_DAYS;
}

export function prefixFor(config: Pick<DossierConfig, 'ids'>, kind: KindName, defaultPrefix: string): string {
  return config.ids[kind] ?? defaultPrefix;
}

/** The trace chains of a project: configured ones, or the defaults. */
export function traceChains(config: Pick<DossierConfig, 'trace'>): readonly TraceChainConfig[] {
  return config.trace?.chains ?? DEFAULT_TRACE_CHAINS;
}
