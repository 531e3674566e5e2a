/**
 * The security corpus (issue 10 §4): every hostile input of test/fixtures/security/corpus.yaml run
 * through the command it targets, with the safe behaviour the manifest names for it, and on every
 * run the guarantees that hold for any input (see the manifest's header): a documented exit code,
 * no crash, no raw control character on the terminal, no network, nothing written outside the
 * project. Inputs too large, too deep or too binary to keep as files are generated here.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse, parseDocument } from 'yaml';
import { starterFiles } from '../src/init/starter.js';
import { REPO } from './helpers.js';
import { type CliRun, CRASH, changes, RAW_CONTROL, runCliGuarded, snapshot } from './security-helpers.js';
import { writeZip, type ZipInput } from './zip-writer.js';

const CORPUS = path.join(REPO, 'test/fixtures/security');

type FileSpec =
  | string
  | { readonly generate: string }
  | { readonly append: string }
  | { readonly set: readonly (string | number)[]; readonly value: unknown };

interface Expectation {
  readonly exit: number;
  readonly stdout?: string;
  readonly stderr?: string;
  readonly output?: string;
  readonly notOutput?: string;
  readonly codes?: readonly string[];
  readonly unchanged?: boolean;
  readonly files?: Readonly<Record<string, string>>;
  readonly absent?: readonly string[];
}

interface CorpusItem {
  readonly id: string;
  readonly about: string;
  readonly from?: string;
  readonly files?: Readonly<Record<string, FileSpec>>;
  readonly steps: readonly { readonly run: readonly string[]; readonly expect: Expectation }[];
}

const manifest = parse(fs.readFileSync(path.join(CORPUS, 'corpus.yaml'), 'utf8')) as {
  items: CorpusItem[];
};

// ---------------------------------------------------------------------------------------------
// Generated inputs

const osvRecord = (id: string, extra: Record<string, unknown> = {}) => ({
  schema_version: '1.6.0',
  id,
  modified: '2026-01-02T00:00:00Z',
  affected: [{ package: { ecosystem: 'npm', name: 'debug' }, versions: ['4.3.4'] }],
  ...extra,
});

const SYMLINK_MODE = 0o120777;

const GENERATORS: Readonly<Record<string, (existing?: Buffer) => string | Buffer>> = {
  'deep-yaml': () => `kind: software-requirement\nrecords: ${'['.repeat(50_000)}${']'.repeat(50_000)}\n`,
  'huge-record': () =>
    `---\nid: SRS-907\ntitle: Too large\nstatus: draft\nderivesFrom: [SYS-001]\n---\n${'The software shall do it.\n'.repeat(45_000)}`,
  'huge-config': (existing) => `${existing}\n${'# padding\n'.repeat(110_000)}`,
  // One flow map a line, so that 6,000 items stay under the loader's 1 MiB limit for one file.
  'partof-chain': () =>
    `kind: software-item\nrecords:\n${Array.from(
      { length: 6000 },
      (_, i) =>
        `  - { id: SI-${1000 + i}, title: L${i}, itemType: unit, partOf: ${i === 0 ? 'SI-002' : `SI-${999 + i}`}, interfaces: Calls, design: Forwards each call to its parent, noContribution: Pass-through }\n`,
    ).join('')}`,
  'deep-xml': () =>
    `<?xml version="1.0"?>\n<testsuite name="deep">${'<testcase name="x">'.repeat(100_000)}${'</testcase>'.repeat(100_000)}</testsuite>\n`,
  'deep-cyclonedx': () =>
    `{"bomFormat":"CycloneDX","specVersion":"1.6","components":[${'{"type":"library","name":"a","version":"1","purl":"pkg:npm/a@1","components":['.repeat(50_000)}${']}'.repeat(50_000)}]}`,
  'deep-yaml-flow': () => `${'['.repeat(20_000)}${']'.repeat(20_000)}\n`,
  'deep-yaml-objects': () =>
    `{"id":"x_TEST-DEEP-0002","modified":"2026-01-02T00:00:00Z","database_specific":${'{"a":['.repeat(20_000)}${']}'.repeat(20_000)}}\n`,
  'deep-osv-json': () => {
    const head = JSON.stringify(osvRecord('x_TEST-DEEP-0001')).slice(0, -1);
    return `${head},"database_specific":${'{"a":'.repeat(200_000)}1${'}'.repeat(200_000)}}`;
  },
  'zip-traversal': () =>
    zip([
      { name: 'ok.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0001')) },
      { name: '../evil.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0002')) },
      { name: '../../evil.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0003')) },
      { name: 'sub/../../escaped.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0004')) },
    ]),
  'zip-absolute': () =>
    zip([
      { name: 'ok.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0001')) },
      { name: '/tmp/dossier-corpus-absolute-entry.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0005')) },
      { name: 'C:\\Windows\\evil.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0006')) },
    ]),
  'zip-symlink': () =>
    zip([
      { name: 'ok.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0001')) },
      { name: 'link.json', data: '/etc/passwd', mode: SYMLINK_MODE },
    ]),
  'zip-duplicates': () =>
    zip([
      { name: 'same.json', data: JSON.stringify(osvRecord('x_TEST-ZIP-0007')) },
      {
        name: 'same.json',
        data: JSON.stringify(osvRecord('x_TEST-ZIP-0007', { modified: '2026-02-02T00:00:00Z' })),
      },
    ]),
};

function zip(files: readonly ZipInput[]): Buffer {
  return writeZip(files);
}

// ---------------------------------------------------------------------------------------------
// Running an item

const STARTER = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });

function contentOf(project: string, target: string, spec: FileSpec): string | Buffer {
  const existing = () => fs.readFileSync(path.join(project, target));
  if (typeof spec === 'string') return fs.readFileSync(path.join(CORPUS, spec));
  if ('generate' in spec) {
    const generate = GENERATORS[spec.generate];
    if (!generate) throw new Error(`no generator "${spec.generate}"`);
    return generate(fs.existsSync(path.join(project, target)) ? existing() : undefined);
  }
  if ('append' in spec) return Buffer.concat([existing(), fs.readFileSync(path.join(CORPUS, spec.append))]);
  const doc = parseDocument(existing().toString('utf8'));
  doc.setIn(spec.set, spec.value);
  return doc.toString();
}

/** A fresh starter project in `<base>/project`, with the item's files. */
function projectFor(item: CorpusItem): { base: string; project: string } {
  const base = fs.mkdtempSync(path.join(os.tmpdir(), `dossier-corpus-${item.id}-`));
  const project = path.join(base, 'project');
  for (const [rel, content] of Object.entries(STARTER)) {
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), content);
  }
  for (const [rel, spec] of Object.entries(item.files ?? {})) {
    const content = contentOf(project, rel, spec);
    fs.mkdirSync(path.dirname(path.join(project, rel)), { recursive: true });
    fs.writeFileSync(path.join(project, rel), content);
  }
  return { base, project };
}

