#!/usr/bin/env node
// Benchmark of `dossier history` (issue 13 target: under 1 s): a repository of 1,000 commits (the
// 1,000-record synthetic project, then 999 commits that each change one record, one in ten of them
// the record followed, whose file is also renamed once), and
// `dossier history <ID> --format json` is timed: one `git log --raw` and the changed blobs only.
//
//   node bench/history.mjs [--runs 3] [--commits 1000]
//
// Build first (`npm run bench` does both). The repository, written with `git fast-import`, is kept in
// bench/.work/history-<commits>/ and rebuilt when the generator changes.
import fs from 'node:fs';
import path from 'node:path';
import { GENERATOR_HASH, generateProject } from './generate.mjs';
import { git } from './git-repo.mjs';
import { BENCH, CLI, median, option, procAvailable, timeJsonCommand } from './measure.mjs';

const RUNS = Number(option('--runs') ?? 3);
const COMMITS = Number(option('--commits') ?? 1000);
const RECORDS = 1000;
const TARGET_S = 1;

const dir = path.join(BENCH, '.work', `history-${COMMITS}`);
const marker = path.join(dir, '.bench-history.json');
const expected = { commits: COMMITS, records: RECORDS, generator: GENERATOR_HASH, script: 2 };
let plan;
try {
  const found = JSON.parse(fs.readFileSync(marker, 'utf8'));
  if (JSON.stringify(found.expected) === JSON.stringify(expected)) plan = found.plan;
} catch {
  // build it
}
if (plan === undefined) {
  fs.rmSync(dir, { recursive: true, force: true }); // only ever bench/.work/history-<commits>
  const source = `${dir}-files`;
  fs.rmSync(source, { recursive: true, force: true });
  generateProject(source, RECORDS);
  fs.mkdirSync(dir, { recursive: true });
  plan = buildHistory(source, dir);
  fs.rmSync(source, { recursive: true, force: true });
  fs.writeFileSync(marker, JSON.stringify({ expected, plan }));
}

/**
 * Writes the history with one `git fast-import` run: the generated files as the first commit, then
 * commits that each append a sentence to one software requirement; every tenth changes the record
 * followed, whose file is renamed once.
 */
function buildHistory(source, root) {
  const files = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(source, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else if (!entry.name.startsWith('.')) files.push(child);
    }
  };
  walk('');
  files.sort();
  const content = new Map(files.map((f) => [f, fs.readFileSync(path.join(source, f), 'utf8')]));
  const requirements = files.filter((f) => /\/SRS-\d+\.md$/.test(f));
  let followed = requirements[0];
  const id = /^id: (\S+)$/m.exec(content.get(followed))[1];
  const chunks = [];
  const data = (text) => `data ${Buffer.byteLength(text)}\n${text}\n`;
  let time = 1767225600; // 2026-01-01
  const commit = (message, ops) => {
    time += 3600;
    chunks.push(
      `commit refs/heads/main\ncommitter Bench <bench@example.com> ${time} +0000\n${data(message)}${ops.join('')}`,
    );
  };
  commit(
    'generated project',
    files.map((f) => `M 100644 inline ${f}\n${data(content.get(f))}`),
  );
  let changesOfFollowed = 0;
  for (let i = 1; i < COMMITS; i++) {
    if (i % 10 === 0) {
      changesOfFollowed++;
      if (changesOfFollowed === 30) {
        // Renamed: same content under another name.
        const to = followed.replace(/SRS-\d+\.md$/, 'renamed.md');
        commit(`rename ${id}`, [`D ${followed}\n`, `M 100644 inline ${to}\n${data(content.get(followed))}`]);
        content.set(to, content.get(followed));
        content.delete(followed);
        followed = to;
        continue;
      }
      const text = `${content.get(followed).trimEnd()} Revision ${i}.\n`;
      content.set(followed, text);
      commit(`change ${id} (${i})`, [`M 100644 inline ${followed}\n${data(text)}`]);
      continue;
    }
    const file = requirements[1 + (i % (requirements.length - 1))];
    const text = `${content.get(file).trimEnd()} Revision ${i}.\n`;
    content.set(file, text);
    commit(`change ${path.basename(file)} (${i})`, [`M 100644 inline ${file}\n${data(text)}`]);
  }
  git(root, ['init', '-q', '-b', 'main']);
  git(root, ['fast-import', '--quiet'], chunks.join(''));
  git(root, ['reset', '-q', '--hard', 'main']);
  const commits = Number(git(root, ['rev-list', '--count', 'HEAD']).trim());
  return { id, commits, changes: changesOfFollowed + 1 };
}

const argv = [CLI, 'history', plan.id, '-C', dir, '--format', 'json'];
const { wall, peak, cpu, report } = await timeJsonCommand(argv, RUNS, 'dossier history');
// The same work in process, without Node's start-up and the CLI's module loading (a third of a
// second on a loaded machine, the same for every command).
const { loadConfig } = await import('../dist/load/config-load.js');
const { recordHistory } = await import('../dist/history/record-history.js');
const inProcess = [];
for (let i = 0; i < RUNS; i++) {
  const start = performance.now();
  recordHistory(dir, loadConfig(dir).config, plan.id);
  inProcess.push((performance.now() - start) / 1000);
}
const moves = report.entries.filter((e) => e.event === 'moved').length;
const correct = plan.commits === COMMITS && report.entries.length === plan.changes && moves === 1;
console.log(
  `\ndossier history ${plan.id} in a repository of ${plan.commits.toLocaleString('en-US')} commits, ${RUNS} runs${procAvailable ? '' : ' (no /proc: peak n/a)'}`,
);
console.log(
  `median ${median(wall).toFixed(2)} s, min ${Math.min(...wall).toFixed(2)} s, peak ${peak.length ? `${Math.max(...peak).toFixed(0)} MB` : 'n/a'}`,
);
if (cpu.length > 0) console.log(`CPU time (user + system, git included): median ${median(cpu).toFixed(2)} s`);
console.log(`in process (git log, blobs, parsing, report data): median ${median(inProcess).toFixed(2)} s`);
console.log(
  `${correct ? 'PASS' : 'MISS'}  ${report.entries.length} entries (${plan.changes} expected: created, changed, one rename)`,
);
console.log(`${median(wall) < TARGET_S ? 'PASS' : 'MISS'}  dossier history under ${TARGET_S} s`);
if (!correct || median(wall) >= TARGET_S) process.exitCode = 1;
