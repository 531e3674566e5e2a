/**
 * CycloneDX 1.6 JSON: the SBOM (NTIA minimum elements plus the FDA support properties of the
 * `cdx:fda` taxonomy), optionally with the VEX analyses inline, and a standalone VEX BOM whose
 * `affects` point into the SBOM by BOM-Link.
 */
import { normaliseHashes } from './hashes.js';
import { bomLink, contentUuid, dateTimeOf, productPurl } from './identity.js';
import { classifyLicense } from './license.js';
import {
  attachedVex,
  compareText,
  componentDependsOn,
  productDependsOn,
  sortedComponents,
} from './structure.js';
import { FDA_END_PROPERTY, FDA_LEVEL_PROPERTY, fdaLevelOfSupport, supportGaps } from './support.js';
import {
  notScannedComponents,
  type SbomComponent,
  type SbomDocument,
  type VexJustification,
  type VexStatement,
  type VexStatus,
} from './types.js';

export const CYCLONEDX_SCHEMA = 'http://cyclonedx.org/schema/bom-1.6.schema.json';
/** bom-ref of the device software (metadata.component). SOUP ids are PREFIX-NUMBER, so no clash. */
export const PRODUCT_REF = 'product';

export type CycloneDxBom = Record<string, unknown> & { readonly serialNumber: string };

export interface CycloneDxOptions {
  /** Add `vulnerabilities[]` with the VEX analyses (affects refer to components of this BOM). */
  readonly vex?: boolean;
}

/** OpenVEX status → CycloneDX `analysis.state`. One to one, so nothing is lost. */
export const CYCLONEDX_STATE: Readonly<Record<VexStatus, string>> = {
  not_affected: 'not_affected',
  affected: 'exploitable',
  fixed: 'resolved',
  under_investigation: 'in_triage',
};

/**
 * OpenVEX justification → CycloneDX `analysis.justification`:
 *
 * | OpenVEX                                           | CycloneDX                       |
 * |---------------------------------------------------|---------------------------------|
 * | component_not_present                             | code_not_present                |
 * | vulnerable_code_not_present                       | code_not_present                |
 * | vulnerable_code_not_in_execute_path               | code_not_reachable              |
 * | vulnerable_code_cannot_be_controlled_by_adversary | requires_environment            |
 * | inline_mitigations_already_exist                  | protected_by_mitigating_control |
 *
 * - component_not_present: CycloneDX has no component-level value; the vulnerable code is absent
 *   from the product either way, which is what code_not_present asserts.
 * - cannot_be_controlled_by_adversary: the code is present and runs, but exploiting it needs an
 *   attacker-controlled input path the device does not have. That is an environmental precondition
 *   (requires_environment), not a control we added; requires_configuration would claim a setting,
 *   protected_by_mitigating_control a measure.
 * - inline_mitigations_already_exist: a preventative measure (in Dossier a linked risk control)
 *   stops exploitation. protected_by_mitigating_control is the general value; protected_at_runtime,
 *   protected_at_perimeter and protected_by_compiler each name a kind of measure the record does not
 *   state.
 * Two OpenVEX values share code_not_present, so every vulnerability also carries the OpenVEX value
 * as property `dossier:openvex-justification`, keeping the mapping lossless.
 */
export const CYCLONEDX_JUSTIFICATION: Readonly<Record<VexJustification, string>> = {
  component_not_present: 'code_not_present',
  vulnerable_code_not_present: 'code_not_present',
  vulnerable_code_not_in_execute_path: 'code_not_reachable',
  vulnerable_code_cannot_be_controlled_by_adversary: 'requires_environment',
  inline_mitigations_already_exist: 'protected_by_mitigating_control',
};

interface Property {
  readonly name: string;
  readonly value: string;
}

function sortedProperties(properties: readonly Property[]): Property[] {
  return [...properties].sort((a, b) => compareText(a.name, b.name) || compareText(a.value, b.value));
}

function licenses(license: string | undefined): unknown[] | undefined {
  if (!license?.trim()) return undefined;
  const kind = classifyLicense(license);
  switch (kind.kind) {
    case 'id':
      return [{ license: { id: kind.id } }];
    case 'expression':
      return [{ expression: kind.expression }];
    case 'name':
      return [{ license: { name: kind.name } }];
  }
}

