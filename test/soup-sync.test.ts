import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { ImportedComponent } from '../src/soup/import/types.js';
import { purlFor } from '../src/soup/purl.js';
import { applySync, SyncConflictError } from '../src/soup/sync/apply.js';
import { planSync } from '../src/soup/sync/plan.js';
import { check, codes, loadOk, writeProject } from './helpers.js';

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

const SOUP_FILE = `# SOUP of the service web UI — reviewed by M. Keller
kind: soup
records:
  - id: SOUP-001
    title: Preact
    manufacturer: Preact team   # supplier as on the release page
    version: 10.19.3
    purl: pkg:npm/preact@10.19.3
    dependency: direct
    sources: [web/package-lock.json]
    requirements: Renders the service pages in under 50 ms on the pump's browser target.
    systemRequirements: ES2017 browser.
    anomalyReview:
      date: 2026-08-01
      conclusion: No open issue affects the components we use.
    supportLevel: actively-maintained
    endOfSupport: 2028-12-31
    customNote: kept as written
    text: |-
      Chosen for size (4 kB) over React.

  - id: SOUP-002
    title: left-pad
    manufacturer: npm community
    version: 1.3.0
    purl: pkg:npm/left-pad@1.3.0
    sources: [web/package-lock.json]

  - id: SOUP-003
    title: FreeRTOS
    manufacturer: AWS
    version: V11.1.0
    purl: pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0
`;

const load = loadOk;

function sync(dir: string, components: ImportedComponent[], date = '2026-11-20') {
  const project = load(dir);
  const plan = planSync({
    records: project.records.filter((r) => r.kind === 'soup'),
    components,
    source: 'web/package-lock.json',
    date,
    prefix: 'SOUP',
  });
  applySync(plan.actions, { root: dir, into: 'records/soup/imported.yaml', sources: project.sources });
  return plan;
}

