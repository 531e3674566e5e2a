#!/usr/bin/env node
// Benchmark of `dossier diff` (issue 13 target: under 3 s): the 10,000-record synthetic project is
// committed, 1 % of its records are changed (text of Markdown records, titles of collection
// records) in a second commit, and `dossier diff base HEAD --format json` is timed: both revisions
// are read from git objects (ls-tree + one cat-file --batch each), analysed (classes, risk) and
// compared.
//
//   node bench/diff.mjs [--runs 3] [--size 10000]
//
// Build first (`npm run bench` does both). The repository is kept in bench/.work/diff-<size>/ and
// rebuilt when the generator changes.
import fs from 'node:fs';
import path from 'node:path';
import { GENERATOR_HASH, generateProject } from './generate.mjs';
import { git } from './git-repo.mjs';
import { BENCH, CLI, median, option, procAvailable, timeJsonCommand } from './measure.mjs';

const RUNS = Number(option('--runs') ?? 3);
const SIZE = Number(option('--size') ?? 10_000);
const TARGET_S = 3;

const dir = path.join(BENCH, '.work', `diff-${SIZE}`);
const marker = path.join(dir, '.bench-diff.json');
const expected = { size: SIZE, generator: GENERATOR_HASH, script: 1 };
let changed;
try {
  const found = JSON.parse(fs.readFileSync(marker, 'utf8'));
  if (JSON.stringify(found.expected) === JSON.stringify(expected)) changed = found.changed;
} catch {
  // build it
}
if (changed === undefined) {
  fs.rmSync(dir, { recursive: true, force: true }); // only ever bench/.work/diff-<size>
  const { records } = generateProject(dir, SIZE);
  git(dir, ['init', '-q', '-b', 'main']);
  fs.writeFileSync(path.join(dir, '.gitignore'), '.bench-diff.json\n.dossier-bench.json\n.dossier/\n');
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'base']);
  git(dir, ['tag', 'base']);
  changed = changeOnePercent(dir, records);
  git(dir, ['add', '-A']);
  git(dir, ['commit', '-q', '-m', 'one per cent changed']);
  fs.writeFileSync(marker, JSON.stringify({ expected, changed }));
}

/** Changes 1 % of the records: 90 % of them Markdown texts, 10 % collection titles. Returns the ids. */
function changeOnePercent(root, records) {
  const target = Math.round(records / 100);
  const files = git(root, ['ls-files', '-z', 'records']).split('\0').filter(Boolean).sort();
  const markdown = files.filter((f) => f.endsWith('.md') && /\/SRS-|\/SYS-/.test(`/${path.basename(f)}`));
  const collections = files.filter((f) => f.includes('tests') && f.endsWith('.yaml'));
  const ids = [];
  const inMarkdown = Math.round(target * 0.9);
  const step = Math.max(1, Math.floor(markdown.length / inMarkdown));
  for (let i = 0; ids.length < inMarkdown && i < markdown.length; i += step) {
    const file = path.join(root, markdown[i]);
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, `${text.trimEnd()} This sentence was added for the diff benchmark.\n`);
    ids.push(/^id: (\S+)$/m.exec(text)[1]);
  }
  for (const rel of collections) {
    const file = path.join(root, rel);
    let text = fs.readFileSync(file, 'utf8');
    text = text.replace(/^( {2}- id: (\S+)\n {4}title: )(.*)$/gm, (line, head, id, title) => {
      if (ids.length >= target) return line;
      ids.push(id);
      return `${head}${title} (revised)`;
    });
    fs.writeFileSync(file, text);
    if (ids.length >= target) break;
  }
  return ids.sort();
}

const argv = [CLI, 'diff', 'base', 'HEAD', '-C', dir, '--format', 'json'];
const { wall, peak, cpu, report } = await timeJsonCommand(argv, RUNS, 'dossier diff');
// The same work in process, without Node's start-up and the CLI's module loading.
const { loadProjectAt, projectAtCache } = await import('../dist/history/project-at.js');
const { diffProjects } = await import('../dist/history/diff.js');
const inProcess = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  const cache = projectAtCache();
  const a = loadProjectAt(dir, 'base', { cache });
  const b = loadProjectAt(dir, 'HEAD', { cache });
  diffProjects(
    { side: { revision: 'base' }, project: a.project },
    { side: { revision: 'HEAD' }, project: b.project },
  );
  inProcess.push((performance.now() - start) / 1000);
}
const found = report.records.changed.map((c) => c.id).sort();
const correct =
  JSON.stringify(found) === JSON.stringify(changed) &&
  report.records.added.length === 0 &&
  report.records.removed.length === 0;
console.log(
  `\ndossier diff on ${SIZE.toLocaleString('en-US')} records, ${changed.length} changed, ${RUNS} runs${procAvailable ? '' : ' (no /proc: peak n/a)'}`,
);
console.log(
  `median ${median(wall).toFixed(2)} s, min ${Math.min(...wall).toFixed(2)} s, peak ${peak.length ? `${Math.max(...peak).toFixed(0)} MB` : 'n/a'}`,
);
if (cpu.length > 0) console.log(`CPU time (user + system, git included): median ${median(cpu).toFixed(2)} s`);
console.log(
  `in process (both loads from git, analyses, comparison): median ${median(inProcess).toFixed(2)} s`,
);
console.log(`${correct ? 'PASS' : 'MISS'}  the diff lists exactly the ${changed.length} changed records`);
console.log(`${median(wall) < TARGET_S ? 'PASS' : 'MISS'}  dossier diff under ${TARGET_S} s`);
if (!correct || median(wall) >= TARGET_S) process.exitCode = 1;
