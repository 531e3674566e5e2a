import { createHash } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { cvssRatings } from '../src/soup/cvss/ratings.js';
import {
  CYCLONEDX_JUSTIFICATION,
  CYCLONEDX_STATE,
  toCycloneDx,
  toCycloneDxVex,
} from '../src/soup/sbom/cyclonedx.js';
import { normaliseHash } from '../src/soup/sbom/hashes.js';
import { classifyLicense } from '../src/soup/sbom/license.js';
import { toOpenVex } from '../src/soup/sbom/openvex.js';
import { soupListCsv, soupListMarkdown } from '../src/soup/sbom/soup-list.js';
import { toSpdx } from '../src/soup/sbom/spdx.js';
import { productDependsOn } from '../src/soup/sbom/structure.js';
import type { SbomComponent, SbomDocument, VexStatement } from '../src/soup/sbom/types.js';
import { serialize } from '../src/util/canonical-json.js';
import { REPO } from './helpers.js';

const SCHEMAS = path.resolve(REPO, '../shared/data/schemas');
const schemasPresent = fs.existsSync(path.join(SCHEMAS, 'cyclonedx/bom-1.6.schema.json'));
if (!schemasPresent)
  console.warn(
    `[skip] ${SCHEMAS} is absent (a fresh clone has no ../shared): CycloneDX/SPDX schema validation skipped`,
  );

const integrity = createHash('sha512').update('express-4.19.2.tgz').digest('base64');
const zlibSha256 = createHash('sha256').update('zlib-1.3.1.tar.gz').digest('hex');
const serdeSha256 = createHash('sha256').update('serde-1.0.197.crate').digest('hex').toUpperCase();

const MALICIOUS_NAME = '=SUM(A1)|cmd\n# injected <script>alert(1)</script>';

const components: SbomComponent[] = [
  {
    id: 'SOUP-005',
    name: MALICIOUS_NAME,
    version: '1.0.0',
    supplier: '+Evil Corp',
    license: 'Proprietary licence, see supply contract §4',
    description: '@mention me',
    dependency: 'unknown',
    dependsOn: [],
    supportLevel: 'abandoned',
    endOfSupport: '2024-01-31',
    usedBy: ['SI-004'],
    safetyClass: 'A',
    requirements: '- item one\n# not a heading\n| a | b |\n\n1. numbered <b>bold</b>',
    systemRequirements: '-1 means nothing',
  },
  {
    id: 'SOUP-001',
    name: 'express',
    version: '4.19.2',
    supplier: 'OpenJS Foundation',
    purl: 'pkg:npm/express@4.19.2',
    license: 'MIT',
    website: 'https://expressjs.com',
    description: 'Web framework for the service interface',
    hashes: [{ alg: 'sha512', content: `sha512-${integrity}` }],
    dependency: 'direct',
    dependsOn: ['SOUP-002', 'SOUP-002', 'SOUP-999'],
    supportLevel: 'actively-maintained',
    endOfSupport: '2026-12-31',
    supportJustification: 'Checked the OpenJS support policy on 2025-03-01',
    usedBy: ['SI-002', 'SI-001'],
    safetyClass: 'B',
    requirements: 'Serve the maintenance REST API.\nHandle 50 requests per second.',
    systemRequirements: 'Node.js 20 LTS on Linux (arm64).',
    anomalyReview: {
      date: '2025-02-20',
      reviewer: 'J. Doe',
      conclusion: 'No open issue affects the routes we use.',
    },
  },
  {
    id: 'SOUP-002',
    name: 'body-parser',
    version: '1.20.2',
    supplier: 'OpenJS Foundation',
    purl: 'pkg:npm/body-parser@1.20.2',
    license: 'MIT',
    dependency: 'transitive',
    dependsOn: [],
    supportLevel: 'actively-maintained',
    usedBy: ['SI-002'],
    safetyClass: 'B',
  },
  {
    id: 'SOUP-003',
    name: 'serde',
    version: '1.0.197',
    supplier: 'serde-rs',
    purl: 'pkg:cargo/serde@1.0.197',
    license: 'MIT OR Apache-2.0',
    website: 'https://serde.rs',
    hashes: [{ alg: 'SHA-256', content: serdeSha256 }],
    dependency: 'direct',
    dependsOn: ['SOUP-006'],
    supportLevel: 'actively-maintained',
    endOfSupport: '2027-06-30',
    usedBy: ['SI-003'],
    safetyClass: 'C',
    requirements: 'Decode pump configuration files.',
    systemRequirements: 'Rust 1.75 or later.',
    anomalyReview: { date: '2025-02-21', conclusion: 'No relevant anomalies.' },
  },
  {
    id: 'SOUP-006',
    name: 'serde_derive',
    version: '1.0.197',
    supplier: 'serde-rs',
    purl: 'pkg:cargo/serde_derive@1.0.197',
    license: 'LicenseRef-serde-custom',
    dependency: 'transitive',
    dependsOn: [],
    supportLevel: 'no-longer-maintained',
    endOfSupport: '2025-12-31',
    usedBy: ['SI-003'],
    safetyClass: 'C',
  },
  {
    id: 'SOUP-004',
    name: 'zlib',
    version: '1.3.1',
    supplier: 'Jean-loup Gailly and Mark Adler',
    license: 'Zlib',
    website: 'https://zlib.net',
    hashes: [{ alg: 'sha256', content: zlibSha256 }],
    dependency: 'direct',
    dependsOn: [],
    supportLevel: 'unknown',
    supportJustification: 'Volunteer project without a published support policy',
    usedBy: ['SI-005'],
    safetyClass: 'C',
    requirements: 'Inflate firmware update images.',
    systemRequirements: 'C99 compiler; 32 KiB heap.',
    anomalyReview: { date: '2025-02-22', reviewer: 'A. Roe', conclusion: 'minizip is not built.' },
  },
];

