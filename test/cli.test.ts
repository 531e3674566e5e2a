import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import AjvDraft4 from 'ajv-draft-04';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { approvedStarterProject, CONFIG, REPO, runCli, starterProject, writeProject } from './helpers.js';

const SARIF_SCHEMA = path.join(REPO, 'node_modules/@microsoft/jest-sarif/lib/schemas/sarif-2.1.0-rtm.5.json');

/** The starter with one broken link (otherwise complete, so that it is the only error). */
function brokenProject() {
  return starterProject({
    'records/software/SRS-001.md':
      '---\nid: SRS-001\ntitle: Broken\nstatus: draft\ncategory: data\nderivesFrom: [SYS-404]\n---\nThe software shall.\n',
  });
}

describe('dossier check', () => {
  it('exits 0 on a clean project and prints a summary', () => {
    const r = runCli(['check', starterProject()]);
    expect(r.code).toBe(0);
    // The starter's requirements and items are not reviewed yet (5.2.6, 5.3.6): warnings, not errors.
    expect(r.stdout).toMatch(/0 errors, 4 warnings in 15 records/);
    expect(runCli(['check', approvedStarterProject()]).stdout).toMatch(/0 errors, 0 warnings in 17 records/);
  });

  it('exits 1 with a compiler-style line naming file, line, column, code and id', () => {
    const dir = brokenProject();
    const r = runCli(['check', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/^records\/software\/SRS-001\.md:6:15 error link\/dangling .*SYS-404/m);
    expect(r.stdout).toContain('hint:');
  });

  it('exits 1 on warnings only with --strict', () => {
    // A `riskControl` flag without a risk control is a warning (requirement/risk-control-flag).
    const dir = starterProject({
      'records/software/SRS-001.md':
        '---\nid: SRS-001\ntitle: T\ncategory: data\nriskControl: true\nderivesFrom: [SYS-001]\n---\nx\n',
    });
    expect(runCli(['check', dir]).code).toBe(0);
    expect(runCli(['check', dir, '--strict']).code).toBe(1);
  });

  it('exits 2 with advice when there is no dossier.yaml, without a stack trace', () => {
    const empty = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-empty-'));
    const r = runCli(['check', empty]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('config/missing');
    expect(r.stderr).toContain('dossier init');
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it('exits 2 on an unknown format or option', () => {
    expect(runCli(['check', '--format', 'xml']).code).toBe(2);
    expect(runCli(['chek']).code).toBe(2);
  });

  it('--format json validates against the published check-report schema', () => {
    const r = runCli(['check', brokenProject(), '--format', 'json']);
    const report = JSON.parse(r.stdout);
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    const validate = ajv.compile(jsonSchemas()['check-report.schema.json'] as object);
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.schemaVersion).toBe(1);
    expect(report.summary.errors).toBe(1);
    expect(report.diagnostics.find((d: { code: string }) => d.code === 'link/dangling')).toMatchObject({
      recordId: 'SRS-001',
      file: expect.stringMatching(/records\/software\/SRS-001\.md$/),
      line: 6,
    });
  });

  it('--format sarif validates against the SARIF 2.1.0 schema', () => {
    const r = runCli(['check', brokenProject(), '--format', 'sarif']);
    const log = JSON.parse(r.stdout);
    // The rtm.5 schema has a language pattern that is only valid without the u flag.
    const ajv = new AjvDraft4.default({ strict: false, allErrors: true, unicodeRegExp: false });
    addFormats.default(ajv);
    const validate = ajv.compile(JSON.parse(fs.readFileSync(SARIF_SCHEMA, 'utf8')));
    expect(validate(log), JSON.stringify(validate.errors?.slice(0, 3))).toBe(true);
    expect(validate({ ...log, runs: [{ results: [{ level: 'fatal' }] }] })).toBe(false);
    const result = log.runs[0].results.find((x: { ruleId: string }) => x.ruleId === 'link/dangling');
    expect(result.ruleId).toBe('link/dangling');
    expect(result.locations[0].physicalLocation.region).toEqual({ startLine: 6, startColumn: 15 });
  });

  it('--out writes the report to a file', () => {
    const dir = starterProject();
    const out = path.join(dir, 'report.json');
    expect(runCli(['check', dir, '--format', 'json', '--out', out]).code).toBe(0);
    expect(JSON.parse(fs.readFileSync(out, 'utf8')).summary.errors).toBe(0);
  });
});

/** The warnings of a fresh starter project: its requirements and items await their reviews. */
const NOT_YET_REVIEWED: Record<string, string[]> = {
  A: ['requirement/unreviewed SRS-001', 'requirement/unreviewed SRS-002'],
  B: [
    'item/architecture-unreviewed SI-001',
    'item/architecture-unreviewed SI-002',
    'requirement/unreviewed SRS-001',
    'requirement/unreviewed SRS-002',
  ],
};
NOT_YET_REVIEWED.C = NOT_YET_REVIEWED.B!;

function findingCodes(dir: string): string[] {
  const report = JSON.parse(runCli(['check', dir, '--format', 'json']).stdout) as {
    diagnostics: { severity: string; code: string; recordId: string }[];
  };
  return report.diagnostics.map((d) => `${d.code} ${d.recordId}`);
}

describe('dossier init', () => {
  it('creates a project that passes check and refuses to overwrite it', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-init-')), 'device');
    const first = runCli(['init', dir, '--name', 'Insulin pump', '--class', 'B']);
    expect(first.code).toBe(0);
    expect(fs.readFileSync(path.join(dir, 'dossier.yaml'), 'utf8')).toContain('name: "Insulin pump"');
    expect(runCli(['check', dir]).code).toBe(0);
    expect(findingCodes(dir)).toEqual(NOT_YET_REVIEWED.B);
    expect(JSON.parse(runCli(['classify', dir, '--format', 'json']).stdout).system.computedClass).toBe('B');
    fs.writeFileSync(path.join(dir, 'records/software/SRS-001.md'), 'mine');
    fs.rmSync(path.join(dir, 'dossier.yaml'));
    const again = runCli(['init', dir]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('kept your existing records/software/SRS-001.md');
    expect(fs.readFileSync(path.join(dir, 'records/software/SRS-001.md'), 'utf8')).toBe('mine');
    expect(runCli(['init', dir]).code).toBe(2);
  });

  it('writes a .gitignore and the JSON Schemas its YAML files name in their modelines', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-init-')), 'device');
    expect(runCli(['init', dir, '--class', 'C']).code).toBe(0);
    expect(fs.readFileSync(path.join(dir, '.gitignore'), 'utf8')).toMatch(/^\.dossier\/$[\s\S]*^out\/$/m);
    // Every YAML file names a schema, and the schema it names is there (relative to the file).
    const yamlFiles = ['dossier.yaml', 'records/risk/hazards.yaml', 'records/tests/system-tests.yaml'];
    for (const rel of yamlFiles) {
      const first = fs.readFileSync(path.join(dir, rel), 'utf8').split('\n')[0]!;
      const m = /^# yaml-language-server: \$schema=(\S+)$/.exec(first);
      expect(m, rel).not.toBeNull();
      expect(fs.existsSync(path.resolve(dir, path.dirname(rel), m![1]!)), rel).toBe(true);
    }
    expect(runCli(['check', dir]).code).toBe(0);
  });
});

describe('dossier schemas', () => {
  it("puts a project's custom fields and id prefixes into its record schemas", () => {
    const dir = writeProject({
      'dossier.yaml': `${CONFIG}\nids:\n  software-requirement: REQ\ncustomFields:\n  software-requirement:\n    jiraKey: {type: string, description: Jira issue key}\n`,
    });
    const r = runCli(['schemas', dir]);
    expect(r.code, r.stderr).toBe(0);
    const srs = JSON.parse(
      fs.readFileSync(path.join(dir, 'schemas/software-requirement.schema.json'), 'utf8'),
    );
    expect(srs.properties.jiraKey).toMatchObject({ type: 'string', description: 'Jira issue key' });
    const any = fs.readFileSync(path.join(dir, 'schemas/record.schema.json'), 'utf8');
    expect(any).toContain('"^REQ-"');
    // Without a project: the built-in schemas, no custom field.
    const plain = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-schemas-'));
    expect(runCli(['schemas', '--out', plain]).code).toBe(0);
    const builtIn = JSON.parse(fs.readFileSync(path.join(plain, 'software-requirement.schema.json'), 'utf8'));
    expect(builtIn.properties.jiraKey).toBeUndefined();
  });
});

describe('dossier trace and build', () => {
  it('trace prints every format', () => {
    const dir = starterProject();
    expect(runCli(['trace', dir]).stdout).toContain('SYS-001');
    expect(runCli(['trace', dir, '--format', 'markdown']).stdout).toContain('| System requirement |');
    expect(runCli(['trace', dir, '--format', 'csv']).stdout).toContain(
      'System requirement,Software requirement',
    );
    const json = JSON.parse(runCli(['trace', dir, '--format', 'json', '--chain', 'risk-controls']).stdout);
    expect(json.matrices.map((m: { name: string }) => m.name)).toEqual(['risk-controls']);
    expect(runCli(['trace', dir, '--chain', 'nope']).code).toBe(2);
  });

  it('build writes every output, prints a summary, and is byte-for-byte deterministic', () => {
    const dir = starterProject();
    const a = path.join(dir, 'out-a');
    const b = path.join(dir, 'out-b');
    // Outside git the date is the clock's, unless SOURCE_DATE_EPOCH fixes it (test/build-date.test.ts).
    const fixed = { SOURCE_DATE_EPOCH: '1700000000' };
    const first = runCli(['build', '.', '--out', 'out-a'], dir, fixed);
    expect(first.code).toBe(0);
    expect(first.stdout).toMatch(/check\s+✔ 0 errors/);
    runCli(['build', '.', '--out', 'out-b'], dir, fixed);
    const files = fs
      .readdirSync(a, { recursive: true })
      .map(String)
      .filter((f) => f.includes('.'))
      .sort();
    expect(files).toContain('check/report.sarif');
    expect(files).toContain('trace/requirements.md');
    for (const f of files) expect(fs.readFileSync(path.join(b, f))).toEqual(fs.readFileSync(path.join(a, f)));
    const json = JSON.parse(runCli(['build', '.', '--out', 'out-c', '--format', 'json'], dir).stdout);
    expect(json.stages.map((s: { stage: string }) => s.stage)).toEqual([
      'check',
      'trace',
      'risk',
      'classify',
      'soup',
      'release',
      'signatures',
      'gap-scan',
      'documents',
      'site',
    ]);
    expect(json.files).toContain('manifest.json');
    expect(json.files).toContain('documents/SRS.md');
    expect(json.files).toEqual(
      expect.arrayContaining(['soup/sbom.cdx.json', 'soup/sbom.spdx.json', 'soup/vex.openvex.json']),
    );
  });

  it('build exits 1 when check finds errors, and still writes the reports', () => {
    const dir = brokenProject();
    const r = runCli(['build', '.', '--out', 'out'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/check\s+✖ 1 error/);
    expect(fs.existsSync(path.join(dir, 'out/check/report.sarif'))).toBe(true);
  });
});

describe('JSON Schemas', () => {
  it('the committed schemas/ match the zod schemas', () => {
    for (const [name, schema] of Object.entries(jsonSchemas())) {
      const committed = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', name), 'utf8'));
      expect(committed, `schemas/${name} is stale: run npm run schemas`).toEqual(schema);
    }
  });

  it('the record and collection schemas accept valid records and reject unknown fields', () => {
    const ajv = new Ajv2020.default({ strict: false, allErrors: true });
    for (const [name, schema] of Object.entries(jsonSchemas())) ajv.addSchema(schema as object, name);
    const validate = ajv.getSchema('collection.schema.json')!;
    expect(
      validate({ records: [{ id: 'SRS-1', title: 'T', category: 'alarms', derivesFrom: 'SYS-1' }] }),
    ).toBe(true);
    expect(
      validate({ records: [{ id: 'SRS-1', title: 'T', category: 'alarms', derivesFrm: ['SYS-1'] }] }),
    ).toBe(false);
    expect(validate({ records: [{ id: 'TC-1', title: 'T', level: 'sometimes' }] })).toBe(false);
  });
});

describe('dossier init for every class', () => {
  for (const cls of ['A', 'B', 'C']) {
    it(`a class ${cls} starter project checks clean and classifies as ${cls}`, () => {
      const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-init-')), 'p');
      expect(runCli(['init', dir, '--class', cls]).code).toBe(0);
      const r = runCli(['check', dir]);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/0 errors, \d+ warnings/);
      // The only warnings: nothing is reviewed yet (requirements 5.2.6; architecture 5.3.6 at B, C).
      expect(findingCodes(dir)).toEqual(NOT_YET_REVIEWED[cls]);
      expect(JSON.parse(runCli(['classify', dir, '--format', 'json']).stdout).system.computedClass).toBe(cls);
    });
  }
});
