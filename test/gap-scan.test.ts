import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { CLAUSES } from '../src/gap/catalog.js';
import { GAP_SCAN_FORMATS, renderGapScan } from '../src/gap/render.js';
import { type GapScanResult, gapScan } from '../src/gap/scan.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { IEC_62304_ED1_1 } from '../src/safety/class-scheme.js';
import { copyDir, EXAMPLE, REPO, runCli, writeProject } from './helpers.js';

const RECOVERY = path.join(REPO, 'examples/recovery');
const TODAY = { DOSSIER_TODAY: '2026-12-01' };

function scanOf(dir: string): GapScanResult {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error(`config failed: ${JSON.stringify(loaded.findings)}`);
  return gapScan(analyze(loaded.project, { today: TODAY.DOSSIER_TODAY }));
}

const statusMap = (scan: GapScanResult) => new Map(scan.clauses.map((c) => [c.clause, c.status]));

/** The table "What was left out" of examples/recovery/README.md: clauses per status column. */
function readmeGaps(): { noEvidence: Set<string>; partial: Set<string> } {
  const text = fs.readFileSync(path.join(RECOVERY, 'README.md'), 'utf8');
  const section = text.slice(text.indexOf('## What was left out'), text.indexOf('## Where to start'));
  const rows = section.split('\n').filter((l) => l.startsWith('| **'));
  expect(rows.length).toBeGreaterThan(5);
  const clausesIn = (cell: string) => cell.match(/\b\d+\.\d+(?:\.\d+)*\b/g) ?? [];
  const noEvidence = new Set<string>();
  const partial = new Set<string>();
  for (const row of rows) {
    const cells = row.split('|').map((c) => c.trim());
    for (const c of clausesIn(cells[2]!)) noEvidence.add(c);
    for (const c of clausesIn(cells[3]!)) partial.add(c);
  }
  return { noEvidence, partial };
}

