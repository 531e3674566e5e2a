// The parse cache (src/load/parse-cache.ts) must never change what check says: its output with the
// cache (cold, warm, after a file edit, after the cache file is damaged, with runs at the same time)
// is byte-identical to its output with --no-cache, on the example and on a fixture with load errors.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import {
  CACHE_DIR,
  deserializeValue,
  PARSE_CACHE_FILE,
  ParseCache,
  serializeValue,
  sha256Text,
} from '../src/load/parse-cache.js';
import { loadProject } from '../src/load/project.js';
import { readMarkdownRecord } from '../src/load/read-file.js';
import { schemaMemoSlot } from '../src/load/schema-memo.js';
import { recordValidator } from '../src/load/validate-record.js';
import { fingerprint, fingerprintOf } from '../src/model/fingerprint.js';
import { CLI, EXAMPLE, runCli, starterProject } from './helpers.js';

const TRUST_ROOT = 'sha256:213fb49beb689b62a543cefcef065ef5240c6151789706c4093e8b9e932d05f9';
const ENV = { DOSSIER_TRUST_ROOT: TRUST_ROOT, DOSSIER_TODAY: '2026-12-01' };
const cacheFile = (dir: string) => path.join(dir, CACHE_DIR, PARSE_CACHE_FILE);

/** check in every format, as one string: what a run says. */
function outputs(dir: string, extra: string[] = [], env: NodeJS.ProcessEnv = {}): string {
  return ['text', 'json', 'sarif']
    .map((format) => {
      const r = runCli(['check', dir, '--format', format, ...extra], process.cwd(), { ...ENV, ...env });
      return `${format} exit ${r.code}\n${r.stdout}\n--- stderr\n${r.stderr}`;
    })
    .join('\n=====\n');
}

const uncached = (dir: string) => {
  const out = outputs(dir, ['--no-cache']);
  expect(fs.existsSync(cacheFile(dir))).toBe(false);
  return out;
};

/** A fixture with findings of every sort: a file that does not parse, aliases, schema errors. */
function fixture(): string {
  return starterProject({
    'records/extra/broken.yaml': 'kind: test\nrecords:\n  - id: TC-900\n    title: [unclosed\n',
    'records/extra/aliases.yaml': [
      'kind: test',
      'records:',
      '  - id: TC-901',
      '    title: &t Alarm test',
      '    verifies: [SRS-001]',
      '    unknownField: 1',
      '  - id: TC-902',
      '    title: *t',
      '    verifies: [SRS-404]',
      '',
    ].join('\n'),
    'records/extra/SRS-900.md': '---\nid: SRS-900\ntitle: Untraced\nstatus: draft\nbogus: true\n---\nText.\n',
    'records/extra/notes.md': 'Just notes, no front matter.\n',
  });
}

function scenarios(dir: string): void {
  const reference = uncached(dir);
  // Cold: the cache is written; warm: it is used.
  expect(outputs(dir)).toBe(reference);
  expect(fs.existsSync(cacheFile(dir))).toBe(true);
  expect(outputs(dir)).toBe(reference);

  // Damaged in every way a file can be: truncated, a flipped byte, garbage, empty, a folder.
  const whole = fs.readFileSync(cacheFile(dir));
  const damaged: Buffer[] = [
    whole.subarray(0, Math.floor(whole.length / 2)),
    Buffer.from(whole.map((b, i) => (i === whole.length - 10 ? b ^ 0xff : b))),
    Buffer.from('not a cache at all'),
    Buffer.alloc(0),
  ];
  for (const bytes of damaged) {
    fs.writeFileSync(cacheFile(dir), bytes);
    expect(outputs(dir)).toBe(reference);
  }
}

