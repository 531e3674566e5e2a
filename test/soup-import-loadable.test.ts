/**
 * Issue 9 §7: SOUP import never leaves a project that does not load. Large collections are split
 * into numbered files within the record-file size limit, multi-line values are written as block
 * scalars, SBOM support properties are carried into the records with their source named, transitive
 * SOUP is used by the items that use its dependents, and old or development-only lockfiles say what
 * they hold.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { TraceGraph } from '../src/graph/graph.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { readCollection } from '../src/load/read-file.js';
import { DEFAULT_MAX_FILE_BYTES } from '../src/model/config.js';
import { IEC_62304_ED1_1 } from '../src/safety/class-scheme.js';
import type { Classification } from '../src/safety/classify.js';
import { cyclonedxJsonReader } from '../src/soup/import/cyclonedx-json.js';
import { poetryLockReader } from '../src/soup/import/poetry-lock.js';
import { soupClasses } from '../src/soup/soup-class.js';
import { planSync } from '../src/soup/sync/plan.js';
import { CONFIG, makeRecord, runCli, starterProject, writeProject } from './helpers.js';

const sha = (alg: string, text: string) => createHash(alg).update(text).digest('hex');

const WORDS = [
  'alarm',
  'buffer',
  'codec',
  'dose',
  'event',
  'frame',
  'gateway',
  'history',
  'infusion',
  'journal',
  'keypad',
  'limit',
  'monitor',
  'network',
  'occlusion',
  'pressure',
  'queue',
  'rate',
  'sensor',
  'timer',
];

/**
 * A CycloneDX 1.5 SBOM of 903 npm components as a real web front end's would look: scoped names,
 * four hashes each, licence expressions, web sites, suppliers, and a dependency graph in which the
 * product depends on 40 components and every component on up to twenty later ones.
 */
function sbom903(): string {
  const components = [];
  const dependencies = [{ ref: 'pkg:npm/%40acme-medical/pump-service-ui@3.2.0', dependsOn: [] as string[] }];
  const refOf = (i: number) => {
    const name = `plugin-${WORDS[i % 20]}-${WORDS[Math.floor(i / 20) % 20]}-${WORDS[(i * 13) % 20]}-transform-utilities-${i}`;
    const scope = i % 3 === 0 ? `@${WORDS[(i * 7) % 20]}-foundation/` : '';
    return { name: `${scope}${name}`, version: `${1 + (i % 9)}.${i % 17}.${i % 5}` };
  };
  for (let i = 0; i < 903; i++) {
    const { name, version } = refOf(i);
    const purl = `pkg:npm/${name.replace('@', '%40')}@${version}`;
    components.push({
      type: 'library',
      'bom-ref': purl,
      name: name.includes('/') ? name.split('/')[1] : name,
      ...(name.includes('/') ? { group: name.split('/')[0] } : {}),
      version,
      purl,
      publisher: `The ${WORDS[(i * 3) % 20]} ${WORDS[(i * 11) % 20]} open-source project contributors and maintainers (see AUTHORS)`,
      licenses: [{ expression: i % 4 === 0 ? '(MIT OR Apache-2.0) AND BSD-3-Clause' : 'MIT' }],
      hashes: [
        { alg: 'SHA-1', content: sha('sha1', purl) },
        { alg: 'SHA-256', content: sha('sha256', purl) },
        { alg: 'SHA-384', content: sha('sha384', purl) },
        { alg: 'SHA-512', content: sha('sha512', purl) },
      ],
      externalReferences: [
        {
          type: 'website',
          url: `https://github.com/${WORDS[(i * 3) % 20]}-project/monorepo/tree/main/packages/${name.replace('@', '').replace('/', '-')}#readme`,
        },
      ],
    });
    const deps: string[] = [];
    for (let k = 1; k <= 20 && i + k * 5 < 903; k++) {
      const dep = refOf(i + k * 5);
      deps.push(`pkg:npm/${dep.name.replace('@', '%40')}@${dep.version}`);
    }
    dependencies.push({ ref: purl, dependsOn: deps });
    if (i % 23 === 0) dependencies[0]!.dependsOn.push(purl);
  }
  return JSON.stringify(
    {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      metadata: {
        component: {
          type: 'application',
          'bom-ref': 'pkg:npm/%40acme-medical/pump-service-ui@3.2.0',
          name: 'pump-service-ui',
          version: '3.2.0',
        },
      },
      components,
      dependencies,
    },
    null,
    2,
  );
}

