/**
 * Issue 9 section 1, "nothing drops out of the project silently": a record file that cannot be
 * loaded is an error, the commands that write artefacts or verdicts refuse, the others say
 * INCOMPLETE and exit non-zero, and what the broken file hid is named (records at HEAD, consequences).
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadProject } from '../src/load/project.js';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { CLI, check, copyDir, EXAMPLE, starterProject } from './helpers.js';

const UNCLOSED = '---\nid: SRS-900\ntitle: x\n\nbody\n';

function run(args: string[], cwd: string, env: Record<string, string | undefined> = {}) {
  const merged: Record<string, string | undefined> = { ...process.env, NO_COLOR: '1', ...env };
  for (const [k, v] of Object.entries(merged)) if (v === undefined) delete merged[k];
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: merged as NodeJS.ProcessEnv,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

/** Runs git in `dir` with a fixed identity and dates, so commits are reproducible. */
function git(dir: string, ...args: string[]) {
  const r = spawnSync('git', args, {
    cwd: dir,
    encoding: 'utf8',
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: 'T',
      GIT_AUTHOR_EMAIL: 't@example.com',
      GIT_COMMITTER_NAME: 'T',
      GIT_COMMITTER_EMAIL: 't@example.com',
      GIT_AUTHOR_DATE: '2024-05-06T07:08:09+02:00',
      GIT_COMMITTER_DATE: '2024-05-06T07:08:09+02:00',
    },
  });
  if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  return r.stdout;
}

function commitAll(dir: string) {
  git(dir, 'init', '-q');
  git(dir, 'add', '-A');
  git(dir, 'commit', '-q', '-m', 'records');
}

const THREE_TESTS =
  'kind: test\nrecords:\n' +
  ['TC-101', 'TC-102', 'TC-103']
    .map(
      (id) =>
        `  - id: ${id}\n    title: t ${id}\n    level: system\n    verifies: [SRS-001]\n    procedure: p\n    expectedResults: r\n    acceptanceCriteria: a\n`,
    )
    .join('');