function componentProperties(component: SbomComponent): Property[] {
  const properties: Property[] = [];
  const level = fdaLevelOfSupport(component);
  if (level !== undefined) properties.push({ name: FDA_LEVEL_PROPERTY, value: level });
  if (component.endOfSupport) {
    properties.push({ name: FDA_END_PROPERTY, value: component.endOfSupport });
    properties.push({ name: 'cdx:lifecycle:milestone:endOfSupport', value: component.endOfSupport });
  }
  const gaps = supportGaps(component);
  // The taxonomy's form: `<property that cannot be given>: <why>`, one per missing property.
  for (const gap of gaps) {
    properties.push({ name: 'cdx:fda:justification', value: `${gap.property}: ${gap.justification}` });
  }
  // A justification with nothing missing says how support was assessed; cdx:fda:justification is
  // reserved for information that cannot be given, so it goes in a property of our own.
  if (gaps.length === 0 && component.supportJustification?.trim()) {
    properties.push({ name: 'dossier:support-justification', value: component.supportJustification.trim() });
  }
  if (component.safetyClass) properties.push({ name: 'dossier:safety-class', value: component.safetyClass });
  // Whether the vulnerabilities were checked: an SBOM without `vulnerabilities` for a component that
  // was never matched against advisory data must not read as "no known vulnerability".
  if (component.vulnerabilityScan) {
    properties.push({
      name: 'dossier:vulnerability-scan',
      value: component.vulnerabilityScan === 'scanned' ? 'scanned' : 'not-scanned',
    });
    if (component.vulnerabilityScanNote)
      properties.push({ name: 'dossier:vulnerability-scan-note', value: component.vulnerabilityScanNote });
  }
  if (component.usedBy.length > 0) {
    properties.push({
      name: 'dossier:used-by',
      value: [...new Set(component.usedBy)].sort(compareText).join(','),
    });
  }
  return sortedProperties(properties);
}

function isUrl(text: string): boolean {
  return URL.canParse(text);
}

function component(c: SbomComponent): Record<string, unknown> {
  const hashes = normaliseHashes(c.hashes).map((h) => ({ alg: h.cyclonedx, content: h.hex }));
  const properties = componentProperties(c);
  const licenseChoice = licenses(c.license);
  return {
    type: 'library',
    'bom-ref': c.id,
    ...(c.supplier ? { supplier: { name: c.supplier } } : {}),
    name: c.name,
    version: c.version,
    ...(c.description ? { description: c.description } : {}),
    ...(hashes.length > 0 ? { hashes } : {}),
    ...(licenseChoice ? { licenses: licenseChoice } : {}),
    ...(c.purl ? { purl: c.purl } : {}),
    // CycloneDX holds one CPE per component; the first is the one the record lists first.
    ...(c.cpes?.[0] ? { cpe: c.cpes[0] } : {}),
    // A website that is not a URL would make the BOM invalid; it is left out.
    ...(c.website && isUrl(c.website) ? { externalReferences: [{ type: 'website', url: c.website }] } : {}),
    ...(properties.length > 0 ? { properties } : {}),
  };
}

/**
 * The device software. Type `application`: Dossier serves standalone software (SaMD) and software in
 * a device alike, and the records do not say which; CycloneDX `firmware` ("low-level control over a
 * device's hardware") fits only the latter, `device` is hardware.
 */
function productComponent(doc: SbomDocument): Record<string, unknown> {
  const { product } = doc;
  return {
    type: 'application',
    'bom-ref': PRODUCT_REF,
    supplier: { name: product.manufacturer },
    manufacturer: { name: product.manufacturer },
    name: product.name,
    version: product.version,
    purl: productPurl(product),
    ...(product.model ? { properties: [{ name: 'dossier:device-model', value: product.model }] } : {}),
  };
}

function metadata(doc: SbomDocument): Record<string, unknown> {
  return {
    timestamp: doc.timestamp,
    tools: { components: [{ type: 'application', name: doc.tool.name, version: doc.tool.version }] },
    authors: [{ name: doc.author }],
    component: productComponent(doc),
    manufacturer: { name: doc.product.manufacturer },
    supplier: { name: doc.product.manufacturer },
  };
}