/** Every collection file under records/soup, with its size and what the loader makes of it. */
function soupFiles(dir: string) {
  const folder = path.join(dir, 'records/soup');
  return fs
    .readdirSync(folder)
    .sort()
    .map((name) => {
      const rel = `records/soup/${name}`;
      const text = fs.readFileSync(path.join(dir, rel), 'utf8');
      return { rel, bytes: Buffer.byteLength(text), text, read: readCollection(rel, text) };
    });
}

describe('soup import splits what would not load into numbered files', () => {
  it('a 903-component CycloneDX SBOM imports into loadable files and re-exports all 903; re-import changes nothing', () => {
    const dir = starterProject({ 'sbom/service-ui.cdx.json': sbom903() });
    const imported = runCli(['soup', 'import', 'sbom/service-ui.cdx.json', '--date', '2026-11-20'], dir);
    expect(imported.stderr).toBe('');
    expect(imported.code).toBe(0);
    expect(imported.stdout).toContain('903 components; 903 new records');

    const files = soupFiles(dir);
    // In one file the records would not load (over the 1 MiB limit for a record file).
    expect(files.reduce((n, f) => n + f.bytes, 0)).toBeGreaterThan(DEFAULT_MAX_FILE_BYTES);
    expect(files.map((f) => f.rel).sort()).toEqual(
      files
        .map((_, i) => (i === 0 ? 'records/soup/imported.yaml' : `records/soup/imported-${i + 1}.yaml`))
        .sort(),
    );
    for (const file of files) {
      expect(file.bytes, file.rel).toBeLessThanOrEqual(DEFAULT_MAX_FILE_BYTES);
      expect(file.read.findings, file.rel).toEqual([]);
    }
    expect(files.reduce((n, f) => n + f.read.records.length, 0)).toBe(903);
    for (const file of files) expect(imported.stdout).toContain(file.rel);

    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    expect(loaded.project.findings.filter((f) => f.code.startsWith('load/'))).toEqual([]);
    expect(loaded.project.records.filter((r) => r.kind === 'soup')).toHaveLength(903);

    const sbom = runCli(['sbom', '--out', 'out/sbom.cdx.json'], dir);
    expect(sbom.code, sbom.stderr).toBe(0);
    const exported = JSON.parse(fs.readFileSync(path.join(dir, 'out/sbom.cdx.json'), 'utf8'));
    expect(exported.components).toHaveLength(903);
    const purls = new Set(exported.components.map((c: { purl: string }) => c.purl));
    for (const c of JSON.parse(sbom903()).components) expect(purls.has(c.purl)).toBe(true);
    // The dependency graph survives, across files too.
    expect(
      exported.dependencies.filter((d: { dependsOn?: string[] }) => (d.dependsOn ?? []).length > 0).length,
    ).toBeGreaterThan(800);

    const before = soupFiles(dir).map((f) => f.text);
    const again = runCli(['soup', 'import', 'sbom/service-ui.cdx.json', '--date', '2026-11-21'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stdout).toContain('0 new records, 0 updates, 0 removals, 903 unchanged');
    expect(soupFiles(dir).map((f) => f.text)).toEqual(before);
  }, 300_000);

  it('refuses, writing nothing, when an edit would push an existing file over the limit', () => {
    const head = `kind: soup\nrecords:\n  - id: SOUP-001\n    title: preact\n    manufacturer: Preact team\n    version: 10.19.3\n    purl: pkg:npm/preact@10.19.3\n    sources: [web/package-lock.json]\n    requirements: `;
    // 19,950 bytes: within the 20,000-byte limit until the import adds the scope and the hash (a limit
    // the starter project's plans stay within).
    const web = `${head}${'x'.repeat(19950 - head.length - 1)}\n`;
    const dir = starterProject({
      'dossier.yaml': `${starterFiles({ name: 'D', manufacturer: 'M', safetyClass: 'C' })['dossier.yaml']}limits:\n  maxFileBytes: 20000\n`,
      'records/soup/web.yaml': web,
      'web/package-lock.json': JSON.stringify({
        name: 'web',
        lockfileVersion: 3,
        packages: {
          '': { name: 'web', dependencies: { preact: '10.19.3' } },
          'node_modules/preact': {
            version: '10.19.3',
            integrity: `sha512-${Buffer.from(sha('sha512', 'x'), 'hex').toString('base64')}`,
          },
        },
      }),
    });
    expect(Buffer.byteLength(web)).toBe(19950);
    const result = runCli(['soup', 'import', 'web/package-lock.json'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /records\/soup\/web\.yaml would be \d[\d,]* bytes, over the 20,000-byte limit/,
    );
    expect(fs.readFileSync(path.join(dir, 'records/soup/web.yaml'), 'utf8')).toBe(web);
  });
});

describe('soup import writes multi-line values as block scalars', () => {
  it('a licence name and a publisher with newlines import, load and keep their text', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.4',
      version: 1,
      components: [
        {
          type: 'library',
          name: 'vendor-rtos',
          version: '10.4.6',
          purl: 'pkg:generic/vendor-rtos@10.4.6',
          publisher: 'Acme Embedded GmbH\nMedical Division',
          licenses: [{ license: { name: 'Acme Commercial Licence v2\n  see LICENSE.txt, section 4\n' } }],
        },
      ],
    };
    const dir = starterProject({ 'sbom/rtos.cdx.json': JSON.stringify(bom) });
    const result = runCli(['soup', 'import', 'sbom/rtos.cdx.json', '--date', '2026-11-20'], dir);
    expect(result.stderr).not.toMatch(/not be valid YAML|error/);
    expect(result.code).toBe(0);
    const text = fs.readFileSync(path.join(dir, 'records/soup/imported.yaml'), 'utf8');
    expect(text).toContain('    manufacturer: |-\n      Acme Embedded GmbH\n      Medical Division\n');
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const soup = loaded.project.records.find((r) => r.kind === 'soup')!;
    expect(soup.fields.manufacturer).toBe('Acme Embedded GmbH\nMedical Division');
    expect(soup.fields.license).toBe('Acme Commercial Licence v2\n  see LICENSE.txt, section 4');
    // Importing again changes nothing: the values read back equal the SBOM's.
    const again = runCli(['soup', 'import', 'sbom/rtos.cdx.json', '--date', '2026-11-21'], dir);
    expect(again.stdout).toContain('1 unchanged');
  });
});