describe('a record file that does not load', () => {
  it('an unclosed front matter is an error with its own code, and the file is listed as unloaded', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    const result = loadProject(dir);
    if (!result.ok) throw new Error('config');
    expect(result.project.unloaded.map((u) => [u.file, u.finding.code])).toEqual([
      ['records/software/SRS-900.md', 'load/front-matter-unclosed'],
    ]);
    const d = analyze(result.project).diagnostics;
    expect(d[0]).toMatchObject({
      code: 'load/front-matter-unclosed',
      severity: 'error',
      file: 'records/software/SRS-900.md',
    });
  });

  it('every kind of unloadable file is an error and unloaded; a stray Markdown note stays a warning', () => {
    const dir = starterProject({
      'records/software/SRS-901.md': '---\nid: SRS-901\ntitle: [oops\n---\nx\n',
      'records/software/SRS-902.md': Buffer.from([0x2d, 0x2d, 0x2d, 0x0a, 0xff, 0x0a]),
      'records/other.yaml': 'name: not records\n',
      'records/list.yaml': 'kind: test\nrecords: nope\n',
      'records/README.md': '# Notes about these records\n\nNothing here is a record.\n',
      'records/big.yaml': `records:\n${'  - id: TC-999\n'.repeat(80_000)}`,
    });
    fs.symlinkSync(path.join(dir, 'nowhere.md'), path.join(dir, 'records/software/SRS-905.md'));
    const result = loadProject(dir);
    if (!result.ok) throw new Error('config');
    expect(result.project.unloaded.map((u) => u.file)).toEqual([
      'records/big.yaml',
      'records/list.yaml',
      'records/other.yaml',
      'records/software/SRS-901.md',
      'records/software/SRS-902.md',
      'records/software/SRS-905.md',
    ]);
    const diagnostics = analyze(result.project).diagnostics;
    for (const u of result.project.unloaded) {
      expect(diagnostics.find((d) => d.file === u.file)?.severity, u.file).toBe('error');
    }
    expect(diagnostics.find((d) => d.file === 'records/README.md')).toMatchObject({
      code: 'load/no-front-matter',
      severity: 'warning',
    });
  });

  it('a Markdown file without front matter whose text looks like a record is an error', () => {
    const heading = starterProject({
      'records/software/SRS-903.md': '# SRS-903 Alarm volume\n\nThe software shall.\n',
    });
    const fields = starterProject({ 'records/software/SRS-904.md': 'id: SRS-904\ntitle: x\n---\nbody\n' });
    for (const [dir, file] of [
      [heading, 'records/software/SRS-903.md'],
      [fields, 'records/software/SRS-904.md'],
    ] as const) {
      const d = check(dir).find((x) => x.file === file);
      expect(d).toMatchObject({ code: 'load/front-matter-missing', severity: 'error' });
    }
  });

  it('a load error cannot be switched off or lowered in dossier.yaml', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    const config = path.join(dir, 'dossier.yaml');
    fs.appendFileSync(config, 'rules:\n  load/front-matter-unclosed: off\n');
    const d = check(dir).find((x) => x.file === 'records/software/SRS-900.md');
    expect(d).toMatchObject({ code: 'load/front-matter-unclosed', severity: 'error' });
  });

  it('check exits 1, prints the load error first and an INCOMPLETE banner naming the file', () => {
    const dir = starterProject({
      'records/software/SRS-900.md': UNCLOSED,
      'records/software/SRS-009.md':
        '---\nid: SRS-009\ntitle: Broken\ncategory: data\nderivesFrom: [SYS-404]\n---\nThe software shall.\n',
    });
    const r = run(['check', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout.split('\n')[0]).toMatch(
      /^records\/software\/SRS-900\.md:1:1 error load\/front-matter-unclosed /,
    );
    expect(r.stderr).toMatch(/INCOMPLETE/);
    expect(r.stderr).toContain('records/software/SRS-900.md');
  });

  it('check --format json carries incomplete and the unloaded files as data, load errors first', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    const r = run(['check', '.', '--format', 'json'], dir);
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    const validate = new Ajv2020.default({ strict: false, allErrors: true }).compile(
      jsonSchemas()['check-report.schema.json'] as object,
    );
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.incomplete).toBe(true);
    expect(report.unloadedFiles).toEqual([
      expect.objectContaining({
        file: 'records/software/SRS-900.md',
        code: 'load/front-matter-unclosed',
        recordsAtHead: null,
      }),
    ]);
    expect(report.diagnostics[0].code).toBe('load/front-matter-unclosed');
    const clean = JSON.parse(run(['check', '.', '--format', 'json'], starterProject()).stdout);
    expect(clean.incomplete).toBe(false);
    expect(clean.unloadedFiles).toEqual([]);
  });

  it('check --format sarif says the run is incomplete', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    const log = JSON.parse(run(['check', '.', '--format', 'sarif'], dir).stdout);
    expect(log.runs[0].invocations[0].executionSuccessful).toBe(false);
    expect(log.runs[0].properties).toMatchObject({
      incomplete: true,
      unloadedFiles: [expect.objectContaining({ file: 'records/software/SRS-900.md' })],
    });
  });

  it('trace, classify, risk and soup list still run, with the banner, and exit non-zero', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    for (const args of [
      ['trace', '.'],
      ['trace', '.', '--format', 'json'],
      ['classify', '.'],
      ['risk', '.'],
      ['soup', 'list', '.'],
    ]) {
      const r = run(args, dir);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(/INCOMPLETE[^\n]*\n[^\n]*records\/software\/SRS-900\.md/);
      expect(r.stdout.length, args.join(' ')).toBeGreaterThan(0);
    }
    // Machine-readable output stays valid: the banner is on standard error.
    expect(() => JSON.parse(run(['trace', '.', '--format', 'json'], dir).stdout)).not.toThrow();
    // The same project without the broken file exits 0.
    expect(run(['trace', '.'], starterProject()).code).toBe(0);
  });

  it('soup scan still runs with the banner, exits non-zero, and keeps no baseline for --since last', () => {
    const db = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-adv-')), 'a.sqlite');
    const imported = run(
      ['advisories', 'import', path.join(EXAMPLE, 'advisories/npm'), '--db', db, '-q'],
      os.tmpdir(),
    );
    expect(imported.code, imported.stderr).toBe(0);
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    const r = run(['soup', 'scan', '.', '--advisories', db, '--format', 'json'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/INCOMPLETE[^\n]*\n[^\n]*records\/software\/SRS-900\.md/);
    expect(JSON.parse(r.stdout)).toMatchObject({ incomplete: true, unloadedFiles: [expect.anything()] });
    expect(fs.existsSync(path.join(dir, '.dossier/last-scan.json'))).toBe(false);
    expect(run(['soup', 'scan', '.', '--advisories', db], starterProject()).code).toBe(0);
  });
});

