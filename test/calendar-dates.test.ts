/**
 * Dates are real calendar dates (issue 10, section 3): `2026-13-45` and `2026-02-30` match the
 * YYYY-MM-DD shape but name no day; a record or option giving one is refused with the field or option
 * named (and file:line for records), never read as some other day.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { isCalendarDate } from '../src/util/calendar-date.js';
import { check, copyDir, EXAMPLE, runCli } from './helpers.js';

describe('isCalendarDate', () => {
  it('accepts real dates, leap days included, and refuses the rest', () => {
    for (const d of ['2026-01-31', '2024-02-29', '2000-02-29', '1999-12-31'])
      expect(isCalendarDate(d)).toBe(true);
    for (const d of [
      '2026-13-45',
      '2026-02-30',
      '2025-02-29',
      '1900-02-29',
      '2026-04-31',
      '2026-00-10',
      '2026-1-1',
      '2026-01-01T00:00:00Z',
    ])
      expect(isCalendarDate(d)).toBe(false);
  });
});

describe('dates in records', () => {
  it('a problem report reported on 2026-02-30 is refused with its field and file:line', () => {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/problems/PR-001.md');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('reported: 2025-11-12', 'reported: 2026-02-30'),
    );
    const found = check(dir).filter((d) => d.file?.endsWith('PR-001.md') && /reported/.test(d.message));
    expect(found).toHaveLength(1);
    expect(found[0]!.severity).toBe('error');
    expect(found[0]!.line).toBe(6);
    expect(found[0]!.message).toMatch(/2026-02-30.*not a calendar date|not a calendar date.*2026-02-30/);
  });

  it('a history entry dated 2026-13-45 is refused too', () => {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/problems/PR-001.md');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('{ date: 2025-11-13,', '{ date: 2026-13-45,'),
    );
    const found = check(dir).filter(
      (d) => d.file?.endsWith('PR-001.md') && /not a calendar date/.test(d.message),
    );
    expect(found).toHaveLength(1);
  });
});

describe('dates on the command line', () => {
  const dir = copyDir(EXAMPLE);
  const cases: [string, string[], NodeJS.ProcessEnv?][] = [
    ['--since', ['soup', 'scan', dir, '--since', '2026-02-30', '--no-save']],
    ['--date', ['soup', 'import', '--dry-run', '--date', '2026-13-45', '-C', dir]],
    [
      '--date',
      [
        'evidence',
        'import',
        'x.xml',
        '--version',
        '1.1.0',
        '--executed-by',
        'CI',
        '--date',
        '2026-02-30',
        '-C',
        dir,
      ],
    ],
    ['DOSSIER_TODAY', ['check', '.'], { DOSSIER_TODAY: '2026-02-30' }],
  ];
  for (const [option, args, env] of cases) {
    // args.slice(0, 2): the command, never the temporary folder, in the test's name.
    it(`${args.slice(0, 2).join(' ')}: ${option} 2026-02-30/2026-13-45 is a usage error naming ${option}`, () => {
      const r = runCli(args, dir, env);
      expect(r.code).toBe(2);
      expect(r.stderr).toContain(option);
      expect(r.stderr).toMatch(/calendar date|YYYY-MM-DD/);
      expect(r.stderr).not.toContain('internal error');
    });
  }
});