const DEVICE_SBOM = {
  bomFormat: 'CycloneDX',
  specVersion: '1.4',
  version: 1,
  components: [
    {
      type: 'library',
      name: 'wolfssl',
      version: '5.6.6',
      purl: 'pkg:github/wolfssl/wolfssl@5.6.6',
      publisher: 'wolfSSL Inc.',
      properties: [
        { name: 'Level of Support', value: 'Actively maintained' },
        { name: 'End-of-Support', value: '2028-12-31' },
      ],
    },
    {
      type: 'library',
      name: 'Common.Logging',
      version: '3.3.1',
      purl: 'pkg:nuget/Common.Logging@3.3.1',
      publisher: 'Net-Common',
      properties: [
        { name: 'levelOfSupport', value: 'Inactive' },
        { name: 'end of support', value: 'Open source' },
      ],
    },
    {
      type: 'library',
      name: 'express',
      version: '4.19.2',
      purl: 'pkg:npm/express@4.19.2',
      publisher: 'OpenJS Foundation',
      properties: [
        { name: 'cdx:fda:level-of-support', value: 'actively maintained' },
        { name: 'cdx:fda:end-of-support-date', value: '2027-04-01' },
        { name: 'Level of Support', value: 'Community' },
      ],
    },
    {
      type: 'library',
      name: 'fatfs',
      version: '0.15',
      purl: 'pkg:generic/fatfs@0.15',
      publisher: 'ChaN',
      properties: [
        { name: 'LEVEL OF SUPPORT', value: 'Community' },
        {
          name: 'cdx:fda:justification',
          value: 'cdx:fda:end-of-support-date: single maintainer, no announced end',
        },
      ],
    },
  ],
};

