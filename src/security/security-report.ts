/**
 * `dossier security`: the security risk management file as the FDA premarket cybersecurity guidance
 * asks for it (V.A, V.B, V.C): the threat model and whether every interface has its threats
 * assessed, the security risks before and after control with their acceptability and the hazardous
 * situations they lead to, the controls by the eight categories of Appendix 1 (a category without a
 * control is listed as such, never left out), the traceability threat → risk → control →
 * requirement → test with every gap named, and the security testing with tester independence and
 * findings by disposition.
 *
 * Pure: graph and config in, report out. The JSON form is a versioned contract
 * (schemas/security-report.schema.json, docs/json.md); within a `schemaVersion` fields are only added.
 */
import { z } from 'zod';
import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { SECURITY_CONTROL_CATEGORIES, SECURITY_FINDING_DISPOSITIONS } from '../model/vocabulary.js';
import { DOSSIER_VERSION } from '../version.js';
import { securityReportHeader } from './report-header.js';
import {
  evaluateSecurityRisks,
  modelEntries,
  type SecurityEstimate,
  type SecurityRiskEvaluation,
  securityRiskPolicy,
  threatKeys,
} from './security-risk.js';

export const SECURITY_REPORT_SCHEMA_VERSION = 1;

/** The record kinds of the security risk management file, in the order a reader needs them. */
export const SECURITY_KINDS = [
  'threat-model',
  'threat',
  'security-risk',
  'security-control',
  'security-test',
] as const;

/** Whether the project has security records (obsolete ones do not count). */
export function hasSecurityRecords(graph: TraceGraph): boolean {
  return SECURITY_KINDS.some((k) => graph.ofKind(k).some((r) => r.status !== 'obsolete'));
}

const ref = z.strictObject({ id: z.string(), title: z.string() });
const estimate = z
  .strictObject({
    impact: z.string().describe('Key of the impact level'),
    impactLabel: z.string(),
    exploitability: z.string().describe('Key of the exploitability level'),
    exploitabilityLabel: z.string(),
    acceptable: z.boolean().describe('What the configured security risk matrix says'),
  })
  .nullable();

/** Where a risk stands: acceptable, unacceptable, unacceptable but accepted with a written rationale, or not estimated. */
export const SECURITY_ACCEPTABILITY = ['acceptable', 'unacceptable', 'accepted', 'not-estimated'] as const;
export type SecurityAcceptability = (typeof SECURITY_ACCEPTABILITY)[number];

/** The links of the security trace chain that can be missing. */
export const TRACE_STEPS = ['threat', 'risk', 'control', 'requirement', 'test'] as const;

