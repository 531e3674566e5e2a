#!/usr/bin/env node
// Dossier's own release check (issue 17 §2; docs/validation.md): runs the acceptance suite with
// `dossier self-validate`, imports its JUnit report as a test run into a copy of validation/, and
// runs `dossier release check <package version>` on the copy. The copy keeps the repository clean:
// a test run is evidence of one run on one machine, produced here and never committed or written by
// hand. Exit status: that of the first step that fails, else the release check's.
//
//   node scripts/validation-release.mjs [--keep DIR]     (after npm run build)
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const cli = path.join(root, 'dist', 'cli', 'main.js');
const { version } = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const keep = process.argv.indexOf('--keep');
const work =
  keep > 0
    ? path.resolve(process.argv[keep + 1])
    : fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-validation-'));
const project = path.join(work, 'validation');

const SKIP = new Set(['out', '.dossier', 'evidence']);
fs.rmSync(project, { recursive: true, force: true });
fs.cpSync(path.join(root, 'validation'), project, {
  recursive: true,
  filter: (src) => {
    const rel = path.relative(path.join(root, 'validation'), src).split(path.sep);
    return !SKIP.has(rel[0]) && !(rel[0] === 'records' && rel[1] === 'evidence');
  },
});

function step(title, args, cwd = project) {
  process.stdout.write(`== ${title}: dossier ${args.join(' ')}\n`);
  const result = spawnSync(process.execPath, [cli, ...args], { cwd, stdio: 'inherit' });
  return result.status ?? 3;
}

const done = (status) => {
  if (keep < 0) fs.rmSync(work, { recursive: true, force: true });
  else process.stdout.write(`kept ${work}\n`);
  process.exit(status);
};

let status = step('check', ['check', '.']);
if (status !== 0) done(status);
status = step('acceptance suite', ['self-validate', '--out', 'evidence/acceptance']);
if (status !== 0) done(status);
const environment = `Node.js ${process.version} on ${os.type()} ${os.release()} (${process.platform}, ${process.arch})`;
status = step('import the results', [
  'evidence',
  'import',
  'evidence/acceptance/acceptance-junit.xml',
  '--version',
  version,
  '--executed-by',
  process.env.DOSSIER_EXECUTED_BY ??
    `scripts/validation-release.mjs (${os.userInfo().username}@${os.hostname()})`,
  '--environment',
  environment,
  '--tool',
  `node:test (Node.js ${process.version})`,
  `dossier ${version} (${cli})`,
  '--level',
  'system',
]);
if (status !== 0) done(status);
status = step('release check', [
  'release',
  'check',
  version,
  '.',
  '--manifest',
  path.join(work, 'evidence-manifest.json'),
]);
done(status);
