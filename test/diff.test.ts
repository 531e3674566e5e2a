import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { diffProjects, type ProjectDiff } from '../src/history/diff.js';
import { loadProjectAt, WORKTREE } from '../src/history/project-at.js';
import { starterFiles } from '../src/init/starter.js';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { gitFixture } from './git-fixture.js';
import { runCli } from './helpers.js';

const starter = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });

/** The `linkReviews` block of a Markdown record's front matter, indented for a collection item. */
function reviewsOf(markdown: string, indent: string): string {
  const block = /^linkReviews:\n(?: {2}.*\n)+/m.exec(markdown);
  if (!block) throw new Error('the starter record has no link review stamps');
  return block[0]
    .trimEnd()
    .split('\n')
    .map((line) => `${indent}${line}`)
    .join('\n');
}

/** The starter project at v1.0.0, then a commit with renames, moves, a deletion and link changes. */
function scriptedRepo() {
  const repo = gitFixture();
  repo.write(starter);
  const first = repo.commit('starter');
  repo.git('tag', 'v1.0.0');
  // Renamed file, same content: a move.
  repo.git('mv', 'records/software/SRS-001.md', 'records/software/validate-parameters.md');
  // From a Markdown file into a collection, same content: a move.
  repo.write({
    'records/software/SRS-002.md': null,
    'records/software/requirements.yaml': `kind: software-requirement
records:
  - id: SRS-002
    title: Stop therapy on detected fault
    status: draft
    category: alarms
    riskControl: true
    derivesFrom: [SYS-001]
    implements: [RC-001]
${reviewsOf(starter['records/software/SRS-002.md']!, '    ')}
    text: |
      The software shall stop therapy and raise a high-priority alarm within 1 s of detecting a delivery fault.
  - id: SRS-003
    title: Log every alarm
    status: draft
    category: alarms
    derivesFrom: [SYS-001]
    text: The software shall log every alarm with its time.
`,
    // A test deleted (its links go with it).
    'records/tests/system-tests.yaml': starter['records/tests/system-tests.yaml']!.replace(
      / {2}- id: TC-001[\s\S]*?(?= {2}- id: TC-002)/,
      '',
    ),
    // The severity of the hazardous situation lowered: its estimates and the item classes change.
    'records/risk/hazardous-situations.yaml': starter['records/risk/hazardous-situations.yaml']!.replace(
      '    severity: serious',
      '    severity: minor',
    ).replace('residualSeverity: serious', 'residualSeverity: minor'),
    // A link added and a title changed.
    'records/architecture/SI-002.md': starter['records/architecture/SI-002.md']!.replace(
      'implements: [SRS-001, SRS-002]',
      'implements: [SRS-001, SRS-002, SRS-003]',
    ),
    'records/system/SYS-001.md': starter['records/system/SYS-001.md']!.replace(
      /^title: .*$/m,
      'title: Safe delivery',
    ),
  });
  const second = repo.commit('second');
  return { repo, first, second };
}

function diffOf(root: string, from: string, to: string): ProjectDiff {
  const a = loadProjectAt(root, from);
  const b = loadProjectAt(root, to);
  if (!a.ok || !b.ok) throw new Error('both sides must load');
  return diffProjects(
    { side: { revision: from, ...(a.commit ? { commit: a.commit } : {}) }, project: a.project },
    { side: { revision: to, ...(b.commit ? { commit: b.commit } : {}) }, project: b.project },
  );
}

