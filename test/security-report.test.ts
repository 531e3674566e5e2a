import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Ajv2020 from 'ajv/dist/2020.js';
import { XMLValidator } from 'fast-xml-parser';
import { describe, expect, it } from 'vitest';
import { svgToPng } from '../src/docs/svg-png.js';
import { TraceGraph } from '../src/graph/graph.js';
import { jsonSchemas } from '../src/model/json-schemas.js';
import { controlItems, securityReport } from '../src/security/security-report.js';
import { securityViews } from '../src/security/security-views.js';
import { copyDir, loadOk, REPO, runCli } from './helpers.js';

/** A small pump with a threat model, three threats, risks, two controls, tests and problem reports. */
const FIXTURE = path.join(REPO, 'test/fixtures/security-report');

function validator(name: string) {
  const ajv = new Ajv2020.default({ strict: false, allErrors: true });
  return ajv.compile(jsonSchemas()[name] as object);
}

function reportOf(dir: string) {
  const project = loadOk(dir);
  const graph = new TraceGraph(project.records);
  return { report: securityReport(graph, project.config), graph };
}

describe('dossier security (text)', () => {
  const r = runCli(['security', FIXTURE]);

  it('exits 0 and prints every section', () => {
    expect(r.code, r.stderr).toBe(0);
    for (const heading of [
      'Threat model',
      'Security risks',
      'Security controls by category',
      'Traceability: threat → risk → control → requirement → test',
      'Security testing',
      'Security architecture views',
    ])
      expect(r.stdout).toContain(heading);
  });

  it('lists each interface with its threats, and one without threats as not assessed', () => {
    expect(r.stdout).toMatch(
      /wifi \(Wi-Fi to drug-library server\)\s+HTTPS over Wi-Fi\s+external\s+hospital-network\s+THR-001, THR-003/,
    );
    expect(r.stdout).toMatch(/keypad \(Front-panel keypad\)\s+—\s+internal\s+device\s+NONE: not assessed/);
  });

  it('shows the risks before and after control, acceptability and hazardous situations', () => {
    const sr1 = r.stdout.slice(r.stdout.indexOf('SR-001 Fleet-wide'), r.stdout.indexOf('SR-002 Unsigned'));
    expect(sr1).toContain('[multi-patient harm]');
    expect(sr1).toContain('Before control: High impact × Medium exploitability: unacceptable');
    expect(sr1).toContain('After control:  High impact × Low exploitability: acceptable');
    expect(sr1).toContain('Hazardous situations: HS-001 Therapy continues after a delivery fault');
    const sr2 = r.stdout.slice(r.stdout.indexOf('SR-002 Unsigned'), r.stdout.indexOf('SR-003 Lost'));
    expect(sr2).toContain('Acceptability:  UNACCEPTABLE');
    expect(sr2).toContain('not estimated (the estimate before control stands)');
  });

  it('lists all eight control categories, a category without a control as none', () => {
    const section = r.stdout.slice(
      r.stdout.indexOf('Security controls by category'),
      r.stdout.indexOf('Control  '),
    );
    expect(section).toMatch(/^Authentication\s+SC-001$/m);
    expect(section).toMatch(/^Authorization\s+none$/m);
    expect(section).toMatch(/^Confidentiality\s+none$/m);
    expect(section).toMatch(/^Event detection and logging\s+none$/m);
    expect(section).toMatch(/^Resiliency and recovery\s+none$/m);
    expect(section).toMatch(/^Firmware and software updates\s+SC-002$/m);
    expect(
      section.match(
        /^(Authentication|Authorization|Cryptography|Code, data|Confidentiality|Event detection|Resiliency|Firmware)/gm,
      ),
    ).toHaveLength(8);
  });

  it('names every gap of the trace as missing, and an acceptable risk without control as not needing one', () => {
    expect(r.stdout).toMatch(/^THR-001\s+SR-001\s+SC-001\s+SRS-001\s+ST-001, TC-001\s*$/m);
    expect(r.stdout).toMatch(/^THR-002\s+SR-002\s+SC-002\s+missing\s+ST-001\s+missing requirement$/m);
    expect(r.stdout).toMatch(/^THR-003\s+SR-003\s+none needed \(acceptable\)/m);
  });

  it('summarises each security test: type, tester and independence, version, findings by disposition', () => {
    expect(r.stdout).toMatch(
      /ST-001 Penetration test 2026\s+penetration\s+Red Team Ltd\s+yes\s+0\.1\.0\s+3: 1 open, 1 resolved, 1 to problem report, 0 accepted/,
    );
    expect(r.stdout).toMatch(
      /ST-002 Fuzzing the drug-library parser\s+fuzzing\s+Dev team\s+no\s+not recorded\s+none/,
    );
    expect(r.stdout).toContain('ST-001 F2 USB accepts debug image');
  });
});

