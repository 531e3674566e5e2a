import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../src/analyze.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject, type Project } from '../src/load/project.js';
import { fingerprint } from '../src/model/fingerprint.js';
import type { KindName } from '../src/model/kinds.js';
import type { DossierRecord } from '../src/model/record.js';
import type { ReviewType } from '../src/model/vocabulary.js';
import { criteriaOfType } from '../src/reviews/review.js';

export const REPO = path.resolve(import.meta.dirname, '..');
export const EXAMPLE = path.join(REPO, 'examples/infusion-pump');
export const CLI = path.join(REPO, 'dist/cli/main.js');

/** A minimal valid configuration; tests add records to it. */
export const CONFIG = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' })[
  'dossier.yaml'
]!;

/**
 * A dossier.yaml with its `device.cyberDevice` line set to `value`, or removed (`'undeclared'`).
 * The starter always writes the line (dossier init); a config without one is refused here, so a
 * test never believes it changed what it did not.
 */
export function withCyberDevice(config: string, value: boolean | 'undeclared'): string {
  const line = /^ {2}cyberDevice: .*\n/m;
  if (!line.test(config)) throw new Error('the config has no device.cyberDevice line to change');
  return config.replace(line, value === 'undeclared' ? '' : `  cyberDevice: ${value}\n`);
}

/** The project in `dir`, which must load (its configuration valid); files that did not load are in `unloaded`. */
export function loadOk(dir: string): Project {
  const result = loadProject(dir);
  if (!result.ok) throw new Error(`${dir} did not load: ${JSON.stringify(result.findings)}`);
  return result.project;
}

/** Writes a project into a fresh temporary folder and returns its path. */
export function writeProject(files: Record<string, string | Buffer>, withConfig = true): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-test-'));
  const all: Record<string, string | Buffer> = withConfig ? { 'dossier.yaml': CONFIG, ...files } : files;
  for (const [rel, content] of Object.entries(all)) {
    const file = path.join(dir, rel);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    fs.writeFileSync(file, content);
  }
  return dir;
}

/** The starter project from `dossier init`, with some files replaced or added. */
export function starterProject(overrides: Record<string, string | Buffer> = {}): string {
  const files: Record<string, string | Buffer> = {
    ...starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' }),
    ...overrides,
  };
  return writeProject(files, false);
}

export function check(dir: string): Diagnostic[] {
  const result = loadProject(dir);
  if (!result.ok) throw new Error(`config failed: ${JSON.stringify(result.findings)}`);
  return [...analyze(result.project).diagnostics];
}

export function codes(diagnostics: readonly Diagnostic[]): string[] {
  return diagnostics.map((d) => d.code);
}

export function runCli(args: string[], cwd = REPO, env: NodeJS.ProcessEnv = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, NO_COLOR: '1', ...env },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

/**
 * A record file as its engineers leave it once reviewed: `status: draft` becomes `approved`, and
 * collection records without a status get `status: approved` (the release gate asks for approval).
 */
export function approved(content: string): string {
  return content
    .replace(/^(\s*)status: draft$/gm, '$1status: approved')
    .replace(/^( {2}- id: \S+)\n(?! {4}status:)/gm, '$1\n    status: approved\n');
}

/**
 * The starter project with every record approved and reviewed, as before a release; some files
 * replaced or added. The reviews (records/reviews.yaml) cover every software requirement, item and
 * unit the project then holds, with their fingerprints: see {@link reviewsOfProject}.
 */
export function approvedStarterProject(overrides: Record<string, string | Buffer> = {}): string {
  const starter = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });
  const records = Object.fromEntries(
    Object.entries(starter)
      .filter(([file]) => file.startsWith('records/'))
      .map(([file, content]) => [file, approved(content)]),
  );
  const dir = writeProject({ ...starter, ...records, ...overrides }, false);
  // A project whose dossier.yaml does not load (a test of the refusal) has nothing to review.
  if (loadProject(dir).ok) fs.writeFileSync(path.join(dir, 'records/reviews.yaml'), reviewsOfProject(dir));
  return dir;
}

/**
 * Passed, approved requirements, architecture and detailed design reviews (5.2.6, 5.3.6, 5.4.4)
 * of every software requirement, item and unit of the project in `dir` as it is now, each with
 * the fingerprints of what it reviewed, as `dossier review fingerprint` writes them.
 */