describe('dossier gap-scan on examples/recovery', () => {
  it('lists every clause 4.1-9.8 with its applicability and a status, and exits 1 while clauses have no evidence', () => {
    const r = runCli(['gap-scan', RECOVERY, '--format', 'json'], REPO, TODAY);
    expect(r.code, r.stderr).toBe(1);
    const report = JSON.parse(r.stdout);
    const ids = IEC_62304_ED1_1.applicability.map((row) => row.clause);
    expect(report.clauses.map((c: { clause: string }) => c.clause)).toEqual(ids);
    expect(ids[0]).toBe('4.1');
    expect(ids[ids.length - 1]).toBe('9.8');
    expect(report.classes).toEqual(['B']);
    for (const c of report.clauses) {
      expect(['evidence-found', 'partial', 'no-evidence', 'not-applicable']).toContain(c.status);
      expect(c.applies).toBe(c.status !== 'not-applicable');
      if (c.status === 'no-evidence' || c.status === 'partial') {
        expect(c.missing.length, c.clause).toBeGreaterThan(0);
        expect(c.hint.length, c.clause).toBeGreaterThan(20);
      }
    }
    // Class C only clauses do not apply to a class B project; deleted clauses never do.
    const byId = new Map(report.clauses.map((c: { clause: string }) => [c.clause, c]));
    expect(byId.get('5.4.2')).toMatchObject({ applies: false, appliesAt: ['C'] });
    expect(byId.get('7.1.5')).toMatchObject({
      applies: false,
      notApplicableBecause: 'deleted by Amendment 1',
    });
    expect(byId.get('4.4')).toMatchObject({ applies: false });
    expect(report.summary.failing).toBeGreaterThan(0);
    expect(report.gaps[0]).toBe('4.1');
  });

  it('finds exactly the gaps its README says were left out', () => {
    const scan = scanOf(RECOVERY);
    const { noEvidence, partial } = readmeGaps();
    const actual = (status: string) =>
      new Set(scan.clauses.filter((c) => c.status === status).map((c) => c.clause));
    expect([...actual('no-evidence')].sort()).toEqual([...noEvidence].sort());
    expect([...actual('partial')].sort()).toEqual([...partial].sort());
  });

  it('adding the missing evidence of one clause to a copy turns that clause to evidence-found and changes nothing else', () => {
    const before = statusMap(scanOf(RECOVERY));
    const cases: { clause: string; change: (dir: string) => void }[] = [
      {
        clause: '4.1',
        change: (dir) =>
          fs.writeFileSync(
            path.join(dir, 'records/ATT-001.md'),
            `---
id: ATT-001
title: ISO 13485 certificate
status: approved
clauses: ["4.1"]
reference: ISO 13485:2016 certificate MD 612345, Notified Body 0123, scope design and manufacture of TENS stimulators
attestedBy: R. Patel, quality manager
date: 2026-11-20
validUntil: 2028-06-30
---
Northbrook Medical operates a quality management system certified to ISO 13485:2016.
`,
          ),
      },
      {
        clause: '5.2.1',
        change: (dir) => {
          const file = path.join(dir, 'records/software/software-requirements.yaml');
          const text = fs.readFileSync(file, 'utf8');
          fs.writeFileSync(
            file,
            text.replace(
              '    category: data\n',
              '    category: data\n    source: Customer complaint trend CT-2024-07 (usage history requested by clinicians)\n',
            ),
          );
        },
      },
      {
        clause: '5.8.5',
        change: (dir) => {
          const file = path.join(dir, 'records/releases/REL-001.md');
          fs.writeFileSync(
            file,
            fs
              .readFileSync(file, 'utf8')
              .replace(
                'date: 2025-11-03\n',
                'date: 2025-11-03\nbuildProcedure: make release on the build server, from tag v2.1.0\nbuildEnvironment: GNU Arm Embedded 10.3-2021.10, nRF5 SDK build scripts, make 4.3\n',
              ),
          );
        },
      },
      {
        clause: '8.1.3',
        change: (dir) => {
          const file = path.join(dir, 'records/releases/REL-001.md');
          fs.writeFileSync(
            file,
            fs
              .readFileSync(file, 'utf8')
              .replace(
                'date: 2025-11-03\n',
                `date: 2025-11-03\nconfiguration:\n  commit: ${'a'.repeat(40)}\n  tag: v2.1.0\n  soup: [{ id: SOUP-002, version: "10.4.3" }]\n  items: [{ id: SI-001, version: 2.1.0 }]\n`,
              ),
          );
        },
      },
    ];
    for (const { clause, change } of cases) {
      expect(before.get(clause), clause).not.toBe('evidence-found');
      const copy = copyDir(RECOVERY);
      change(copy);
      const after = statusMap(scanOf(copy));
      expect(after.get(clause), clause).toBe('evidence-found');
      for (const [id, status] of before)
        if (id !== clause) expect(after.get(id), `${clause} changed ${id}`).toBe(status);
    }
  });

  it('accepts a known gap with --allow CLAUSE=reason and shows the reason; exit 0 once every gap is accepted', () => {
    const scan = scanOf(RECOVERY);
    const failing = scan.clauses.filter((c) => c.applies && c.status === 'no-evidence').map((c) => c.clause);
    const some = runCli(['gap-scan', RECOVERY, '--allow', '4.1=certificate audit in January'], REPO, TODAY);
    expect(some.code).toBe(1);
    expect(some.stdout).toContain('accepted: certificate audit in January');
    const all = runCli(
      [
        'gap-scan',
        RECOVERY,
        '--format',
        'json',
        ...failing.flatMap((c) => ['--allow', `${c}=recovery plan RP-1`]),
      ],
      REPO,
      TODAY,
    );
    expect(all.code, all.stdout.slice(0, 300)).toBe(0);
    const report = JSON.parse(all.stdout);
    expect(report.summary.failing).toBe(0);
    expect(report.allowed).toHaveLength(failing.length);
    expect(report.clauses.find((c: { clause: string }) => c.clause === '4.1')).toMatchObject({
      status: 'no-evidence',
      allowed: 'recovery plan RP-1',
    });
    expect(runCli(['gap-scan', RECOVERY, '--allow', '4.1'], REPO, TODAY).code).toBe(2);
    const unknown = runCli(['gap-scan', RECOVERY, '--allow', '5.9.9=no such clause'], REPO, TODAY);
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toMatch(/5\.9\.9: not an IEC 62304 clause/);
  });

  it('the text summary counts by process, says the percentage is for information only, and lists the gaps most blocking first', () => {
    const r = runCli(['gap-scan', RECOVERY], REPO, TODAY);
    expect(r.stdout).toMatch(
      /^Process\s+Applicable\s+Evidence found\s+Partial\s+No evidence\s+Not applicable\s+Found/m,
    );
    expect(r.stdout).toMatch(/^Planning\s+11\s+0\s+1\s+10\s+1\s+0 %/m);
    expect(r.stdout).toContain('for information only');
    const gaps = r.stdout.slice(r.stdout.indexOf('Gaps, what blocks'));
    // no-evidence before partial; within no-evidence, general before planning
    expect(gaps.indexOf('✖ 4.1 ')).toBeLessThan(gaps.indexOf('✖ 5.1.1 '));
    expect(gaps.indexOf('✖ 9.7 ')).toBeLessThan(gaps.indexOf('◐ 4.2 '));
  });
});

