#!/usr/bin/env node
// Benchmark of ReqIF import and export (issue 15 targets):
//   - reading a 10,000-object ReqIF file (XHTML text with lists and tables, enumerations,
//     a 3-level specification, 10,000 relations): < 10 s and < 1 GB peak RSS;
//   - writing 10,000 ExportRecords as ReqIF: < 10 s.
//
//   node bench/interop-reqif.mjs [--objects 10000] [--keep]   (--keep leaves the generated file)
//
// Build first (`npm run build`, or `npx tsc -p tsconfig.build.json`). Each measurement runs in a
// fresh child process so that its peak RSS is its own. Prints the figures and PASS/MISS; exits 1
// on a miss.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const BENCH = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.dirname(BENCH);
const args = process.argv.slice(2);
const option = (name, fallback) => {
  const i = args.indexOf(name);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const OBJECTS = option('--objects', 10000);
const TARGET_SECONDS = 10;
const TARGET_RSS_MB = 1024;

const STAMP = '2026-01-01T00:00:00Z';

/** A ReqIF file in the shape DOORS and Polarion write, with OBJECTS requirements under headings. */
function reqifFile(objects) {
  const out = [];
  const push = (line) => out.push(line);
  push('<?xml version="1.0" encoding="UTF-8"?>');
  push(
    '<REQ-IF xmlns="http://www.omg.org/spec/ReqIF/20110401/reqif.xsd" xmlns:xhtml="http://www.w3.org/1999/xhtml">',
  );
  push(
    `<THE-HEADER><REQ-IF-HEADER IDENTIFIER="h"><CREATION-TIME>${STAMP}</CREATION-TIME><REQ-IF-TOOL-ID>bench</REQ-IF-TOOL-ID><REQ-IF-VERSION>1.0</REQ-IF-VERSION><SOURCE-TOOL-ID>bench</SOURCE-TOOL-ID><TITLE>bench</TITLE></REQ-IF-HEADER></THE-HEADER>`,
  );
  push('<CORE-CONTENT><REQ-IF-CONTENT><DATATYPES>');
  push(`<DATATYPE-DEFINITION-STRING IDENTIFIER="dt-s" LAST-CHANGE="${STAMP}" MAX-LENGTH="1000"/>`);
  push(`<DATATYPE-DEFINITION-XHTML IDENTIFIER="dt-x" LAST-CHANGE="${STAMP}"/>`);
  push(`<DATATYPE-DEFINITION-ENUMERATION IDENTIFIER="dt-e" LAST-CHANGE="${STAMP}"><SPECIFIED-VALUES>`);
  for (const v of ['Draft', 'Reviewed', 'Approved'])
    push(
      `<ENUM-VALUE IDENTIFIER="ev-${v}" LAST-CHANGE="${STAMP}" LONG-NAME="${v}"><PROPERTIES><EMBEDDED-VALUE KEY="1" OTHER-CONTENT="${v}"/></PROPERTIES></ENUM-VALUE>`,
    );
  push('</SPECIFIED-VALUES></DATATYPE-DEFINITION-ENUMERATION></DATATYPES><SPEC-TYPES>');
  push(`<SPEC-OBJECT-TYPE IDENTIFIER="t" LAST-CHANGE="${STAMP}" LONG-NAME="Requirement"><SPEC-ATTRIBUTES>`);
  const def = (id, kind, name, extra = '') =>
    push(
      `<ATTRIBUTE-DEFINITION-${kind} IDENTIFIER="${id}" LAST-CHANGE="${STAMP}" LONG-NAME="${name}"${extra}><TYPE><DATATYPE-DEFINITION-${kind}-REF>dt-${kind === 'STRING' ? 's' : kind === 'XHTML' ? 'x' : 'e'}</DATATYPE-DEFINITION-${kind}-REF></TYPE></ATTRIBUTE-DEFINITION-${kind}>`,
    );
  def('a-id', 'STRING', 'ReqIF.ForeignID');
  def('a-name', 'STRING', 'ReqIF.Name');
  def('a-chapter', 'STRING', 'ReqIF.ChapterName');
  def('a-text', 'XHTML', 'ReqIF.Text');
  def('a-status', 'ENUMERATION', 'Status', ' MULTI-VALUED="false"');
  push('</SPEC-ATTRIBUTES></SPEC-OBJECT-TYPE>');
  push(`<SPEC-RELATION-TYPE IDENTIFIER="rt" LAST-CHANGE="${STAMP}" LONG-NAME="satisfies"/>`);
  push(`<SPECIFICATION-TYPE IDENTIFIER="st" LAST-CHANGE="${STAMP}" LONG-NAME="Module"/>`);
  push('</SPEC-TYPES><SPEC-OBJECTS>');
  const value = (kind, ref, body) =>
    `<ATTRIBUTE-VALUE-${kind}${body.attr ?? ''}><DEFINITION><ATTRIBUTE-DEFINITION-${kind}-REF>${ref}</ATTRIBUTE-DEFINITION-${kind}-REF></DEFINITION>${body.inner ?? ''}</ATTRIBUTE-VALUE-${kind}>`;
  for (let n = 0; n < objects; n++) {
    const heading = n % 50 === 0;
    push(
      `<SPEC-OBJECT IDENTIFIER="o${n}" LAST-CHANGE="${STAMP}"><TYPE><SPEC-OBJECT-TYPE-REF>t</SPEC-OBJECT-TYPE-REF></TYPE><VALUES>`,
    );
    push(value('STRING', 'a-id', { attr: ` THE-VALUE="REQ-${n}"` }));
    if (heading) push(value('STRING', 'a-chapter', { attr: ` THE-VALUE="Chapter ${n / 50}"` }));
    else {
      push(value('STRING', 'a-name', { attr: ` THE-VALUE="Requirement ${n}"` }));
      push(
        value('XHTML', 'a-text', {
          inner: `<THE-VALUE><xhtml:div><xhtml:p>The system <xhtml:b>shall</xhtml:b> do thing ${n} within <xhtml:i>5 ms</xhtml:i>:</xhtml:p><xhtml:ul><xhtml:li>case A<xhtml:ul><xhtml:li>sub-case</xhtml:li></xhtml:ul></xhtml:li><xhtml:li>case B</xhtml:li></xhtml:ul><xhtml:table><xhtml:tr><xhtml:th>Input</xhtml:th><xhtml:th>Output</xhtml:th></xhtml:tr><xhtml:tr><xhtml:td>${n}</xhtml:td><xhtml:td>${n * 2}</xhtml:td></xhtml:tr></xhtml:table></xhtml:div></THE-VALUE>`,
        }),
      );
      push(
        value('ENUMERATION', 'a-status', {
          inner: `<VALUES><ENUM-VALUE-REF>ev-${['Draft', 'Reviewed', 'Approved'][n % 3]}</ENUM-VALUE-REF></VALUES>`,
        }),
      );
    }
    push('</VALUES></SPEC-OBJECT>');
  }
  push('</SPEC-OBJECTS><SPEC-RELATIONS>');
  for (let n = 1; n < objects; n++)
    push(
      `<SPEC-RELATION IDENTIFIER="r${n}" LAST-CHANGE="${STAMP}"><SOURCE><SPEC-OBJECT-REF>o${n}</SPEC-OBJECT-REF></SOURCE><TARGET><SPEC-OBJECT-REF>o${(n * 7) % n}</SPEC-OBJECT-REF></TARGET><TYPE><SPEC-RELATION-TYPE-REF>rt</SPEC-RELATION-TYPE-REF></TYPE></SPEC-RELATION>`,
    );
  push(
    `</SPEC-RELATIONS><SPECIFICATIONS><SPECIFICATION IDENTIFIER="s" LAST-CHANGE="${STAMP}" LONG-NAME="Bench"><TYPE><SPECIFICATION-TYPE-REF>st</SPECIFICATION-TYPE-REF></TYPE><CHILDREN>`,
  );
  for (let n = 0; n < objects; n += 50) {
    push(
      `<SPEC-HIERARCHY IDENTIFIER="h${n}" LAST-CHANGE="${STAMP}"><OBJECT><SPEC-OBJECT-REF>o${n}</SPEC-OBJECT-REF></OBJECT><CHILDREN>`,
    );
    for (let m = n + 1; m < Math.min(n + 50, objects); m++)
      push(
        `<SPEC-HIERARCHY IDENTIFIER="h${m}" LAST-CHANGE="${STAMP}"><OBJECT><SPEC-OBJECT-REF>o${m}</SPEC-OBJECT-REF></OBJECT></SPEC-HIERARCHY>`,
      );
    push('</CHILDREN></SPEC-HIERARCHY>');
  }
  push('</CHILDREN></SPECIFICATION></SPECIFICATIONS></REQ-IF-CONTENT></CORE-CONTENT></REQ-IF>');
  return `${out.join('\n')}\n`;
}

// Child mode: one measurement, printed as JSON.
if (args[0] === '--child-read' || args[0] === '--child-write') {
  const started = performance.now();
  let summary;
  if (args[0] === '--child-read') {
    const { readReqif } = await import('../dist/interop/reqif/read.js');
    const batch = await readReqif([args[1]]);
    summary = {
      objects: batch.objects.length,
      relations: batch.relations.length,
      issues: batch.issues.length,
    };
  } else {
    const { writeReqif } = await import('../dist/interop/reqif/write.js');
    const records = Array.from({ length: Number(args[1]) }, (_, n) => ({
      id: `SRS-${n}`,
      kind: n % 2 ? 'software-requirement' : 'system-requirement',
      title: `Requirement ${n}`,
      status: 'approved',
      text: `The system **shall** do thing ${n}:\n\n- case A\n  - sub-case\n- case B\n\n| In | Out |\n| --- | --- |\n| ${n} | ${n * 2} |`,
      fields: { safety_class: 'B', tags: ['a', 'b'] },
      links: { derives_from: n > 0 ? [`SRS-${n - 1}`] : [] },
    }));
    const xml = writeReqif(records, { creationTime: STAMP });
    summary = { bytes: Buffer.byteLength(xml) };
  }
  const seconds = (performance.now() - started) / 1000;
  process.stdout.write(
    JSON.stringify({ seconds, peakRssMb: process.resourceUsage().maxRSS / 1024, ...summary }),
  );
  process.exit(0);
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-bench-reqif-'));
const file = path.join(dir, 'bench.reqif');
fs.writeFileSync(file, reqifFile(OBJECTS));
const size = fs.statSync(file).size;

const child = (...childArgs) => {
  const run = spawnSync(process.execPath, [fileURLToPath(import.meta.url), ...childArgs], {
    encoding: 'utf8',
    cwd: ROOT,
  });
  if (run.status !== 0) throw new Error(run.stderr);
  return JSON.parse(run.stdout);
};
const read = child('--child-read', file);
const write = child('--child-write', String(OBJECTS));
if (args.includes('--keep')) console.log(`generated file kept: ${file}`);
else fs.rmSync(dir, { recursive: true, force: true });

const readPass = read.seconds < TARGET_SECONDS && read.peakRssMb < TARGET_RSS_MB;
const writePass = write.seconds < TARGET_SECONDS;
console.log(
  `ReqIF import of ${read.objects} objects, ${read.relations} relations (${(size / 1e6).toFixed(1)} MB): ${read.seconds.toFixed(2)} s, peak RSS ${read.peakRssMb.toFixed(0)} MB (target < ${TARGET_SECONDS} s, < ${TARGET_RSS_MB} MB): ${readPass ? 'PASS' : 'MISS'}`,
);
console.log(
  `ReqIF export of ${OBJECTS} records (${(write.bytes / 1e6).toFixed(1)} MB): ${write.seconds.toFixed(2)} s, peak RSS ${write.peakRssMb.toFixed(0)} MB (target < ${TARGET_SECONDS} s): ${writePass ? 'PASS' : 'MISS'}`,
);
process.exit(readPass && writePass ? 0 : 1);
