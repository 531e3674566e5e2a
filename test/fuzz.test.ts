/**
 * Fuzzing every reader and writer (issue 10 §4). Valid seed inputs (the example's records and
 * dossier.yaml, the lockfiles, SBOMs, JUnit, SARIF, lcov and Cobertura samples under test/fixtures,
 * OSV records) are mutated into hostile ones; every reader must return findings instead of throwing,
 * finish each input in bounded time and give the same output twice. What the writers write (the SOUP
 * import's splice into collection files, the run and analysis records of `evidence import`, the
 * evidence manifest of the release gate) must load again without errors and keep every word people
 * wrote. Briefly in `npm test`; at length with `npm run fuzz` (see test/fuzz-support.ts).
 */
import fs from 'node:fs';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { readCobertura, readLcov } from '../src/evidence/coverage.js';
import {
  analysisRecordFiles,
  planCoverageImport,
  planSarifImport,
  unitMatcher,
} from '../src/evidence/import-analysis.js';
import { caseMapperFor, planRunImport, runRecordFiles } from '../src/evidence/import-run.js';
import { readJUnit } from '../src/evidence/junit.js';
import { decodeReport } from '../src/evidence/report-encoding.js';
import { readSarif } from '../src/evidence/sarif.js';
import {
  parseTrackedManifest,
  type TrackedManifest,
  trackedManifestText,
} from '../src/evidence/tracked-manifest.js';
import { tagsInText } from '../src/load/code-tags.js';
import { loadConfig } from '../src/load/config-load.js';
import { loadProject } from '../src/load/project.js';
import { readCollection, readRecordText } from '../src/load/read-file.js';
import { locate } from '../src/load/source.js';
import { recordValidator } from '../src/load/validate-record.js';
import { validateOsvRecord } from '../src/soup/advisories/osv-schema.js';
import { parseOsvYaml } from '../src/soup/advisories/osv-yaml.js';
import { READERS } from '../src/soup/import/index.js';
import type { ImportResult } from '../src/soup/import/types.js';
import { matchVersion, rangeIntervals } from '../src/soup/osv/match.js';
import { formatPurl, parsePurl, purlFor } from '../src/soup/purl.js';
import { applySync } from '../src/soup/sync/apply.js';
import { planSync } from '../src/soup/sync/plan.js';
import { comparatorFor } from '../src/soup/versions/index.js';
import {
  filesUnder,
  hostilePath,
  hostileText,
  mutated,
  mutatedBytes,
  readTwice,
  runs,
  TEST_TIMEOUT,
} from './fuzz-support.js';
import { EXAMPLE, REPO, starterProject } from './helpers.js';

/** The record file of an import, unsplit (the inputs are far below the loader's limit). */
const UNSPLIT = { rel: 'records/evidence/RUN-001.yaml', maxFileBytes: 2 ** 30 };
const runFileText = (
  ...args: Parameters<typeof runRecordFiles> extends [infer R, infer T, ...unknown[]] ? [R, T] : never
) => runRecordFiles(args[0], args[1], UNSPLIT)[0]!.text;
const analysisFileText = (id: string, title: string, fields: Record<string, unknown>) =>
  analysisRecordFiles(id, title, fields, UNSPLIT)[0]!.text;

const read = (file: string) => fs.readFileSync(file, 'utf8');
const FIXTURES = path.join(REPO, 'test/fixtures');

const temporary: string[] = [];
afterAll(() => {
  for (const dir of temporary) fs.rmSync(dir, { recursive: true, force: true });
});

const SEVERITIES = ['error', 'warning', 'info'];

function checkProblems(problems: readonly { severity: string; message: string; line?: number }[]): void {
  for (const p of problems) {
    expect(SEVERITIES).toContain(p.severity);
    expect(typeof p.message).toBe('string');
    expect(p.message.length).toBeGreaterThan(0);
    if (p.line !== undefined) expect(Number.isInteger(p.line) && p.line >= 1).toBe(true);
  }
}

// ---------------------------------------------------------------------------------------------
// Readers