function vex(
  partial: Partial<VexStatement> & Pick<VexStatement, 'id' | 'componentId' | 'vulnerability' | 'status'>,
): VexStatement {
  return { aliases: [], date: '2025-03-01', hazardousSituations: [], riskControls: [], ...partial };
}

const statements: VexStatement[] = [
  vex({
    id: 'VEX-001',
    componentId: 'SOUP-002',
    vulnerability: 'GHSA-qwcr-r2fm-qrc7',
    aliases: ['CVE-2024-45590'],
    status: 'not_affected',
    justification: 'vulnerable_code_not_in_execute_path',
    impact: 'URL-encoded bodies are not parsed by any route.',
    reviewer: 'J. Doe',
    summary: 'body-parser denial of service when url encoding is enabled',
    source: { name: 'GitHub Advisories', url: 'https://github.com/advisories/GHSA-qwcr-r2fm-qrc7' },
  }),
  vex({
    id: 'VEX-002',
    componentId: 'SOUP-001',
    vulnerability: 'GHSA-rv95-896h-c2vc',
    aliases: ['CVE-2024-29041'],
    status: 'fixed',
    action: 'Updated to 4.19.2.',
  }),
  vex({
    id: 'VEX-003',
    componentId: 'SOUP-004',
    vulnerability: 'CVE-2023-45853',
    status: 'not_affected',
    justification: 'vulnerable_code_not_present',
    impact: 'minizip is not compiled into the firmware.',
  }),
  vex({
    id: 'VEX-004',
    componentId: 'SOUP-003',
    vulnerability: 'RUSTSEC-2025-0001',
    status: 'under_investigation',
  }),
  vex({
    id: 'VEX-005',
    componentId: 'SOUP-005',
    vulnerability: 'CVE-2099-0001',
    status: 'affected',
    impact: 'Crafted | input <img src=x> may\nstall the UI.',
    hazardousSituations: ['HS-003'],
    riskControls: ['RC-007'],
    // CVSS ratings (3.1 and 4.0 scored, the 4.0 one with a threat metric and so a justification,
    // a 2.0 one left unscored), a KEV listing and an EPSS score: the schemas must accept them.
    cvss: cvssRatings([
      'CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N',
      'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:N/VA:N/SC:N/SI:N/SA:N/E:P',
      'AV:N/AC:L/Au:N/C:P/I:N/A:N',
    ]),
    kev: {
      status: 'listed',
      catalogVersion: '2099.01.01',
      entry: {
        cveID: 'CVE-2099-0001',
        vendorProject: 'Acme',
        product: 'Widget',
        vulnerabilityName: 'Acme Widget fixture',
        dateAdded: '2099-01-02',
        dueDate: '2099-01-23',
        knownRansomwareCampaignUse: 'Known',
      },
    },
    epss: {
      status: 'scored',
      scoreDate: '2099-01-01T00:00:00Z',
      modelVersion: 'v2025.03.14',
      score: { cve: 'CVE-2099-0001', epss: 0.5, percentile: 0.99 },
    },
  }),
  vex({
    id: 'VEX-006',
    componentId: 'SOUP-006',
    vulnerability: 'GHSA-aaaa-bbbb-cccc',
    status: 'affected',
    impact: 'Build-time only, but flagged.',
    action: 'Update to 1.0.198 in release 2.1.1.',
    reviewer: 'A. Roe',
  }),
  vex({
    id: 'VEX-007',
    componentId: 'SOUP-004',
    vulnerability: 'CVE-2022-37434',
    status: 'not_affected',
    justification: 'inline_mitigations_already_exist',
    riskControls: ['RC-010'],
  }),
  vex({
    id: 'VEX-008',
    componentId: 'SOUP-001',
    vulnerability: 'CVE-2024-43796',
    status: 'not_affected',
    justification: 'vulnerable_code_cannot_be_controlled_by_adversary',
  }),
  vex({
    id: 'VEX-009',
    componentId: 'SOUP-003',
    vulnerability: 'RUSTSEC-2024-0002',
    status: 'not_affected',
    justification: 'component_not_present',
  }),
  vex({
    id: 'VEX-010',
    componentId: 'SOUP-002',
    vulnerability: 'CVE-2024-0003',
    status: 'not_affected',
    impact: 'Only JSON bodies below 1 KiB are accepted.',
  }),
];

