import fs from 'node:fs';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { loadProjectAt } from '../src/history/project-at.js';
import { recordHistory } from '../src/history/record-history.js';
import { shownChange } from '../src/history/shown-values.js';
import { loadConfig } from '../src/load/config-load.js';
import { fingerprint } from '../src/model/fingerprint.js';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { gitFixture } from './git-fixture.js';
import { CONFIG, runCli } from './helpers.js';

const md = (title: string, text: string, extra = '') =>
  `---\nid: SRS-001\ntitle: ${title}\nstatus: draft\n${extra}derivesFrom: [SYS-001]\n---\n${text}\n`;

const collection = (title: string, text: string, other = 'Other') => `kind: software-requirement
records:
  - id: SRS-003
    title: ${other}
    derivesFrom: [SYS-001]
    text: Something else.
  - id: SRS-001
    title: ${title}
    status: draft
    derivesFrom: [SYS-001]
    text: |
      ${text}
`;

/** The scripted history of SRS-001; returns the commits by step name. */
function scripted() {
  const repo = gitFixture();
  const c: Record<string, string> = {};
  repo.write({ 'dossier.yaml': CONFIG, 'records/software/SRS-001.md': md('Stop', 'The motor stops.') });
  c.created = repo.commit('create', 'Alice');
  repo.write({ 'records/software/SRS-001.md': md('Stop the motor', 'The motor stops.') });
  c.retitled = repo.commit('retitle', 'Bob');
  repo.git('mv', 'records/software/SRS-001.md', 'records/software/stop.md');
  c.renamed = repo.commit('rename');
  repo.write({
    'records/software/stop.md': null,
    'records/software/requirements.yaml': collection('Stop the motor', 'The motor stops.'),
  });
  c.intoCollection = repo.commit('into a collection');
  repo.write({
    'records/software/requirements.yaml': collection('Stop the motor', 'The motor stops.', 'Renamed other'),
  });
  c.unrelated = repo.commit('another record of the same file');
  return { repo, c };
}

const root = (repo: { top: string }) => repo.top;
const config = (dir: string) => {
  const load = loadConfig(dir);
  if (!load.config) throw new Error('config');
  return load.config;
};

