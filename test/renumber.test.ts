import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { starterFiles } from '../src/init/starter.js';
import { loadOk, runCli, starterProject } from './helpers.js';

const STARTER = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });

/** The starter project with comments next to the references, a collection reference and code tags. */
function project(): string {
  const config = `${STARTER['dossier.yaml']!}codeTags:\n  sources: ['src/**/*.c']\n`;
  const item = STARTER['records/architecture/SI-002.md']!.replace(
    'implements: [SRS-001, SRS-002]',
    'implements: [SRS-001, SRS-002]   # keep: a comment beside the link',
  );
  const tests = STARTER['records/tests/system-tests.yaml']!.replace(
    'verifies: [SRS-001, SYS-001]',
    'verifies:\n      - SRS-001   # keep: block list comment\n      - SYS-001',
  );
  return starterProject({
    'dossier.yaml': config,
    'records/architecture/SI-002.md': `${item}\nSee SRS-001 for the limits.\n`,
    'records/tests/system-tests.yaml': `# keep: header comment\n${tests}`,
    'src/limits.c':
      '/* @implements SRS-001, SRS-002 */\nint limits(void) { return 0; }\n// @verifies SRS-0011\n',
  });
}

const read = (dir: string, rel: string) => fs.readFileSync(path.join(dir, rel), 'utf8');

/** Every file of the project with its bytes, to show nothing was written. */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const entry of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.name === '.dossier') continue;
      if (entry.isDirectory()) walk(child);
      else out[child] = read(dir, child);
    }
  };
  walk('');
  return out;
}

describe('dossier renumber', () => {
  it('renames the id and updates links in Markdown and collection records, stamps and code tags, keeping comments', () => {
    const dir = project();
    const errorsBefore = analyze(loadOk(dir)).summary.errors;
    const r = runCli(['renumber', 'SRS-001', 'SRS-010', dir]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('SRS-001 → SRS-010');
    expect(r.stdout).toContain('records/software/SRS-001.md keeps its name');
    expect(r.stdout).toMatch(/mentioned in text[^\n]*\n {2}records\/architecture\/SI-002\.md:\d+/);

    expect(read(dir, 'records/software/SRS-001.md')).toContain('id: SRS-010\n');
    const item = read(dir, 'records/architecture/SI-002.md');
    expect(item).toContain('implements: [SRS-010, SRS-002]   # keep: a comment beside the link');
    expect(item).toContain('linkReviews:');
    expect(item).toMatch(/- SRS-010 fp1:/);
    expect(item).toContain('See SRS-001 for the limits.'); // prose is listed, not rewritten
    const tests = read(dir, 'records/tests/system-tests.yaml');
    expect(tests.startsWith('# keep: header comment\n')).toBe(true);
    expect(tests).toContain('      - SRS-010   # keep: block list comment\n');
    expect(tests).not.toMatch(/SRS-001\b/);
    const code = read(dir, 'src/limits.c');
    expect(code).toContain('/* @implements SRS-010, SRS-002 */');
    expect(code).toContain('@verifies SRS-0011'); // another id that starts alike is left alone

    const after = loadOk(dir);
    expect(after.records.some((rec) => rec.id === 'SRS-001')).toBe(false);
    const analysis = analyze(after);
    expect(
      analysis.diagnostics.filter(
        (d) => d.code === 'link/dangling' || (d.code === 'tag/unknown-id' && d.message.includes('SRS-010')),
      ),
    ).toEqual([]);
    expect(analysis.summary.errors).toBe(errorsBefore);
  });

  it('updates dossier.yaml references (software.system) with the record', () => {
    const dir = project();
    const r = runCli(['renumber', 'SI-001', 'SI-009', dir]);
    expect(r.code, r.stderr).toBe(0);
    expect(read(dir, 'dossier.yaml')).toContain('system: SI-009          # the software-item record');
    expect(read(dir, 'records/architecture/SI-002.md')).toContain('partOf: SI-009');
    expect(loadOk(dir).config.software.system).toBe('SI-009');
  });

  it('--dry-run lists the changes and writes nothing', () => {
    const dir = project();
    const before = snapshot(dir);
    const r = runCli(['renumber', 'SRS-001', 'SRS-010', dir, '--dry-run']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('would change');
    expect(r.stdout).toContain('records/tests/system-tests.yaml:');
    expect(r.stdout).toContain('src/limits.c:1  a code tag');
    expect(snapshot(dir)).toEqual(before);
  });

  it('refuses a target id in use, a malformed id, another kind’s prefix, an unknown id and a signed record; nothing written', () => {
    const dir = project();
    fs.mkdirSync(path.join(dir, 'signatures'));
    fs.writeFileSync(path.join(dir, 'signatures/SRS-002.yaml'), 'signatures: []\n');
    const before = snapshot(dir);
    const cases: [string[], RegExp][] = [
      [['SRS-001', 'SRS-002'], /SRS-002 is already in use/],
      [['SRS-001', 'SRS-01x'], /"SRS-01x" is not a record id/],
      [['srs-001', 'SRS-010'], /"srs-001" is not a record id/],
      [['SRS-001', 'TC-050'], /whose ids start with SRS-/],
      [['SRS-099', 'SRS-100'], /no record has the id SRS-099/],
      [['SRS-002', 'SRS-020'], /SRS-002 is signed \(signatures\/SRS-002\.yaml\)/],
      [['SRS-001', 'SRS-001'], /the same id/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(['renumber', ...args, dir]);
      expect(r.code, args.join(' ')).toBe(2);
      expect(r.stderr, args.join(' ')).toMatch(message);
      expect(r.stderr.trim().split('\n'), args.join(' ')).toHaveLength(1);
    }
    expect(snapshot(dir)).toEqual(before);
  });

  it('with a duplicated id, renumbers only the record --file names and lists the references for a person', () => {
    const dir = project();
    const twin = STARTER['records/software/SRS-001.md']!.replace(
      'Validate therapy parameters',
      'From the other branch',
    );
    fs.writeFileSync(path.join(dir, 'records/software/SRS-001-b.md'), twin);
    const refused = runCli(['renumber', 'SRS-001', 'SRS-010', dir]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toContain('say which one to renumber with --file');
    const r = runCli(['renumber', 'SRS-001', 'SRS-010', dir, '--file', 'records/software/SRS-001-b.md']);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('left as they are');
    expect(read(dir, 'records/software/SRS-001-b.md')).toContain('id: SRS-010\n');
    expect(read(dir, 'records/software/SRS-001.md')).toContain('id: SRS-001\n');
    expect(read(dir, 'records/architecture/SI-002.md')).toContain('implements: [SRS-001, SRS-002]');
    const codes = analyze(loadOk(dir)).diagnostics.map((d) => d.code);
    expect(codes).not.toContain('id/duplicate');
  });
});
