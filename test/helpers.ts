import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { analyze } from '../src/analyze.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import type { KindName } from '../src/model/kinds.js';
import type { DossierRecord } from '../src/model/record.js';

export const REPO = path.resolve(import.meta.dirname, '..');
export const EXAMPLE = path.join(REPO, 'examples/infusion-pump');
export const CLI = path.join(REPO, 'dist/cli/main.js');

/** A minimal valid configuration; tests add records to it. */
export const CONFIG = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' })[
  'dossier.yaml'
]!;

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

/** The starter project with every record approved, as before a release; some files replaced or added. */
export function approvedStarterProject(overrides: Record<string, string | Buffer> = {}): string {
  const starter = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });
  const records = Object.fromEntries(
    Object.entries(starter)
      .filter(([file]) => file.startsWith('records/'))
      .map(([file, content]) => [file, approved(content)]),
  );
  return writeProject({ ...starter, ...records, ...overrides }, false);
}

export function copyDir(from: string): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-copy-'));
  fs.cpSync(from, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}out`) });
  return dir;
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
