/**
 * Defects the fuzz tests (test/fuzz.test.ts) and the security corpus found, each kept as a plain
 * test of its own, so that it stays fixed whatever inputs a fuzz run happens to draw.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { planRunImport, runRecordFiles } from '../src/evidence/import-run.js';
import { readJUnit } from '../src/evidence/junit.js';
import { loadProject } from '../src/load/project.js';
import { readCollection } from '../src/load/read-file.js';
import { validateOsvRecord } from '../src/soup/advisories/osv-schema.js';
import { parseOsvYaml } from '../src/soup/advisories/osv-yaml.js';
import { goModReader, goSumReader } from '../src/soup/import/go-mod.js';
import type { ImportedComponent } from '../src/soup/import/types.js';
import { purlFor } from '../src/soup/purl.js';
import { applySync } from '../src/soup/sync/apply.js';
import { planSync } from '../src/soup/sync/plan.js';
import { yamlText } from '../src/util/yaml-text.js';
import { starterProject } from './helpers.js';

/** The record file of an import, unsplit (the inputs are far below the loader's limit). */
const UNSPLIT = { rel: 'records/evidence/RUN-001.yaml', maxFileBytes: 2 ** 30 };
const runFileText = (
  ...args: Parameters<typeof runRecordFiles> extends [infer R, infer T, ...unknown[]] ? [R, T] : never
) => runRecordFiles(args[0], args[1], UNSPLIT)[0]!.text;

function component(name: string, version: string, extra: Partial<ImportedComponent> = {}): ImportedComponent {
  return {
    ecosystem: 'npm',
    name,
    version,
    purl: purlFor('npm', name, version),
    scope: 'direct',
    development: false,
    dependsOn: [],
    ...extra,
  };
}

/** Imports `components` as read from `source` into a starter project holding `files`; returns it. */
function importInto(files: Record<string, string>, components: ImportedComponent[], source: string) {
  const dir = starterProject(files);
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error('the project must load');
  const plan = planSync({
    records: loaded.project.records.filter((r) => r.kind === 'soup'),
    components,
    source,
    date: '2026-01-10',
    prefix: 'SOUP',
  });
  applySync(plan.actions, { root: dir, into: 'records/soup/imported.yaml', sources: loaded.project.sources });
  const after = loadProject(dir);
  if (!after.ok) throw new Error('the project must still load');
  return { dir, project: after.project };
}

describe('writers write characters YAML forbids raw as escapes, so the record loads and reads back exactly', () => {
  const hostile = [
    'DEL \x7f',
    'C1 \x9b1A',
    'U+FFFE \ufffe',
    'U+FFFF \uffff',
    'lone \ud800 surrogate',
    'NUL \0',
  ];

  it('yamlText', () => {
    for (const text of hostile) {
      const yaml = yamlText({ records: [{ id: 'X-1', title: text, list: [text, 'a, b', 'c]'] }] });
      const read = readCollection('records/x.yaml', yaml);
      expect(read.failure?.finding.message, JSON.stringify(text)).toBeUndefined();
      expect(read.records[0]!.data).toEqual({ id: 'X-1', title: text, list: [text, 'a, b', 'c]'] });
    }
  });

  it('a test run whose report names a tool, a case or a file with such characters', () => {
    const report = readJUnit('<testsuite name="s"><testcase name="[TC-001] x&#x7f;&#xfffe;"/></testsuite>');
    const plan = planRunImport({
      report,
      reportFile: 'reports/a\nrecords: []\n#.xml',
      sha256: 'a'.repeat(64),
      metadata: { version: '1.0.0', date: '2026-01-10', executedBy: 'CI', tools: ['tool \ufffe'] },
      runs: [],
      prefix: 'RUN',
      mapCase: () => ['TC-001'],
    });
    if (plan.kind !== 'create') throw new Error('a first import creates a record');
    const read = readCollection('records/evidence/RUN-001.yaml', runFileText(plan, 'title \x85\x7f'));
    expect(read.failure?.finding.message).toBeUndefined();
    expect(read.findings).toEqual([]);
    expect(read.records[0]!.data).toMatchObject({
      title: 'title \x85\x7f',
      tools: ['tool \ufffe'],
      report: { file: 'reports/a\nrecords: []\n#.xml' },
      results: [{ case: 's › [TC-001] x\x7f\ufffe' }],
    });
  });

  it('soup import: a licence or version with such characters is imported, not refused', () => {
    const { project } = importInto(
      {
        'records/soup/third-party.yaml':
          "kind: soup\nrecords:\n  - id: SOUP-001\n    title: left-pad\n    version: '1.3.0'\n    purl: pkg:npm/left-pad@1.3.0\n    sources: [web/package-lock.json]\n",
      },
      [component('left-pad', '1.4.0\x7f'), component('zod', '3.23.8', { license: 'MIT \ufffe' })],
      'web/package-lock.json',
    );
    const byTitle = new Map(project.records.map((r) => [r.title, r]));
    expect(byTitle.get('left-pad')!.fields.version).toBe('1.4.0\x7f');
    expect(byTitle.get('zod')!.fields.license).toBe('MIT \ufffe');
    expect(project.unloaded).toEqual([]);
  });
});

