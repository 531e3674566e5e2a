/**
 * `dossier security import-findings` (issue 16): a security test run's findings (generic CSV/JSON,
 * SARIF) merged into a security-test record: new ones open, known ones updated in their tool fields
 * only, vanished ones reported and kept; in place, comments kept, all or nothing.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { FindingsInputError, readRunFindings } from '../src/security/findings-input.js';
import { CONFIG, check, runCli, starterProject, withCyberDevice } from './helpers.js';

const CAMPAIGN = `---
id: ST-001
title: Penetration test of 1.0
status: draft
testType: penetration
tester: { name: Acme Security, independent: true }
findings:
  # as numbered in the tester's report, section 4
  - id: F-1
    title: Old title
    severity: high
    disposition: resolved   # fixed in 1.0.1
    resolution: Input length validated before copying.
  - id: F-9
    title: Finding of the last run
    disposition: accepted
    resolution: Not reachable from any interface.
---
The campaign.
`;

const RUN_CSV = `\ufeffTitle,ID,Severity,CWE,Location,Description
"Stack overflow, in the parser",F-1,critical,787,src/parser.c:10,"Long input
overflows the buffer"
Session cookie without Secure,F-2,low,CWE-614,/api/login,
`;

function project(campaign = CAMPAIGN, files: Record<string, string> = {}) {
  const dir = starterProject({
    'dossier.yaml': withCyberDevice(CONFIG, false),
    'records/security/ST-001.md': campaign,
    ...files,
  });
  const file = path.join(dir, 'records/security/ST-001.md');
  return { dir, file, read: () => fs.readFileSync(file, 'utf8') };
}

const importFindings = (dir: string, input: string, ...args: string[]) =>
  runCli(['security', 'import-findings', path.join(dir, input), dir, '--test', 'ST-001', ...args]);

describe('dossier security import-findings', () => {
  it('appends new findings open, updates tool fields of known ones, keeps dispositions, comments and vanished ones', () => {
    const p = project(CAMPAIGN, { 'run.csv': RUN_CSV });
    const r = importFindings(p.dir, 'run.csv');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain(
      '2 finding(s) in this csv run: 1 new, 1 updated, 0 unchanged, 1 not in this run',
    );
    expect(r.stdout).toMatch(
      /not in this run {2}F-9: Finding of the last run \(disposition accepted; kept, not removed\)/,
    );
    const text = p.read();
    // Comments, the inline tester map and the body are as they were.
    expect(text).toContain("  # as numbered in the tester's report, section 4\n");
    expect(text).toContain('    disposition: resolved   # fixed in 1.0.1\n');
    expect(text).toContain('tester: { name: Acme Security, independent: true }\n');
    expect(text).toMatch(/---\nThe campaign\.\n$/);

    const findings = check(p.dir).filter((d) => d.recordId === 'ST-001');
    // The updated finding kept people's disposition and text: only F-2 is open.
    expect(findings.map((d) => [d.code, d.message])).toEqual([
      ['security/finding-open', 'ST-001 finding F-2 (Session cookie without Secure) is open'],
    ]);
    const lines = text.split('\n');
    expect(findings[0]!.line).toBe(lines.findIndex((l) => l.includes('disposition: open')) + 1);
    expect(text).toContain('    title: Stack overflow, in the parser\n    severity: critical\n');
    expect(text).toContain('    resolution: Input length validated before copying.\n');
    expect(text).toContain('    cwe: CWE-787\n');
    expect(text).toContain('    location: src/parser.c:10\n');
    // Nothing is deleted: the finding the run no longer reports is still there.
    expect(text).toContain('  - id: F-9\n    title: Finding of the last run\n    disposition: accepted\n');
    expect(text).toMatch(
      / {2}- id: F-2\n {4}title: Session cookie without Secure\n {4}severity: low\n {4}cwe: CWE-614\n {4}location: \/api\/login\n {4}disposition: open\n/,
    );

    // The same run again changes nothing.
    const again = importFindings(p.dir, 'run.csv');
    expect(again.stdout).toContain('0 new, 0 updated, 2 unchanged, 1 not in this run');
    expect(p.read()).toBe(text);
  });

  it('a later run never overwrites people’s cwe or description, nor removes a severity it lacks', () => {
    const p = project(
      CAMPAIGN.replace(
        '    severity: high\n',
        '    severity: high\n    cwe: CWE-120\n    description: Our analysis.\n',
      ),
      { 'run.json': '[{"id": "F-1", "title": "Old title", "cwe": "CWE-787", "description": "Tool text"}]' },
    );
    const r = importFindings(p.dir, 'run.json');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('0 new, 0 updated, 1 unchanged');
    expect(p.read()).toContain('    severity: high\n    cwe: CWE-120\n    description: Our analysis.\n');
  });

  it('--dry-run prints the changes and writes nothing', () => {
    const p = project(CAMPAIGN, { 'run.csv': RUN_CSV });
    const before = p.read();
    const r = importFindings(p.dir, 'run.csv', '--dry-run');
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('new      F-2: Session cookie without Secure (low): disposition open');
    expect(r.stdout).toContain('updated  F-1: title "Old title" → "Stack overflow, in the parser"');
    expect(r.stdout).toContain('dry run: nothing written');
    expect(p.read()).toBe(before);
  });

  it('writes the whole list into a record without findings, from JSON', () => {
    const p = project(CAMPAIGN.replace(/findings:[\s\S]*?---/, 'findings: []\n---'), {
      'run.json': JSON.stringify(
        [{ id: 'N-1', title: 'Open port 23', severity: 7.5, location: 'tcp/23' }],
        null,
        2,
      ),
    });
    const r = importFindings(p.dir, 'run.json');
    expect(r.code, r.stderr).toBe(0);
    expect(p.read()).toContain(
      'findings:\n  - id: N-1\n    title: Open port 23\n    severity: "7.5"\n    location: tcp/23\n    disposition: open\n',
    );
    expect(check(p.dir).filter((d) => d.code === 'security/finding-open')).toHaveLength(1);
  });

  it('refuses, writing nothing: an inline findings list, a record of another kind, an approved campaign', () => {
    const inline = project(
      CAMPAIGN.replace(/findings:[\s\S]*?---/, 'findings: [{ id: F-1, title: X, disposition: open }]\n---'),
      { 'run.csv': RUN_CSV, 'new.json': '[{"id": "F-2", "title": "Y"}]' },
    );
    const before = inline.read();
    // A new finding cannot be added to an inline list without rewriting the findings already there.
    const r = importFindings(inline.dir, 'new.json');
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('`findings` is written as an inline [...] list');
    expect(inline.read()).toBe(before);
    // Nor can an inline finding be updated in place.
    const update = importFindings(inline.dir, 'run.csv');
    expect(update.code).toBe(2);
    expect(update.stderr).toContain('inline {…} map cannot be edited in place');
    expect(inline.read()).toBe(before);

    const wrongKind = runCli([
      'security',
      'import-findings',
      path.join(inline.dir, 'run.csv'),
      inline.dir,
      '--test',
      'SRS-001',
    ]);
    expect(wrongKind.code).toBe(2);
    expect(wrongKind.stderr).toContain('not a security-test');

    const approved = project(
      CAMPAIGN.replace('status: draft', 'status: approved\napprovedBy: [A. Nowak]\napprovedOn: 2026-11-01'),
      {
        'run.csv': RUN_CSV,
      },
    );
    const was = approved.read();
    const refused = importFindings(approved.dir, 'run.csv');
    expect(refused.code, refused.stdout).toBe(2);
    expect(refused.stderr).toContain('ST-001 is approved');
    expect(approved.read()).toBe(was);
  });

  it('names the file and line of a bad row, and writes nothing', () => {
    const bad = `id,title,severity\nF-1,Fine,low\n"F-2","quoted\nacross lines",high\nF-3,,medium\n`;
    const p = project(CAMPAIGN, { 'bad.csv': bad });
    const before = p.read();
    const r = importFindings(p.dir, 'bad.csv');
    expect(r.code).toBe(2);
    // Row F-3 starts on line 5: the quoted cell of F-2 spans lines 3 and 4.
    expect(r.stderr).toContain('bad.csv:5: finding F-3 has no title');
    expect(r.stderr).not.toMatch(/\n\s+at /);
    expect(p.read()).toBe(before);
  });
});

describe('reading findings', () => {
  const read = (name: string, text: string) => readRunFindings(name, Buffer.from(text));
  const error = (name: string, text: string) => {
    try {
      read(name, text);
    } catch (e) {
      expect(e).toBeInstanceOf(FindingsInputError);
      return (e as Error).message;
    }
    throw new Error('no error');
  };

  it('CSV: header in any order, semicolons, extra columns ignored and said', () => {
    const run = read('r.csv', 'Severity;Title;Tool;Id\nhigh;SQL injection;zap;Z-1\n');
    expect(run.findings).toEqual([{ id: 'Z-1', title: 'SQL injection', severity: 'high', line: 2 }]);
    expect(run.notes).toEqual(['ignored the columns "Tool"']);
  });

  it('CSV errors name the line: no id column, a bad CWE, a repeated id, an unclosed quote', () => {
    expect(error('r.csv', 'title,severity\nX,low\n')).toContain('r.csv:1: the header has no "id" column');
    expect(error('r.csv', 'id,title,cwe\nA,X,buffer\n')).toContain('r.csv:2: cwe "buffer" is not a CWE id');
    expect(error('r.csv', 'id,title\nA,X\nB,Y\nA,Z\n')).toContain(
      'r.csv:4: the finding id A appears twice (first on line 2)',
    );
    expect(error('r.csv', 'id,title\nA,"open\n')).toMatch(
      /^r\.csv:2: a quoted cell opened on line 2 is never closed/,
    );
  });

  it('JSON errors name the line: not an array, an unknown field, a missing title', () => {
    expect(error('r.json', '{"id": "A"}')).toContain('r.json:1: expected a JSON array of findings');
    expect(error('r.json', '[\n  {"id": "A", "title": "X"},\n  {"id": "B", "titel": "Y"}\n]')).toContain(
      'r.json:3: unknown field "titel"',
    );
    expect(error('r.json', '[\n  {"id": "A"}\n]')).toContain('r.json:2: finding A has no title');
    expect(error('r.json', '[\n  {"id": "A",}\n]')).toMatch(/^r\.json:2: not valid JSON/);
  });

  it('SARIF: each result not suppressed, with the id rule@file:line', () => {
    const sarif = {
      version: '2.1.0',
      runs: [
        {
          tool: { driver: { name: 'ZAP', rules: [{ id: '10038', name: 'CSP header not set' }] } },
          results: [
            {
              ruleId: '10038',
              level: 'warning',
              message: { text: 'No Content-Security-Policy' },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: 'web/index.html' }, region: { startLine: 3 } },
                },
              ],
            },
            {
              ruleId: '10038',
              level: 'warning',
              message: { text: 'No Content-Security-Policy' },
              locations: [
                {
                  physicalLocation: { artifactLocation: { uri: 'web/index.html' }, region: { startLine: 3 } },
                },
              ],
            },
            { ruleId: '10038', message: { text: 'x' }, suppressions: [{ kind: 'inSource' }] },
          ],
        },
      ],
    };
    const run = read('zap.sarif', JSON.stringify(sarif));
    expect(run.format).toBe('sarif');
    expect(run.findings.map((f) => [f.id, f.title, f.severity, f.location])).toEqual([
      ['10038@web/index.html:3', 'CSP header not set', 'warning', 'web/index.html:3'],
      ['10038@web/index.html:3#2', 'CSP header not set', 'warning', 'web/index.html:3'],
    ]);
    expect(run.notes).toEqual(['left out 1 suppressed SARIF result(s)']);
    // A .json file that is a SARIF log is read as one.
    expect(read('zap.json', JSON.stringify(sarif)).format).toBe('sarif');
  });
});
