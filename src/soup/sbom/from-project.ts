/**
 * Builds the {@link SbomDocument} from a project's records: SOUP in use, their classes, and the
 * vulnerability evaluations. Dates come from the records, never the clock, so the documents are
 * reproducible (the same records give byte-identical SBOMs).
 */
import type { Analysis } from '../../analyze.js';
import { compareById, type DossierRecord, isActive } from '../../model/record.js';
import { DOSSIER_VERSION } from '../../version.js';
import type { EcosystemData } from '../advisories/store.js';
import { anomalyReviewOf, vulnerabilityReviewGap } from '../anomaly-review.js';
import { packageOf, type SoupFinding } from '../scan.js';
import { soupOfVersion } from '../scope.js';
import type { SbomComponent, SbomDocument, VexJustification, VexStatement, VexStatus } from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function component(soup: DossierRecord, cls: string | undefined, usedBy: readonly string[]): SbomComponent {
  const f = soup.fields;
  const review = anomalyReviewOf(soup);
  const dependency = str(f.dependency);
  return {
    id: soup.id,
    name: soup.title,
    version: String(f.version),
    ...(str(f.manufacturer) ? { supplier: str(f.manufacturer)! } : {}),
    ...(str(f.purl) ? { purl: str(f.purl)! } : {}),
    ...(str(f.license) ? { license: str(f.license)! } : {}),
    ...(str(f.website) ? { website: str(f.website)! } : {}),
    ...(soup.text.trim() ? { description: soup.text.trim() } : {}),
    ...(Array.isArray(f.hashes) ? { hashes: f.hashes as { alg: string; content: string }[] } : {}),
    dependency: dependency === 'direct' || dependency === 'transitive' ? dependency : 'unknown',
    dependsOn: [...(soup.links.dependsOn ?? [])].sort(),
    ...(str(f.supportLevel) ? { supportLevel: str(f.supportLevel)! } : {}),
    ...(str(f.endOfSupport) ? { endOfSupport: str(f.endOfSupport)! } : {}),
    ...(str(f.supportJustification) ? { supportJustification: str(f.supportJustification)! } : {}),
    usedBy,
    ...(cls ? { safetyClass: cls } : {}),
    ...(str(f.requirements) ? { requirements: str(f.requirements)! } : {}),
    ...(str(f.systemRequirements) ? { systemRequirements: str(f.systemRequirements)! } : {}),
    ...(review ? { anomalyReview: review } : {}),
  };
}

function statement(evaluation: DossierRecord, finding: SoupFinding | undefined): VexStatement {
  const f = evaluation.fields;
  const aliases = new Set([...strings(f.aliases), ...(finding?.ids ?? [])]);
  aliases.delete(String(f.advisory));
  return {
    id: evaluation.id,
    componentId: evaluation.links.soup?.[0] ?? '',
    vulnerability: String(f.advisory),
    aliases: [...aliases].sort(),
    status: f.state as VexStatus,
    ...(str(f.justification) ? { justification: f.justification as VexJustification } : {}),
    ...(str(f.impact) ? { impact: str(f.impact)! } : {}),
    ...(str(f.action) ? { action: str(f.action)! } : {}),
    ...(str(f.reviewer) ? { reviewer: str(f.reviewer)! } : {}),
    date: String(f.date),
    ...(finding?.summary ? { summary: finding.summary } : {}),
    ...(finding ? { source: { name: 'OSV', url: `https://osv.dev/vulnerability/${finding.advisory}` } } : {}),
    hazardousSituations: [...(evaluation.links.hazardousSituations ?? [])].sort(),
    riskControls: [...(evaluation.links.riskControls ?? [])].sort(),
  };
}

/**
 * Whether the component was matched against advisory data, per its ecosystem: `no-data` when the
 * data holds nothing for it (or none was loaded), `not-matchable` when no advisory database can
 * name it; both are "not scanned".
 */
function scanStateOf(
  soup: DossierRecord,
  data: ReadonlyMap<string, EcosystemData | undefined>,
): Pick<SbomComponent, 'vulnerabilityScan' | 'vulnerabilityScanNote'> {
  const ref = packageOf(soup);
  if ('why' in ref) {
    const gap = vulnerabilityReviewGap(anomalyReviewOf(soup));
    return {
      vulnerabilityScan: 'not-matchable',
      vulnerabilityScanNote: `no advisory database can match it (${ref.why}); ${
        gap ? `${gap}` : `its anomaly list review of ${anomalyReviewOf(soup)!.date} covers vulnerabilities`
      }`,
    };
  }
  const held = data.get(ref.ecosystem);
  if (!held) {
    return {
      vulnerabilityScan: 'no-data',
      vulnerabilityScanNote: `no ${ref.ecosystem} advisory data was loaded`,
    };
  }
  return {
    vulnerabilityScan: 'scanned',
    vulnerabilityScanNote: `matched against ${ref.ecosystem} advisory data${held.newestModified ? ` as of ${held.newestModified.slice(0, 10)}` : ''}`,
  };
}

/** The latest date any record carries: the SBOM describes the records as of then. */
function latestRecordDate(records: readonly DossierRecord[]): string {
  let latest = '1970-01-01';
  const consider = (v: unknown) => {
    if (typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) && v > latest) latest = v;
  };
  for (const r of records) {
    consider(r.fields.date);
    consider((r.fields.anomalyReview as { date?: string } | undefined)?.date);
    for (const change of (r.fields.versionChanges as { date?: string }[] | undefined) ?? [])
      consider(change.date);
    consider(r.fields.approvedOn);
  }
  return latest;
}

export function sbomFromProject(analysis: Analysis): SbomDocument {
  const { project, graph, safety } = analysis;
  const config = project.config;
  const classes = new Map(safety.soup.map((s) => [s.soup.id, s]));
  const version = config.software.version;
  // The SBOM describes one software version: SOUP used only by items introduced in a later version
  // (work in progress) is not in it.
  const soups = soupOfVersion(analysis, version);
  const inSbom = new Set(soups.map((s) => s.id));
  const data = new Map(analysis.advisoryCoverage.map((c) => [c.ecosystem, c.data]));
  const components = soups.map((s) => {
    const c = component(s, classes.get(s.id)?.cls, classes.get(s.id)?.usedBy ?? []);
    return {
      ...c,
      dependsOn: c.dependsOn.filter((id) => inSbom.has(id)),
      ...scanStateOf(s, data),
    };
  });
  const findingOf = new Map(
    (analysis.soupScan?.findings ?? []).filter((f) => f.evaluation).map((f) => [f.evaluation!.id, f]),
  );
  const vex = graph
    .ofKind('vulnerability-evaluation')
    .filter((e) => isActive(e) && inSbom.has(e.links.soup?.[0] ?? ''))
    .sort(compareById)
    .map((e) => statement(e, findingOf.get(e.id)));
  return {
    product: {
      name: config.device.name,
      manufacturer: config.device.manufacturer,
      ...(config.device.model ? { model: config.device.model } : {}),
      version: version ?? '0.0.0',
    },
    author: config.device.manufacturer,
    timestamp: `${latestRecordDate(graph.records)}T00:00:00Z`,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    components,
    vex,
  };
}
