import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { loadProject } from '../src/load/project.js';
import { readCollection, readMarkdownRecord } from '../src/load/read-file.js';
import { locate } from '../src/load/source.js';
import { recordValidator } from '../src/load/validate-record.js';
import { starterProject } from './helpers.js';

const result = loadProject(starterProject());
if (!result.ok) throw new Error('starter project must load');
const config = result.project.config;
const validator = recordValidator(config);

/** Text that looks like YAML often enough to reach deep parser paths. */
const yamlish = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 300 }),
  fc
    .array(
      fc.oneof(
        fc.constantFrom(
          'id: ',
          'title: ',
          'derivesFrom: ',
          'category: ',
          '- ',
          '  ',
          '[',
          ']',
          '{',
          '}',
          ': ',
          '"',
          "'",
          '\n',
          '#',
          '---\n',
          '|',
          '>',
          '&a ',
          '*a',
          '!!str ',
          '? ',
        ),
        fc.constantFrom('SRS-001', 'SYS-9', 'alarms', 'true', '1.0', '~', 'null', '2025-01-01'),
        fc.string({ maxLength: 8 }),
      ),
      { maxLength: 60 },
    )
    .map((parts) => parts.join('')),
);

describe('loader properties', () => {
  it('never throws on arbitrary Markdown, and every finding has a file and a position', () => {
    fc.assert(
      fc.property(yamlish, fc.string({ maxLength: 50 }), (front, body) => {
        const text = `---\n${front}\n---\n${body}`;
        const read = readMarkdownRecord('records/x.md', text);
        for (const f of [...read.findings, ...(read.failure ? [read.failure.finding] : [])]) {
          expect(f.at?.file).toBe('records/x.md');
        }
        // A file either loads (its records, if any) or fails as a whole, never both.
        if (read.failure) expect(read.records).toEqual([]);
        for (const raw of read.records) {
          const validated = validator.validate(raw);
          for (const f of validated.findings) {
            const pos = locate(raw.source, f.at?.path ?? [], f.at?.atKey ?? false);
            expect(pos.line).toBeGreaterThanOrEqual(1);
            expect(pos.column).toBeGreaterThanOrEqual(1);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('never throws on arbitrary collection files', () => {
    fc.assert(
      fc.property(yamlish, (text) => {
        const read = readCollection('records/c.yaml', `records:\n${text}`);
        for (const raw of read.records) {
          const validated = validator.validate(raw);
          for (const f of validated.findings) {
            locate(raw.source, f.at?.path ?? [], f.at?.atKey ?? false);
          }
        }
      }),
      { numRuns: 1500 },
    );
  });

  it('a whole project with arbitrary files is analysed without crashing', () => {
    fc.assert(
      fc.property(fc.array(yamlish, { minLength: 1, maxLength: 5 }), (texts) => {
        const dir = starterProject();
        texts.forEach((t, i) => {
          fs.writeFileSync(
            path.join(dir, `records/f${i}.${i % 2 ? 'md' : 'yaml'}`),
            i % 2 ? `---\n${t}\n---\n` : t,
          );
        });
        const loaded = loadProject(dir);
        expect(loaded.ok).toBe(true);
        if (loaded.ok) {
          const analysis = analyze(loaded.project);
          for (const d of analysis.diagnostics) {
            expect(typeof d.code).toBe('string');
            if (d.file) expect(d.line ?? 1).toBeGreaterThanOrEqual(1);
          }
        }
        fs.rmSync(dir, { recursive: true, force: true });
      }),
      { numRuns: 60 },
    );
  });

  it('locate finds the line of every top-level value written', () => {
    fc.assert(
      fc.property(
        fc.uniqueArray(fc.stringMatching(/^[a-z][a-zA-Z]{0,10}$/), { minLength: 1, maxLength: 10 }),
        (keys) => {
          const yaml = keys.map((k, i) => `${k}: value${i}`).join('\n');
          const source = { path: 'x.yaml', yaml, yamlLine: 0 };
          keys.forEach((k, i) => {
            expect(locate(source, [k])).toEqual({ line: i + 1, column: k.length + 3 });
            expect(locate(source, [k], true)).toEqual({ line: i + 1, column: 1 });
          });
        },
      ),
    );
  });
});