describe('the parse cache', () => {
  it('never changes check output on a fixture: cold, warm, damaged, edited, off', () => {
    const dir = fixture();
    scenarios(dir);

    // After an edit (a record changed, a file fixed, one broken), the cache gives what --no-cache does.
    fs.writeFileSync(
      path.join(dir, 'records/extra/broken.yaml'),
      'kind: test\nrecords:\n  - id: TC-900\n    title: Fixed\n    verifies: [SRS-001]\n',
    );
    fs.writeFileSync(
      path.join(dir, 'records/extra/SRS-900.md'),
      '---\nid: SRS-900\ntitle: [Untraced\nstatus: draft\n---\nText.\n',
    );
    const edited = outputs(dir);
    fs.rmSync(path.join(dir, CACHE_DIR), { recursive: true });
    expect(uncached(dir)).toBe(edited);
    expect(outputs(dir)).toBe(edited);
    expect(outputs(dir)).toBe(edited);

    // DOSSIER_NO_CACHE=1 neither reads nor writes it.
    fs.rmSync(path.join(dir, CACHE_DIR), { recursive: true });
    expect(outputs(dir, [], { DOSSIER_NO_CACHE: '1' })).toBe(edited);
    expect(fs.existsSync(cacheFile(dir))).toBe(false);
  }, 300_000);

  it('never changes check output on the infusion-pump example', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cache-example-'));
    fs.cpSync(EXAMPLE, dir, { recursive: true, filter: (src) => !src.includes(`${path.sep}.dossier`) });
    scenarios(dir);
    // An edit to one record's text and one's fields.
    const srs = fs
      .readdirSync(path.join(dir, 'records'), { recursive: true, encoding: 'utf8' })
      .filter((f) => f.endsWith('.md'))
      .sort()[0]!;
    const file = path.join(dir, 'records', srs);
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^title: (.*)$/m, 'title: $1 (edited)'));
    const edited = outputs(dir);
    expect(outputs(dir, ['--no-cache'])).toBe(edited);
  }, 180_000);

  it('gives the same output to runs at the same time, and leaves one whole cache file', async () => {
    const dir = fixture();
    const reference = uncached(dir);
    const run = () =>
      new Promise<string>((resolve) => {
        const child = spawn(process.execPath, [CLI, 'check', dir, '--format', 'json'], {
          env: { ...process.env, ...ENV, NO_COLOR: '1' },
        });
        let out = '';
        child.stdout.on('data', (d) => {
          out += d;
        });
        child.on('close', (code) => resolve(`json exit ${code}\n${out}`));
      });
    const json = reference.split('\n=====\n')[1]!.split('\n--- stderr\n')[0]!;
    const results = await Promise.all([run(), run(), run(), run()]);
    for (const r of results) expect(r).toBe(json);
    expect(fs.readdirSync(path.join(dir, CACHE_DIR)).sort()).toEqual(['.gitignore', PARSE_CACHE_FILE]);
    expect(outputs(dir)).toBe(reference);
  }, 300_000);

  it('parses again a value that does not deserialize, and drops texts no longer read', () => {
    const dir = fixture();
    const first = ParseCache.open(dir, 'config')!;
    // Texts js-yaml parses (the fast reader declines a comment after a value): those are kept.
    const text = 'id: X-1 # one\ntitle: T\n';
    expect(first.parse(text, 'a.md', 1)).toEqual({
      value: { id: 'X-1', title: 'T' },
      textHash: sha256Text(text),
    });
    expect(first.parse('kind: test # two\nrecords: []\n', 'b.yaml')).toEqual({
      value: { kind: 'test', records: [] },
      textHash: sha256Text('kind: test # two\nrecords: []\n'),
    });
    expect(first.misses).toBe(2);
    first.save();

    // A value that no longer deserializes (valid checksum, damaged entry) is parsed again.
    const again = ParseCache.open(dir, 'config')!;
    expect(again.warm).toBe(true);
    again.add(sha256Text(text), Uint8Array.from([0xff, 0x0f, 0x99]));
    expect(again.parse(text, 'a.md', 1)).toEqual({
      value: { id: 'X-1', title: 'T' },
      textHash: sha256Text(text),
    });
    expect(again.misses).toBe(1);
    // Each use gets its own copy: changing it changes nothing stored.
    const value = again.parse(text, 'a.md', 1).value as Record<string, unknown>;
    value.title = 'changed';
    expect(again.parse(text, 'a.md', 1).value).toEqual({ id: 'X-1', title: 'T' });
    again.save();

    // Only what that run read is kept; another dossier.yaml sees nothing of it.
    const third = ParseCache.open(dir, 'config')!;
    expect(third.parse('kind: test # two\nrecords: []\n', 'b.yaml').value).toEqual({
      kind: 'test',
      records: [],
    });
    expect(third.misses).toBe(1);
    expect(ParseCache.open(dir, 'another config')!.warm).toBe(false);

    // A YAML error is never stored: it is found again, with its position.
    const errors = ParseCache.open(dir, 'config')!;
    expect(errors.parse('a: [b\n', 'c.yaml').finding?.code).toBe('load/yaml-syntax');
    expect(errors.parse('a: [b\n', 'c.yaml').finding?.code).toBe('load/yaml-syntax');
    expect(errors.misses).toBe(2);
    expect(errors.hits).toBe(0);
  });

  it('is used by loadProject only when asked, and keeps values YAML can hold', () => {
    const dir = starterProject({
      'records/extra/values.yaml':
        'kind: test\nrecords:\n  - id: TC-950\n    title: Values\n    verifies: [SRS-001]\n    tags: [-0, .nan, .inf, ~, "0012", 0x1f]\n',
    });
    const plain = loadProject(dir);
    expect(fs.existsSync(cacheFile(dir))).toBe(false);
    const cold = loadProject(dir, { parseCache: true });
    const warm = loadProject(dir, { parseCache: true });
    expect(fs.existsSync(cacheFile(dir))).toBe(true);
    expect(cold).toEqual(plain);
    expect(warm).toEqual(plain);
  });

  it("trusts only cache files this user's key signed: one that came with the project is ignored", () => {
    const dir = fixture();
    const before = process.env.XDG_CACHE_HOME;
    const home = (name: string) => fs.mkdtempSync(path.join(os.tmpdir(), `dossier-cache-key-${name}-`));
    try {
      process.env.XDG_CACHE_HOME = home('a');
      const written = ParseCache.open(dir, 'config')!;
      written.parse('id: X-1 # kept\n', 'a.md', 1);
      written.save();
      expect(ParseCache.open(dir, 'config')!.warm).toBe(true);
      // Another user (or a CI job) without that key: the file is not used, and is replaced.
      process.env.XDG_CACHE_HOME = home('b');
      const other = ParseCache.open(dir, 'config')!;
      expect(other.warm).toBe(false);
      expect(other.parse('id: X-1 # kept\n', 'a.md', 1).value).toEqual({ id: 'X-1' });
      expect(other.misses).toBe(1);
    } finally {
      if (before === undefined) delete process.env.XDG_CACHE_HOME;
      else process.env.XDG_CACHE_HOME = before;
    }
  });

  it('keeps no value for a text the fast reader takes, and still names it by its hash', () => {
    const dir = fixture();
    const cache = ParseCache.open(dir, 'config')!;
    const text = 'id: X-1\ntitle: T\n';
    expect(cache.parse(text, 'a.md', 1)).toEqual({
      value: { id: 'X-1', title: 'T' },
      textHash: sha256Text(text),
    });
    expect(cache.hits + cache.misses).toBe(0);
    cache.save();
    expect(ParseCache.open(dir, 'config')!.warm).toBe(false);
  });

  it('writes nothing through a symbolic link', () => {
    const dir = fixture();
    const elsewhere = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cache-elsewhere-'));
    fs.symlinkSync(elsewhere, path.join(dir, '.dossier'));
    const cache = ParseCache.open(dir, 'config')!;
    cache.parse('id: X-1 # kept\n', 'a.md', 1);
    cache.save();
    expect(fs.readdirSync(elsewhere)).toEqual([]);
  });
  it('keeps which record values passed their schema, and only those, for the next run', () => {
    const dir = fixture();
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('fixture did not load');
    const config = loaded.project.config;
    const good = 'id: SRS-900\ntitle: Good\nstatus: draft\ncategory: functional\n';
    const bad = 'id: SRS-901\ntitle: [not, text]\n';
    const raw = (cache: ParseCache, text: string, body = 'Text.') => {
      const parsed = cache.parse(text, 'records/x.md', 1);
      const source = { path: 'records/x.md', yaml: text, yamlLine: 1 };
      return { data: parsed.value, source, path: [], body, textHash: parsed.textHash! };
    };

    const first = ParseCache.open(dir, 'config')!;
    const validator = recordValidator(config, first);
    expect(validator.validate(raw(first, good)).findings).toEqual([]);
    const badFindings = validator.validate(raw(first, bad)).findings;
    expect(badFindings.map((f) => f.code)).toContain('schema/wrong-type');
    expect(first.schemaChecksSaved).toBe(0);
    first.save();

    const second = ParseCache.open(dir, 'config')!;
    const again = recordValidator(config, second);
    // The value that passed is not checked again, and its record is the same.
    const firstRecord = recordValidator(config).validate(raw(second, good)).record;
    expect(again.validate(raw(second, good))).toEqual({ record: firstRecord, findings: [] });
    expect(second.schemaChecksSaved).toBe(1);
    // The one that failed is checked again: the same findings, never a memo.
    expect(again.validate(raw(second, bad)).findings).toEqual(badFindings);
    expect(second.schemaChecksSaved).toBe(1);
    // The memo names the value exactly: the same text without a body, or under another kind, is checked.
    expect(second.passed(sha256Text(good), schemaMemoSlot([], 'software-requirement', false))).toBe(false);
    expect(second.passed(sha256Text(good), schemaMemoSlot([], 'test', true))).toBe(false);
    expect(second.passed(sha256Text(good), schemaMemoSlot([0], 'software-requirement', true))).toBe(false);
    expect(second.passed(sha256Text(good), schemaMemoSlot([], 'software-requirement', true))).toBe(true);
    // Another dossier.yaml (other custom fields, other prefixes) starts with no memo.
    expect(
      ParseCache.open(dir, 'another config')!.passed(
        sha256Text(good),
        schemaMemoSlot([], 'software-requirement', true),
      ),
    ).toBe(false);
  });
  it('keeps the fingerprints of passed records, named by their YAML, place, kind and Markdown body', () => {
    const dir = fixture();
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('fixture did not load');
    const config = loaded.project.config;
    const yaml = 'id: SRS-900\ntitle: Good\nstatus: draft\ncategory: functional\n';
    // As the loader reads a Markdown record: the cache names it by the whole file's text.
    const raw = (cache: ParseCache, body: string) =>
      readMarkdownRecord('records/x.md', `---\n${yaml}---\n${body}\n`, cache.parse).records[0]!;
    const first = ParseCache.open(dir, 'config')!;
    const one = recordValidator(config, first).validate(raw(first, 'First text.')).record!;
    expect(first.fingerprintsSaved).toBe(0);
    first.save();

    const second = ParseCache.open(dir, 'config')!;
    const validator = recordValidator(config, second);
    const same = validator.validate(raw(second, 'First text.')).record!;
    expect(second.fingerprintsSaved).toBe(1);
    // The remembered value is the one a fresh computation gives.
    expect(fingerprintOf(same)).toBe(fingerprint(one));
    // Same YAML, another body: not taken from the memo (the body is not in the YAML's hash).
    const other = validator.validate(raw(second, 'Second text.')).record!;
    expect(second.fingerprintsSaved).toBe(1);
    expect(fingerprintOf(other)).toBe(fingerprint(other));
    expect(fingerprintOf(other)).not.toBe(fingerprintOf(same));
  });
  it('a warm check gives every record the fingerprint a cold computation gives', () => {
    const dir = fixture();
    const cold = loadProject(dir, { parseCache: true });
    // A body edited under unchanged front matter between the runs.
    fs.appendFileSync(path.join(dir, 'records/software/SRS-001.md'), '\nA sentence added.\n');
    const warm = loadProject(dir, { parseCache: true });
    if (!cold.ok || !warm.ok) throw new Error('fixture did not load');
    expect(warm.project.records.length).toBeGreaterThan(5);
    for (const record of warm.project.records)
      expect(fingerprintOf(record), record.id).toBe(fingerprint(record));
  });
  it('keeps each value exactly: as JSON where JSON holds it, else in V8 format', () => {
    const shared = { a: 1 };
    const cases: [unknown, 'json' | 'v8'][] = [
      [{ id: 'X-1', tags: ['a', 'Überprüfung ✓', '\ud800 lone'], n: 0x1f, f: 1.5, t: true, z: null }, 'json'],
      [JSON.parse('{"__proto__": {"polluted": true}, "id": "X-2"}'), 'json'],
      [{ twice: [shared, shared] }, 'json'],
      [{ tags: [-0] }, 'v8'],
      [{ tags: [Number.NaN, Number.POSITIVE_INFINITY, Number.NEGATIVE_INFINITY] }, 'v8'],
    ];
    for (const [value, format] of cases) {
      const bytes = serializeValue(value)!;
      expect(bytes[0] === 0x4a ? 'json' : 'v8').toBe(format);
      const back = deserializeValue(bytes);
      expect(back).toStrictEqual(value);
      expect(Object.getPrototypeOf(back)).toBe(Object.prototype);
      expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    }
    // -0 stays -0 (toStrictEqual tells it from 0 through Object.is).
    expect(Object.is((deserializeValue(serializeValue({ v: -0 })!) as { v: number }).v, -0)).toBe(true);
    // A value that refers to itself is kept in V8 format rather than lost.
    const loop: Record<string, unknown> = { id: 'X-3' };
    loop.self = loop;
    const loopBytes = serializeValue(loop)!;
    expect(loopBytes[0]).not.toBe(0x4a);
    const loopBack = deserializeValue(loopBytes) as Record<string, unknown>;
    expect(loopBack.self).toBe(loopBack);
  });
});