describe('soup import carries the SBOM support information, naming its source', () => {
  it('maps level of support and end of support into the record vocabulary, keeps what does not map as justification', () => {
    const dir = starterProject({ 'sbom/device.cdx.json': JSON.stringify(DEVICE_SBOM) });
    const result = runCli(['soup', 'import', 'sbom/device.cdx.json', '--date', '2026-11-20'], dir);
    expect(result.code, result.stderr).toBe(0);
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const byTitle = new Map(
      loaded.project.records.filter((r) => r.kind === 'soup').map((r) => [r.title, r.fields]),
    );
    expect(byTitle.get('wolfssl/wolfssl')).toMatchObject({
      supportLevel: 'actively-maintained',
      endOfSupport: '2028-12-31',
      supportSource: 'sbom/device.cdx.json: SBOM properties "Level of Support", "End-of-Support"',
    });
    expect(byTitle.get('wolfssl/wolfssl')?.supportJustification).toBeUndefined();
    expect(byTitle.get('Common.Logging')).toMatchObject({
      supportLevel: 'no-longer-maintained',
      supportSource: 'sbom/device.cdx.json: SBOM properties "levelOfSupport", "end of support"',
      supportJustification: 'The SBOM gives "end of support" as "Open source", which is not a date.',
    });
    expect(byTitle.get('Common.Logging')?.endOfSupport).toBeUndefined();
    expect(byTitle.get('express')).toMatchObject({
      supportLevel: 'actively-maintained',
      endOfSupport: '2027-04-01',
      supportSource:
        'sbom/device.cdx.json: SBOM properties "cdx:fda:level-of-support", "cdx:fda:end-of-support-date"',
    });
    // A level the record vocabulary has no word for is not guessed: the warning stays until someone decides.
    expect(byTitle.get('fatfs')?.supportLevel).toBeUndefined();
    expect(byTitle.get('fatfs')).toMatchObject({
      supportSource: 'sbom/device.cdx.json: SBOM properties "LEVEL OF SUPPORT", "cdx:fda:justification"',
      supportJustification:
        'The SBOM gives "LEVEL OF SUPPORT" as "Community", which is not a level Dossier records (actively-maintained, no-longer-maintained, abandoned, unknown). cdx:fda:end-of-support-date: single maintainer, no announced end',
    });
    const check = JSON.parse(runCli(['check', '--format', 'json'], dir).stdout);
    const about = (id: string, field: string) =>
      check.diagnostics.some(
        (d: { code: string; message: string }) =>
          d.code === 'soup/missing-content' && d.message.includes(`\`${field}\``) && d.message.startsWith(id),
      );
    const idOf = (title: string) => loaded.project.records.find((r) => r.title === title)!.id;
    expect(about(idOf('wolfssl/wolfssl'), 'supportLevel')).toBe(false);
    expect(about(idOf('fatfs'), 'supportLevel')).toBe(true);
    expect(check.summary.errors).toBe(
      check.diagnostics.filter((d: { severity: string }) => d.severity === 'error').length,
    );
    expect(check.diagnostics.filter((d: { code: string }) => d.code.startsWith('schema/'))).toEqual([]);
  });

  it('never overwrites support information people wrote', () => {
    const dir = starterProject({
      'sbom/device.cdx.json': JSON.stringify(DEVICE_SBOM),
      'records/soup/tls.yaml': `kind: soup\nrecords:\n  - id: SOUP-001\n    title: wolfSSL\n    manufacturer: wolfSSL Inc.\n    version: 5.6.6\n    purl: pkg:github/wolfssl/wolfssl@5.6.6\n    supportLevel: no-longer-maintained   # our own assessment\n    supportJustification: Branch 5.6 gets no fixes after 5.7.0.\n`,
    });
    const before = fs.readFileSync(path.join(dir, 'records/soup/tls.yaml'), 'utf8');
    expect(runCli(['soup', 'import', 'sbom/device.cdx.json', '--date', '2026-11-20'], dir).code).toBe(0);
    const after = fs.readFileSync(path.join(dir, 'records/soup/tls.yaml'), 'utf8');
    expect(after).toContain('supportLevel: no-longer-maintained   # our own assessment');
    expect(after).toContain('supportJustification: Branch 5.6 gets no fixes after 5.7.0.');
    // The end of support it did not have is filled in, with its source.
    expect(after).toContain('endOfSupport: 2028-12-31');
    expect(after).toContain('supportSource: \'sbom/device.cdx.json: SBOM property "End-of-Support"\'');
    for (const line of before.split('\n')) expect(after).toContain(line);
  });
});

