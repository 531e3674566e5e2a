/**
 * SPDX 2.3 JSON SBOM: one package for the device software, one per SOUP item, DEPENDS_ON
 * relationships, and the FDA support elements as `validUntilDate` plus package annotations (SPDX 2.3
 * has no field for the level of support).
 */
import { normaliseHashes } from './hashes.js';
import { contentUuid, productPurl, slug } from './identity.js';
import { classifyLicense, licenseRefs } from './license.js';
import { compareText, componentDependsOn, productDependsOn, sortedComponents } from './structure.js';
import { fdaLevelOfSupport, supportGaps, supportLevelLabel } from './support.js';
import type { SbomComponent, SbomDocument } from './types.js';

export const SPDX_DOCUMENT_ID = 'SPDXRef-DOCUMENT';
export const SPDX_PRODUCT_ID = 'SPDXRef-Product';
const NOASSERTION = 'NOASSERTION';

export type SpdxDocument = Record<string, unknown> & { readonly documentNamespace: string };

/** SPDX dates are `YYYY-MM-DDThh:mm:ssZ` exactly: UTC, no fraction. Unparseable text passes through. */
export function spdxDateTime(timestamp: string): string {
  const ms = Date.parse(timestamp);
  return Number.isNaN(ms) ? timestamp : new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
}

/** `SPDXRef-<id>` with characters outside [A-Za-z0-9.-] replaced; clashes get a numeric suffix. */
function spdxIds(components: readonly SbomComponent[]): Map<string, string> {
  const taken = new Set([SPDX_DOCUMENT_ID, SPDX_PRODUCT_ID]);
  const ids = new Map<string, string>();
  for (const c of components) {
    const base = `SPDXRef-${c.id.replace(/[^A-Za-z0-9.-]/g, '-')}`;
    let id = base;
    for (let n = 2; taken.has(id); n++) id = `${base}-${n}`;
    taken.add(id);
    ids.set(c.id, id);
  }
  return ids;
}

interface ExtractedLicence {
  readonly licenseId: string;
  readonly name: string;
  readonly extractedText: string;
  readonly comment: string;
}

/**
 * Licence fields take SPDX expressions only. Free text becomes a `LicenseRef-` whose definition
 * (`hasExtractedLicensingInfos`) carries the recorded text; LicenseRefs written in an expression
 * are defined too, as SPDX 2.3 requires.
 */
class Licences {
  private readonly byText = new Map<string, string>();
  private readonly extracted = new Map<string, ExtractedLicence>();

  expression(license: string | undefined): string {
    if (!license?.trim()) return NOASSERTION;
    const kind = classifyLicense(license);
    if (kind.kind === 'id') return kind.id;
    if (kind.kind === 'expression') {
      for (const ref of licenseRefs(kind.expression)) {
        if (!this.extracted.has(ref)) {
          this.extracted.set(ref, {
            licenseId: ref,
            name: ref.slice('LicenseRef-'.length),
            extractedText: 'The licence text is not included in this document.',
            comment: 'Referenced by a SOUP record licence expression.',
          });
        }
      }
      return kind.expression;
    }
    const known = this.byText.get(kind.name);
    if (known) return known;
    const base = `LicenseRef-${kind.name.replace(/[^A-Za-z0-9.-]+/g, '-').replace(/^-+|-+$/g, '') || 'unnamed'}`;
    let ref = base;
    for (let n = 2; this.extracted.has(ref); n++) ref = `${base}-${n}`;
    this.byText.set(kind.name, ref);
    this.extracted.set(ref, {
      licenseId: ref,
      name: kind.name,
      extractedText: kind.name,
      comment: 'Licence as recorded in the SOUP record, which is not an SPDX expression.',
    });
    return ref;
  }

  definitions(): ExtractedLicence[] {
    return [...this.extracted.values()].sort((a, b) => compareText(a.licenseId, b.licenseId));
  }
}

function annotations(doc: SbomDocument, c: SbomComponent): Record<string, string>[] {
  const comments: string[] = [];
  const gaps = new Map(supportGaps(c).map((g) => [g.property, g.justification]));
  const level = fdaLevelOfSupport(c);
  comments.push(
    level !== undefined
      ? `FDA level of support: ${level}`
      : `FDA level of support: ${supportLevelLabel(c)}. Justification: ${gaps.get('cdx:fda:level-of-support')}`,
  );
  comments.push(
    c.endOfSupport
      ? `FDA end-of-support date: ${c.endOfSupport}`
      : `FDA end-of-support date: not provided. Justification: ${gaps.get('cdx:fda:end-of-support-date')}`,
  );
  if (gaps.size === 0 && c.supportJustification?.trim()) {
    comments.push(`FDA support assessment: ${c.supportJustification.trim()}`);
  }
  if (c.vulnerabilityScan) {
    const state = c.vulnerabilityScan === 'scanned' ? 'scanned' : 'not scanned';
    comments.push(
      `Vulnerability scan: ${state}${c.vulnerabilityScanNote ? `: ${c.vulnerabilityScanNote}` : ''}`,
    );
  }
  return comments.map((comment) => ({
    annotationDate: spdxDateTime(doc.timestamp),
    annotationType: 'OTHER',
    annotator: `Tool: ${doc.tool.name}-${doc.tool.version}`,
    comment,
  }));
}