const machineReadable = (args: readonly string[]) => {
  const i = args.findIndex((a) => a === '--format' || a === '-f');
  return i >= 0 && ['json', 'sarif'].includes(args[i + 1] ?? '');
};

const outsideProject = (rel: string) => rel === 'project' || rel.startsWith('project/');
const notState = (rel: string) => rel === '.dossier' || rel.startsWith('.dossier/');

/** The guarantees of every run, whatever the input. */
function checkEveryRun(run: CliRun, args: readonly string[], where: string): void {
  expect(run.timedOut, `${where}: did not end`).toBe(false);
  expect(run.signal, `${where}: killed by a signal\n${run.stderr}`).toBeNull();
  expect([0, 1, 2], `${where}: exit ${run.code}\n${run.stderr}`).toContain(run.code);
  expect(run.stdout + run.stderr, where).not.toMatch(CRASH);
  expect(run.stderr, `${where}: raw control character on standard error`).not.toMatch(RAW_CONTROL);
  if (!machineReadable(args))
    expect(run.stdout, `${where}: raw control character on standard output`).not.toMatch(RAW_CONTROL);
  expect(run.network, `${where}: network access`).toEqual([]);
}

function checkExpectation(
  run: CliRun,
  expectation: Expectation,
  project: string,
  before: Map<string, string>,
  where: string,
): void {
  const output = `${run.stdout}\n${run.stderr}`;
  expect(
    run.code,
    `${where}\nstdout: ${run.stdout.slice(0, 2000)}\nstderr: ${run.stderr.slice(0, 2000)}`,
  ).toBe(expectation.exit);
  if (expectation.stdout) expect(run.stdout, where).toMatch(new RegExp(expectation.stdout));
  if (expectation.stderr) expect(run.stderr, where).toMatch(new RegExp(expectation.stderr));
  if (expectation.output) expect(output, where).toMatch(new RegExp(expectation.output));
  if (expectation.notOutput) expect(output, where).not.toMatch(new RegExp(expectation.notOutput));
  if (expectation.codes) {
    const report = JSON.parse(run.stdout) as { diagnostics: { code: string }[] };
    const found = new Set(report.diagnostics.map((d) => d.code));
    for (const code of expectation.codes) expect([...found], where).toContain(code);
  }
  if (expectation.unchanged)
    expect(changes(before, snapshot(project, notState)), `${where}: the project changed`).toEqual([]);
  for (const [file, pattern] of Object.entries(expectation.files ?? {})) {
    const full = path.join(project, file);
    expect(fs.existsSync(full), `${where}: ${file} was not written`).toBe(true);
    expect(fs.readFileSync(full, 'utf8'), `${where}: ${file}`).toMatch(new RegExp(pattern));
  }
  for (const file of expectation.absent ?? [])
    expect(fs.existsSync(path.resolve(project, file)), `${where}: ${file} exists`).toBe(false);
}

describe('the security corpus', () => {
  it('lists every corpus file in the manifest, and every manifest file exists', () => {
    const named = new Set(
      manifest.items.flatMap((item) =>
        Object.values(item.files ?? {}).flatMap((spec) =>
          typeof spec === 'string' ? [spec] : 'append' in spec ? [spec.append] : [],
        ),
      ),
    );
    const stored = [...snapshot(CORPUS).keys()].filter((f) => f !== 'corpus.yaml');
    for (const file of stored) expect([...named], `${file} is not used by any item`).toContain(file);
    for (const file of named) expect(fs.existsSync(path.join(CORPUS, file)), file).toBe(true);
    const ids = manifest.items.map((i) => i.id);
    expect(new Set(ids).size).toBe(ids.length);
  });

  for (const item of manifest.items) {
    it.concurrent(`${item.id}: ${item.about}`, async () => {
      const { base, project } = projectFor(item);
      try {
        const outside = snapshot(base, outsideProject);
        for (const [index, step] of item.steps.entries()) {
          const where = `${item.id} step ${index + 1} (dossier ${step.run.join(' ')})`;
          const before = snapshot(project, notState);
          const run = await runCliGuarded(step.run, project);
          checkEveryRun(run, step.run, where);
          checkExpectation(run, step.expect, project, before, where);
          expect(
            changes(outside, snapshot(base, outsideProject)),
            `${where}: wrote outside the project`,
          ).toEqual([]);
        }
      } finally {
        fs.rmSync(base, { recursive: true, force: true });
      }
    });
  }
});
