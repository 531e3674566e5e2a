/**
 * Computer Software Assurance (FDA CSA; ISO 13485 4.1.6, 7.5.6): for each feature of production or
 * quality system software, the assurance its process risk needs (data/csa-assurance.json), the
 * assurance recorded on the validated version, and what is missing. Pure over the trace graph: the
 * rules (src/rules/csa.ts), the gap scan and the Software Validation Report all read this one result.
 */
import { verdictsOn } from '../evidence/verdicts.js';
import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import {
  ASSURANCE_METHODS,
  type AssuranceMethod,
  PROCESS_RISKS,
  type ProcessRisk,
  type TestOutcome,
} from '../model/vocabulary.js';
import { packageJson } from '../util/package-files.js';

interface Requirement {
  readonly methods: readonly AssuranceMethod[];
  readonly what: string;
}

interface AssuranceLevel {
  readonly label: string;
  readonly why: string;
  readonly requires: readonly Requirement[];
}

interface AssuranceFile {
  readonly guidance: string;
  readonly levels: Readonly<Record<ProcessRisk, AssuranceLevel>>;
  readonly generalRuleAreas: { readonly areas: readonly string[] };
}

const FILE = 'data/csa-assurance.json';

/** Loads the table and refuses a level or method it does not know: a level it skipped would pass unseen. */
function loadAssurance(): AssuranceFile {
  const data = packageJson<AssuranceFile>(FILE);
  for (const risk of PROCESS_RISKS) {
    const level = data.levels[risk];
    if (!level || level.requires.length === 0) throw new Error(`${FILE}: no requirement for ${risk}`);
    for (const r of level.requires)
      for (const m of r.methods)
        if (!(ASSURANCE_METHODS as readonly string[]).includes(m))
          throw new Error(`${FILE}: unknown assurance method "${m}" for ${risk}`);
  }
  return data;
}

export const CSA_ASSURANCE: AssuranceFile = loadAssurance();

/** One record of assurance for a feature: a scripted test with its result, or an assurance activity. */
export interface AssuranceEvidence {
  readonly method: AssuranceMethod;
  readonly id: string;
  /** Counts toward the feature's risk level: passed on the validated version, issues disposed of. */
  readonly counts: boolean;
  /** What the record shows, e.g. "passed on 4.2.1 (RUN-001)", "no result on 4.2.1". */
  readonly note: string;
}

export interface FeatureAssurance {
  readonly feature: DossierRecord;
  /** Undefined when the feature has no risk determination: it then fails closed. */
  readonly risk?: ProcessRisk;
  readonly rationale?: string;
  /** The methods the feature says were chosen (`assurance:`). */
  readonly planned: readonly AssuranceMethod[];
  readonly evidence: readonly AssuranceEvidence[];
  /** What its risk level (or its own plan) still needs, one line each; empty when complete. */
  readonly missing: readonly string[];
}

export interface CsaAssessment {
  /** The version validated (dossier.yaml `software.version`). */
  readonly version: string;
  readonly features: readonly FeatureAssurance[];
}

const OPEN_DISPOSITION = 'open';

function activityEvidence(activity: DossierRecord, version: string): AssuranceEvidence {
  const method = activity.fields.method as AssuranceMethod;
  const on = String(activity.fields.version);
  const outcome = String(activity.fields.outcome);
  const issues = (activity.fields.issues as { disposition: string }[] | undefined) ?? [];
  const open = issues.filter((i) => i.disposition === OPEN_DISPOSITION).length;
  const problem =
    on !== version
      ? `covers ${on}, not ${version}`
      : outcome === 'failed'
        ? 'failed'
        : open > 0
          ? `${open} issue(s) still open`
          : undefined;
  return {
    method,
    id: activity.id,
    counts: problem === undefined,
    note:
      problem ??
      `${outcome} on ${on} (${String(activity.fields.date)}, ${String(activity.fields.performedBy)})`,
  };
}

function testEvidence(
  test: DossierRecord,
  version: string,
  outcomes: ReadonlyMap<string, { outcome: TestOutcome; runId: string }>,
): AssuranceEvidence {
  const verdict = outcomes.get(test.id);
  return {
    method: 'scripted',
    id: test.id,
    counts: verdict?.outcome === 'passed',
    note: verdict ? `${verdict.outcome} on ${version} (${verdict.runId})` : `no result on ${version}`,
  };
}

/** The assurance of every active feature on `version`, sorted by id. */
export function assessCsa(graph: TraceGraph, version: string): CsaAssessment {
  const outcomes = verdictsOn(graph.ofKind('test-run').filter(isActive), version);
  const features = graph
    .ofKind('feature')
    .filter(isActive)
    .sort(compareById)
    .map((feature): FeatureAssurance => {
      const risk = feature.fields.processRisk as ProcessRisk | undefined;
      const rationale = feature.fields.riskRationale as string | undefined;
      const planned = (feature.fields.assurance as AssuranceMethod[] | undefined) ?? [];
      const evidence = [
        ...graph
          .sources(feature, 'verifies', 'test')
          .filter(isActive)
          .map((t) => testEvidence(t, version, outcomes)),
        ...graph
          .sources(feature, 'assures', 'assurance-activity')
          .filter(isActive)
          .map((a) => activityEvidence(a, version)),
      ].sort((a, b) => compareById(a, b));
      const missing: string[] = [];
      if (!risk) missing.push('no process risk determination (processRisk: high or not-high)');
      else {
        for (const need of CSA_ASSURANCE.levels[risk].requires)
          if (!evidence.some((e) => e.counts && need.methods.includes(e.method)))
            missing.push(`${CSA_ASSURANCE.levels[risk].label} needs ${need.what}`);
      }
      for (const method of planned)
        if (!evidence.some((e) => e.counts && e.method === method))
          missing.push(`the chosen ${method} assurance has no record that counts on ${version}`);
      return {
        feature,
        ...(risk ? { risk } : {}),
        ...(rationale ? { rationale } : {}),
        planned,
        evidence,
        missing,
      };
    });
  return { version, features };
}

/** The validation decision recorded for `version` (the latest by date, then id), if any. */
export function decisionFor(graph: TraceGraph, version: string): DossierRecord | undefined {
  const decisions = graph
    .ofKind('validation-decision')
    .filter((d) => isActive(d) && String(d.fields.version) === version)
    .sort((a, b) => String(a.fields.date).localeCompare(String(b.fields.date)) || compareById(a, b));
  return decisions.at(-1);
}

/** The intended-use record dossier.yaml names as the system (`software.system`), if it is one. */
export function intendedUseOf(graph: TraceGraph, systemId: string): DossierRecord | undefined {
  const record = graph.get(systemId);
  return record && record.kind === 'intended-use' && isActive(record) ? record : undefined;
}

/** The name of the system validated: its intended-use record's title, else the id dossier.yaml gives. */
export function systemName(graph: TraceGraph, systemId: string): string {
  return intendedUseOf(graph, systemId)?.title ?? systemId;
}

/** Whether a rule of this code runs for production software (its area applies to every profile). */
export function isGeneralRule(code: string): boolean {
  return CSA_ASSURANCE.generalRuleAreas.areas.includes(code.split('/')[0] ?? '');
}