describe('commands that write artefacts or verdicts refuse while a file does not load', () => {
  it('sbom of a project whose SOUP file failed to load is refused, not written with no components', () => {
    const dir = copyDir(EXAMPLE);
    const soup = path.join(dir, 'records/soup.yaml');
    fs.writeFileSync(soup, `${fs.readFileSync(soup, 'utf8')}\n  - id: [broken\n`);
    const out = path.join(dir, 'sbom.json');
    const r = run(['sbom', '.', '--out', out], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('records/soup.yaml');
    expect(r.stderr).toMatch(/nothing was written/i);
    expect(fs.existsSync(out)).toBe(false);
    const stdout = run(['sbom', '.'], dir);
    expect(stdout.code).toBe(2);
    expect(stdout.stdout).toBe('');
  });

  it('release check and build refuse and write nothing', () => {
    const dir = copyDir(EXAMPLE);
    fs.writeFileSync(path.join(dir, 'records/software/SRS-900.md'), UNCLOSED);
    const manifest = path.join(dir, 'manifest.json');
    const release = run(['release', 'check', '1.1.0', '.', '--manifest', manifest], dir);
    expect(release.code).toBe(2);
    expect(release.stderr).toContain('records/software/SRS-900.md');
    expect(fs.existsSync(manifest)).toBe(false);
    const build = run(['build', '.', '--out', 'built'], dir);
    expect(build.code).toBe(2);
    expect(build.stderr).toContain('records/software/SRS-900.md');
    expect(fs.existsSync(path.join(dir, 'built'))).toBe(false);
  });

  it('soup import and evidence import refuse while a record file does not load', () => {
    const dir = starterProject({ 'records/soup.yaml': 'kind: soup\nrecords:\n  - id: [SOUP-1\n' });
    fs.writeFileSync(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({ name: 'x', lockfileVersion: 3, packages: { '': { name: 'x' } } }),
    );
    const soup = run(['soup', 'import', 'package-lock.json'], dir);
    expect(soup.code).toBe(2);
    expect(soup.stderr).toContain('records/soup.yaml');
    expect(soup.stderr).toMatch(/nothing was written/i);
    fs.writeFileSync(
      path.join(dir, 'report.xml'),
      '<testsuite name="s" tests="1"><testcase name="[TC-001] x" classname="c"/></testsuite>',
    );
    const evidence = run(
      ['evidence', 'import', 'report.xml', '--version', '0.1.0', '--executed-by', 'ci'],
      dir,
    );
    expect(evidence.code).toBe(2);
    expect(evidence.stderr).toContain('records/soup.yaml');
  });

  it('a stray Markdown note does not stop soup import (it holds no records)', () => {
    const dir = starterProject({ 'records/README.md': '# Notes\n' });
    fs.writeFileSync(
      path.join(dir, 'package-lock.json'),
      JSON.stringify({
        name: 'x',
        lockfileVersion: 3,
        packages: { '': { name: 'x', dependencies: { a: '1.0.0' } }, 'node_modules/a': { version: '1.0.0' } },
      }),
    );
    expect(run(['soup', 'import', 'package-lock.json', '--date', '2026-01-02'], dir).code).toBe(0);
  });
});

describe('what the broken file held', () => {
  it('says how many records the file held at HEAD, or unknown for a new file', () => {
    const dir = starterProject({ 'records/tests/more.yaml': THREE_TESTS });
    commitAll(dir);
    fs.writeFileSync(path.join(dir, 'records/tests/more.yaml'), `${THREE_TESTS}  - id: [TC-104\n`);
    fs.writeFileSync(path.join(dir, 'records/software/SRS-900.md'), UNCLOSED);
    const diagnostics = check(dir);
    const more = diagnostics.find((d) => d.file === 'records/tests/more.yaml')!;
    expect(more.message).toMatch(/held 3 records at HEAD \(TC-101, TC-102, TC-103\)/);
    const fresh = diagnostics.find((d) => d.file === 'records/software/SRS-900.md')!;
    expect(fresh.message).toMatch(/unknown.*new file/);
    const json = JSON.parse(run(['check', '.', '--format', 'json'], dir).stdout);
    expect(
      json.unloadedFiles.map((u: { file: string; recordsAtHead: number | null }) => [
        u.file,
        u.recordsAtHead,
      ]),
    ).toEqual([
      ['records/software/SRS-900.md', null],
      ['records/tests/more.yaml', 3],
    ]);
  });

  it('says unknown without crashing when the project is not in git or git is missing', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    const notRepo = run(['check', '.'], dir);
    expect(notRepo.code).toBe(1);
    expect(notRepo.stdout).toMatch(/SRS-900\.md.*unknown \(not in a git repository\)/);
    commitAll(dir);
    const noGit = run(['check', '.'], dir, { PATH: path.join(dir, 'no-such-bin') });
    expect(noGit.code).toBe(1);
    expect(noGit.stdout).toMatch(/SRS-900\.md.*unknown \(git is not available\)/);
    expect(noGit.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('a dangling link to an id the broken file holds is marked as its consequence, still an error', () => {
    const dir = starterProject({
      'records/software/SRS-900.md': UNCLOSED,
      'records/tests/extra.yaml':
        'kind: test\nrecords:\n  - id: TC-050\n    title: t\n    level: system\n    verifies: [SRS-900, SRS-404]\n    procedure: p\n    expectedResults: r\n    acceptanceCriteria: a\n',
    });
    const diagnostics = check(dir);
    const dangling = diagnostics.filter((d) => d.code === 'link/dangling');
    const toBroken = dangling.find((d) => d.message.includes('SRS-900'))!;
    const independent = dangling.find((d) => d.message.includes('SRS-404'))!;
    expect(toBroken).toMatchObject({ severity: 'error', consequenceOf: 'records/software/SRS-900.md' });
    expect(independent.consequenceOf).toBeUndefined();
    // Shown with its load error: right after it, before the independent findings.
    expect(diagnostics.indexOf(toBroken)).toBe(1);
    const text = run(['check', '.'], dir).stdout;
    expect(text).toMatch(
      /links to SRS-900, which does not exist.*\(because records\/software\/SRS-900\.md did not load\)/,
    );
    expect(text).not.toMatch(/SRS-404[^\n]*because/);
  });

  it('uses the committed ids when the broken text cannot be scanned', () => {
    const dir = starterProject({ 'records/tests/more.yaml': THREE_TESTS });
    commitAll(dir);
    fs.writeFileSync(path.join(dir, 'records/tests/more.yaml'), Buffer.from([0xff, 0xfe, 0x00, 0x41]));
    fs.writeFileSync(
      path.join(dir, 'records/evidence-link.yaml'),
      'kind: test\nrecords:\n  - id: TC-060\n    title: t\n    level: system\n    verifies: [TC-102]\n    procedure: p\n    expectedResults: r\n    acceptanceCriteria: a\n',
    );
    const diagnostics = check(dir);
    const link = diagnostics.find((d) => d.message.includes('TC-102') && d.code.startsWith('link/'));
    expect(link).toMatchObject({ consequenceOf: 'records/tests/more.yaml', severity: 'error' });
  });
});

describe('JSON reports of an incomplete project say so as data', () => {
  it('trace, classify, risk and soup scan JSON carry incomplete and unloadedFiles', () => {
    const dir = starterProject({ 'records/software/SRS-900.md': UNCLOSED });
    for (const args of [
      ['trace', '.', '--format', 'json'],
      ['classify', '.', '--format', 'json'],
      ['risk', '.', '--format', 'json'],
    ]) {
      const report = JSON.parse(run(args, dir).stdout);
      expect(report.incomplete, args[0]).toBe(true);
      expect(
        report.unloadedFiles.map((u: { file: string }) => u.file),
        args[0],
      ).toEqual(['records/software/SRS-900.md']);
      expect(report.schemaVersion).toBe(1);
    }
    // A complete project's reports are unchanged.
    expect(
      JSON.parse(run(['trace', '.', '--format', 'json'], starterProject()).stdout).incomplete,
    ).toBeUndefined();
  });
});
