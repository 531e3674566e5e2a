/**
 * Builds the {@link SbomDocument} from a project's records: SOUP in use, their classes, and the
 * vulnerability evaluations. Dates come from the records, never the clock, so the documents are
 * reproducible (the same records give byte-identical SBOMs).
 */
import type { Analysis } from '../../analyze.js';
import { appliesTo } from '../../evidence/verdicts.js';
import { compareById, type DossierRecord, isActive } from '../../model/record.js';
import { DOSSIER_VERSION } from '../../version.js';
import type { SoupFinding } from '../scan.js';
import type { SbomComponent, SbomDocument, VexJustification, VexStatement, VexStatus } from './types.js';

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);
const strings = (v: unknown): string[] =>
  Array.isArray(v) ? v.filter((x): x is string => typeof x === 'string') : [];

function component(soup: DossierRecord, cls: string | undefined, usedBy: readonly string[]): SbomComponent {
  const f = soup.fields;
  const review = f.anomalyReview as { date: string; reviewer?: string; conclusion: string } | undefined;
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

export interface SbomOptions {
  /** When the document is made: the build date (src/util/build-date.ts), RFC 3339. */
  readonly timestamp: string;
}

export function sbomFromProject(analysis: Analysis, options: SbomOptions): SbomDocument {
  const { project, graph, safety } = analysis;
  const config = project.config;
  const classes = new Map(safety.soup.map((s) => [s.soup.id, s]));
  const version = config.software.version;
  // The SBOM describes one software version: SOUP used only by items introduced in a later version
  // (work in progress) is not in it.
  const inVersion = (soup: DossierRecord) => {
    const users = classes.get(soup.id)?.usedBy ?? [];
    if (!version || users.length === 0) return true;
    return users.some((id) => {
      const item = graph.byId.get(id);
      return item === undefined || appliesTo(item, version);
    });
  };
  const soups = graph
    .ofKind('soup')
    .filter((s) => isActive(s) && s.fields.removed === undefined && inVersion(s))
    .sort(compareById);
  const inSbom = new Set(soups.map((s) => s.id));
  const unmatchable = new Set(analysis.soupScan?.unmatchable.map((u) => u.soupId) ?? []);
  const scanState = (id: string) =>
    !analysis.soupScan
      ? ('no-data' as const)
      : unmatchable.has(id)
        ? ('not-matchable' as const)
        : ('scanned' as const);
  const components = soups.map((s) => {
    const c = component(s, classes.get(s.id)?.cls, classes.get(s.id)?.usedBy ?? []);
    return {
      ...c,
      dependsOn: c.dependsOn.filter((id) => inSbom.has(id)),
      vulnerabilityScan: scanState(s.id),
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
    timestamp: options.timestamp,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    components,
    vex,
  };
}