const DOC: SbomDocument = {
  product: {
    name: 'Infusion Pump Controller',
    manufacturer: 'Acme Medical GmbH',
    model: 'IPC-200',
    version: '2.1.0',
  },
  author: 'Acme Medical GmbH',
  timestamp: '2025-03-14T09:30:00Z',
  tool: { name: 'dossier', version: '0.1.0' },
  components,
  vex: statements,
};

// biome-ignore lint/suspicious/noExplicitAny: the documents under test are read as plain JSON
type Json = Record<string, any>;

function props(component: Json): Record<string, string[]> {
  const out: Record<string, string[]> = {};
  for (const p of component.properties ?? []) out[p.name] = [...(out[p.name] ?? []), p.value];
  return out;
}

describe.skipIf(!schemasPresent)('official schemas', () => {
  function cyclonedxValidator() {
    const read = (f: string) => JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'cyclonedx', f), 'utf8'));
    const ajv = new Ajv.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    ajv.addFormat('iri-reference', true);
    ajv.addFormat('idn-email', true);
    ajv.addSchema(read('spdx.schema.json'), 'spdx.schema.json');
    ajv.addSchema(read('jsf-0.82.schema.json'), 'jsf-0.82.schema.json');
    return ajv.compile(read('bom-1.6.schema.json'));
  }

  it('the CycloneDX SBOM with VEX and the standalone VEX validate against bom-1.6', () => {
    const validate = cyclonedxValidator();
    for (const bom of [toCycloneDx(DOC), toCycloneDx(DOC, { vex: true }), toCycloneDxVex(DOC)]) {
      expect(validate(JSON.parse(serialize(bom))), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    }
    // An id-shaped licence that is not on the SPDX list is written as a name, which the schema accepts.
    const unlisted = JSON.parse(
      serialize(toCycloneDx({ ...DOC, components: [{ ...components[1]!, license: 'NotASpdxId' }] })),
    );
    expect(unlisted.components[0].licenses).toEqual([{ license: { name: 'NotASpdxId' } }]);
    expect(validate(unlisted)).toBe(true);
    // The validator does bite: the same document with that licence forced into `id` is rejected.
    unlisted.components[0].licenses = [{ license: { id: 'NotASpdxId' } }];
    expect(validate(unlisted)).toBe(false);
  });

  it('the SPDX document validates against spdx-2.3', () => {
    const schema = JSON.parse(fs.readFileSync(path.join(SCHEMAS, 'spdx/spdx-2.3.schema.json'), 'utf8'));
    expect(schema.$schema).toContain('draft-07');
    const ajv = new Ajv.default({ strict: false, allErrors: true });
    addFormats.default(ajv);
    const validate = ajv.compile(schema);
    const spdx = JSON.parse(serialize(toSpdx(DOC)));
    expect(validate(spdx), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate({ ...spdx, packages: [{ name: 'x' }] })).toBe(false);
  });
});