// ---------------------------------------------------------------------------------------------
// Transitive use.

const soup = (id: string, dependsOn: string[] = [], fields: Record<string, unknown> = {}) =>
  makeRecord(id, 'soup', { version: '1.0.0', ...fields }, dependsOn.length ? { dependsOn } : {});
const classified = (id: string, computedClass: string) =>
  ({ id, computedClass }) as unknown as Classification;

describe('transitive SOUP is used by the items that use its dependents', () => {
  it('uses on a direct dependency covers what it dependsOn, transitively; removed SOUP breaks the chain', () => {
    const graph = new TraceGraph([
      makeRecord('SI-003', 'software-item', { itemType: 'item' }, { uses: ['SOUP-001'] }),
      makeRecord('SI-004', 'software-item', { itemType: 'item' }, { uses: ['SOUP-010'] }),
      soup('SOUP-001', ['SOUP-002']),
      soup('SOUP-002', ['SOUP-003', 'SOUP-001']), // a cycle must not loop
      soup('SOUP-003'),
      soup('SOUP-010', ['SOUP-011']),
      soup('SOUP-011', ['SOUP-003', 'SOUP-012'], { removed: { date: '2026-11-20', from: 'x' } }),
      soup('SOUP-012'),
    ]);
    const classes = new Map(
      soupClasses(graph, IEC_62304_ED1_1, [classified('SI-003', 'B'), classified('SI-004', 'A')]).map((s) => [
        s.soup.id,
        s,
      ]),
    );
    expect(classes.get('SOUP-002')).toMatchObject({ cls: 'B', usedBy: ['SI-003'] });
    expect(classes.get('SOUP-003')).toMatchObject({ cls: 'B', usedBy: ['SI-003'] });
    expect(classes.get('SOUP-010')).toMatchObject({ cls: 'A', usedBy: ['SI-004'] });
    // SOUP-011 is no longer in the build: it neither has a class nor passes one on.
    expect(classes.has('SOUP-011')).toBe(false);
    expect(classes.get('SOUP-012')).toMatchObject({ cls: 'C', usedBy: [] });
  });

  it('a class B project does not show every transitive package as class C used by no item', () => {
    const dir = writeProject({
      'dossier.yaml': CONFIG.replace('safetyClass: C', 'safetyClass: B'),
      'records/SI-001.md':
        '---\nid: SI-001\ntitle: System\nitemType: system\nsafetyClass: B\n---\nThe system.\n',
      'records/SI-003.md':
        '---\nid: SI-003\ntitle: Service UI\nitemType: item\npartOf: SI-001\nuses: [SOUP-001]\n---\nService pages.\n',
      'records/soup.yaml': `kind: soup
records:
  - { id: SOUP-001, title: express, version: 4.19.2, dependency: direct, dependsOn: [SOUP-002] }
  - { id: SOUP-002, title: body-parser, version: 1.20.2, dependency: transitive, dependsOn: [SOUP-003] }
  - { id: SOUP-003, title: bytes, version: 3.1.2, dependency: transitive }
`,
    });
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const analysis = analyze(loaded.project);
    const itemClass = analysis.safety.items.find((i) => i.id === 'SI-003')!.computedClass;
    for (const id of ['SOUP-002', 'SOUP-003']) {
      const s = analysis.safety.soup.find((x) => x.soup.id === id)!;
      expect(s.usedBy).toEqual(['SI-003']);
      expect(s.cls).toBe(itemClass);
    }
    expect(analysis.diagnostics.filter((d) => d.code === 'soup/unused')).toEqual([]);
    expect(
      analysis.diagnostics.filter(
        (d) => d.code === 'soup/missing-content' && d.message.includes('used by no item'),
      ),
    ).toEqual([]);
  });
});