describe('soup import: non-destructive sync', () => {
  it('updates versions, records the change, marks removals and creates new records without losing a word', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    const plan = sync(dir, [
      component('preact', '10.22.0', { dependsOn: [purlFor('npm', 'htm', '3.1.1')] }),
      component('htm', '3.1.1', { scope: 'transitive', license: 'Apache-2.0' }),
    ]);
    expect(plan.actions.map((a) => a.kind).sort()).toEqual(['create', 'remove', 'update']);

    const text = fs.readFileSync(path.join(dir, 'records/soup.yaml'), 'utf8');
    // Comments, human fields, unknown fields and the record text are untouched.
    expect(text).toContain('# SOUP of the service web UI — reviewed by M. Keller');
    expect(text).toContain('manufacturer: Preact team   # supplier as on the release page');
    expect(text).toContain(
      "requirements: Renders the service pages in under 50 ms on the pump's browser target.",
    );
    expect(text).toContain('customNote: kept as written');
    expect(text).toContain('Chosen for size (4 kB) over React.');
    expect(text).toContain('conclusion: No open issue affects the components we use.');

    const records = new Map(load(dir).records.map((r) => [r.id, r]));
    const preact = records.get('SOUP-001')!;
    expect(preact.fields.version).toBe('10.22.0');
    expect(preact.fields.purl).toBe('pkg:npm/preact@10.22.0');
    expect(preact.fields.versionChanges).toEqual([
      { from: '10.19.3', to: '10.22.0', date: '2026-11-20', source: 'web/package-lock.json' },
    ]);
    expect(preact.fields.supportLevel).toBe('actively-maintained');
    // left-pad is gone from the lockfile: marked, not deleted.
    expect(records.get('SOUP-002')!.fields.removed).toEqual({
      date: '2026-11-20',
      from: 'web/package-lock.json',
    });
    // FreeRTOS came from no lockfile: never touched.
    expect(records.get('SOUP-003')!.fields.removed).toBeUndefined();
    // htm is new, with the next free id, and preact depends on it.
    const htm = records.get('SOUP-004')!;
    expect(htm.title).toBe('htm');
    expect(htm.status).toBe('draft');
    expect(htm.fields).toMatchObject({ version: '3.1.1', dependency: 'transitive', license: 'Apache-2.0' });
    expect(preact.links.dependsOn).toEqual(['SOUP-004']);
  });

  it('appends new records to an existing collection at its own indentation', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    sync(dir, [component('preact', '10.19.3'), component('htm', '3.1.1')]);
    const project = load(dir);
    const plan = planSync({
      records: project.records.filter((r) => r.kind === 'soup'),
      components: [component('zod', '3.23.8')],
      source: 'web/other-lock.json',
      date: '2026-11-21',
      prefix: 'SOUP',
    });
    applySync(plan.actions, { root: dir, into: 'records/soup/imported.yaml', sources: project.sources });
    const text = fs.readFileSync(path.join(dir, 'records/soup/imported.yaml'), 'utf8');
    expect(text).toMatch(/\n {2}- id: SOUP-004\n[\s\S]*\n\n {2}- id: SOUP-005\n {4}title: zod\n/);
    expect(load(dir).records.map((r) => r.id)).toContain('SOUP-005');
  });

  it('the same package at another version in another lockfile is a second record, not an upgrade', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    const project = load(dir);
    const plan = planSync({
      records: project.records.filter((r) => r.kind === 'soup'),
      components: [component('preact', '10.20.0')],
      source: 'web/other/package-lock.json',
      date: '2026-11-20',
      prefix: 'SOUP',
    });
    expect(plan.actions.map((a) => a.kind)).toEqual(['create']);
    expect(plan.actions[0]).toMatchObject({
      kind: 'create',
      id: 'SOUP-004',
      component: { version: '10.20.0' },
    });
  });

  it('keeps quote style and CRLF line endings of the file it edits', () => {
    const crlf = SOUP_FILE.replace('version: 10.19.3', 'version: "10.19.3"').replace(/\n/g, '\r\n');
    const dir = writeProject({ 'records/soup.yaml': crlf });
    sync(dir, [component('preact', '10.22.0'), component('left-pad', '1.3.0')]);
    const text = fs.readFileSync(path.join(dir, 'records/soup.yaml'), 'utf8');
    expect(text).toContain('version: "10.22.0"\r\n');
    expect(text.replace(/\r\n/g, '')).not.toContain('\n');
    expect(load(dir).records.find((r) => r.id === 'SOUP-001')!.fields.versionChanges).toHaveLength(1);
  });

  it('is idempotent: importing the same lockfile again changes nothing', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    const components = [component('preact', '10.22.0'), component('htm', '3.1.1')];
    sync(dir, components);
    const before = fs.readFileSync(path.join(dir, 'records/soup.yaml'), 'utf8');
    const beforeNew = fs.readFileSync(path.join(dir, 'records/soup/imported.yaml'), 'utf8');
    const again = sync(dir, components, '2026-11-21');
    expect(again.actions).toEqual([]);
    expect(fs.readFileSync(path.join(dir, 'records/soup.yaml'), 'utf8')).toBe(before);
    expect(fs.readFileSync(path.join(dir, 'records/soup/imported.yaml'), 'utf8')).toBe(beforeNew);
  });

  it('an unevaluated version change fails check citing 7.4.1 until it is evaluated', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    sync(dir, [component('preact', '10.22.0'), component('left-pad', '1.3.0')]);
    const diagnostics = check(dir).filter((d) => d.code === 'soup/version-change-unevaluated');
    expect(diagnostics).toHaveLength(1);
    expect(diagnostics[0]!.message).toContain('10.19.3 to 10.22.0');
    expect(diagnostics[0]!.clauses).toContain('7.4.1');
    expect(diagnostics[0]!.line).toBeGreaterThan(1);
    const file = path.join(dir, 'records/soup.yaml');
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace(
          'source: web/package-lock.json',
          'source: web/package-lock.json\n        changeRequest: CR-001',
        ),
    );
    expect(codes(check(dir))).not.toContain('soup/version-change-unevaluated');
  });

  it('a component that comes back loses its removed mark', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    sync(dir, [component('preact', '10.19.3')]);
    expect(load(dir).records.find((r) => r.id === 'SOUP-002')!.fields.removed).toBeDefined();
    sync(dir, [component('preact', '10.19.3'), component('left-pad', '1.3.0')], '2026-11-22');
    expect(load(dir).records.find((r) => r.id === 'SOUP-002')!.fields.removed).toBeUndefined();
  });

  it('refuses to write over a file changed since it was read, and writes nothing', () => {
    const dir = writeProject({ 'records/soup.yaml': SOUP_FILE });
    const project = load(dir);
    const plan = planSync({
      records: project.records.filter((r) => r.kind === 'soup'),
      components: [component('preact', '10.22.0')],
      source: 'web/package-lock.json',
      date: '2026-11-20',
      prefix: 'SOUP',
    });
    const file = path.join(dir, 'records/soup.yaml');
    fs.appendFileSync(file, '# edited meanwhile\n');
    expect(() =>
      applySync(plan.actions, { root: dir, into: 'records/soup/imported.yaml', sources: project.sources }),
    ).toThrow(SyncConflictError);
    expect(fs.readFileSync(file, 'utf8')).toBe(`${SOUP_FILE}# edited meanwhile\n`);
    expect(fs.existsSync(path.join(dir, 'records/soup/imported.yaml'))).toBe(false);
  });

  it('edits SOUP written as a Markdown record and keeps its body byte for byte', () => {
    const md = `---
id: SOUP-010
kind: soup
title: zod
manufacturer: Colin McDonnell
version: 3.22.0
purl: pkg:npm/zod@3.22.0
sources: [web/package-lock.json]
---
Schema validation for the service API.

*Why this library*: no dependencies.
`;
    const dir = writeProject({ 'records/soup/SOUP-010.md': md });
    sync(dir, [component('zod', '3.23.8')]);
    const text = fs.readFileSync(path.join(dir, 'records/soup/SOUP-010.md'), 'utf8');
    expect(
      text.endsWith('---\nSchema validation for the service API.\n\n*Why this library*: no dependencies.\n'),
    ).toBe(true);
    expect(text).toContain('version: 3.23.8');
    expect(text).toContain('from: 3.22.0');
  });
});