describe('dossier diff', () => {
  it('matches records by id: renames and moves between Markdown and collections are moves, not changes', () => {
    const { repo } = scriptedRepo();
    const diff = diffOf(repo.top, 'v1.0.0', 'HEAD');
    expect(diff.records.added.map((r) => r.id)).toEqual(['SRS-003']);
    expect(diff.records.removed.map((r) => [r.id, r.file])).toEqual([
      ['TC-001', 'records/tests/system-tests.yaml'],
    ]);
    expect(diff.records.moved.map((r) => [r.id, r.movedFrom, r.file])).toEqual([
      ['SRS-001', 'records/software/SRS-001.md', 'records/software/validate-parameters.md'],
      ['SRS-002', 'records/software/SRS-002.md', 'records/software/requirements.yaml'],
    ]);
    const changed = Object.fromEntries(diff.records.changed.map((c) => [c.id, c]));
    expect(Object.keys(changed)).toEqual(['HS-001', 'SI-002', 'SYS-001']);
    expect(changed['SYS-001']!.changes).toEqual([
      { part: 'title', before: expect.any(String), after: 'Safe delivery', content: true },
    ]);
    expect(changed['SI-002']!.changes).toEqual([
      {
        part: 'implements',
        before: ['SRS-001', 'SRS-002'],
        after: ['SRS-001', 'SRS-002', 'SRS-003'],
        content: true,
      },
    ]);
    expect(changed['HS-001']!.changes.map((c) => [c.part, c.before, c.after])).toEqual([
      ['residualSeverity', 'serious', 'minor'],
      ['severity', 'serious', 'minor'],
    ]);
    expect(diff.links.added).toEqual([
      { source: 'SI-002', field: 'implements', target: 'SRS-003' },
      { source: 'SRS-003', field: 'derivesFrom', target: 'SYS-001' },
    ]);
    expect(diff.links.removed).toEqual([
      { source: 'TC-001', field: 'verifies', target: 'SRS-001' },
      { source: 'TC-001', field: 'verifies', target: 'SYS-001' },
    ]);
    expect(diff.risks.map((r) => [r.id, r.phase, r.before?.severity, r.after?.severity])).toEqual([
      ['HS-001', 'initial', 'serious', 'minor'],
      ['HS-001', 'residual', 'serious', 'minor'],
    ]);
    expect(diff.classes.map((c) => [c.id, c.before, c.after])).toEqual([
      ['SI-001', 'C', 'A'],
      ['SI-002', 'C', 'A'],
    ]);
    expect(diff.vulnerabilities).toBeUndefined();
  });

  it('a status change is a change, but not of content', () => {
    const repo = gitFixture();
    repo.write(starter);
    repo.commit('starter');
    repo.write({
      'records/software/SRS-001.md': starter['records/software/SRS-001.md']!.replace(
        'status: draft',
        'status: approved',
      ),
    });
    const diff = diffOf(repo.top, 'HEAD', WORKTREE);
    expect(diff.after.commit).toBeUndefined();
    expect(diff.records.changed.map((c) => [c.id, c.contentChanged, c.changes])).toEqual([
      ['SRS-001', false, [{ part: 'status', before: 'draft', after: 'approved', content: false }]],
    ]);
  });

  it('a file that does not load on one side keeps its records out of added and removed', () => {
    const repo = gitFixture();
    repo.write(starter);
    repo.commit('starter');
    repo.write({
      'records/tests/system-tests.yaml': `${starter['records/tests/system-tests.yaml']}  - id: [broken\n`,
    });
    const diff = diffOf(repo.top, 'HEAD', WORKTREE);
    expect(diff.notLoaded.map((n) => [n.side, n.file])).toEqual([
      ['after', 'records/tests/system-tests.yaml'],
    ]);
    expect(diff.records.removed.map((r) => r.id)).toEqual([]);
  });

  it('the CLI: text, markdown and schema-valid JSON; release versions resolve to tags or configuration.commit', () => {
    const { repo, first } = scriptedRepo();
    // A release record naming its commit, without a tag.
    repo.write({
      'records/releases/REL-009.md': `---\nid: REL-009\ntitle: Pilot\nstatus: draft\nversion: 0.9.0\ndate: 2026-01-01\nconfiguration:\n  commit: ${first}\n---\nPilot release.\n`,
    });
    const text = runCli(['diff', '1.0.0', 'HEAD', '-C', repo.top]);
    expect(text.stderr).toBe('');
    expect(text.code).toBe(0);
    expect(text.stdout).toContain('Changes from 1.0.0 (');
    expect(text.stdout).toContain('removed  TC-001');
    expect(text.stdout).toContain(
      'moved    SRS-002  records/software/SRS-002.md → records/software/requirements.yaml',
    );
    expect(text.stdout).toContain('SI-002  C → A');
    expect(text.stdout).toContain('Vulnerability states: not compared');

    const json = runCli(['diff', '0.9.0', '--format', 'json', '-C', repo.top]);
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(jsonSchemas()['diff-report.schema.json'] as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.before).toEqual({ revision: '0.9.0', commit: first });
    expect(report.after).toEqual({ revision: 'WORKTREE' });
    expect(report.records.added.map((r: { id: string }) => r.id)).toEqual(['REL-009', 'SRS-003']);
    expect(report.vulnerabilities).toBeNull();

    const md = runCli(['diff', 'v1.0.0', 'HEAD', '--format', 'markdown', '-C', repo.top]);
    expect(md.stdout).toContain('## Records');
    expect(md.stdout).toContain('| SI-002 | implements | SRS-003 |');
  });

  it('unknown revisions and folders outside git: one line, exit 2', () => {
    const { repo } = scriptedRepo();
    const unknown = runCli(['diff', '7.7.7', '-C', repo.top]);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr.trim().split('\n')).toHaveLength(1);
    expect(unknown.stderr).toMatch(/unknown revision "7.7.7"/);
    const outside = fs.mkdtempSync(path.join(path.dirname(repo.top), 'plain-'));
    const notGit = runCli(['diff', 'HEAD', '-C', outside]);
    expect(notGit.code).toBe(2);
    expect(notGit.stderr).toMatch(/not in a git repository/);
  });
});