describe('soup import --used-by and removals', () => {
  const LOCK = (
    deps: Record<string, string>,
    packages: Record<string, { version: string; dependencies?: Record<string, string> }>,
  ) =>
    JSON.stringify({
      name: 'web',
      lockfileVersion: 3,
      packages: {
        '': { name: 'web', dependencies: deps },
        ...Object.fromEntries(Object.entries(packages).map(([n, p]) => [`node_modules/${n}`, p])),
      },
    });

  it("links new direct components to the item, and a removed component leaves the others' dependsOn", () => {
    const dir = starterProject({
      'web/package-lock.json': LOCK(
        { express: '4.19.2' },
        {
          express: { version: '4.19.2', dependencies: { 'body-parser': '1.20.2' } },
          'body-parser': { version: '1.20.2' },
        },
      ),
    });
    const item = path.join(dir, 'records/architecture/SI-002.md');
    const itemBefore = fs.readFileSync(item, 'utf8');
    const first = runCli(
      ['soup', 'import', 'web/package-lock.json', '--used-by', 'SI-002', '--date', '2026-11-20'],
      dir,
    );
    expect(first.code, first.stderr).toBe(0);
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('load');
    const idOf = (title: string) =>
      loaded.project.records.find((r) => r.kind === 'soup' && r.title === title)!.id;
    const express = idOf('express');
    // Only the direct component is linked (appended to the item, nothing else touched); body-parser
    // is used through it.
    expect(fs.readFileSync(item, 'utf8')).toBe(
      // Appended as the last field of the front matter, after the link stamps `dossier init` wrote.
      itemBefore.replace('\n---\nValidates', `\nuses: [${express}]\n---\nValidates`),
    );
    expect(first.stdout).toContain(`SI-002 uses ${express}`);
    const analysis = analyze(loaded.project);
    expect(analysis.safety.soup.find((s) => s.soup.id === idOf('body-parser'))?.usedBy).toEqual(['SI-002']);

    // A new direct dependency is added to the list already there.
    fs.writeFileSync(
      path.join(dir, 'web/package-lock.json'),
      LOCK(
        { express: '4.19.2', preact: '10.19.3' },
        {
          express: { version: '4.19.2' },
          preact: { version: '10.19.3' },
        },
      ),
    );
    const second = runCli(
      ['soup', 'import', 'web/package-lock.json', '--used-by', 'SI-002', '--date', '2026-11-25'],
      dir,
    );
    expect(second.code, second.stderr).toBe(0);
    const reloaded = loadProject(dir);
    if (!reloaded.ok) throw new Error('load');
    const get = (id: string) => reloaded.project.records.find((r) => r.id === id)!;
    const preact = reloaded.project.records.find((r) => r.kind === 'soup' && r.title === 'preact')!.id;
    expect(get('SI-002').links.uses).toEqual([express, preact]);
    // body-parser left the build: marked removed, and express no longer depends on it.
    expect(get(idOf('body-parser')).fields.removed).toEqual({
      date: '2026-11-25',
      from: 'web/package-lock.json',
    });
    expect(get(express).links.dependsOn ?? []).toEqual([]);
  });

  it('a component marked removed leaves the dependsOn of records from other files too', () => {
    const records = [
      soup('SOUP-001', ['SOUP-002'], { purl: 'pkg:npm/express@4.19.2', sources: ['web/package-lock.json'] }),
      soup('SOUP-002', [], { purl: 'pkg:npm/body-parser@1.20.2', sources: ['web/package-lock.json'] }),
      soup('SOUP-003', ['SOUP-002', 'SOUP-001'], {
        purl: 'pkg:npm/other@1.0.0',
        sources: ['admin/package-lock.json'],
      }),
    ];
    const plan = planSync({
      records,
      components: [
        {
          ecosystem: 'npm',
          name: 'express',
          version: '4.19.2',
          purl: 'pkg:npm/express@4.19.2',
          scope: 'direct',
          development: false,
          dependsOn: [],
        },
      ],
      source: 'web/package-lock.json',
      date: '2026-11-25',
      prefix: 'SOUP',
    });
    const edits = (id: string) =>
      plan.actions.flatMap((a) => (a.kind !== 'create' && a.record.id === id ? a.edits : []));
    expect(edits('SOUP-002')).toEqual([
      { field: 'removed', value: { date: '2026-11-25', from: 'web/package-lock.json' } },
    ]);
    expect(edits('SOUP-001')).toContainEqual({ field: 'dependsOn', value: undefined });
    expect(edits('SOUP-003')).toEqual([{ field: 'dependsOn', value: ['SOUP-001'] }]);
  });

  it('--used-by keeps the style of the list already there: a block list gains items, comments stay', () => {
    const dir = starterProject({
      'web/package-lock.json': LOCK({ express: '4.19.2' }, { express: { version: '4.19.2' } }),
      'records/architecture/items.yaml': `kind: software-item
records:
  - id: SI-003
    title: Service UI
    itemType: item
    partOf: SI-001
    uses:   # the web framework and the template engine
      - SOUP-900
    text: Service pages.
`,
      'records/soup/manual.yaml':
        'kind: soup\nrecords:\n  - { id: SOUP-900, title: ejs, version: 3.1.10, manufacturer: mde }\n',
    });
    const result = runCli(['soup', 'import', 'web/package-lock.json', '--used-by', 'SI-003'], dir);
    expect(result.code, result.stderr).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'records/architecture/items.yaml'), 'utf8')).toContain(
      '    uses:   # the web framework and the template engine\n      - SOUP-900\n      - SOUP-901\n    text: Service pages.\n',
    );
  });

  it('refuses an --used-by that is not a software item, writing nothing', () => {
    const dir = starterProject({
      'web/package-lock.json': LOCK({ express: '4.19.2' }, { express: { version: '4.19.2' } }),
    });
    const result = runCli(['soup', 'import', 'web/package-lock.json', '--used-by', 'SRS-001'], dir);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain('--used-by SRS-001 is a software-requirement, not a software item');
    expect(fs.existsSync(path.join(dir, 'records/soup/imported.yaml'))).toBe(false);
  });
});