describe('fuzz: the SOUP readers (lockfiles, manifests, CycloneDX and SPDX SBOMs)', () => {
  const seeds = [
    ...filesUnder(path.join(FIXTURES, 'lockfiles'), () => true),
    ...filesUnder(path.join(FIXTURES, 'sbom-and-native'), () => true),
    path.join(EXAMPLE, 'web/service-ui/package-lock.json'),
    path.join(EXAMPLE, 'firmware/update-verifier/Cargo.lock'),
  ].map((file) => ({ base: path.basename(file), text: read(file) }));

  it('has every reader', () => {
    expect(READERS).toHaveLength(17);
  });

  for (const reader of READERS) {
    // A reader's own files first; the others too, since a file may be given with the wrong --format.
    const own = seeds.filter((s) => reader.detect(s.base, s.text.slice(0, 4096))).map((s) => s.text);
    const texts = own.length > 0 ? own : seeds.map((s) => s.text);
    it(
      `${reader.id}: never throws, bounded time, deterministic, well-formed result`,
      () => {
        fc.assert(
          fc.property(
            fc.oneof(
              { arbitrary: mutated(texts), weight: 4 },
              { arbitrary: mutated(seeds.map((s) => s.text)), weight: 1 },
            ),
            fc.boolean(),
            (text, includeDev) => {
              const result: ImportResult = readTwice(reader.id, () => reader.read(text, { includeDev }));
              expect(typeof result.format).toBe('string');
              checkProblems(result.problems);
              const purls = result.components.map((c) => c.purl);
              expect(purls).toEqual([...new Set(purls)].sort());
              for (const c of result.components) {
                expect(c.purl.startsWith('pkg:')).toBe(true);
                expect(typeof c.name).toBe('string');
                expect(c.version.trim()).not.toBe('');
                expect(['direct', 'transitive', 'unknown']).toContain(c.scope);
                for (const d of c.dependsOn) expect(purls).toContain(d);
              }
            },
          ),
          runs(40),
        );
      },
      TEST_TIMEOUT,
    );
  }
});

