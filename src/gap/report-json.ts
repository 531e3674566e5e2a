/**
 * `dossier gap-scan --format json`: a versioned contract (docs/gap-scan.md,
 * schemas/gap-scan-report.schema.json). Within a `schemaVersion`, fields are only added.
 */
import path from 'node:path';
import { z } from 'zod';
import { toPosix } from '../diagnostics/format.js';
import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { DOSSIER_VERSION } from '../version.js';
import {
  type ClauseResult,
  failingClauses,
  failingCsaCriteria,
  type GapScanResult,
  type ObligationResult,
  orderedGaps,
} from './scan.js';
import { countsOf, processCounts } from './summary.js';
import { type Evidence, GAP_STATUSES } from './types.js';

const evidenceSchema = z.strictObject({
  id: z
    .string()
    .describe('Record id (or "IEC 62304 <clause>" for an obligation evidenced by a clause)')
    .optional(),
  file: z.string().describe('Path relative to the directory Dossier was run from').optional(),
  note: z.string().describe('What about it is evidence').optional(),
});

const judged = {
  applies: z.boolean(),
  status: z
    .enum(GAP_STATUSES)
    .describe('evidence-found, partial, no-evidence or not-applicable (never "met")'),
  evidence: z.array(evidenceSchema).describe('The first 100 records and files found as evidence'),
  evidenceTotal: z.number().int().min(0).describe('How many there are in all'),
  missing: z.array(z.string()).describe('The first 100 things missing, one line each'),
  missingTotal: z.number().int().min(0),
  notes: z.array(z.string()).describe('Information that does not change the status'),
  hint: z.string().describe('What to record, for a junior engineer'),
  needsHumanAssessment: z.boolean().describe('Whether the adequacy of the evidence is for people to judge'),
  notApplicableBecause: z.string().optional(),
};

const countsSchema = z.strictObject({
  applicable: z.number().int().min(0),
  evidenceFound: z.number().int().min(0),
  partial: z.number().int().min(0),
  noEvidence: z.number().int().min(0),
  notApplicable: z.number().int().min(0),
  allowed: z.number().int().min(0),
  evidenceFoundPercent: z
    .number()
    .describe('For information only: auditors count every unmet applicable clause'),
});

const obligationSchema = z.strictObject({
  key: z.string(),
  title: z.string(),
  reference: z.string(),
  ...judged,
  feeds: z.array(z.string()).describe('The records, documents and commands that feed it'),
});

export const gapScanReportSchema = z
  .strictObject({
    schemaVersion: z.literal(JSON_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
    project: z.strictObject({ device: z.string(), root: z.string() }),
    standard: z.string(),
    date: z.string().describe('The day the scan judged dates at (YYYY-MM-DD)'),
    classes: z
      .array(z.string())
      .describe('Software safety classes present among the software system and items'),
    highestClass: z.string().describe('What applies to the whole software is judged at it (4.3 f)'),
    version: z
      .strictObject({ version: z.string(), because: z.string(), release: z.string().optional() })
      .nullable()
      .describe('The version whose test results and release record were judged, and why that one'),
    legacy: z.strictObject({ version: z.string() }).nullable(),
    summary: countsSchema.extend({
      failing: z
        .number()
        .int()
        .min(0)
        .describe('Applicable clauses with no evidence and no --allow: exit 1 while > 0'),
    }),
    processes: z.array(countsSchema.extend({ process: z.string(), title: z.string() })),
    clauses: z.array(
      z.strictObject({
        clause: z.string(),
        title: z.string(),
        process: z.string(),
        appliesAt: z.array(z.string()),
        confidence: z.enum(['high', 'med', 'check']),
        ...judged,
        evaluators: z.array(z.string()),
        allowed: z.string().describe('--allow: the reason the gap is accepted').optional(),
      }),
    ),
    gaps: z
      .array(z.string())
      .describe('Applicable clauses with no or partial evidence, what blocks a submission first'),
    fda: z.strictObject({
      documentationLevel: z.enum(['Basic', 'Enhanced']),
      rationale: z.string(),
      elements: z.array(obligationSchema),
    }),
    cybersecurity: z.strictObject({
      applies: z.boolean(),
      because: z.string(),
      items: z.array(obligationSchema),
    }),
    designControls: z.strictObject({ items: z.array(obligationSchema) }),
    csa: z
      .strictObject({ items: z.array(obligationSchema) })
      .describe('profile production-software: the FDA CSA validation criteria (data/csa-gap-catalog.json)')
      .optional(),
    allowed: z.array(z.strictObject({ clause: z.string(), reason: z.string() })),
  })
  .describe('dossier gap-scan --format json');

export type GapScanReport = z.infer<typeof gapScanReportSchema>;

const withRoot = (displayRoot: string) => (e: Evidence) =>
  e.file === undefined ? e : { ...e, file: toPosix(path.join(displayRoot, e.file)) };

function clauseJson(c: ClauseResult, root: (e: Evidence) => Evidence) {
  return {
    clause: c.clause,
    title: c.title,
    process: c.process,
    appliesAt: [...c.appliesAt],
    confidence: c.confidence,
    ...judgedJson(c, root),
    evaluators: [...c.evaluators],
    ...(c.allowed !== undefined ? { allowed: c.allowed } : {}),
  };
}

function judgedJson(j: ClauseResult | ObligationResult, root: (e: Evidence) => Evidence) {
  return {
    applies: j.applies,
    status: j.status,
    evidence: j.evidence.map(root),
    evidenceTotal: j.evidenceTotal,
    missing: [...j.missing],
    missingTotal: j.missingTotal,
    notes: [...j.notes],
    hint: j.hint,
    needsHumanAssessment: j.needsHumanAssessment,
    ...(j.notApplicableBecause !== undefined ? { notApplicableBecause: j.notApplicableBecause } : {}),
  };
}

function obligationJson(o: ObligationResult, root: (e: Evidence) => Evidence) {
  return { key: o.key, title: o.title, reference: o.reference, ...judgedJson(o, root), feeds: [...o.feeds] };
}

export function gapScanReport(scan: GapScanResult, displayRoot: string): GapScanReport {
  const root = withRoot(displayRoot);
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    project: { device: scan.device, root: displayRoot },
    standard: IEC_62304_ED1_1.standard,
    date: scan.date,
    classes: [...scan.classes],
    highestClass: scan.highestClass,
    version: scan.version ? { ...scan.version } : null,
    legacy: scan.legacy ? { ...scan.legacy } : null,
    summary: {
      ...countsOf(scan.clauses),
      failing: failingClauses(scan).length + failingCsaCriteria(scan).length,
    },
    processes: processCounts(scan),
    clauses: scan.clauses.map((c) => clauseJson(c, root)),
    gaps: orderedGaps(scan).map((c) => c.clause),
    fda: {
      documentationLevel: scan.fda.documentationLevel,
      rationale: scan.fda.rationale,
      elements: scan.fda.elements.map((o) => obligationJson(o, root)),
    },
    cybersecurity: {
      applies: scan.cybersecurity.applies,
      because: scan.cybersecurity.because,
      items: scan.cybersecurity.items.map((o) => obligationJson(o, root)),
    },
    designControls: { items: scan.designControls.items.map((o) => obligationJson(o, root)) },
    ...(scan.csa ? { csa: { items: scan.csa.items.map((o) => obligationJson(o, root)) } } : {}),
    allowed: scan.allowed.map((a) => ({ ...a })),
  };
}

export function gapScanJson(scan: GapScanResult, displayRoot: string): string {
  return `${JSON.stringify(gapScanReport(scan, displayRoot), null, 2)}\n`;
}