// ---------------------------------------------------------------------------------------------
// Old and development-only lockfiles.

const OLD_POETRY = `[[package]]
category = "main"
description = "Python HTTP for Humans."
name = "requests"
optional = false
python-versions = ">=2.7, !=3.0.*, !=3.1.*, !=3.2.*, !=3.3.*, !=3.4.*"
version = "2.22.0"

[package.dependencies]
certifi = ">=2017.4.17"

[[package]]
category = "main"
description = "Python package for providing Mozilla's CA Bundle."
name = "certifi"
optional = false
python-versions = "*"
version = "2019.11.28"

[[package]]
category = "dev"
description = "pytest: simple powerful testing with Python"
name = "pytest"
optional = false
python-versions = ">=3.5"
version = "5.3.2"

[metadata]
content-hash = "8d2a6a3b6ce4b3f8b3c9c2f6d2a7c55a5ad0a1c41b4f1df2c3b6a7c1f0e3e9a1"
python-versions = "^3.7"

[metadata.files]
certifi = [
    {file = "certifi-2019.11.28-py2.py3-none-any.whl", hash = "sha256:017c25db2a153ce562900032d5bc68e9f191e44e9a0f762f373977de9df1fbb3"},
    {file = "certifi-2019.11.28.tar.gz", hash = "sha256:25b64c7da4cd7479594d035c08c2d809eb4aab3a26e5a990ea98cc450c320f1f"},
]
pytest = [
    {file = "pytest-5.3.2-py3-none-any.whl", hash = "sha256:e41d489ff43948babd0fad7ad5e49b8735d5d55e26628a58673c39ff61d95de4"},
]
requests = [
    {file = "requests-2.22.0-py2.py3-none-any.whl", hash = "sha256:9cf5292fcd0f598c671cfc1e0d7d1a7f13bb8085e9a590f48c010551dc6c4b31"},
    {file = "requests-2.22.0.tar.gz", hash = "sha256:11e007a8a2aa0323f5a921e9e6a2d7e4e67d9877e85773fba9ba6419025cbeb4"},
]
`;

