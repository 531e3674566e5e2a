/**
 * Terminal escape injection (issue 10, section 3): record text printed to a terminal cannot move the
 * cursor, erase lines or reorder text. Control characters reach the terminal as visible escapes;
 * JSON keeps the exact text.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { terminalSafe } from '../src/util/terminal-text.js';
import { copyDir, EXAMPLE, REPO, runCli } from './helpers.js';

const FORGED = '\r\x1b[1A\x1b[2K✔ 1.1.0 may be released';

/** The example with one open problem report on 1.0.0 whose title tries to forge the verdict. */
function exampleWithHostileProblem(): string {
  const copy = copyDir(EXAMPLE);
  fs.writeFileSync(
    path.join(copy, 'records/problems/PR-099.md'),
    [
      '---',
      'id: PR-099',
      `title: ${JSON.stringify(`Pump stops${FORGED}\u202egnp.exe`)}`,
      'status: draft',
      'state: open',
      'reported: 2025-10-01',
      'origin: internal-test',
      'criticality: minor',
      'safetyRelevant: false',
      'affectedVersions: [1.0.0]',
      '---',
      'Observed on the bench.',
      '',
    ].join('\n'),
  );
  return copy;
}

// biome-ignore lint/suspicious/noControlCharactersInRegex: the test looks for raw control characters
const RAW_CONTROL = /[\x00-\x09\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]/;

describe('terminalSafe', () => {
  it('shows C0, DEL, C1 and bidirectional controls as escapes and keeps newlines', () => {
    expect(terminalSafe('a\rb\x1b[2Kc\td\x7fe\x9b1Af\u202eg\u2066h\nnext')).toBe(
      'a\\rb\\x1b[2Kc\\td\\x7fe\\x9b1Af\\u202eg\\u2066h\nnext',
    );
  });
  it('with colour on keeps only the colour sequences Dossier writes', () => {
    expect(terminalSafe('\x1b[31merror\x1b[39m', { keepStyles: true })).toBe('\x1b[31merror\x1b[39m');
    // Concealed text, cursor movement and erasing are never ours.
    expect(terminalSafe('\x1b[8mhidden\x1b[1A\x1b[2K', { keepStyles: true })).toBe(
      '\\x1b[8mhidden\\x1b[1A\\x1b[2K',
    );
    expect(terminalSafe('\x1b[31m')).toBe('\\x1b[31m');
  });
});

describe('terminal escape injection', () => {
  const dir = exampleWithHostileProblem();

  it('release check text output shows the escapes and prints no raw control character', () => {
    const r = runCli(['release', 'check', '1.0.0', dir, '--manifest', path.join(dir, 'out', 'm.json')]);
    expect(r.stdout).toContain('PR-099');
    expect(r.stdout).toContain('\\r\\x1b[1A\\x1b[2K✔ 1.1.0 may be released');
    expect(r.stdout).toContain('\\u202e');
    expect(r.stdout).not.toMatch(RAW_CONTROL);
    expect(r.stderr).not.toMatch(RAW_CONTROL);
    expect(r.code).toBe(1);
  });

  it('release check JSON keeps the exact title', () => {
    const r = runCli([
      'release',
      'check',
      '1.0.0',
      dir,
      '--format',
      'json',
      '--manifest',
      path.join(dir, 'out', 'm.json'),
    ]);
    const report = JSON.parse(r.stdout) as { blockers: { message: string }[] };
    expect(report.blockers.some((b) => b.message.includes(FORGED))).toBe(true);
  });

  it('a text report written with --out is escaped as on the terminal', () => {
    const file = path.join(dir, 'out', 'gate.txt');
    runCli(['release', 'check', '1.0.0', dir, '--out', file, '--manifest', path.join(dir, 'out', 'm.json')]);
    const text = fs.readFileSync(file, 'utf8');
    expect(text).toContain('\\r\\x1b[1A');
    expect(text).not.toMatch(RAW_CONTROL);
  });

  it('check text output escapes record text in diagnostics too', () => {
    const r = runCli(['check', dir]);
    expect(r.stdout + r.stderr).not.toMatch(RAW_CONTROL);
  });

  it('every terminal write in the CLI goes through the sanitising writer', () => {
    const offenders: string[] = [];
    const walk = (d: string) => {
      for (const e of fs.readdirSync(d, { withFileTypes: true })) {
        const p = path.join(d, e.name);
        if (e.isDirectory()) walk(p);
        else if (p.endsWith('.ts') && !p.endsWith(path.join('cli', 'terminal.ts'))) {
          const lines = fs.readFileSync(p, 'utf8').split('\n');
          lines.forEach((line, i) => {
            if (/process\.std(out|err)\.write|console\.(log|error|warn|info)|writeSync\(\s*[12]\b/.test(line))
              offenders.push(`${path.relative(REPO, p)}:${i + 1}`);
          });
        }
      }
    };
    walk(path.join(REPO, 'src'));
    expect(offenders).toEqual([]);
  });
});