describe('fuzz: the report readers (JUnit, SARIF, lcov, Cobertura) and report decoding', () => {
  const evidence = [
    ...filesUnder(path.join(FIXTURES, 'evidence'), () => true),
    ...filesUnder(path.join(EXAMPLE, 'evidence'), (f) => f.endsWith('.xml')),
  ];
  const xml = evidence.filter((f) => f.endsWith('.xml')).map(read);
  const junit = xml.filter((t) => !t.includes('<coverage'));

  it(
    'readJUnit',
    () => {
      fc.assert(
        fc.property(mutated(junit), (text) => {
          const report = readTwice('junit', () => readJUnit(text));
          checkProblems(report.problems);
          const t = report.totals;
          expect(t.passed + t.failed + t.errors + t.skipped).toBe(t.tests);
          for (const c of report.cases) expect(c.runs).toBeGreaterThanOrEqual(1);
        }),
        runs(150),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'readSarif',
    () => {
      const sarif = evidence.filter((f) => f.endsWith('.sarif')).map(read);
      fc.assert(
        fc.property(mutated(sarif), (text) => {
          const report = readTwice('sarif', () => readSarif(text));
          checkProblems(report.problems);
          expect(Array.isArray(report.results)).toBe(true);
        }),
        runs(100),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'readLcov and readCobertura',
    () => {
      const coverage = [
        read(path.join(FIXTURES, 'evidence/coverage.lcov')),
        read(path.join(FIXTURES, 'evidence/cobertura.xml')),
      ];
      fc.assert(
        fc.property(mutated(coverage), (text) => {
          for (const reader of [readLcov, readCobertura]) {
            const report = readTwice(reader.name, () => reader(text));
            checkProblems(report.problems);
            for (const f of report.files) expect(typeof f.path).toBe('string');
          }
        }),
        runs(100),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'decodeReport: any bytes decode or are refused with a message, never replaced silently',
    () => {
      const seeds = junit.flatMap((text) => [
        Buffer.from(text, 'utf8'),
        Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(text.replace('UTF-8', 'UTF-16'), 'utf16le')]),
        Buffer.from(text.replace(/encoding="[^"]*"/i, 'encoding="ISO-8859-1"'), 'latin1'),
      ]);
      fc.assert(
        fc.property(mutatedBytes(seeds), (bytes) => {
          const decoded = readTwice('decodeReport', () => decodeReport(bytes));
          if (decoded.ok) {
            expect(typeof decoded.text).toBe('string');
            // Valid UTF-8 without a BOM decodes to exactly its bytes.
            if (decoded.encoding === 'UTF-8')
              expect(Buffer.from(decoded.text, 'utf8').equals(bytes)).toBe(true);
          } else {
            expect(decoded.message.length).toBeGreaterThan(0);
          }
        }),
        runs(150),
      );
    },
    TEST_TIMEOUT,
  );
});

describe('fuzz: the record loader and the configuration loader', () => {
  const recordFiles = filesUnder(path.join(EXAMPLE, 'records'), (f) => /\.(md|ya?ml)$/.test(f));
  const loaded = loadProject(EXAMPLE);
  if (!loaded.ok) throw new Error('the example must load');
  const validator = recordValidator(loaded.project.config);

  for (const extension of ['md', 'yaml']) {
    it(
      `record files (.${extension}): a finding with a position, or records that validate`,
      () => {
        const seeds = recordFiles.filter((f) => f.endsWith(`.${extension}`)).map(read);
        fc.assert(
          fc.property(mutated(seeds), (text) => {
            const rel = `records/fuzz.${extension}`;
            const result = readTwice('record', () => {
              const file = readRecordText(rel, text);
              const validated = file.records.map((raw) => validator.validate(raw));
              return { file, validated };
            });
            const failure = result.file.failure;
            if (failure) {
              expect(failure.finding.at?.file).toBe(rel);
              expect(result.file.records).toEqual([]);
            }
            for (const [i, raw] of result.file.records.entries()) {
              for (const f of result.validated[i]!.findings) {
                const at = locate(raw.source, f.at?.path ?? [], f.at?.atKey ?? false);
                expect(at.line).toBeGreaterThanOrEqual(1);
                expect(at.column).toBeGreaterThanOrEqual(1);
              }
            }
          }),
          runs(150),
        );
      },
      TEST_TIMEOUT,
    );
  }

  it(
    'dossier.yaml: findings with a position, or a configuration the whole analysis runs with',
    () => {
      const dir = starterProject();
      temporary.push(dir);
      const seeds = [read(path.join(EXAMPLE, 'dossier.yaml')), read(path.join(dir, 'dossier.yaml'))];
      fc.assert(
        fc.property(mutated(seeds), (text) => {
          fs.writeFileSync(path.join(dir, 'dossier.yaml'), text);
          const config = readTwice('config', () => loadConfig(dir));
          if (!config.config) {
            expect(config.findings.length).toBeGreaterThan(0);
            for (const f of config.findings) expect(f.code).toBe('config/invalid');
            return;
          }
          const project = loadProject(dir);
          if (!project.ok) throw new Error('a configuration that loads must give a project');
          const analysis = analyze(project.project);
          for (const d of analysis.diagnostics) expect(typeof d.code).toBe('string');
        }),
        runs(40, 10),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'code tags in source files',
    () => {
      const sources = filesUnder(path.join(EXAMPLE, 'firmware'), (f) => /\.[ch]$/.test(f)).map(read);
      fc.assert(
        fc.property(mutated(sources), (text) => {
          const tags = readTwice('code tags', () => tagsInText('src/x.c', text));
          for (const t of tags) expect(t.line).toBeGreaterThanOrEqual(1);
        }),
        runs(100),
      );
    },
    TEST_TIMEOUT,
  );
});

describe('fuzz: OSV records (parsing, validation, matching)', () => {
  const files = [
    ...filesUnder(path.join(FIXTURES, 'advisories'), (f) => /\.(json|ya?ml)$/.test(f)),
    ...filesUnder(path.join(EXAMPLE, 'advisories'), (f) => f.endsWith('.json')),
  ];
  const versions = fc.oneof(
    fc.constantFrom('0', '1.0.0', '4.3.4', '10.19.3', '1.10', 'v1.2.3', '2:1.0-1'),
    hostileText,
  );

  for (const kind of ['json', 'yaml']) {
    it(
      `${kind}: a parse error (an Error with a message), a reason for refusal, or a record that matches without throwing`,
      () => {
        const seeds = files
          .filter((f) => (kind === 'json' ? f.endsWith('.json') : !f.endsWith('.json')))
          .map(read);
        // JSON seeds also serve as YAML (YAML is a superset), which gives the YAML parser deep flow nesting.
        const texts =
          kind === 'yaml' ? [...seeds, ...files.filter((f) => f.endsWith('.json')).map(read)] : seeds;
        fc.assert(
          fc.property(mutated(texts), fc.array(versions, { maxLength: 3 }), (text, tried) => {
            readTwice('osv', () => {
              let value: unknown;
              try {
                value = kind === 'json' ? JSON.parse(text) : parseOsvYaml(text);
              } catch (error) {
                // What the importer reports as "not valid JSON/YAML: <message>"; never a crash.
                expect(error).toBeInstanceOf(Error);
                expect(error).not.toBeInstanceOf(RangeError);
                expect(error).not.toBeInstanceOf(TypeError);
                return { parseError: (error as Error).message };
              }
              const checked = validateOsvRecord(value);
              if (!checked.ok) return { reason: checked.reason };
              const record = checked.record;
              JSON.stringify(record); // what the store keeps
              const matches: unknown[] = [];
              for (const affected of record.affected ?? []) {
                const order = comparatorFor(affected.package?.ecosystem ?? '');
                if (!order) continue;
                for (const range of affected.ranges ?? []) matches.push(rangeIntervals(range, order));
                for (const version of [...tried, ...(affected.versions ?? []).slice(0, 3)])
                  matches.push(matchVersion(record, (a) => a === affected, version, order));
              }
              return { matches };
            });
          }),
          runs(150),
        );
      },
      TEST_TIMEOUT,
    );
  }
});

// ---------------------------------------------------------------------------------------------
// Writers

describe('fuzz: evidence import writes run and analysis records that load and keep every word', () => {
  const junit = [
    ...filesUnder(path.join(FIXTURES, 'evidence'), (f) => f.endsWith('.xml') && !f.includes('cobertura')),
    ...filesUnder(path.join(EXAMPLE, 'evidence'), (f) => f.endsWith('.xml')),
  ].map(read);
  const loaded = loadProject(EXAMPLE);
  if (!loaded.ok) throw new Error('the example must load');
  const validator = recordValidator(loaded.project.config);
  const mapCase = caseMapperFor(loaded.project.records);
  const units = unitMatcher(loaded.project.records.filter((r) => r.kind === 'software-item'));
  const metadata = fc.record({
    version: hostileText.filter((v) => v.trim() !== ''),
    date: fc.constant('2026-01-10'),
    executedBy: hostileText.filter((v) => v.trim() !== ''),
    environment: hostileText,
    tools: fc.array(hostileText, { maxLength: 2 }),
    commit: hostileText,
  });
  const reportFile = hostilePath('reports', '.xml');

  /** The written text read back as the loader reads it: one record with exactly these fields. */
  function readsBack(text: string, kind: string, id: string, title: string, fields: Record<string, unknown>) {
    const file = readCollection('records/evidence/x.yaml', text);
    expect(file.failure?.finding.message).toBeUndefined();
    expect(file.findings).toEqual([]);
    expect(file.records).toHaveLength(1);
    const written = file.records[0]!.data as Record<string, unknown>;
    // Every string exactly as given (an unpaired surrogate too: written as an escape).
    expect(written).toEqual({ id, title, status: 'draft', ...fields });
    expect(file.records[0]!.defaultKind).toBe(kind);
    const validated = validator.validate(file.records[0]!);
    for (const f of validated.findings) expect(f.code.startsWith('load/')).toBe(false);
  }

  it(
    'test runs (JUnit)',
    () => {
      fc.assert(
        fc.property(mutated(junit), metadata, reportFile, hostileText, (text, meta, file, name) => {
          const report = readJUnit(text);
          if (report.root === undefined || report.cases.length === 0) return;
          const plan = planRunImport({
            report,
            reportFile: file,
            sha256: 'a'.repeat(64),
            metadata: { ...meta, tools: meta.tools },
            runs: [],
            prefix: 'RUN',
            mapCase,
          });
          if (plan.kind !== 'create') throw new Error('a first import creates a record');
          const title = `${report.name ?? name} on ${meta.version}`;
          readsBack(runFileText(plan, title), 'test-run', plan.id, title, plan.fields);
        }),
        runs(100),
      );
    },
    TEST_TIMEOUT,
  );

  it(
    'verification reports (SARIF, lcov, Cobertura)',
    () => {
      const seeds = filesUnder(path.join(FIXTURES, 'evidence'), (f) =>
        /\.(sarif|lcov)$|cobertura/.test(f),
      ).map(read);
      fc.assert(
        fc.property(mutated(seeds), metadata, reportFile, hostileText, (text, meta, file, title) => {
          const input = { file, sha256: 'b'.repeat(64), metadata: meta, known: [], prefix: 'VR', units };
          const plan = text.trimStart().startsWith('{')
            ? planSarifImport({ ...input, report: readSarif(text) })
            : text.includes('<coverage')
              ? planCoverageImport({ ...input, report: readCobertura(text) })
              : planCoverageImport({ ...input, report: readLcov(text) });
          if (plan.kind !== 'create') throw new Error('a first import creates a record');
          readsBack(
            analysisFileText(plan.id, title, plan.fields!),
            'verification-report',
            plan.id,
            title,
            plan.fields!,
          );
        }),
        runs(100),
      );
    },
    TEST_TIMEOUT,
  );
});

describe('fuzz: the evidence manifest of earlier gates', () => {
  const entry = fc.record({
    file: hostileText,
    sha256: fc.stringMatching(/^[0-9a-f]{64}$/),
    runs: fc.array(hostileText, { maxLength: 3 }),
    gatedOn: hostileText,
  });
  const manifest: fc.Arbitrary<TrackedManifest> = fc.record({
    release: hostileText,
    version: hostileText,
    evidence: fc.array(entry, { maxLength: 4 }),
  });

  it(
    'what the gate writes reads back as written; anything else is unreadable, never "no earlier gate"',
    () => {
      const written = fc.sample(manifest, { numRuns: 20, seed: 1 }).map(trackedManifestText);
      fc.assert(
        fc.property(manifest, mutatedBytes(written.map((t) => Buffer.from(t))), (m, bytes) => {
          const text = trackedManifestText(m);
          const back = parseTrackedManifest('REL-001.evidence.json', Buffer.from(text, 'utf8'));
          expect(back.status).toBe('read');
          if (back.status === 'read') expect(back.manifest).toEqual(m);
          const damaged = readTwice('manifest', () => parseTrackedManifest('REL-001.evidence.json', bytes));
          expect(['read', 'unreadable']).toContain(damaged.status);
        }),
        runs(100),
      );
    },
    TEST_TIMEOUT,
  );
});

describe('fuzz: soup import splices into collection files that load and keep every word', () => {
  /** A collection as people keep it: comments (each marked `keep-N`), quoting, block text, own fields. */
  const SOUP = `# keep-1 SOUP of the service web UI — reviewed by M. Keller
kind: soup
records:
  - id: SOUP-001
    title: Preact
    manufacturer: Preact team   # keep-2 supplier as on the release page
    version: "10.19.3"
    purl: pkg:npm/preact@10.19.3
    dependency: direct
    sources: [web/package-lock.json]
    requirements: Renders the service pages in under 50 ms on the pump's browser target.
    systemRequirements: 'ES2017 browser.'
    anomalyReview:
      date: 2026-08-01
      conclusion: No open issue affects the components we use.
    supportLevel: actively-maintained
    customNote: kept as written # keep-3
    text: |-
      Chosen for size (4 kB) over React.
      # not a comment: record text

  # keep-4 between records
  - id: SOUP-002
    title: left-pad
    version: '1.3.0'
    purl: pkg:npm/left-pad@1.3.0
    sources:
      - web/package-lock.json
    dependsOn: [SOUP-001]

  - id: SOUP-003
    title: requests
    manufacturer: PSF
    version: 2.31.0
    purl: pkg:pypi/requests@2.31.0
    sources: [web/package-lock.json, requirements.txt]
    versionChanges:
      - from: 2.30.0
        to: 2.31.0
        date: 2026-01-01
        source: requirements.txt
        evaluation: Reviewed the changelog; no change to the APIs we use. # keep-5
`;
  const seeds = [SOUP, SOUP.replace(/\n/g, '\r\n'), read(path.join(EXAMPLE, 'records/soup.yaml'))];
  const KEPT = /^\s*#.*$|# keep-\d+.*$/gm;
  const MACHINE = new Set(['version', 'purl', 'dependency', 'sources', 'hashes', 'dependsOn', 'removed']);
  const FILLED = new Set(['license', 'website', 'manufacturer']);
  const SUPPORT = new Set(['supportLevel', 'endOfSupport', 'supportJustification', 'supportSource']);

  // What the readers hand over: names and versions never blank; optional texts trimmed, never blank.
  const nonBlank = hostileText.filter((s) => s.trim() !== '');
  const trimmed = nonBlank.map((s) => s.trim());
  // Names and versions go into purls, which (like the readers) need well-formed text.
  const identity = nonBlank.map(wellFormed);
  const ecosystem = fc.constantFrom('npm', 'PyPI', 'crates.io', 'Go', 'Maven', 'NuGet', 'generic');
  const optional = <T>(arb: fc.Arbitrary<T>) => fc.option(arb, { nil: undefined });
  const newComponent = fc
    .record({
      ecosystem,
      name: identity,
      version: identity,
      scope: fc.constantFrom('direct' as const, 'transitive' as const, 'unknown' as const),
      supplier: optional(trimmed),
      license: optional(trimmed),
      description: optional(trimmed),
      website: optional(trimmed),
      hashes: optional(
        fc.array(fc.record({ alg: fc.constantFrom('SHA-256', 'SHA-512'), content: trimmed }), {
          maxLength: 2,
        }),
      ),
      supportLevel: optional(fc.oneof(fc.constantFrom('Actively maintained', 'EOL', 'unknown'), trimmed)),
      endOfSupport: optional(fc.oneof(fc.constantFrom('2030-01-31', '2026-13-45'), trimmed)),
      supportJustification: optional(trimmed),
    })
    .map((c) =>
      withoutUndefined({
        ...c,
        development: false,
        dependsOn: [] as string[],
        purl: purlFor(c.ecosystem, c.name, c.version),
      }),
    );
  /** A component of a package a record already names, at another (hostile) version or the same. */
  const knownComponent = (purls: readonly string[]) =>
    fc
      .tuple(fc.constantFrom(...purls), fc.option(identity, { nil: undefined }), optional(trimmed))
      .map(([purl, version, license]) => {
        const parsed = parsePurl(purl);
        const next = formatPurl({ ...parsed, ...(version === undefined ? {} : { version }) });
        return withoutUndefined({
          ecosystem: 'npm',
          name: parsed.name,
          version: version ?? parsed.version ?? '1',
          purl: next,
          scope: 'direct' as const,
          development: false,
          dependsOn: [] as string[],
          license,
        });
      });
  const components = (purls: readonly string[]) =>
    fc
      .tuple(
        fc.array(fc.oneof(newComponent, knownComponent(purls)), { maxLength: 5 }),
        fc.array(fc.tuple(fc.nat(), fc.nat()), { maxLength: 4 }),
      )
      .map(([list, edges]) => {
        const unique = [...new Map(list.map((c) => [c.purl, c])).values()];
        return unique.map((c, i) => ({
          ...c,
          dependsOn: edges
            .filter(([from]) => unique.length > 0 && from % unique.length === i)
            .map(([, to]) => unique[to % unique.length]!.purl),
        }));
      });
  const source = fc.oneof(fc.constant('web/package-lock.json'), hostilePath('deps', '.lock'));

  function soupRecords(dir: string) {
    const loaded = loadProject(dir);
    if (!loaded.ok) throw new Error('the project must load');
    return loaded.project;
  }

  it(
    'writes files that load, with the imported values exact, people’s text kept, and a second import changing nothing',
    () => {
      const purlsOf = (text: string) => [...text.matchAll(/purl: (pkg:\S+)/g)].map((m) => m[1]!);
      fc.assert(
        fc.property(
          fc.constantFrom(...seeds).chain((seed) => fc.tuple(fc.constant(seed), components(purlsOf(seed)))),
          source,
          fc.boolean(),
          ([seed, imported], from, usedBy) => {
            const dir = starterProject({ 'records/soup/third-party.yaml': seed });
            try {
              const before = soupRecords(dir);
              expect(before.unloaded).toEqual([]);
              const soup = before.records.filter((r) => r.kind === 'soup');
              const input = {
                components: imported,
                source: from,
                date: '2026-01-10',
                prefix: 'SOUP',
                ...(usedBy ? { usedBy: before.records.filter((r) => r.id === 'SI-002') } : {}),
              };
              const plan = planSync({ ...input, records: soup });
              applySync(plan.actions, {
                root: dir,
                into: 'records/soup/imported.yaml',
                sources: before.sources,
              });

              const after = soupRecords(dir);
              expect(after.unloaded.map((u) => u.finding.message)).toEqual([]);
              // No finding about what the import wrote (the starter's own findings aside).
              const known = new Set(before.findings.map((f) => `${f.code} ${f.message}`));
              const fresh = after.findings.filter((f) => !known.has(`${f.code} ${f.message}`));
              expect(fresh.map((f) => `${f.at?.file}: ${f.code} ${f.message}`)).toEqual([]);
              const byId = new Map(after.records.map((r) => [r.id, r]));
              for (const action of plan.actions) {
                if (action.kind !== 'create') continue;
                const record = byId.get(action.id);
                expect(record, action.id).toBeDefined();
                expect(record!.title).toBe(action.component.name);
                expect(record!.fields.version).toBe(action.component.version);
                expect(record!.fields.purl).toBe(action.component.purl);
              }
              // What people wrote: comments, and every field the import does not own.
              const text = read(path.join(dir, 'records/soup/third-party.yaml'));
              for (const comment of seed.match(KEPT) ?? []) expect(text).toContain(comment.trim());
              for (const old of soup) {
                const now = byId.get(old.id)!;
                expect(now.text).toBe(old.text);
                for (const [field, value] of Object.entries(old.fields)) {
                  if (MACHINE.has(field)) continue;
                  if (SUPPORT.has(field) && old.fields.supportSource !== undefined) continue;
                  if (field === 'versionChanges') {
                    expect(
                      (now.fields.versionChanges as unknown[]).slice(0, (value as unknown[]).length),
                    ).toEqual(value);
                    continue;
                  }
                  expect(now.fields[field], `${old.id}.${field}`).toEqual(value);
                }
                for (const field of FILLED)
                  if (old.fields[field] !== undefined) expect(now.fields[field]).toEqual(old.fields[field]);
              }
              // The same lockfile again changes nothing.
              const again = planSync({ ...input, records: after.records.filter((r) => r.kind === 'soup') });
              expect(again.actions.map((a) => `${a.kind} ${'id' in a ? a.id : a.record.id}`)).toEqual([]);
            } finally {
              fs.rmSync(dir, { recursive: true, force: true });
            }
          },
        ),
        runs(30, 40),
      );
    },
    TEST_TIMEOUT,
  );
});

/** Unpaired surrogates replaced by U+FFFD (String.prototype.toWellFormed, not in this TypeScript lib). */
function wellFormed(text: string): string {
  return text.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
}

function withoutUndefined<T extends object>(value: T): T {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;
}