describe('old and development-only lockfiles', () => {
  it('an old poetry.lock without lock-version (Poetry 1.0 layout) imports', () => {
    const result = poetryLockReader.read(OLD_POETRY);
    expect(result.problems.filter((p) => p.severity === 'error')).toEqual([]);
    expect(result.format).toBe('poetry.lock (no lock-version, Poetry 1.0 layout)');
    expect(result.components.map((c) => c.purl)).toEqual([
      'pkg:pypi/certifi@2019.11.28',
      'pkg:pypi/requests@2.22.0',
    ]);
    expect(result.components.find((c) => c.name === 'requests')).toMatchObject({
      scope: 'direct',
      dependsOn: ['pkg:pypi/certifi@2019.11.28'],
      hashes: [
        { alg: 'SHA-256', content: '11e007a8a2aa0323f5a921e9e6a2d7e4e67d9877e85773fba9ba6419025cbeb4' },
      ],
    });
    expect(result.skippedDevelopment).toBe(1);
    expect(poetryLockReader.read(OLD_POETRY, { includeDev: true }).components).toHaveLength(3);
  });

  it('a lockfile of development-only packages says how many were skipped and why', () => {
    const devOnly = OLD_POETRY.replaceAll('category = "main"', 'category = "dev"');
    expect(poetryLockReader.read(devOnly)).toMatchObject({ components: [], skippedDevelopment: 3 });
    const dir = starterProject({ 'tools/poetry.lock': devOnly });
    const result = runCli(['soup', 'import', 'tools/poetry.lock'], dir);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      'tools/poetry.lock (poetry.lock (no lock-version, Poetry 1.0 layout)): 0 components; all 3 packages are development-only (test and build tools) and were skipped; --include-dev imports them',
    );
    const partly = runCli(
      ['soup', 'import', 'tools/poetry.lock', '--dry-run'],
      starterProject({ 'tools/poetry.lock': OLD_POETRY }),
    );
    expect(partly.stdout).toContain(
      '2 components (1 development-only package skipped; --include-dev imports it)',
    );
  });

  it('CycloneDX development components skipped are counted too', () => {
    const bom = {
      bomFormat: 'CycloneDX',
      specVersion: '1.5',
      version: 1,
      components: [
        {
          type: 'library',
          name: 'jest',
          version: '29.7.0',
          purl: 'pkg:npm/jest@29.7.0',
          properties: [{ name: 'cdx:npm:package:development', value: 'true' }],
        },
      ],
    };
    expect(cyclonedxJsonReader.read(JSON.stringify(bom))).toMatchObject({
      components: [],
      skippedDevelopment: 1,
    });
  });
});