describe('gap scan on other projects', () => {
  it('a project with no records completes the scan and reports everything missing', () => {
    const dir = writeProject(
      {
        'dossier.yaml': `device: { name: Empty, manufacturer: Nobody }
software: { system: SI-001, safetyClass: C }
`,
      },
      false,
    );
    const scan = scanOf(dir);
    expect(scan.classes).toEqual(['C']);
    expect(scan.version).toBeUndefined();
    for (const c of scan.clauses) {
      expect(c.status, c.clause).toBe(c.applies ? 'no-evidence' : 'not-applicable');
      if (c.applies) expect(c.missing.length, c.clause).toBeGreaterThan(0);
    }
    for (const o of [...scan.fda.elements, ...scan.cybersecurity.items, ...scan.designControls.items]) {
      expect(['no-evidence', 'not-applicable'], o.key).toContain(o.status);
    }
    const r = runCli(['gap-scan', dir, '--format', 'json']);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout).version).toBeNull();
  });

  it('an incomplete project (a record file that does not load) is refused with exit 2', () => {
    const dir = writeProject({ 'records/broken.md': '---\nid: SRS-001\ntitle: [unclosed\n---\nText\n' });
    const r = runCli(['gap-scan', dir]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/scan for gaps/);
  });

  const starterHasPlans = Object.values(
    starterFiles({ name: 'x', manufacturer: 'y', safetyClass: 'B' }),
  ).some((content) => /^planType:/m.test(content));

  it.skipIf(!starterHasPlans)(
    'dossier init --class B, then gap-scan: the starter plans are found but draft, not missing (needs the starter plans of part P)',
    () => {
      const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-gap-init-'));
      expect(runCli(['init', dir, '--class', 'B']).code).toBe(0);
      const report = JSON.parse(runCli(['gap-scan', dir, '--format', 'json']).stdout);
      const byId = new Map(report.clauses.map((c: { clause: string }) => [c.clause, c]));
      for (const clause of ['5.1.1', '5.1.6', '5.1.9', '6.1']) {
        const c = byId.get(clause) as { status: string; missing: string[]; evidence: { id?: string }[] };
        expect(c.status, clause).toBe('partial');
        expect(
          c.evidence.some((e) => e.id?.startsWith('PLAN-')),
          clause,
        ).toBe(true);
        expect(c.missing.join('\n'), clause).toMatch(/is draft: review and tailor it, then approve it/);
      }
    },
  );

  it('the infusion pump: its remaining gaps are those the README and the report list', () => {
    const scan = scanOf(EXAMPLE);
    expect(scan.classes).toEqual(['B', 'C']);
    expect(scan.version?.version).toBe('1.1.0');
    // Clauses its records fully evidence today, whatever other work adds.
    const status = statusMap(scan);
    for (const clause of [
      '4.3',
      '5.2.1',
      '5.3.1',
      '5.5.4',
      '5.6.3',
      '5.7.4',
      '5.8.4',
      '7.1.1',
      '7.3.3',
      '8.1.2',
    ]) {
      expect(status.get(clause), clause).toBe('evidence-found');
    }
  });
});