/** Every bom-ref gets an entry, an empty `dependsOn` meaning "depends on nothing". */
function dependencies(doc: SbomDocument): Record<string, unknown>[] {
  return [
    { ref: PRODUCT_REF, dependsOn: productDependsOn(doc) },
    ...sortedComponents(doc).map((c) => ({ ref: c.id, dependsOn: componentDependsOn(doc, c) })),
  ];
}

/** Where an advisory id is published, by its prefix (OSV covers all the others it aliases). */
export function vulnerabilitySource(id: string): { name: string; url: string } {
  if (/^CVE-/i.test(id)) return { name: 'NVD', url: `https://nvd.nist.gov/vuln/detail/${id}` };
  if (/^GHSA-/i.test(id)) return { name: 'GitHub Advisories', url: `https://github.com/advisories/${id}` };
  return { name: 'OSV', url: `https://osv.dev/vulnerability/${encodeURIComponent(id)}` };
}

function analysisDetail(statement: VexStatement): string | undefined {
  const impact = statement.impact?.trim();
  const action = statement.action?.trim();
  const parts = [impact, action ? `Action: ${action}` : undefined].filter((p): p is string => !!p);
  return parts.length > 0 ? parts.join('\n\n') : undefined;
}

/**
 * CISA KEV status as properties (CycloneDX 1.6 has no field for known exploitation): `dossier:kev`
 * is listed, not-listed or not-checked; a listed one adds the catalog's dates and ransomware use.
 */
function kevProperties(statement: VexStatement): Property[] {
  const kev = statement.kev;
  if (!kev) return [];
  const out: Property[] = [{ name: 'dossier:kev', value: kev.status }];
  if (kev.catalogVersion) out.push({ name: 'dossier:kev-catalog', value: kev.catalogVersion });
  if (kev.entry)
    out.push(
      { name: 'dossier:kev-date-added', value: kev.entry.dateAdded },
      { name: 'dossier:kev-due-date', value: kev.entry.dueDate },
      { name: 'dossier:kev-ransomware', value: kev.entry.knownRansomwareCampaignUse },
    );
  return out;
}

/**
 * FIRST EPSS as properties too (a probability, not a severity rating): `dossier:epss-status`
 * (`scored`, `not-scored`, `not-checked`), the scores' date and, when scored, the CVE, the
 * probability and its percentile.
 */
function epssProperties(statement: VexStatement): Property[] {
  const epss = statement.epss;
  if (!epss) return [];
  const out: Property[] = [{ name: 'dossier:epss-status', value: epss.status }];
  if (epss.scoreDate) out.push({ name: 'dossier:epss-date', value: epss.scoreDate.slice(0, 10) });
  if (epss.score)
    out.push(
      { name: 'dossier:epss-cve', value: epss.score.cve },
      { name: 'dossier:epss', value: String(epss.score.epss) },
      { name: 'dossier:epss-percentile', value: String(epss.score.percentile) },
    );
  return out;
}

/** CycloneDX 1.6 `ratings[].method` per CVSS version. */
const CDX_METHOD = {
  '2.0': 'CVSSv2',
  '3.0': 'CVSSv3',
  '3.1': 'CVSSv31',
  '4.0': 'CVSSv4',
  unknown: 'other',
} as const;

/**
 * CVSS ratings as CycloneDX `ratings`: a scored vector with its score and severity (CVSS 4.0: the
 * CVSS-B score, the justification naming the CVSS-BT/BE/BTE one when the vector has threat or
 * environmental metrics); one Dossier does not score (CVSS 2.0) or cannot parse with its vector and
 * severity `unknown`, no score.
 */
function ratingsOf(statement: VexStatement): Record<string, unknown>[] {
  return (statement.cvss ?? []).map((r) => ({
    ...(r.baseScore !== null ? { score: r.baseScore } : {}),
    severity: r.severity ? r.severity.toLowerCase() : 'unknown',
    method: CDX_METHOD[r.version],
    vector: r.vector,
    ...(r.note ? { justification: r.note } : {}),
  }));
}