export const securityReportSchema = z
  .strictObject({
    schemaVersion: z.literal(SECURITY_REPORT_SCHEMA_VERSION),
    ...securityReportHeader,
    policy: z
      .boolean()
      .describe('dossier.yaml has a `securityRisk` policy; without it no risk is estimated (not-estimated)'),
    summary: z.strictObject({
      threatModels: z.number().int(),
      interfaces: z.number().int(),
      interfacesWithoutThreats: z.number().int(),
      threats: z.number().int(),
      risks: z.number().int(),
      unacceptable: z
        .number()
        .int()
        .describe('Risks whose current estimate is unacceptable and that have no acceptance rationale'),
      notEstimated: z.number().int(),
      controls: z.number().int(),
      categoriesWithoutControls: z.array(z.string()),
      traceGaps: z.number().int().describe('Rows of the trace with a missing link'),
      securityTests: z.number().int(),
      openFindings: z.number().int(),
    }),
    threatModels: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        method: z.string().optional(),
        scope: z.string().optional(),
        covers: z.array(ref).describe('The software system and items the model covers'),
        assets: z.array(
          z.strictObject({
            key: z.string(),
            name: z.string(),
            patientSafety: z.boolean(),
            threats: z.array(z.string()),
          }),
        ),
        trustBoundaries: z.array(z.strictObject({ key: z.string(), name: z.string() })),
        interfaces: z.array(
          z.strictObject({
            key: z.string(),
            name: z.string(),
            protocol: z.string().optional(),
            external: z.boolean(),
            boundary: z.string().optional(),
            threats: z.array(z.string()).describe('Threats entering through it; empty: not assessed'),
          }),
        ),
        assumptions: z.array(z.string()),
      }),
    ),
    threats: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        stride: z.array(z.string()),
        threatModel: z.string().nullable(),
        entryPoints: z.array(z.string()),
        assets: z.array(z.string()),
        attackPath: z.string().optional(),
        risks: z.array(z.string()),
      }),
    ),
    risks: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        initial: estimate.describe('Before control; null when not estimated'),
        residual: estimate.describe('After control; null when not estimated (the initial estimate stands)'),
        acceptability: z.enum(SECURITY_ACCEPTABILITY).describe('Of the current estimate'),
        acceptance: z.string().optional(),
        missing: z.array(z.string()).describe('Fields the estimate needs that are not written'),
        invalid: z.array(z.string()).describe('Fields whose value is no level of the configured scale'),
        patientHarm: z.boolean(),
        multiPatientHarm: z.boolean(),
        cvssVector: z.string().optional(),
        threats: z.array(z.string()),
        controls: z.array(z.string()),
        hazardousSituations: z.array(ref),
      }),
    ),
    controlCategories: z
      .array(
        z.strictObject({
          key: z.string(),
          label: z.string(),
          controls: z.array(z.string()).describe('Empty: no control in this category'),
        }),
      )
      .describe('Every category of the FDA guidance, Appendix 1, in its order'),
    controls: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        categories: z.array(z.string()),
        risks: z.array(z.string()),
        requirements: z.array(z.string()),
        tests: z.array(z.string()).describe('Tests that verify the control itself'),
        securityTests: z.array(z.string()).describe('Security test campaigns that tested it'),
      }),
    ),
    trace: z
      .array(
        z.strictObject({
          threat: z.string().nullable(),
          risk: z.string().nullable(),
          control: z.string().nullable(),
          controlNeeded: z
            .literal(false)
            .optional()
            .describe('Present when the risk is acceptable before control and has none: no control needed'),
          requirement: z.string().nullable(),
          tests: z.array(z.string()),
          missing: z.array(z.enum(TRACE_STEPS)).describe('Links of the chain that are missing'),
        }),
      )
      .describe('threat → risk → control → requirement → test; one row per path, gaps named'),
    testing: z.array(
      z.strictObject({
        id: z.string(),
        title: z.string(),
        testType: z.string(),
        date: z.string().optional(),
        softwareVersion: z.string().optional(),
        tester: z
          .strictObject({
            name: z.string(),
            organisation: z.string().optional(),
            independent: z.boolean(),
            independence: z.string().optional(),
          })
          .nullable()
          .describe('null: the record does not say who tested'),
        outcome: z.string().optional(),
        tested: z.array(z.string()),
        findings: z.strictObject({
          total: z.number().int(),
          open: z.number().int(),
          resolved: z.number().int(),
          'problem-report': z.number().int(),
          accepted: z.number().int(),
        }),
        openFindings: z.array(
          z.strictObject({ id: z.string().optional(), title: z.string(), severity: z.string().optional() }),
        ),
      }),
    ),
    views: z
      .array(z.strictObject({ key: z.string(), title: z.string(), file: z.string() }))
      .describe('The security architecture views, as written with --out (file names relative to it)'),
  })
  .describe('What `dossier security` reports: the security risk management file');

export type SecurityReport = z.infer<typeof securityReportSchema>;
type Estimate = NonNullable<z.infer<typeof estimate>>;

function str(value: unknown): string | undefined {
  return typeof value === 'string' && value.trim() !== '' ? value : undefined;
}

function estimateOf(e: SecurityEstimate | undefined): Estimate | null {
  if (!e) return null;
  return {
    impact: e.impact.key,
    impactLabel: e.impact.label,
    exploitability: e.exploitability.key,
    exploitabilityLabel: e.exploitability.label,
    acceptable: e.acceptable,
  };
}

export function acceptabilityOf(evaluation: SecurityRiskEvaluation): SecurityAcceptability {
  if (!evaluation.current) return 'not-estimated';
  if (evaluation.current.acceptable) return 'acceptable';
  return evaluation.unacceptableWithoutRationale ? 'unacceptable' : 'accepted';
}