describe('dossier history', () => {
  it('follows a record across renames and moves between Markdown and collections, by id', () => {
    const { repo, c } = scripted();
    const history = recordHistory(root(repo), config(repo.top), 'SRS-001');
    expect(history.entries.map((e) => [e.commit, e.event, e.file, e.movedFrom, e.contentChanged])).toEqual([
      [c.created, 'created', 'records/software/SRS-001.md', undefined, true],
      [c.retitled, 'changed', 'records/software/SRS-001.md', undefined, true],
      [c.renamed, 'moved', 'records/software/stop.md', 'records/software/SRS-001.md', false],
      [c.intoCollection, 'moved', 'records/software/requirements.yaml', 'records/software/stop.md', false],
    ]);
    const retitled = history.entries[1]!;
    expect(retitled.author).toBe('Bob');
    expect(retitled.date).toBe('2026-01-02T10:00:00+00:00');
    expect(retitled.subject).toBe('retitle');
    expect(retitled.changes).toEqual([
      { part: 'title', before: 'Stop', after: 'Stop the motor', content: true },
    ]);
    expect(history.entries[0]!.changes.map((p) => p.part)).toEqual(['title', 'text', 'derivesFrom']);
    expect(history.entries[0]!.changes[0]).toEqual({ part: 'title', after: 'Stop', content: true });
  });

  it('deletions, restores, uncommitted changes and merges', () => {
    const { repo, c } = scripted();
    repo.write({
      'records/software/requirements.yaml': collection('Stop the motor', 'The motor stops.').replace(
        / {2}- id: SRS-001[\s\S]*/,
        '',
      ),
    });
    const deleted = repo.commit('delete');
    repo.write({ 'records/software/SRS-001.md': md('Stop the motor', 'The motor stops within 1 s.') });
    const restored = repo.commit('restore');
    // A branch changes the title, the main line a field; the merge resolves the title to a third value.
    repo.git('checkout', '-q', '-b', 'side');
    repo.write({ 'records/software/SRS-001.md': md('Stop on side', 'The motor stops within 1 s.') });
    const side = repo.commit('side title');
    repo.git('checkout', '-q', 'main');
    repo.write({ 'records/software/SRS-001.md': md('Stop on main', 'The motor stops within 1 s.') });
    const main = repo.commit('main title');
    try {
      repo.git('merge', '-q', 'side', '-m', 'merge');
    } catch {
      // the expected conflict
    }
    repo.write({ 'records/software/SRS-001.md': md('Stop, resolved', 'The motor stops within 1 s.') });
    const merge = repo.commit('merge side');
    // Uncommitted: the working tree changes the text.
    repo.write({ 'records/software/SRS-001.md': md('Stop, resolved', 'The motor stops within 0.5 s.') });

    const history = recordHistory(root(repo), config(repo.top), 'SRS-001');
    const events = history.entries.map((e) => [e.commit, e.event]);
    expect(events.slice(4)).toEqual([
      [deleted, 'deleted'],
      [restored, 'created'],
      ...[
        [side, 'changed'],
        [main, 'changed'],
      ].sort((x, y) => events.findIndex((e) => e[0] === x[0]) - events.findIndex((e) => e[0] === y[0])),
      [merge, 'changed'],
      [undefined, 'changed'],
    ]);
    expect(history.entries.find((e) => e.commit === merge)!.changes.map((p) => [p.part, p.after])).toEqual([
      ['title', 'Stop, resolved'],
    ]);
    expect(history.entries.at(-1)!.changes.map((p) => p.part)).toEqual(['text']);
    expect(c.created).toBe(history.entries[0]!.commit);
    // Up to a revision: nothing after it, and no working tree.
    const atRestore = recordHistory(root(repo), config(repo.top), 'SRS-001', { revision: restored });
    expect(atRestore.entries.at(-1)!.commit).toBe(restored);
  });

  it('approvals: valid while the content is the signed one, void from the first change after', () => {
    const { repo } = scripted();
    const at = loadProjectAt(repo.top, 'HEAD');
    if (!at.ok) throw new Error('load');
    const signed = fingerprint(at.project.records.find((r) => r.id === 'SRS-001')!);
    const entry = (meaning: string, fp: string) =>
      `- signer: QA-1\n  meaning: ${meaning}\n  time: 2026-01-06T09:00:00Z\n  fingerprint: "${fp}"\n  signature: "ed25519:AAAA"\n`;
    repo.write({ 'signatures/SRS-001.yaml': entry('approved', signed) });
    const given = repo.commit('approve SRS-001');
    let history = recordHistory(root(repo), config(repo.top), 'SRS-001');
    expect(history.approvals).toEqual([
      {
        signer: 'QA-1',
        meaning: 'approved',
        time: '2026-01-06T09:00:00Z',
        fingerprint: signed,
        givenIn: given,
        state: 'valid',
      },
    ]);
    // A status change is not content: the approval stands. A text change voids it.
    repo.write({
      'records/software/requirements.yaml': collection('Stop the motor', 'The motor stops.').replace(
        '    status: draft\n    derivesFrom: [SYS-001]\n    text',
        '    status: approved\n    derivesFrom: [SYS-001]\n    text',
      ),
    });
    repo.commit('status approved', 'Carol');
    expect(recordHistory(root(repo), config(repo.top), 'SRS-001').approvals[0]!.state).toBe('valid');
    repo.write({
      'records/software/requirements.yaml': collection('Stop the motor', 'The motor stops at once.'),
    });
    const edit = repo.commit('edit after approval', 'Dave');
    history = recordHistory(root(repo), config(repo.top), 'SRS-001');
    expect(history.approvals[0]).toMatchObject({
      state: 'void',
      givenIn: given,
      voidedIn: { commit: edit, author: 'Dave' },
    });
  });

  it('the CLI: schema-valid JSON; an unknown id or revision is one line, exit 2', () => {
    const { repo, c } = scripted();
    const json = runCli(['history', 'SRS-001', '-C', repo.top, '--format', 'json']);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const report = JSON.parse(json.stdout);
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(jsonSchemas()['history-report.schema.json'] as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.entries[0].commit).toBe(c.created);
    const text = runCli(['history', 'SRS-001', '-C', repo.top]);
    expect(text.stdout).toContain('created in records/software/SRS-001.md');
    expect(text.stdout).toContain('title: "Stop" → "Stop the motor"');
    expect(text.stdout).toContain(
      'moved from records/software/stop.md to records/software/requirements.yaml',
    );
    expect(text.stdout).toContain('Approvals (signatures/SRS-001.yaml): none');
    // A text holding a fence cannot end the Markdown diff block early.
    repo.write({
      'records/software/requirements.yaml': collection('Stop the motor', 'Run ```rm -rf``` never.'),
    });
    repo.commit('a fence in the text');
    const markdown = runCli(['history', 'SRS-001', '-C', repo.top, '--format', 'markdown']).stdout;
    expect(markdown).toContain('````diff\n');
    expect(markdown).toContain('+ Run ```rm -rf``` never.\n````');
    const missing = runCli(['history', 'SRS-404', '-C', repo.top]);
    expect(missing.code).toBe(2);
    expect(missing.stderr.trim().split('\n')).toHaveLength(1);
    expect(missing.stderr).toContain('SRS-404 is in no committed or working version');
    const badRev = runCli(['history', 'SRS-001', '--rev', 'nope', '-C', repo.top]);
    expect(badRev.code).toBe(2);
    expect(badRev.stderr).toMatch(/unknown revision "nope"/);
  });

  it('a version over the size limit is reported as not read, never skipped silently', () => {
    const repo = gitFixture();
    repo.write({
      'dossier.yaml': `${CONFIG}limits:\n  maxFileBytes: 2000\n`,
      'records/software/SRS-001.md': md('Stop', 'The motor stops.'),
    });
    repo.commit('create');
    repo.write({ 'records/software/SRS-001.md': md('Stop', `The motor stops. ${'x'.repeat(3000)}`) });
    const big = repo.commit('too large');
    const history = recordHistory(repo.top, config(repo.top), 'SRS-001');
    expect(history.unread).toEqual([
      {
        commit: big,
        file: 'records/software/SRS-001.md',
        why: expect.stringContaining('over limits.maxFileBytes'),
      },
    ]);
    // Neither a deletion at the commit that made it too large nor a creation at the next is guessed.
    repo.write({ 'records/software/SRS-001.md': md('Stop', 'The motor stops at once.') });
    repo.commit('small again');
    const again = recordHistory(repo.top, config(repo.top), 'SRS-001');
    expect(again.entries.map((e) => e.event)).toEqual(['created']);
    expect(again.unread).toHaveLength(1);
    const cli = runCli(['history', 'SRS-001', '-C', repo.top]);
    expect(cli.code).toBe(1);
    expect(cli.stdout).toContain('NOT READ: records/software/SRS-001.md in');
  });
});

