/**
 * The bundled example's user needs come from the clinical team's sheet (examples/infusion-pump/
 * imports/user-needs.csv) through `dossier import csv`: importing it again changes nothing, and a
 * change in the sheet to a need the team has approved in Dossier is a conflict, never an overwrite.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { copyDir, EXAMPLE, runCli } from './helpers.js';

const args = (dir: string) => [
  'import',
  'csv',
  path.join(dir, 'imports/user-needs.csv'),
  '-C',
  dir,
  '-m',
  path.join(dir, 'imports/user-needs.mapping.yaml'),
  '--into',
  'records/user-needs',
  '--format',
  'json',
];

describe('the example imports its user needs from a sheet', () => {
  it('every user need carries where it came from, and importing again changes nothing', () => {
    const dir = copyDir(EXAMPLE);
    const before = fs.readFileSync(path.join(dir, 'records/user-needs/UN-004.md'), 'utf8');
    expect(before).toMatch(/imported:\n {2}from: csv\n {2}file: imports\/user-needs\.csv/);
    const r = runCli(args(dir));
    expect(r.code, r.stderr).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.counts).toMatchObject({ objects: 10, created: 0, updated: 0, conflicts: 0, unchanged: 10 });
    expect(fs.readFileSync(path.join(dir, 'records/user-needs/UN-004.md'), 'utf8')).toBe(before);
  });

  it('a change in the sheet to an approved need is reported as a conflict and not written', () => {
    const dir = copyDir(EXAMPLE);
    const sheet = path.join(dir, 'imports/user-needs.csv');
    fs.writeFileSync(
      sheet,
      fs
        .readFileSync(sheet, 'utf8')
        .replace('lockout interval and hourly maximum', 'lockout interval, hourly and 4-hour maximum'),
    );
    const before = fs.readFileSync(path.join(dir, 'records/user-needs/UN-004.md'), 'utf8');
    const r = runCli(args(dir));
    expect(r.code).toBe(1);
    const report = JSON.parse(r.stdout);
    expect(report.conflicts).toEqual([
      expect.objectContaining({ id: 'UN-004', reason: expect.stringMatching(/is approved in Dossier/) }),
    ]);
    expect(fs.readFileSync(path.join(dir, 'records/user-needs/UN-004.md'), 'utf8')).toBe(before);
  });
});