function purlRef(purl: string) {
  return [{ referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: purl }];
}

/** The package's purl and CPE 2.3 names (SPDX 2.3 Annex F: SECURITY cpe23Type). */
function externalRefs(c: SbomComponent) {
  return [
    ...(c.purl ? purlRef(c.purl) : []),
    ...(c.cpes ?? []).map((cpe) => ({
      referenceCategory: 'SECURITY',
      referenceType: 'cpe23Type',
      referenceLocator: cpe,
    })),
  ];
}

function componentPackage(
  doc: SbomDocument,
  c: SbomComponent,
  spdxId: string,
  licences: Licences,
): Record<string, unknown> {
  const checksums = normaliseHashes(c.hashes).map((h) => ({ algorithm: h.spdx, checksumValue: h.hex }));
  const license = licences.expression(c.license);
  const usedBy = [...new Set(c.usedBy)].sort(compareText);
  const comment = [
    usedBy.length > 0 ? `Used by ${usedBy.join(', ')}` : undefined,
    c.safetyClass ? `software safety class ${c.safetyClass}` : undefined,
  ]
    .filter((p): p is string => p !== undefined)
    .join('; ');
  return {
    name: c.name,
    SPDXID: spdxId,
    versionInfo: c.version,
    supplier: c.supplier ? `Organization: ${c.supplier}` : NOASSERTION,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    ...(checksums.length > 0 ? { checksums } : {}),
    ...(c.website ? { homepage: c.website } : {}),
    licenseConcluded: license,
    licenseDeclared: license,
    ...(c.description ? { description: c.description } : {}),
    ...(comment ? { comment: `${comment}.` } : {}),
    ...(c.purl || c.cpes ? { externalRefs: externalRefs(c) } : {}),
    primaryPackagePurpose: 'LIBRARY',
    ...(c.endOfSupport ? { validUntilDate: `${c.endOfSupport}T00:00:00Z` } : {}),
    annotations: annotations(doc, c),
  };
}

/** The device software; `APPLICATION` for the reason given at CycloneDX's product component. */
function productPackage(doc: SbomDocument): Record<string, unknown> {
  const { product } = doc;
  return {
    name: product.name,
    SPDXID: SPDX_PRODUCT_ID,
    versionInfo: product.version,
    supplier: `Organization: ${product.manufacturer}`,
    downloadLocation: NOASSERTION,
    filesAnalyzed: false,
    licenseConcluded: NOASSERTION,
    licenseDeclared: NOASSERTION,
    ...(product.model ? { comment: `Device model ${product.model}.` } : {}),
    externalRefs: purlRef(productPurl(product)),
    primaryPackagePurpose: 'APPLICATION',
  };
}

function relationship(from: string, type: string, to: string) {
  return { spdxElementId: from, relationshipType: type, relatedSpdxElement: to };
}

export function toSpdx(doc: SbomDocument): SpdxDocument {
  const components = sortedComponents(doc);
  const ids = spdxIds(components);
  const licences = new Licences();
  const packages = [
    productPackage(doc),
    ...components.map((c) => componentPackage(doc, c, ids.get(c.id)!, licences)),
  ];
  const extracted = licences.definitions();
  const relationships = [
    relationship(SPDX_DOCUMENT_ID, 'DESCRIBES', SPDX_PRODUCT_ID),
    ...productDependsOn(doc).map((id) => relationship(SPDX_PRODUCT_ID, 'DEPENDS_ON', ids.get(id)!)),
    ...components.flatMap((c) =>
      componentDependsOn(doc, c).map((id) => relationship(ids.get(c.id)!, 'DEPENDS_ON', ids.get(id)!)),
    ),
  ];
  const name = `${doc.product.name} ${doc.product.version}`;
  const creationInfo = {
    created: spdxDateTime(doc.timestamp),
    creators: [`Organization: ${doc.author}`, `Tool: ${doc.tool.name}-${doc.tool.version}`],
  };
  const body = {
    name,
    creationInfo,
    documentDescribes: [SPDX_PRODUCT_ID],
    packages,
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
    relationships,
  };
  // Unique per content (a UUID from the SHA-256 of the rest of the document), stable per content.
  const documentNamespace = `https://spdx.org/spdxdocs/${slug(doc.product.name)}-${slug(doc.product.version)}-${contentUuid('spdx-2.3', body)}`;
  return {
    spdxVersion: 'SPDX-2.3',
    dataLicense: 'CC0-1.0',
    SPDXID: SPDX_DOCUMENT_ID,
    name,
    documentNamespace,
    creationInfo,
    documentDescribes: body.documentDescribes,
    packages,
    ...(extracted.length > 0 ? { hasExtractedLicensingInfos: extracted } : {}),
    relationships,
  };
}