describe('uncommitted changes git cannot list', () => {
  it('are said as not read, never left out as if there were none', () => {
    const { repo } = scripted();
    const clean = recordHistory(root(repo), config(repo.top), 'SRS-001');
    expect(clean.unread).toEqual([]);
    // A damaged index: git log still works, git diff HEAD does not.
    fs.writeFileSync(path.join(repo.top, '.git', 'index'), 'not an index');
    const history = recordHistory(root(repo), config(repo.top), 'SRS-001');
    expect(history.entries.length).toBe(clean.entries.length);
    expect(history.unread).toEqual([
      {
        file: '(working tree)',
        why: 'git could not list the uncommitted changes (git diff or git ls-files failed)',
      },
    ]);
  });
});

describe('values shown for a changed part', () => {
  const lone = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;
  it('shortens long values around where they differ, never between the halves of a character', () => {
    // Emoji everywhere: whatever the cut points, one of them falls inside a surrogate pair
    // unless the cut avoids it.
    for (let shift = 0; shift < 4; shift++) {
      const common = `${'x'.repeat(shift)}${'😀'.repeat(150)}`;
      const { before, after } = shownChange(`${common}a${'😀'.repeat(150)}`, `${common}b${'😀'.repeat(150)}`);
      for (const shown of [before, after]) {
        expect(shown, `shift ${shift}`).not.toMatch(lone);
        expect(shown.startsWith('…')).toBe(true);
        expect(shown.endsWith('…')).toBe(true);
      }
      expect(before).toContain('a');
      expect(after).toContain('b');
    }
  });
});
