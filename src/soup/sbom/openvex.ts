/**
 * OpenVEX 0.2.0: one statement per evaluation record, the device software as product and the SOUP
 * item as subcomponent. Statements that lack what OpenVEX requires are still written, and listed in
 * `problems` so the caller can refuse to publish or warn.
 */
import { cvssScoreText } from '../cvss/ratings.js';
import { kevLabel } from '../kev/catalog.js';
import { epssLabel } from '../kev/epss.js';
import { toCycloneDx } from './cyclonedx.js';
import { normaliseHashes } from './hashes.js';
import { bomLink, contentUuid, dateTimeOf, productPurl } from './identity.js';
import { compareText, sortedVex } from './structure.js';
import { notScannedComponents, type SbomComponent, type SbomDocument, type VexStatement } from './types.js';

export const OPENVEX_CONTEXT = 'https://openvex.dev/ns/v0.2.0';

export interface OpenVexResult {
  readonly document: Record<string, unknown> & { readonly '@id': string };
  /** Statements missing what OpenVEX requires, and evaluations that could not be written. */
  readonly problems: string[];
}

/**
 * The SOUP item as an OpenVEX subcomponent: its purl as `@id`; without a purl, a BOM-Link to the
 * component in the CycloneDX SBOM, which is an IRI that resolves to exactly one component.
 */
function subcomponent(component: SbomComponent, sbomSerial: string): Record<string, unknown> {
  const hashes = Object.fromEntries(
    normaliseHashes(component.hashes).flatMap((h) => (h.openvex ? [[h.openvex, h.hex]] : [])),
  );
  return {
    '@id': component.purl ?? bomLink(sbomSerial, 1, component.id),
    ...(Object.keys(hashes).length > 0 ? { hashes } : {}),
  };
}

/** How the status was determined, for `status_notes`: evaluation id, reviewer and ISO 14971 links. */
function statusNotes(statement: VexStatement, impactUsed: boolean): string {
  const notes = [
    !impactUsed && statement.impact?.trim() ? statement.impact.trim() : undefined,
    `Evaluation ${statement.id}${statement.reviewer ? ` by ${statement.reviewer}` : ''} on ${statement.date}.`,
    statement.hazardousSituations.length > 0
      ? `Hazardous situations: ${[...statement.hazardousSituations].sort(compareText).join(', ')}.`
      : undefined,
    statement.riskControls.length > 0
      ? `Risk controls: ${[...statement.riskControls].sort(compareText).join(', ')}.`
      : undefined,
    // OpenVEX has no field for known exploitation: CISA KEV status in words.
    statement.kev ? `CISA KEV: ${kevLabel(statement.kev)}.` : undefined,
    // Nor for scores: the CVSS ratings and the EPSS status, in words too.
    ...(statement.cvss ?? []).map((r) => `${cvssScoreText(r)} (${r.vector}).`),
    statement.epss ? `${epssLabel(statement.epss)}.` : undefined,
  ];
  return notes.filter((n): n is string => n !== undefined).join(' ');
}

/**
 * The OpenVEX JSON schema accepts exactly one of `justification` and `impact_statement` on a
 * not_affected statement, so the impact text goes to `impact_statement` only when there is no
 * justification, and to `status_notes` otherwise (and for the other statuses, which have no impact
 * field).
 */
function statement(s: VexStatement, component: SbomComponent, product: string, sbom: string) {
  const impact = s.impact?.trim();
  const action = s.action?.trim();
  const impactAsStatement = s.status === 'not_affected' && !s.justification && !!impact;
  const aliases = [...new Set(s.aliases)].filter((a) => a !== s.vulnerability).sort(compareText);
  return {
    vulnerability: {
      name: s.vulnerability,
      ...(s.summary ? { description: s.summary } : {}),
      ...(aliases.length > 0 ? { aliases } : {}),
    },
    timestamp: dateTimeOf(s.date),
    products: [{ '@id': product, subcomponents: [subcomponent(component, sbom)] }],
    status: s.status,
    status_notes: statusNotes(s, impactAsStatement),
    ...(s.status === 'not_affected' && s.justification ? { justification: s.justification } : {}),
    ...(impactAsStatement ? { impact_statement: impact } : {}),
    ...(s.status === 'affected' && action
      ? { action_statement: action, action_statement_timestamp: dateTimeOf(s.date) }
      : {}),
  };
}

export function toOpenVex(doc: SbomDocument): OpenVexResult {
  const problems: string[] = [];
  const components = new Map(doc.components.map((c) => [c.id, c]));
  const product = productPurl(doc.product);
  const sbom = toCycloneDx(doc).serialNumber;
  const statements: Record<string, unknown>[] = [];
  for (const s of sortedVex(doc)) {
    const component = components.get(s.componentId);
    if (!component) {
      problems.push(
        `${s.id}: ${s.vulnerability} is evaluated for ${s.componentId}, which is not in the SBOM; statement left out`,
      );
      continue;
    }
    if (s.status === 'not_affected' && !s.justification && !s.impact?.trim()) {
      problems.push(
        `${s.id}: ${s.vulnerability} is not_affected without a justification or impact statement (OpenVEX requires one)`,
      );
    }
    if (s.status === 'affected' && !s.action?.trim()) {
      problems.push(
        `${s.id}: ${s.vulnerability} is affected without an action statement (OpenVEX requires one)`,
      );
    }
    statements.push(statement(s, component, product, sbom));
  }
  if (statements.length === 0) problems.push('no VEX statements: OpenVEX requires at least one');
  // OpenVEX has no statement for "not checked": say it to the caller instead.
  for (const c of notScannedComponents(doc)) {
    problems.push(
      `${c.id} (${c.name} ${c.version}) was not scanned: ${c.vulnerabilityScanNote ?? 'not matched against advisory data'}; OpenVEX cannot say so, and no statement about it does not mean not affected`,
    );
  }
  const body = {
    '@context': OPENVEX_CONTEXT,
    author: doc.author,
    timestamp: doc.timestamp,
    version: 1,
    tooling: `${doc.tool.name} ${doc.tool.version}`,
    statements,
  };
  return {
    document: {
      '@context': OPENVEX_CONTEXT,
      '@id': `urn:uuid:${contentUuid('openvex-0.2.0', body)}`,
      author: doc.author,
      timestamp: doc.timestamp,
      version: 1,
      tooling: body.tooling,
      statements,
    },
    problems,
  };
}
