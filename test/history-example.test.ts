/**
 * Done-when of issue 13 §3: `dossier diff` between the example's 1.0.0 and 1.1.0 baselines lists the
 * changes its change requests describe. The test repository holds the example twice: 1.0.0, rebuilt
 * from its change requests (test/fixtures/history/infusion-pump-1.0.0.yaml), and 1.1.0, the example
 * as it is (its records of 1.1.0, with the 1.2.0 work in development on both sides alike).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yaml from 'js-yaml';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadProject } from '../src/load/project.js';
import { gitFixture } from './git-fixture.js';
import { EXAMPLE, REPO, runCli } from './helpers.js';

interface Overlay {
  deleteFiles: string[];
  removeRecords: Record<string, string[]>;
  edits: { changeRequest: string; file: string; find: string; replace: string }[];
}

const overlay = yaml.load(
  fs.readFileSync(path.join(REPO, 'test/fixtures/history/infusion-pump-1.0.0.yaml'), 'utf8'),
) as Overlay;

function copyExample(to: string) {
  fs.rmSync(to, { recursive: true, force: true });
  fs.cpSync(EXAMPLE, to, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
}

/** The example at 1.0.0: the overlay applied to a copy of it. */
function applyOverlay(root: string) {
  for (const rel of overlay.deleteFiles) fs.rmSync(path.join(root, rel));
  for (const [rel, ids] of Object.entries(overlay.removeRecords)) {
    let text = fs.readFileSync(path.join(root, rel), 'utf8');
    for (const id of ids) {
      const entry = new RegExp(`  - id: ${id}\\n[\\s\\S]*?(?=  - id: |$)`);
      expect(entry.test(text), `${rel}: ${id}`).toBe(true);
      text = text.replace(entry, '');
    }
    fs.writeFileSync(path.join(root, rel), text);
  }
  for (const edit of overlay.edits) {
    const file = path.join(root, edit.file);
    const text = fs.readFileSync(file, 'utf8');
    expect(text.split(edit.find).length - 1, `${edit.file}: ${edit.find}`).toBe(1);
    fs.writeFileSync(file, text.replace(edit.find, edit.replace));
  }
}

describe('dossier diff 1.0.0 1.1.0 on the example', () => {
  let root: string;
  let report: {
    records: {
      added: { id: string }[];
      removed: { id: string }[];
      changed: {
        id: string;
        changes: { part: string; before?: unknown; after?: unknown; content: boolean }[];
      }[];
    };
    links: {
      added: { source: string; field: string; target: string }[];
      removed: { source: string; field: string; target: string }[];
    };
    soup: { id: string; before?: string; after?: string }[];
    before: { revision: string; commit?: string };
  };
  let text: string;

  beforeAll(() => {
    const repo = gitFixture();
    root = path.join(repo.top, 'example');
    copyExample(root);
    applyOverlay(root);
    repo.commit('SP-200 software 1.0.0');
    repo.git('tag', 'v1.0.0');
    copyExample(root);
    repo.commit('SP-200 software 1.1.0 (CR-001 to CR-005)');
    repo.git('tag', 'v1.1.0');
    const json = runCli(['diff', '1.0.0', '1.1.0', '-C', root, '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    report = JSON.parse(json.stdout);
    text = runCli(['diff', '1.0.0', '1.1.0', '-C', root]).stdout;
  }, 300_000);

  const example = () => {
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('the example must load');
    return loaded.project.records;
  };
  const released = ['CR-001', 'CR-002', 'CR-003', 'CR-004', 'CR-005'];

  it('resolves the versions to their tags', () => {
    expect(report.before.revision).toBe('1.0.0');
    expect(text).toMatch(/^Changes from 1\.0\.0 \([0-9a-f]{12}\) to 1\.1\.0 \([0-9a-f]{12}\)/);
  });

  it('every record the change requests of 1.1.0 change is added or changed, and nothing else changed', () => {
    const records = example();
    const crChanges = new Set(
      records.filter((r) => released.includes(r.id)).flatMap((r) => r.links.changes ?? []),
    );
    expect(crChanges.size).toBeGreaterThan(15);
    const added = report.records.added.map((r) => r.id);
    const changed = report.records.changed.map((r) => r.id);
    for (const id of crChanges) expect([...added, ...changed], id).toContain(id);
    for (const id of changed) expect(crChanges, id).toContain(id);
    expect(report.records.removed).toEqual([]);
    // Added: what the change requests created and what says it was introduced in 1.1.0, with the
    // release record of 1.1.0.
    const introduced = records.filter((r) => r.fields.introducedIn === '1.1.0').map((r) => r.id);
    expect(added).toEqual([...new Set(['REL-002', 'SRS-067', 'SRS-068', ...introduced])].sort());
  });

  it('names the parts that changed, the links and the SOUP version', () => {
    const change = (id: string) => report.records.changed.find((c) => c.id === id)!.changes;
    expect(change('SRS-011')).toEqual([
      { part: 'status', before: 'approved', after: 'obsolete', content: false },
    ]);
    expect(change('SI-014').map((c) => c.part)).toEqual(['implements']);
    expect(change('SRS-005').map((c) => c.part)).toEqual(['text']);
    expect(change('SOUP-003').map((c) => c.part)).toEqual(['purl', 'version', 'versionChanges']);
    expect(report.soup).toEqual([{ id: 'SOUP-003', title: 'Mbed TLS', before: '3.6.0', after: '3.6.2' }]);
    expect(report.links.added).toContainEqual({ source: 'SI-014', field: 'implements', target: 'SRS-067' });
    expect(report.links.added).toContainEqual({ source: 'SI-020', field: 'implements', target: 'SRS-068' });
    expect(report.links.removed).toContainEqual({ source: 'SI-014', field: 'implements', target: 'SRS-011' });
    expect(text).toContain('SOUP-003  3.6.0 → 3.6.2  Mbed TLS');
    // The text as a line diff: what 1.0.0 said, then what 1.1.0 says.
    expect(text).toMatch(
      /- in the syringe\) at the bolus rate\n\s+\+ in the syringe and, when a VTBI is set/,
    );
    expect(text).toContain('added    SRS-067  software-requirement  Rate-adaptive occlusion detection');
  });

  it('with --advisories, the vulnerability states that changed (here: an evaluation deleted since 1.1.0)', () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-diff-adv-')), 'advisories.sqlite');
    const imported = runCli(['advisories', 'import', path.join(EXAMPLE, 'advisories/npm'), '--db', db, '-q']);
    expect(imported.code).toBe(0);
    fs.rmSync(path.join(root, 'records/soup/evaluations/VE-003.md'));
    try {
      const withData = runCli(['diff', '1.1.0', '-C', root, '--format', 'json', '--advisories', db]);
      expect(withData.code).toBe(0);
      const diff = JSON.parse(withData.stdout);
      expect(diff.after).toEqual({ revision: 'WORKTREE' });
      expect(diff.records.removed.map((r: { id: string }) => r.id)).toEqual(['VE-003']);
      expect(diff.vulnerabilities).toEqual([
        {
          soup: 'SOUP-043',
          advisory: 'x_SP200-NPM-2026-0001',
          before: 'not_affected',
          after: 'not evaluated',
        },
      ]);
      const without = JSON.parse(runCli(['diff', '1.1.0', '-C', root, '--format', 'json']).stdout);
      expect(without.vulnerabilities).toBeNull();
    } finally {
      fs.copyFileSync(
        path.join(EXAMPLE, 'records/soup/evaluations/VE-003.md'),
        path.join(root, 'records/soup/evaluations/VE-003.md'),
      );
    }
  });
});