describe('outputs', () => {
  it('--format json validates against schemas/gap-scan-report.schema.json', () => {
    const r = runCli(['gap-scan', RECOVERY, '--format', 'json'], REPO, TODAY);
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(jsonSchemas()['gap-scan-report.schema.json'] as object);
    const report = JSON.parse(r.stdout);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.schemaVersion).toBe(1);
    expect(report.fda.elements.map((e: { key: string }) => e.key)).toEqual([
      'A',
      'B',
      'C',
      'D',
      'E',
      'F',
      'G',
      'H',
      'I',
      'J',
    ]);
    expect(report.cybersecurity).toMatchObject({ applies: true });
    expect(report.designControls.items.map((e: { key: string }) => e.key)).toContain('7.3.10');
    const evidence = report.clauses.flatMap((c: { evidence: { file?: string }[] }) => c.evidence);
    expect(evidence.some((e: { file?: string }) => e.file?.startsWith('examples/recovery/records/'))).toBe(
      true,
    );
  });

  it('markdown and html escape record text, and every format is deterministic', () => {
    const dir = copyDir(RECOVERY);
    const file = path.join(dir, 'records/releases/REL-001.md');
    // A hostile device name and record title must not become markup.
    fs.writeFileSync(
      path.join(dir, 'dossier.yaml'),
      fs
        .readFileSync(path.join(dir, 'dossier.yaml'), 'utf8')
        .replace('ReliefPulse TP-3 TENS Stimulator', '"<script>alert(1)</script> | x"'),
    );
    fs.writeFileSync(
      file,
      fs
        .readFileSync(file, 'utf8')
        .replace('title: TP-3 firmware 2.1.0', 'title: "<img src=x onerror=alert(1)>"'),
    );
    for (const format of GAP_SCAN_FORMATS) {
      const a = renderGapScan(scanOf(dir), format, { displayRoot: 'p' });
      const b = renderGapScan(scanOf(dir), format, { displayRoot: 'p' });
      expect(a, format).toBe(b);
      if (format === 'markdown' || format === 'html' || format === 'svg') {
        expect(a, format).not.toContain('<script>');
        expect(a, format).not.toContain('<img');
        expect(a, format).toContain('&lt;script&gt;');
      }
    }
    const html = runCli(['gap-scan', dir, '--format', 'html'], REPO, TODAY).stdout;
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain('<script>');
  });

  it('dossier build writes the gap scan (json, markdown with the heat map beside it, html, svg)', () => {
    const dir = copyDir(RECOVERY);
    const out = path.join(dir, 'out');
    const r = runCli(['build', dir, '--out', out, '--format', 'json'], REPO, {
      ...TODAY,
      SOURCE_DATE_EPOCH: '1790000000',
    });
    const summary = JSON.parse(r.stdout);
    expect(summary.stages.map((s: { stage: string }) => s.stage)).toContain('gap-scan');
    for (const f of ['gap-scan.json', 'gap-scan.md', 'gap-scan.html', 'heat-map.svg'])
      expect(fs.existsSync(path.join(out, 'gap-scan', f)), f).toBe(true);
    expect(fs.readFileSync(path.join(out, 'gap-scan/gap-scan.md'), 'utf8')).toContain(
      '![Clause-by-process heat map](heat-map.svg)',
    );
    const json = JSON.parse(fs.readFileSync(path.join(out, 'gap-scan/gap-scan.json'), 'utf8'));
    const cli = JSON.parse(runCli(['gap-scan', dir, '--format', 'json'], REPO, TODAY).stdout);
    expect(json.clauses.map((c: { status: string }) => c.status)).toEqual(
      cli.clauses.map((c: { status: string }) => c.status),
    );
  });
});

describe('the catalog', () => {
  const DOMAIN = path.resolve(REPO, '../shared/reference/iec62304-domain.md');
  const available = fs.existsSync(DOMAIN);
  if (!available)
    console.warn(`skipped: ${DOMAIN} is absent, so the catalog is not compared with the domain table`);

  it.skipIf(!available)(
    'applicability equals the Table A.1 of the domain reference (section 1.2) for every clause and class',
    () => {
      const text = fs.readFileSync(DOMAIN, 'utf8');
      const table = text.slice(text.indexOf('### 1.2'), text.indexOf('Compact view'));
      const rows = new Map<string, string[]>();
      for (const line of table.split('\n')) {
        const cells = line.split('|').map((c) => c.trim());
        if (!/^\d+(\.\d+)+$/.test(cells[1] ?? '')) continue;
        const classes = ['A', 'B', 'C'].filter((_, i) => cells[3 + i] === '●');
        rows.set(cells[1]!, classes);
      }
      expect(rows.size).toBe(CLAUSES.length);
      for (const entry of CLAUSES) {
        expect(rows.has(entry.clause), entry.clause).toBe(true);
        expect([...entry.row.classes], entry.clause).toEqual(rows.get(entry.clause));
      }
    },
  );

  it('joins every clause of the applicability table once, each applicable one with an evaluator and a hint', () => {
    expect(CLAUSES.map((c) => c.clause)).toEqual(IEC_62304_ED1_1.applicability.map((r) => r.clause));
    for (const c of CLAUSES) {
      if (!c.row.deleted) expect(c.evaluators.length, c.clause).toBeGreaterThan(0);
      expect(c.hint.length, c.clause).toBeGreaterThan(20);
    }
    const raw = fs.readFileSync(path.join(REPO, 'data/iec62304-gap-catalog.json'), 'utf8');
    expect(raw).not.toMatch(/"classes"/); // classes come from the applicability table, never repeated
  });
});