describe('soup import writes a lockfile path that YAML flow syntax would split or break', () => {
  for (const source of [
    'deps/}.lock',
    'deps/a, b.lock',
    'deps/a\nb.lock',
    'deps/[x].lock',
    "deps/'q'.lock",
    'deps/\u0001\u0001/\n\u0001 a file name longer than forty characters.lock',
  ]) {
    it(JSON.stringify(source), () => {
      const { project } = importInto(
        {
          'records/soup/third-party.yaml':
            'kind: soup\nrecords:\n  - id: SOUP-001\n    title: preact\n    version: 10.19.3\n    purl: pkg:npm/preact@10.19.3\n    sources: [web/package-lock.json]\n',
        },
        [component('preact', '10.19.3'), component('htm', '3.1.1')],
        source,
      );
      expect(project.unloaded).toEqual([]);
      const byId = new Map(project.records.map((r) => [r.id, r]));
      expect(byId.get('SOUP-001')!.fields.sources).toEqual([source, 'web/package-lock.json'].sort());
      expect(byId.get('SOUP-002')!.fields.sources).toEqual([source]);
    });
  }
});

describe('soup import into a record whose last field is a list', () => {
  it('appends the version change to the list and the new fields after it, in that order', () => {
    const soup = `kind: soup
records:
  - id: SOUP-001
    title: requests
    version: 2.31.0
    purl: pkg:pypi/requests@2.31.0
    sources: [requirements.txt]
    versionChanges:
      - from: 2.30.0
        to: 2.31.0
        date: 2026-01-01
        source: requirements.txt
        evaluation: Reviewed the changelog. # kept
`;
    const requests = {
      ...component('requests', '2.32.0'),
      ecosystem: 'PyPI',
      purl: purlFor('PyPI', 'requests', '2.32.0'),
    };
    const { dir, project } = importInto(
      { 'records/soup/third-party.yaml': soup },
      [requests],
      'requirements.txt',
    );
    const record = project.records.find((r) => r.id === 'SOUP-001')!;
    expect(record.fields.version).toBe('2.32.0');
    expect(record.fields.dependency).toBe('direct');
    expect(record.fields.versionChanges).toEqual([
      {
        from: '2.30.0',
        to: '2.31.0',
        date: '2026-01-01',
        source: 'requirements.txt',
        evaluation: 'Reviewed the changelog.',
      },
      { from: '2.31.0', to: '2.32.0', date: '2026-01-10', source: 'requirements.txt' },
    ]);
    expect(fs.readFileSync(path.join(dir, 'records/soup/third-party.yaml'), 'utf8')).toContain('# kept');
  });
});

describe('go.mod and go.sum: a version that is a bare "v"', () => {
  it('is a malformed line, not a component with an empty version', () => {
    for (const text of [
      'module x\ngo 1.22\nrequire a/b v\n',
      'module x\ngo 1.22\nrequire a/b v1.0.0\nreplace a/b => c/d v\n',
    ]) {
      const read = goModReader.read(text);
      expect(read.components.map((c) => c.version)).not.toContain('');
      expect(read.problems.map((p) => p.message).join('\n')).toMatch(/malformed (require|replace) line/);
    }
    const sum = goSumReader.read('example.com/a v h1:abc=\nexample.com/b v1.0.0 h1:abc=\n');
    expect(sum.components.map((c) => `${c.name} ${c.version}`)).toEqual(['example.com/b 1.0.0']);
    expect(sum.problems[0]?.message).toMatch(/expected "module version h1:hash"/);
  });
});

describe('OSV records nested beyond any real record', () => {
  it('a deep JSON record is refused with a reason (storing it overflowed the stack)', () => {
    let deep: unknown = 1;
    for (let i = 0; i < 200_000; i++) deep = { a: deep };
    const checked = validateOsvRecord({
      id: 'x_TEST-1',
      modified: '2026-01-02T00:00:00Z',
      database_specific: deep,
    });
    expect(checked).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/nests deeper than 100 levels/),
    });
    expect(
      validateOsvRecord({
        id: 'x_TEST-2',
        modified: '2026-01-02T00:00:00Z',
        database_specific: { a: { b: [1] } },
      }).ok,
    ).toBe(true);
  });

  it('a deep YAML record is a parse error before the YAML parser recurses', () => {
    expect(() => parseOsvYaml(`${'['.repeat(20_000)}${']'.repeat(20_000)}`)).toThrow(/maxDepth/);
    expect(
      parseOsvYaml('id: PYSEC-1\nmodified: "2026-01-02T00:00:00Z"\naffected:\n- versions: [1.10]\n'),
    ).toEqual({
      id: 'PYSEC-1',
      modified: '2026-01-02T00:00:00Z',
      affected: [{ versions: ['1.10'] }],
    });
  });
});