const ids = (records: readonly DossierRecord[]) =>
  [...records]
    .filter(isActive)
    .sort(compareById)
    .map((r) => r.id);
const unique = (list: readonly string[]) => [...new Set(list)].sort();

/** The security views `dossier security --out` writes (src/security/security-views.ts draws them). */
export const SECURITY_VIEWS = [
  { key: 'global-system', title: 'Global system view', file: 'global-system-view.svg' },
  { key: 'multi-patient-harm', title: 'Multi-patient harm view', file: 'multi-patient-harm-view.svg' },
  { key: 'updatability', title: 'Updatability and patchability view', file: 'updatability-view.svg' },
  { key: 'security-use-cases', title: 'Security use case views', file: 'security-use-case-views.svg' },
] as const;

export function securityReport(graph: TraceGraph, config: DossierConfig): SecurityReport {
  const policy = securityRiskPolicy(config);
  const evaluations = evaluateSecurityRisks(graph, policy);
  const active = (kind: Parameters<TraceGraph['ofKind']>[0]) =>
    [...graph.ofKind(kind)].filter(isActive).sort(compareById);
  const threats = active('threat');
  const controls = active('security-control');
  const tests = active('security-test');

  const threatModels = active('threat-model').map((model) => {
    const modelThreats = graph.sources(model, 'threatModel', 'threat').filter(isActive).sort(compareById);
    const naming = (list: 'entryPoints' | 'assets', key: string) =>
      modelThreats.filter((t) => threatKeys(t, list).includes(key)).map((t) => t.id);
    return {
      id: model.id,
      title: model.title,
      ...(str(model.fields.method) ? { method: str(model.fields.method)! } : {}),
      ...(str(model.fields.scope) ? { scope: str(model.fields.scope)! } : {}),
      covers: graph
        .targets(model, 'softwareItems')
        .sort(compareById)
        .map((r) => ({ id: r.id, title: r.title })),
      assets: modelEntries(model, 'assets').map((a) => ({
        key: a.key,
        name: String(a.name),
        patientSafety: a.patientSafety === true,
        threats: naming('assets', a.key),
      })),
      trustBoundaries: modelEntries(model, 'trustBoundaries').map((b) => ({
        key: b.key,
        name: String(b.name),
      })),
      interfaces: modelEntries(model, 'interfaces').map((i) => ({
        key: i.key,
        name: String(i.name),
        ...(str(i.protocol) ? { protocol: str(i.protocol)! } : {}),
        external: i.external === true,
        ...(str(i.boundary) ? { boundary: str(i.boundary)! } : {}),
        threats: naming('entryPoints', i.key),
      })),
      assumptions: Array.isArray(model.fields.assumptions)
        ? model.fields.assumptions.filter((a): a is string => typeof a === 'string')
        : [],
    };
  });

  const risksOfThreat = (threat: DossierRecord) =>
    graph.sources(threat, 'threats', 'security-risk').filter(isActive).sort(compareById);
  const threatRows = threats.map((t) => ({
    id: t.id,
    title: t.title,
    stride: Array.isArray(t.fields.stride) ? t.fields.stride.map(String) : [],
    threatModel: graph.targets(t, 'threatModel')[0]?.id ?? null,
    entryPoints: [...threatKeys(t, 'entryPoints')],
    assets: [...threatKeys(t, 'assets')],
    ...(str(t.fields.attackPath) ? { attackPath: str(t.fields.attackPath)! } : {}),
    risks: risksOfThreat(t).map((r) => r.id),
  }));

  const risks = evaluations.map((e) => ({
    id: e.risk.id,
    title: e.risk.title,
    initial: estimateOf(e.initial),
    residual: estimateOf(e.residual),
    acceptability: acceptabilityOf(e),
    ...(str(e.risk.fields.acceptance) ? { acceptance: str(e.risk.fields.acceptance)! } : {}),
    missing: [...e.missing],
    invalid: e.invalid.map((i) => i.field),
    patientHarm: e.risk.fields.patientHarm === true,
    multiPatientHarm: e.risk.fields.multiPatientHarm === true,
    ...(str(e.risk.fields.cvssVector) ? { cvssVector: str(e.risk.fields.cvssVector)! } : {}),
    threats: ids(graph.targets(e.risk, 'threats')),
    controls: e.controls.map((c) => c.id),
    hazardousSituations: e.hazardousSituations.map((h) => ({ id: h.id, title: h.title })),
  }));

  const requirementsOf = (control: DossierRecord) =>
    graph.targets(control, 'softwareRequirements').filter(isActive).sort(compareById);
  const controlRows = controls.map((c) => ({
    id: c.id,
    title: c.title,
    categories: Array.isArray(c.fields.categories) ? c.fields.categories.map(String) : [],
    risks: ids(graph.targets(c, 'mitigates')),
    requirements: requirementsOf(c).map((r) => r.id),
    tests: ids(graph.testsVerifying(c)),
    securityTests: ids(graph.sources(c, 'tested', 'security-test')),
  }));
  const controlCategories = SECURITY_CONTROL_CATEGORIES.map((cat) => ({
    key: cat.key,
    label: cat.label,
    controls: controlRows.filter((c) => c.categories.includes(cat.key)).map((c) => c.id),
  }));

  const trace = traceRows(graph, threats, evaluations, controls, risksOfThreat, requirementsOf);

  const testing = tests.map((t) => {
    const findings = Array.isArray(t.fields.findings)
      ? (t.fields.findings as { id?: string; title: string; severity?: string; disposition: string }[])
      : [];
    const count = Object.fromEntries(
      SECURITY_FINDING_DISPOSITIONS.map((d) => [d, findings.filter((f) => f.disposition === d).length]),
    ) as Record<(typeof SECURITY_FINDING_DISPOSITIONS)[number], number>;
    const tester = t.fields.tester as
      | { name: string; organisation?: string; independent: boolean; independence?: string }
      | undefined;
    return {
      id: t.id,
      title: t.title,
      testType: String(t.fields.testType),
      ...(str(t.fields.date) ? { date: str(t.fields.date)! } : {}),
      ...(str(t.fields.softwareVersion) ? { softwareVersion: str(t.fields.softwareVersion)! } : {}),
      tester: tester
        ? {
            name: tester.name,
            ...(tester.organisation ? { organisation: tester.organisation } : {}),
            independent: tester.independent,
            ...(tester.independence ? { independence: tester.independence } : {}),
          }
        : null,
      ...(str(t.fields.outcome) ? { outcome: str(t.fields.outcome)! } : {}),
      tested: ids(graph.targets(t, 'tested')),
      findings: { total: findings.length, ...count },
      openFindings: findings
        .filter((f) => f.disposition === 'open')
        .map((f) => ({
          ...(f.id ? { id: f.id } : {}),
          title: f.title,
          ...(f.severity ? { severity: f.severity } : {}),
        })),
    };
  });

  const interfaces = threatModels.flatMap((m) => m.interfaces);
  return {
    schemaVersion: SECURITY_REPORT_SCHEMA_VERSION,
    tool: { name: 'dossier' as const, version: DOSSIER_VERSION },
    device: config.device.name,
    policy: policy !== undefined,
    summary: {
      threatModels: threatModels.length,
      interfaces: interfaces.length,
      interfacesWithoutThreats: interfaces.filter((i) => i.threats.length === 0).length,
      threats: threatRows.length,
      risks: risks.length,
      unacceptable: risks.filter((r) => r.acceptability === 'unacceptable').length,
      notEstimated: risks.filter((r) => r.acceptability === 'not-estimated').length,
      controls: controlRows.length,
      categoriesWithoutControls: controlCategories.filter((c) => c.controls.length === 0).map((c) => c.key),
      traceGaps: trace.filter((row) => row.missing.length > 0).length,
      securityTests: testing.length,
      openFindings: testing.reduce((n, t) => n + t.findings.open, 0),
    },
    threatModels,
    threats: threatRows,
    risks,
    controlCategories,
    controls: controlRows,
    trace,
    testing,
    views: SECURITY_VIEWS.map((v) => ({ ...v })),
  };
}