describe('CycloneDX SBOM', () => {
  const bom = toCycloneDx(DOC) as Json;

  it('carries the document-level NTIA elements and the product', () => {
    expect(bom).toMatchObject({ bomFormat: 'CycloneDX', specVersion: '1.6', version: 1 });
    expect(bom.serialNumber).toMatch(
      /^urn:uuid:[0-9a-f]{8}-[0-9a-f]{4}-8[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(bom.metadata.timestamp).toBe(DOC.timestamp);
    expect(bom.metadata.authors).toEqual([{ name: 'Acme Medical GmbH' }]);
    expect(bom.metadata.manufacturer).toEqual({ name: 'Acme Medical GmbH' });
    expect(bom.metadata.supplier).toEqual({ name: 'Acme Medical GmbH' });
    expect(bom.metadata.tools.components).toEqual([
      { type: 'application', name: 'dossier', version: '0.1.0' },
    ]);
    expect(bom.metadata.component).toMatchObject({
      type: 'application',
      'bom-ref': 'product',
      name: 'Infusion Pump Controller',
      version: '2.1.0',
      purl: 'pkg:generic/Infusion%20Pump%20Controller@2.1.0',
    });
    expect(bom.vulnerabilities).toBeUndefined();
  });

  it('gives every component supplier, name, version, identifier and the FDA support properties', () => {
    expect(bom.components.map((c: Json) => c['bom-ref'])).toEqual([
      'SOUP-001',
      'SOUP-002',
      'SOUP-003',
      'SOUP-004',
      'SOUP-005',
      'SOUP-006',
    ]);
    for (const c of bom.components as Json[]) {
      const source = components.find((s) => s.id === c['bom-ref'])!;
      expect(c.type).toBe('library');
      expect(c.supplier.name).toBe(source.supplier);
      expect(c.name).toBe(source.name);
      expect(c.version).toBe(source.version);
      if (source.purl) expect(c.purl).toBe(source.purl);
      // Without a purl, the hash identifies it (SOUP-005 has neither: the SOUP list flags it).
      else if (source.hashes) expect(c.hashes.length).toBeGreaterThan(0);
      const p = props(c);
      const levelOrJustified =
        p['cdx:fda:level-of-support'] ??
        p['cdx:fda:justification']?.filter((j) => j.startsWith('cdx:fda:level-of-support: '));
      expect(levelOrJustified?.length, c['bom-ref']).toBe(1);
      const endOrJustified =
        p['cdx:fda:end-of-support-date'] ??
        p['cdx:fda:justification']?.filter((j) => j.startsWith('cdx:fda:end-of-support-date: '));
      expect(endOrJustified?.length, c['bom-ref']).toBe(1);
      const names = (c.properties as Json[]).map((x) => x.name as string);
      expect(names).toEqual([...names].sort());
    }
  });

  it('writes the FDA wording verbatim and justifies what is unknown', () => {
    const byRef = (ref: string) => bom.components.find((c: Json) => c['bom-ref'] === ref) as Json;
    expect(props(byRef('SOUP-001'))).toEqual({
      'cdx:fda:end-of-support-date': ['2026-12-31'],
      'cdx:fda:level-of-support': ['actively maintained'],
      'cdx:lifecycle:milestone:endOfSupport': ['2026-12-31'],
      'dossier:safety-class': ['B'],
      'dossier:support-justification': ['Checked the OpenJS support policy on 2025-03-01'],
      'dossier:used-by': ['SI-001,SI-002'],
    });
    expect(props(byRef('SOUP-004'))['cdx:fda:justification']).toEqual([
      'cdx:fda:end-of-support-date: Volunteer project without a published support policy',
      'cdx:fda:level-of-support: Volunteer project without a published support policy',
    ]);
    expect(props(byRef('SOUP-004'))['cdx:fda:level-of-support']).toBeUndefined();
    expect(props(byRef('SOUP-002'))['cdx:fda:justification']).toEqual([
      'cdx:fda:end-of-support-date: not determined; no justification recorded',
    ]);
    expect(props(byRef('SOUP-005'))['cdx:fda:level-of-support']).toEqual(['abandoned']);
    expect(props(byRef('SOUP-006'))['cdx:fda:level-of-support']).toEqual(['no longer maintained']);
  });

  it('writes licences as id, expression or name, hashes as hex and the website reference', () => {
    const byRef = (ref: string) => bom.components.find((c: Json) => c['bom-ref'] === ref) as Json;
    expect(byRef('SOUP-001').licenses).toEqual([{ license: { id: 'MIT' } }]);
    expect(byRef('SOUP-003').licenses).toEqual([{ expression: 'MIT OR Apache-2.0' }]);
    expect(byRef('SOUP-006').licenses).toEqual([{ expression: 'LicenseRef-serde-custom' }]);
    expect(byRef('SOUP-005').licenses).toEqual([
      { license: { name: 'Proprietary licence, see supply contract §4' } },
    ]);
    expect(byRef('SOUP-001').hashes).toEqual([
      { alg: 'SHA-512', content: Buffer.from(integrity, 'base64').toString('hex') },
    ]);
    expect(byRef('SOUP-003').hashes).toEqual([{ alg: 'SHA-256', content: serdeSha256.toLowerCase() }]);
    expect(byRef('SOUP-001').externalReferences).toEqual([{ type: 'website', url: 'https://expressjs.com' }]);
  });

  it('gives every bom-ref a dependency entry: product → direct and unattached unknown ones', () => {
    expect(bom.dependencies).toEqual([
      { ref: 'product', dependsOn: ['SOUP-001', 'SOUP-003', 'SOUP-004', 'SOUP-005'] },
      { ref: 'SOUP-001', dependsOn: ['SOUP-002'] },
      { ref: 'SOUP-002', dependsOn: [] },
      { ref: 'SOUP-003', dependsOn: ['SOUP-006'] },
      { ref: 'SOUP-004', dependsOn: [] },
      { ref: 'SOUP-005', dependsOn: [] },
      { ref: 'SOUP-006', dependsOn: [] },
    ]);
  });

  it('attaches the product to every component when none is marked direct', () => {
    const unknown = components.map((c) => ({ ...c, dependency: 'unknown' as const, dependsOn: [] }));
    expect(productDependsOn({ ...DOC, components: unknown })).toHaveLength(components.length);
    const allTransitive = components.map((c) => ({ ...c, dependency: 'transitive' as const }));
    // Falls back to the roots: nothing depends on SOUP-001, -003, -004, -005.
    expect(productDependsOn({ ...DOC, components: allTransitive })).toEqual([
      'SOUP-001',
      'SOUP-003',
      'SOUP-004',
      'SOUP-005',
    ]);
  });

  it('is deterministic, and any change of content changes the serial number', () => {
    expect(serialize(toCycloneDx(DOC, { vex: true }))).toBe(serialize(toCycloneDx(DOC, { vex: true })));
    expect(serialize(toCycloneDxVex(DOC))).toBe(serialize(toCycloneDxVex(DOC)));
    const changed = {
      ...DOC,
      components: [{ ...components[1]!, version: '4.19.3' }, ...components.slice(2)],
    };
    expect(toCycloneDx(changed).serialNumber).not.toBe(bom.serialNumber);
    const retimed = { ...DOC, timestamp: '2025-03-15T09:30:00Z' };
    expect(toCycloneDx(retimed).serialNumber).not.toBe(bom.serialNumber);
    // Input order does not matter.
    expect(toCycloneDx({ ...DOC, components: [...components].reverse() }).serialNumber).toBe(
      bom.serialNumber,
    );
    // The SBOM with VEX is a different BOM from the SBOM alone.
    expect(toCycloneDx(DOC, { vex: true }).serialNumber).not.toBe(bom.serialNumber);
    // Re-evaluating a vulnerability leaves the plain SBOM alone.
    expect(toCycloneDx({ ...DOC, vex: statements.slice(1) }).serialNumber).toBe(bom.serialNumber);
  });
});

describe('CycloneDX VEX', () => {
  const withVex = toCycloneDx(DOC, { vex: true }) as Json;
  const vuln = (id: string) => withVex.vulnerabilities.find((v: Json) => v['bom-ref'] === id) as Json;

  it('maps every OpenVEX status to an analysis state', () => {
    expect(vuln('VEX-001').analysis.state).toBe('not_affected');
    expect(vuln('VEX-005').analysis.state).toBe('exploitable');
    expect(vuln('VEX-002').analysis.state).toBe('resolved');
    expect(vuln('VEX-004').analysis.state).toBe('in_triage');
    expect(CYCLONEDX_STATE).toEqual({
      not_affected: 'not_affected',
      affected: 'exploitable',
      fixed: 'resolved',
      under_investigation: 'in_triage',
    });
  });

  it('maps every OpenVEX justification and keeps the original as a property', () => {
    const expected: Record<string, [string, string]> = {
      'VEX-009': ['component_not_present', 'code_not_present'],
      'VEX-003': ['vulnerable_code_not_present', 'code_not_present'],
      'VEX-001': ['vulnerable_code_not_in_execute_path', 'code_not_reachable'],
      'VEX-008': ['vulnerable_code_cannot_be_controlled_by_adversary', 'requires_environment'],
      'VEX-007': ['inline_mitigations_already_exist', 'protected_by_mitigating_control'],
    };
    for (const [id, [openvex, cdx]] of Object.entries(expected)) {
      expect(vuln(id).analysis.justification).toBe(cdx);
      expect(CYCLONEDX_JUSTIFICATION[openvex as keyof typeof CYCLONEDX_JUSTIFICATION]).toBe(cdx);
      expect(props(vuln(id))['dossier:openvex-justification']).toEqual([openvex]);
    }
    expect(vuln('VEX-010').analysis.justification).toBeUndefined();
  });

  it('writes id, source, alias references, detail, dates and affects', () => {
    expect(vuln('VEX-001')).toMatchObject({
      id: 'GHSA-qwcr-r2fm-qrc7',
      source: { name: 'GitHub Advisories', url: 'https://github.com/advisories/GHSA-qwcr-r2fm-qrc7' },
      references: [
        {
          id: 'CVE-2024-45590',
          source: { name: 'NVD', url: 'https://nvd.nist.gov/vuln/detail/CVE-2024-45590' },
        },
      ],
      description: 'body-parser denial of service when url encoding is enabled',
      analysis: {
        detail: 'URL-encoded bodies are not parsed by any route.',
        firstIssued: '2025-03-01T00:00:00Z',
        lastUpdated: '2025-03-01T00:00:00Z',
      },
      affects: [{ ref: 'SOUP-002' }],
    });
    expect(vuln('VEX-004').source).toEqual({
      name: 'OSV',
      url: 'https://osv.dev/vulnerability/RUSTSEC-2025-0001',
    });
    expect(vuln('VEX-006').analysis.detail).toBe(
      'Build-time only, but flagged.\n\nAction: Update to 1.0.198 in release 2.1.1.',
    );
    expect(vuln('VEX-006').analysis.response).toBeUndefined();
    expect(props(vuln('VEX-005'))).toMatchObject({
      'dossier:hazardous-situations': ['HS-003'],
      'dossier:risk-controls': ['RC-007'],
    });
  });

  it('the standalone VEX links into the SBOM by BOM-Link', () => {
    const sbomSerial = (toCycloneDx(DOC) as Json).serialNumber.replace('urn:uuid:', '');
    const standalone = toCycloneDxVex(DOC) as Json;
    expect(standalone.components).toBeUndefined();
    expect(standalone.vulnerabilities).toHaveLength(statements.length);
    for (const v of standalone.vulnerabilities as Json[]) {
      expect(v.affects[0].ref).toMatch(new RegExp(`^urn:cdx:${sbomSerial}/1#SOUP-00\\d$`));
    }
    expect(standalone.serialNumber).not.toBe(withVex.serialNumber);
  });
});

describe('SPDX 2.3', () => {
  const spdx = toSpdx(DOC) as Json;
  const pkg = (id: string) => spdx.packages.find((p: Json) => p.SPDXID === id) as Json;

  it('writes the document header with a deterministic namespace', () => {
    expect(spdx).toMatchObject({
      spdxVersion: 'SPDX-2.3',
      dataLicense: 'CC0-1.0',
      SPDXID: 'SPDXRef-DOCUMENT',
      name: 'Infusion Pump Controller 2.1.0',
      creationInfo: {
        created: '2025-03-14T09:30:00Z',
        creators: ['Organization: Acme Medical GmbH', 'Tool: dossier-0.1.0'],
      },
      documentDescribes: ['SPDXRef-Product'],
    });
    expect(spdx.documentNamespace).toMatch(
      /^https:\/\/spdx\.org\/spdxdocs\/infusion-pump-controller-2\.1\.0-[0-9a-f-]{36}$/,
    );
    expect(serialize(toSpdx(DOC))).toBe(serialize(spdx));
    const changed = toSpdx({ ...DOC, components: components.slice(1) }) as Json;
    expect(changed.documentNamespace).not.toBe(spdx.documentNamespace);
  });

  it('writes packages with supplier, purl, licences, checksums, support date and annotations', () => {
    expect(spdx.packages.map((p: Json) => p.SPDXID)).toEqual([
      'SPDXRef-Product',
      'SPDXRef-SOUP-001',
      'SPDXRef-SOUP-002',
      'SPDXRef-SOUP-003',
      'SPDXRef-SOUP-004',
      'SPDXRef-SOUP-005',
      'SPDXRef-SOUP-006',
    ]);
    expect(pkg('SPDXRef-SOUP-001')).toMatchObject({
      name: 'express',
      versionInfo: '4.19.2',
      supplier: 'Organization: OpenJS Foundation',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      homepage: 'https://expressjs.com',
      licenseConcluded: 'MIT',
      licenseDeclared: 'MIT',
      externalRefs: [
        {
          referenceCategory: 'PACKAGE-MANAGER',
          referenceType: 'purl',
          referenceLocator: 'pkg:npm/express@4.19.2',
        },
      ],
      checksums: [{ algorithm: 'SHA512', checksumValue: Buffer.from(integrity, 'base64').toString('hex') }],
      validUntilDate: '2026-12-31T00:00:00Z',
      primaryPackagePurpose: 'LIBRARY',
    });
    expect(pkg('SPDXRef-SOUP-001').annotations.map((a: Json) => a.comment)).toEqual([
      'FDA level of support: actively maintained',
      'FDA end-of-support date: 2026-12-31',
      'FDA support assessment: Checked the OpenJS support policy on 2025-03-01',
    ]);
    expect(pkg('SPDXRef-SOUP-001').annotations[0]).toMatchObject({
      annotationType: 'OTHER',
      annotator: 'Tool: dossier-0.1.0',
      annotationDate: '2025-03-14T09:30:00Z',
    });
    expect(pkg('SPDXRef-SOUP-004').annotations.map((a: Json) => a.comment)).toEqual([
      'FDA level of support: unknown. Justification: Volunteer project without a published support policy',
      'FDA end-of-support date: not provided. Justification: Volunteer project without a published support policy',
    ]);
    expect(pkg('SPDXRef-SOUP-004').checksums).toEqual([{ algorithm: 'SHA256', checksumValue: zlibSha256 }]);
    expect(pkg('SPDXRef-SOUP-004').externalRefs).toBeUndefined();
  });

  it('turns free-text licences into defined LicenseRefs', () => {
    expect(pkg('SPDXRef-SOUP-005').licenseDeclared).toBe(
      'LicenseRef-Proprietary-licence-see-supply-contract-4',
    );
    expect(pkg('SPDXRef-SOUP-006').licenseDeclared).toBe('LicenseRef-serde-custom');
    expect(spdx.hasExtractedLicensingInfos.map((l: Json) => l.licenseId)).toEqual([
      'LicenseRef-Proprietary-licence-see-supply-contract-4',
      'LicenseRef-serde-custom',
    ]);
    expect(spdx.hasExtractedLicensingInfos[0].extractedText).toBe(
      'Proprietary licence, see supply contract §4',
    );
  });

  it('relates the document to the product and the dependency graph', () => {
    expect(spdx.relationships).toEqual(
      [
        ['SPDXRef-DOCUMENT', 'DESCRIBES', 'SPDXRef-Product'],
        ['SPDXRef-Product', 'DEPENDS_ON', 'SPDXRef-SOUP-001'],
        ['SPDXRef-Product', 'DEPENDS_ON', 'SPDXRef-SOUP-003'],
        ['SPDXRef-Product', 'DEPENDS_ON', 'SPDXRef-SOUP-004'],
        ['SPDXRef-Product', 'DEPENDS_ON', 'SPDXRef-SOUP-005'],
        ['SPDXRef-SOUP-001', 'DEPENDS_ON', 'SPDXRef-SOUP-002'],
        ['SPDXRef-SOUP-003', 'DEPENDS_ON', 'SPDXRef-SOUP-006'],
      ].map(([spdxElementId, relationshipType, relatedSpdxElement]) => ({
        spdxElementId,
        relationshipType,
        relatedSpdxElement,
      })),
    );
  });

  it('sanitises SPDX ids and keeps them unique', () => {
    const odd = toSpdx({
      ...DOC,
      components: [
        { ...components[2]!, id: 'SOUP_1' },
        { ...components[2]!, id: 'SOUP-1' },
      ],
      vex: [],
    }) as Json;
    expect(odd.packages.map((p: Json) => p.SPDXID)).toEqual([
      'SPDXRef-Product',
      'SPDXRef-SOUP-1',
      'SPDXRef-SOUP-1-2',
    ]);
  });
});

describe('OpenVEX', () => {
  const { document, problems } = toOpenVex(DOC);
  const doc = document as Json;
  const st = (vuln: string) => doc.statements.find((s: Json) => s.vulnerability.name === vuln) as Json;

  it('writes the document header with a deterministic id', () => {
    expect(doc).toMatchObject({
      '@context': 'https://openvex.dev/ns/v0.2.0',
      author: 'Acme Medical GmbH',
      timestamp: '2025-03-14T09:30:00Z',
      version: 1,
    });
    expect(doc['@id']).toMatch(/^urn:uuid:[0-9a-f-]{36}$/);
    expect(serialize(toOpenVex(DOC).document)).toBe(serialize(doc));
    const changed = toOpenVex({ ...DOC, vex: statements.slice(1) }).document;
    expect(changed['@id']).not.toBe(doc['@id']);
  });

  it('reports statements missing what OpenVEX requires', () => {
    expect(problems).toEqual([
      'VEX-005: CVE-2099-0001 is affected without an action statement (OpenVEX requires one)',
    ]);
    const missing = toOpenVex({
      ...DOC,
      vex: [
        vex({ id: 'VEX-100', componentId: 'SOUP-001', vulnerability: 'CVE-1', status: 'not_affected' }),
        vex({ id: 'VEX-101', componentId: 'SOUP-404', vulnerability: 'CVE-2', status: 'fixed' }),
      ],
    });
    expect(missing.problems).toEqual([
      'VEX-100: CVE-1 is not_affected without a justification or impact statement (OpenVEX requires one)',
      'VEX-101: CVE-2 is evaluated for SOUP-404, which is not in the SBOM; statement left out',
    ]);
    expect(toOpenVex({ ...DOC, vex: [] }).problems).toEqual([
      'no VEX statements: OpenVEX requires at least one',
    ]);
  });

  it('uses the product purl and the component purl, or a BOM-Link without one', () => {
    expect(st('GHSA-qwcr-r2fm-qrc7').products).toEqual([
      {
        '@id': 'pkg:generic/Infusion%20Pump%20Controller@2.1.0',
        subcomponents: [{ '@id': 'pkg:npm/body-parser@1.20.2' }],
      },
    ]);
    const serial = (toCycloneDx(DOC) as Json).serialNumber.replace('urn:uuid:', '');
    expect(st('CVE-2023-45853').products[0].subcomponents).toEqual([
      { '@id': `urn:cdx:${serial}/1#SOUP-004`, hashes: { 'sha-256': zlibSha256 } },
    ]);
  });

  it('uses either justification or impact statement for not_affected, action for affected', () => {
    expect(st('GHSA-qwcr-r2fm-qrc7')).toMatchObject({
      vulnerability: { name: 'GHSA-qwcr-r2fm-qrc7', aliases: ['CVE-2024-45590'] },
      status: 'not_affected',
      justification: 'vulnerable_code_not_in_execute_path',
      timestamp: '2025-03-01T00:00:00Z',
    });
    expect(st('GHSA-qwcr-r2fm-qrc7').impact_statement).toBeUndefined();
    expect(st('GHSA-qwcr-r2fm-qrc7').status_notes).toContain('URL-encoded bodies are not parsed');
    expect(st('CVE-2024-0003')).toMatchObject({
      status: 'not_affected',
      impact_statement: 'Only JSON bodies below 1 KiB are accepted.',
    });
    expect(st('CVE-2024-0003').justification).toBeUndefined();
    expect(st('GHSA-aaaa-bbbb-cccc')).toMatchObject({
      status: 'affected',
      action_statement: 'Update to 1.0.198 in release 2.1.1.',
    });
    expect(st('CVE-2099-0001').action_statement).toBeUndefined();
    expect(st('CVE-2099-0001').status_notes).toContain('Hazardous situations: HS-003.');
    expect(st('RUSTSEC-2025-0001').status).toBe('under_investigation');
    expect(st('GHSA-rv95-896h-c2vc').status).toBe('fixed');
  });
});

describe('SOUP list', () => {
  const md = soupListMarkdown(DOC);

  it('renders a reviewer-readable Markdown list', () => {
    fs.writeFileSync(path.join(os.tmpdir(), 'dossier-soup-list.md'), md);
    expect(md.startsWith('# SOUP list: Infusion Pump Controller 2.1.0\n')).toBe(true);
    expect(md).toContain(
      '| ID | Name | Version | Supplier | Licence | Direct? | Used by | Class | Support level | End of support | Known vulnerabilities |',
    );
    expect(md).toContain('6 SOUP items: 3 direct, 2 transitive, 1 of unknown dependency relation.');
    expect(md).toContain(
      '10 vulnerability evaluations: **2 affected**, **1 under investigation**, 1 fixed, 6 not affected.',
    );
    expect(md).toContain('#### Functional and performance requirements (5.3.3)');
    expect(md).toContain('#### System hardware and software required (5.3.4)');
    expect(md).toContain('#### Published anomaly list review (7.1.3)');
    expect(md).toContain('Reviewed on 2025-02-20 by J. Doe.');
    expect(md).toContain('support ended on 2024-01-31');
    expect(md).toContain('Serve the maintenance REST API.  \nHandle 50 requests per second.');
    expect(md).toMatch(/\| \[SOUP-002\]\(#soup-002\) \| body-parser \| 1\.20\.2 \|.*\| 2 not affected \|/);
  });

  it('escapes record text', () => {
    expect(md).not.toContain('<script>');
    expect(md).not.toContain('<img');
    expect(md).not.toContain('<b>');
    expect(md).not.toMatch(/^# injected/m);
    expect(md).not.toMatch(/^- item one/m);
    expect(md).not.toMatch(/^1\. numbered/m);
    expect(md).toContain('=SUM(A1)\\|cmd # injected &lt;script&gt;alert(1)&lt;/script&gt;');
    expect(md).toContain(
      '\\- item one  \n\\# not a heading  \n\\| a \\| b \\|\n\n1\\. numbered &lt;b&gt;bold&lt;/b&gt;',
    );
    // Every line of a table is one row: the newline in the name did not split it.
    const table = md.split('\n').filter((l) => l.startsWith('| [SOUP-'));
    expect(table).toHaveLength(6);
    for (const row of table) expect(row.replace(/\\\|/g, '').split('|')).toHaveLength(13);
  });

  it('writes CSV with formula neutralisation and RFC 4180 quoting', () => {
    const csv = soupListCsv(DOC);
    const lines = csv.split('\r\n');
    expect(lines[0]!.startsWith('ID,Name,Version,Supplier,Package URL,Licence')).toBe(true);
    expect(csv.endsWith('\r\n')).toBe(true);
    const row5 = csv.slice(csv.indexOf('SOUP-005'));
    expect(
      row5.startsWith(`SOUP-005,"'=SUM(A1)|cmd\n# injected <script>alert(1)</script>",1.0.0,'+Evil Corp,`),
    ).toBe(true);
    expect(row5).toContain(`"'- item one\n# not a heading`);
    expect(row5).toContain(`,'-1 means nothing,`);
    expect(csv).toContain(
      'SOUP-001,express,4.19.2,OpenJS Foundation,pkg:npm/express@4.19.2,MIT,https://expressjs.com,direct,SOUP-002,SI-001 SI-002,B,actively maintained,2026-12-31,',
    );
    const atRow = soupListCsv({ ...DOC, components: [{ ...components[2]!, supplier: '@SUM(1)' }], vex: [] });
    expect(atRow).toContain(",'@SUM(1),");
    expect(csv).toContain(',1,0,0,0,CVE-2099-0001\r\n');
  });
});

describe('helpers', () => {
  it('classifies licences', () => {
    expect(classifyLicense('Apache-2.0')).toEqual({ kind: 'id', id: 'Apache-2.0' });
    expect(classifyLicense('GPL-2.0-only WITH Classpath-exception-2.0')).toEqual({
      kind: 'expression',
      expression: 'GPL-2.0-only WITH Classpath-exception-2.0',
    });
    expect(classifyLicense('(MIT OR Apache-2.0) AND BSD-3-Clause').kind).toBe('expression');
    expect(classifyLicense('MIT OR')).toEqual({ kind: 'name', name: 'MIT OR' });
    expect(classifyLicense('MIT/Apache-2.0').kind).toBe('name');
    expect(classifyLicense('see LICENSE file').kind).toBe('name');
  });

  it('normalises hashes and drops unusable ones', () => {
    expect(normaliseHash({ alg: 'SHA-256', content: zlibSha256.toUpperCase() })).toEqual({
      cyclonedx: 'SHA-256',
      spdx: 'SHA256',
      openvex: 'sha-256',
      hex: zlibSha256,
    });
    expect(normaliseHash({ alg: 'sha256', content: 'abc' })).toBeUndefined();
    expect(normaliseHash({ alg: 'crc32', content: 'deadbeef' })).toBeUndefined();
  });
});

describe('SOUP list: vulnerability scan state', () => {
  it('says "not scanned" instead of "none" when a component was not matched against advisories', () => {
    const base = { ...DOC, vex: [] };
    const md = (scan: 'scanned' | 'not-matchable' | 'no-data') =>
      soupListMarkdown({ ...base, components: [{ ...components[0]!, vulnerabilityScan: scan }] });
    expect(md('scanned')).toContain('#### Known vulnerabilities (none)');
    expect(md('not-matchable')).toContain('not scanned: no advisory database names it');
    expect(md('no-data')).toContain('not scanned: no advisory data loaded');
  });
});
