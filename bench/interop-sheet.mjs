#!/usr/bin/env node
// Benchmark of the spreadsheet interop (issue 15 targets):
//   - writing 10,000 records to XLSX (reported; no target given);
//   - importing a 10,000-row XLSX: < 10 s with a peak below 1 GB.
//
//   node bench/interop-sheet.mjs [--rows 10000]
//
// Build first (`npm run build`). Each phase runs in a child process of its own, so its peak memory
// (`maxRSS` of process.resourceUsage) is that phase's alone. Prints a table and PASS/MISS; exits 1
// on a miss.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : fallback;
};
const ROWS = Number(option('--rows', '10000'));
const SELF = fileURLToPath(import.meta.url);

/** Deterministic records: one kind, each with a multi-line text, two links and five fields. */
function records(n) {
  return Array.from({ length: n }, (_, i) => ({
    id: `SR-${String(i + 1).padStart(5, '0')}`,
    kind: 'software-requirement',
    title: `Requirement ${i + 1}: the pump shall limit the bolus dose (${i % 7} mL)`,
    status: i % 3 === 0 ? 'approved' : 'draft',
    text: `The pump shall refuse a bolus above the configured limit.\nCase ${i}: ${'lorem ipsum '.repeat(20)}`,
    fields: {
      safety: i % 2 === 0,
      dose: (i % 50) / 10,
      owner: `person-${i % 17}`,
      tags: ['a', 'b'],
      note: i % 5 === 0 ? '=1+1' : '',
    },
    links: { implements: [`SYS-${(i % 100) + 1}`, `SYS-${(i % 37) + 1}`] },
  }));
}

async function phase(name, file) {
  const started = process.hrtime.bigint();
  let detail;
  if (name === 'write') {
    const { writeXlsx } = await import('../dist/interop/sheet/write-xlsx.js');
    const bytes = await writeXlsx(records(ROWS), { created: '2026-01-01T00:00:00Z' });
    fs.writeFileSync(file, bytes);
    detail = `${(bytes.length / 1024 / 1024).toFixed(1)} MB file`;
  } else {
    const { readSheet } = await import('../dist/interop/sheet/read.js');
    const batch = await readSheet([file], {
      id: 'id',
      title: 'title',
      text: 'text',
      links: { implements: 'implements' },
      provenance: { status: 'status' },
      sheets: ['software-requirement'],
    });
    detail = `${batch.objects.length} objects, ${batch.relations.length} relations`;
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  const peakMb = process.resourceUsage().maxRSS / 1024;
  process.stdout.write(JSON.stringify({ seconds, peakMb, detail }));
}

if (args[0] === '--phase') {
  await phase(args[1], args[2]);
} else {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-sheet-')), 'records.xlsx');
  const run = (name) => {
    const child = spawnSync(process.execPath, [SELF, '--phase', name, file, '--rows', String(ROWS)], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(child.stderr);
    return JSON.parse(child.stdout);
  };
  const write = run('write');
  const read = run('read');
  const ok = read.seconds < 10 && read.peakMb < 1024;
  console.log(`| phase | rows | seconds | peak MB | result |`);
  console.log(
    `| write XLSX | ${ROWS} | ${write.seconds.toFixed(2)} | ${write.peakMb.toFixed(0)} | ${write.detail} |`,
  );
  console.log(
    `| read XLSX | ${ROWS} | ${read.seconds.toFixed(2)} | ${read.peakMb.toFixed(0)} | ${read.detail} |`,
  );
  console.log(ok ? 'PASS: import under 10 s and 1 GB' : 'MISS: import over 10 s or 1 GB');
  fs.rmSync(path.dirname(file), { recursive: true, force: true });
  process.exit(ok ? 0 : 1);
}