type TraceRow = SecurityReport['trace'][number];

/**
 * One row per path threat → risk → control → requirement, with the tests of the requirement (and of
 * the control itself); a missing link ends the path and is named in `missing`. Risks without a threat
 * and controls without a risk get rows of their own, so nothing is left out.
 */
function traceRows(
  graph: TraceGraph,
  threats: readonly DossierRecord[],
  evaluations: readonly SecurityRiskEvaluation[],
  controls: readonly DossierRecord[],
  risksOfThreat: (t: DossierRecord) => DossierRecord[],
  requirementsOf: (c: DossierRecord) => DossierRecord[],
): TraceRow[] {
  const rows: TraceRow[] = [];
  const controlsOf = (risk: DossierRecord) =>
    evaluations.find((e) => e.risk === risk)?.controls ??
    graph.sources(risk, 'mitigates', 'security-control').filter(isActive).sort(compareById);
  const fromControl = (threat: string | null, risk: string | null, control: DossierRecord) => {
    const base = { threat, risk, control: control.id };
    // A control that mitigates no risk misses its risk; a risk that names no threat, its threat.
    const gaps: TraceRow['missing'] = risk === null ? ['risk'] : threat === null ? ['threat'] : [];
    const own = unique([
      ...ids(graph.testsVerifying(control)),
      ...ids(graph.sources(control, 'tested', 'security-test')),
    ]);
    const requirements = requirementsOf(control);
    if (requirements.length === 0) {
      rows.push({
        ...base,
        requirement: null,
        tests: own,
        missing: [...gaps, 'requirement', ...(own.length === 0 ? (['test'] as const) : [])],
      });
      return;
    }
    for (const req of requirements) {
      const tests = unique([...ids(graph.testsVerifying(req)), ...own]);
      rows.push({
        ...base,
        requirement: req.id,
        tests,
        missing: [...gaps, ...(tests.length === 0 ? (['test'] as const) : [])],
      });
    }
  };
  const fromRisk = (threat: string | null, risk: DossierRecord) => {
    const riskControls = controlsOf(risk);
    const evaluation = evaluations.find((e) => e.risk === risk);
    if (riskControls.length === 0 && evaluation?.initial?.acceptable === true) {
      // Acceptable before control: a control is not needed, and the row says so.
      rows.push({
        threat,
        risk: risk.id,
        control: null,
        controlNeeded: false,
        requirement: null,
        tests: [],
        missing: threat === null ? ['threat'] : [],
      });
      return;
    }
    if (riskControls.length === 0) {
      rows.push({
        threat,
        risk: risk.id,
        control: null,
        requirement: null,
        tests: [],
        missing: [...(threat === null ? (['threat'] as const) : []), 'control', 'requirement', 'test'],
      });
      return;
    }
    for (const c of riskControls) fromControl(threat, risk.id, c);
  };
  for (const threat of threats) {
    const risks = risksOfThreat(threat);
    if (risks.length === 0) {
      rows.push({
        threat: threat.id,
        risk: null,
        control: null,
        requirement: null,
        tests: [],
        missing: ['risk', 'control', 'requirement', 'test'],
      });
    }
    for (const risk of risks) fromRisk(threat.id, risk);
  }
  for (const e of evaluations) {
    if (graph.targets(e.risk, 'threats').filter(isActive).length === 0) fromRisk(null, e.risk);
  }
  for (const c of controls) {
    if (graph.targets(c, 'mitigates').filter(isActive).length === 0) fromControl(null, null, c);
  }
  return rows;
}

/** The software items implementing a security control's requirements (for the updatability view). */
export function controlItems(graph: TraceGraph): (controlId: string) => { id: string; title: string }[] {
  return (controlId) => {
    const control = graph.get(controlId);
    if (!control) return [];
    const items = new Map<string, DossierRecord>();
    for (const req of graph.targets(control, 'softwareRequirements'))
      for (const item of graph.sources(req, 'implements', 'software-item'))
        if (isActive(item)) items.set(item.id, item);
    return [...items.values()].sort(compareById).map((i) => ({ id: i.id, title: i.title }));
  };
}