describe('dossier security (json and views)', () => {
  it('--format json validates against schemas/security-report.schema.json', () => {
    const r = runCli(['security', FIXTURE, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    const validate = validator('security-report.schema.json');
    expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    expect(report.schemaVersion).toBe(1);
    expect(report.controlCategories.map((c: { key: string }) => c.key)).toEqual([
      'authentication',
      'authorization',
      'cryptography',
      'integrity',
      'confidentiality',
      'event-detection',
      'resiliency',
      'updatability',
    ]);
    expect(report.summary).toMatchObject({
      interfaces: 3,
      interfacesWithoutThreats: 1,
      unacceptable: 1,
      categoriesWithoutControls: ['authorization', 'confidentiality', 'event-detection', 'resiliency'],
      traceGaps: 1,
      openFindings: 1,
    });
    expect(report.trace).toContainEqual({
      threat: 'THR-003',
      risk: 'SR-003',
      control: null,
      controlNeeded: false,
      requirement: null,
      tests: [],
      missing: [],
    });
  });

  it('a risk without threat and a control without risk get rows of their own, their gaps named', () => {
    const dir = copyDir(FIXTURE);
    fs.appendFileSync(
      path.join(dir, 'records/security/risks.yaml'),
      '  - id: SR-009\n    title: Orphan risk\n    exploitability: high\n    impact: high\n    text: x\n',
    );
    fs.appendFileSync(
      path.join(dir, 'records/security/controls.yaml'),
      '  - id: SC-009\n    title: Orphan control\n    categories: [resiliency]\n    text: x\n',
    );
    const { report } = reportOf(dir);
    expect(report.trace).toContainEqual({
      threat: null,
      risk: 'SR-009',
      control: null,
      requirement: null,
      tests: [],
      missing: ['threat', 'control', 'requirement', 'test'],
    });
    expect(report.trace).toContainEqual({
      threat: null,
      risk: null,
      control: 'SC-009',
      requirement: null,
      tests: [],
      missing: ['risk', 'requirement', 'test'],
    });
    const text = runCli(['security', dir]).stdout;
    expect(text).toMatch(
      /^missing\s+SR-009\s+missing\s+missing\s+missing\s+missing threat, control, requirement, test$/m,
    );
    expect(text).toMatch(/^Resiliency and recovery\s+SC-009$/m);
  });

  it('--out writes the report and the four views; the views are the same bytes every time', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-secviews-'));
    const r = runCli(['security', FIXTURE, '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    expect(fs.readdirSync(out).sort()).toEqual([
      'global-system-view.svg',
      'multi-patient-harm-view.svg',
      'security-use-case-views.svg',
      'security.txt',
      'updatability-view.svg',
    ]);
    const { report, graph } = reportOf(FIXTURE);
    const views = securityViews(report, controlItems(graph));
    const again = securityViews(securityReport(graph, loadOk(FIXTURE).config), controlItems(graph));
    expect(again).toEqual(views);
    for (const v of views) {
      expect(fs.readFileSync(path.join(out, v.file), 'utf8')).toBe(v.svg);
      expect(XMLValidator.validate(v.svg), v.file).toBe(true);
      const png = svgToPng(v.svg, 1000);
      expect(png.height, v.file).toBeGreaterThan(100);
    }
    const global = views.find((v) => v.key === 'global-system')!.svg;
    expect(global).toContain('trust boundary: Hospital network');
    expect(global).toContain('EXTERNAL · wifi · HTTPS over Wi-Fi');
    expect(global).toContain('NO THREATS ASSESSED');
    const harm = views.find((v) => v.key === 'multi-patient-harm')!.svg;
    expect(harm).toContain('SR-001 Fleet-wide');
    expect(harm).not.toContain('SR-002');
    const update = views.find((v) => v.key === 'updatability')!.svg;
    expect(update).toContain('SC-002 Signed firmware');
    expect(update).toContain('requirements: MISSING');
    const useCases = views.find((v) => v.key === 'security-use-cases')!.svg;
    for (const id of ['THR-001', 'THR-002', 'THR-003']) expect(useCases).toContain(id);
    // THR-003's risk is acceptable before control: no control needed, said so (not a gap).
    expect(useCases).toContain('Control not needed');
    expect(useCases).toContain('risks acceptable before control');
  });

  it('a view without data says so instead of drawing nothing', () => {
    const dir = copyDir(FIXTURE);
    const risks = path.join(dir, 'records/security/risks.yaml');
    fs.writeFileSync(
      risks,
      fs.readFileSync(risks, 'utf8').replace('multiPatientHarm: true', 'multiPatientHarm: false'),
    );
    const controls = path.join(dir, 'records/security/controls.yaml');
    fs.writeFileSync(
      controls,
      fs.readFileSync(controls, 'utf8').replace('[updatability, integrity]', '[integrity]'),
    );
    const { report, graph } = reportOf(dir);
    const views = securityViews(report, controlItems(graph));
    expect(views.find((v) => v.key === 'multi-patient-harm')!.svg).toContain(
      'No security risk is marked multiPatientHarm',
    );
    expect(views.find((v) => v.key === 'updatability')!.svg).toContain(
      'No security control in category updatability',
    );
  });

  it('hostile record text is escaped in every view: a title cannot open markup', () => {
    const dir = copyDir(FIXTURE);
    const hostile = '"><script>alert(1)</script>&';
    for (const [file, from] of [
      ['records/security/threats.yaml', 'Tampered drug library pushed over Wi-Fi'],
      ['records/security/risks.yaml', 'Fleet-wide altered drug limits'],
      ['records/security/controls.yaml', 'Signed firmware updates'],
    ] as const) {
      const p = path.join(dir, file);
      fs.writeFileSync(p, fs.readFileSync(p, 'utf8').replace(`title: ${from}`, `title: '${hostile}'`));
    }
    const tm = path.join(dir, 'records/security/TM-001.md');
    fs.writeFileSync(
      tm,
      fs
        .readFileSync(tm, 'utf8')
        .replace('name: Drug library', `name: '${hostile}'`)
        .replace('name: Hospital network', `name: '${hostile}'`)
        .replace('name: USB service port', `name: '${hostile}'`),
    );
    const { report, graph } = reportOf(dir);
    const views = securityViews(report, controlItems(graph));
    for (const v of views) {
      expect(v.svg, v.file).not.toContain('<script');
      expect(XMLValidator.validate(v.svg), v.file).toBe(true);
    }
    const all = views.map((v) => v.svg).join('\n');
    expect(all).toContain('&quot;&gt;&lt;script&gt;');
  });
});

describe('contracts', () => {
  it('the committed schemas/security-*.schema.json match the code', () => {
    for (const name of ['security-report.schema.json', 'security-postmarket.schema.json']) {
      const committed = JSON.parse(fs.readFileSync(path.join(REPO, 'schemas', name), 'utf8'));
      expect(committed, `schemas/${name} is stale: run npm run schemas`).toEqual(jsonSchemas()[name]);
    }
  });

  it('an incomplete project: both reports still print, say so as data, validate, and exit 1', () => {
    const dir = copyDir(FIXTURE);
    fs.writeFileSync(path.join(dir, 'records/security/broken.yaml'), 'kind: threat\nrecords:\n  - id: [\n');
    for (const [args, schema] of [
      [['security', '.', '--format', 'json'], 'security-report.schema.json'],
      [['security', 'report', '.', '--format', 'json'], 'security-postmarket.schema.json'],
    ] as const) {
      const r = runCli([...args], dir, { DOSSIER_TODAY: '2026-10-02' });
      expect(r.code, args.join(' ')).toBe(1);
      const report = JSON.parse(r.stdout);
      expect(report.incomplete).toBe(true);
      expect(report.unloadedFiles.map((u: { file: string }) => u.file)).toEqual([
        'records/security/broken.yaml',
      ]);
      const validate = validator(schema);
      expect(validate(report), JSON.stringify(validate.errors)).toBe(true);
    }
  });
});

describe('the Security Risk Management Report (documentation package)', () => {
  it('is written for a project with security records, with every section and the four views', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-srmr-'));
    const r = runCli(['docs', 'build', FIXTURE, '--only', 'SRMR', '--format', 'md', '--out', out]);
    expect(r.code, r.stderr).toBe(0);
    const md = fs.readFileSync(path.join(out, 'SRMR.md'), 'utf8');
    for (const heading of [
      '## 2 Threat model',
      '## 3 Security risk assessment',
      '## 4 Security controls (FDA guidance, Appendix 1)',
      '## 5 Traceability: threat → risk → control → requirement → test',
      '## 6 Security testing',
      '## 7 Security architecture views',
    ])
      expect(md).toContain(heading);
    expect(md).toMatch(/\| Authorization \| \*\*none\*\* \|/);
    expect(md).toContain('| Front-panel keypad (keypad) | — | internal | device | **none: not assessed** |');
    for (const view of ['global-system', 'multi-patient-harm', 'updatability', 'security-use-cases'])
      expect(fs.existsSync(path.join(out, `SRMR-${view}.svg`)), view).toBe(true);
  });

  it('is not part of the package of a project without security records', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-srmr-'));
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-nosec-'));
    expect(runCli(['init', dir]).code).toBe(0);
    const r = runCli(['docs', 'build', dir, '--only', 'SRMR', '--format', 'md', '--out', out]);
    expect(r.code).toBe(2);
    expect(fs.existsSync(path.join(out, 'SRMR.md'))).toBe(false);
  });
});