function vulnerability(statement: VexStatement, ref: string): Record<string, unknown> {
  const source = statement.source
    ? { name: statement.source.name, ...(statement.source.url ? { url: statement.source.url } : {}) }
    : vulnerabilitySource(statement.vulnerability);
  const references = [...new Set(statement.aliases)]
    .filter((alias) => alias !== statement.vulnerability)
    .sort(compareText)
    .map((alias) => ({ id: alias, source: vulnerabilitySource(alias) }));
  const detail = analysisDetail(statement);
  const properties: Property[] = [];
  if (statement.justification) {
    properties.push({ name: 'dossier:openvex-justification', value: statement.justification });
  }
  if (statement.reviewer) properties.push({ name: 'dossier:reviewer', value: statement.reviewer });
  if (statement.hazardousSituations.length > 0) {
    properties.push({
      name: 'dossier:hazardous-situations',
      value: [...statement.hazardousSituations].sort(compareText).join(','),
    });
  }
  if (statement.riskControls.length > 0) {
    properties.push({
      name: 'dossier:risk-controls',
      value: [...statement.riskControls].sort(compareText).join(','),
    });
  }
  properties.push(...kevProperties(statement), ...epssProperties(statement));
  return {
    'bom-ref': statement.id,
    id: statement.vulnerability,
    source,
    ...(references.length > 0 ? { references } : {}),
    ...(statement.summary ? { description: statement.summary } : {}),
    ...(ratingsOf(statement).length > 0 ? { ratings: ratingsOf(statement) } : {}),
    analysis: {
      state: CYCLONEDX_STATE[statement.status],
      ...(statement.justification ? { justification: CYCLONEDX_JUSTIFICATION[statement.justification] } : {}),
      ...(detail ? { detail } : {}),
      firstIssued: dateTimeOf(statement.date),
      lastUpdated: dateTimeOf(statement.date),
    },
    affects: [{ ref }],
    ...(properties.length > 0 ? { properties: sortedProperties(properties) } : {}),
  };
}

/**
 * Assembles a BOM whose serial number is a UUID from the SHA-256 of everything else in it: equal
 * records give byte-identical BOMs, and any change gives a new serial number (every BOM is version 1
 * of its own serial; BOM version numbering would need state outside the records).
 */
function assemble(kind: string, parts: Record<string, unknown>): CycloneDxBom {
  const body = { bomFormat: 'CycloneDX', specVersion: '1.6', version: 1, ...parts };
  return {
    $schema: CYCLONEDX_SCHEMA,
    bomFormat: 'CycloneDX',
    specVersion: '1.6',
    serialNumber: `urn:uuid:${contentUuid(kind, body)}`,
    version: 1,
    ...parts,
  };
}

/**
 * The SBOM. Dependencies naming no component of the SBOM, and VEX statements about one, are left
 * out: a BOM must not reference a bom-ref it lacks (`toOpenVex` reports such statements).
 */
export function toCycloneDx(doc: SbomDocument, options: CycloneDxOptions = {}): CycloneDxBom {
  return assemble(options.vex ? 'cyclonedx-sbom-vex' : 'cyclonedx-sbom', {
    metadata: metadata(doc),
    components: sortedComponents(doc).map(component),
    dependencies: dependencies(doc),
    ...(options.vex ? { vulnerabilities: attachedVex(doc).map((s) => vulnerability(s, s.componentId)) } : {}),
  });
}

/**
 * A standalone CycloneDX VEX: metadata and vulnerabilities only. `affects` are BOM-Links
 * (`urn:cdx:<serial>/1#<bom-ref>`) into the SBOM of `toCycloneDx(doc)` without inline VEX, the one
 * published next to a separate VEX, so the VEX can be reissued while the SBOM stays the same.
 */
export function toCycloneDxVex(doc: SbomDocument): CycloneDxBom {
  const sbom = toCycloneDx(doc).serialNumber;
  // A VEX lists what was evaluated; the components never matched against advisory data are named
  // too, so that no statement about them is not read as "not affected".
  const notScanned = notScannedComponents(doc).map((c) => ({
    name: 'dossier:not-scanned',
    value: `${c.id}: ${c.vulnerabilityScanNote ?? 'not matched against advisory data'}`,
  }));
  return assemble('cyclonedx-vex', {
    metadata: { ...metadata(doc), ...(notScanned.length > 0 ? { properties: notScanned } : {}) },
    vulnerabilities: attachedVex(doc).map((s) => vulnerability(s, bomLink(sbom, 1, s.componentId))),
  });
}