export function reviewsOfProject(dir: string, date = '2026-06-01'): string {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error('the project must load');
  const records = loaded.project.records;
  const review = (id: string, type: ReviewType, reviewed: readonly DossierRecord[]) => {
    const criteria = criteriaOfType(type)
      .map((c) => `      ${c.key}: { met: true, note: Checked. }`)
      .join('\n');
    return `  - id: ${id}
    title: ${type} review
    status: approved
    reviewType: ${type}
    date: ${date}
    participants:
      - { name: A. Author, role: developer }
      - { name: I. Reviewer, role: QA, independent: true }
    outcome: passed
${criteria ? `    criteria:\n${criteria}\n` : ''}    reviewed: [${reviewed.map((r) => r.id).join(', ')}]
    fingerprints:
${reviewed.map((r) => `      ${r.id}: ${fingerprint(r)}`).join('\n')}
`;
  };
  const ofKind = (kind: KindName, keep: (r: DossierRecord) => boolean = () => true) =>
    records.filter((r) => r.kind === kind && keep(r));
  const unit = (r: DossierRecord) => r.fields.itemType === 'unit';
  const groups: [string, ReviewType, DossierRecord[]][] = [
    ['REV-901', 'requirements', ofKind('software-requirement')],
    ['REV-902', 'architecture', ofKind('software-item', (r) => !unit(r))],
    ['REV-903', 'detailed-design', ofKind('software-item', unit)],
  ];
  return `kind: review\nrecords:\n${groups
    .filter(([, , reviewed]) => reviewed.length > 0)
    .map(([id, type, reviewed]) => review(id, type, reviewed))
    .join('')}`;
}

export function copyDir(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-copy-'));
  fs.cpSync(from, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
  // The release gate counts only committed signatures: a copy of the example is committed, as it is here.
  if (path.resolve(from) === EXAMPLE) commitAllInGit(dir);
  return dir;
}

/**
 * The example's trust-root pin (a throwaway test key, test/fixtures/signing/): what CI sets in
 * DOSSIER_TRUST_ROOT, outside the repository. Tests that run the example set it as CI does.
 */
export const EXAMPLE_TRUST_ROOT = 'sha256:213fb49beb689b62a543cefcef065ef5240c6151789706c4093e8b9e932d05f9';

/** Makes `dir` a git repository with every file in one commit (at `date`, ISO 8601, when given). */
export function commitAllInGit(dir: string, date?: string): void {
  const git = (args: string[]) => {
    const r = spawnSync(
      'git',
      [
        '-c',
        'user.name=Dossier tests',
        '-c',
        'user.email=tests@example.com',
        '-c',
        'commit.gpgsign=false',
        ...args,
      ],
      {
        cwd: dir,
        encoding: 'utf8',
        env: { ...process.env, ...(date ? { GIT_AUTHOR_DATE: date, GIT_COMMITTER_DATE: date } : {}) },
      },
    );
    if (r.status !== 0) throw new Error(`git ${args.join(' ')}: ${r.stderr}`);
  };
  if (!fs.existsSync(path.join(dir, '.git'))) git(['init', '-q']);
  git(['add', '-A']);
  git(['commit', '-q', '--allow-empty', '-m', 'test commit']);
}

/** A record built in memory, for tests of pure functions that do not need files. */
export function makeRecord(
  id: string,
  kind: KindName,
  fields: Record<string, unknown> = {},
  links: Record<string, string[]> = {},
): DossierRecord {
  return {
    id,
    kind,
    title: id,
    status: 'approved',
    tags: [],
    text: 'x',
    fields,
    links,
    origin: { source: { path: `${id}.md`, yaml: '', yamlLine: 1 }, path: [] },
  };
}

/**
 * `dossier release check VERSION DIR --format json`, with its evidence manifest written to
 * `manifest` (inside the copy, so the project's own manifest is not touched): exit code and blockers.
 */
export function releaseCheckJson(dir: string, version: string, manifest: string) {
  const r = runCli(['release', 'check', version, dir, '--format', 'json', '--manifest', manifest]);
  return {
    code: r.code,
    blockers: (JSON.parse(r.stdout) as { blockers: { code: string; message: string }[] }).blockers,
  };
}

/** A small seeded random source (mulberry32): generated test cases that a failure can replay. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** One of `items`, chosen by `random`. */
export const pickOne = <T>(random: () => number, items: readonly T[]): T =>
  items[Math.floor(random() * items.length)]!;
