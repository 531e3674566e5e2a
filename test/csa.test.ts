/** Validation of production and quality system software (issue 17 §3; docs/csa.md). */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { gapScan, gapScanFails, PRODUCTION_SOFTWARE_REASON } from '../src/gap/scan.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { check, codes, REPO, runCli, starterProject, writeProject } from './helpers.js';

const EXAMPLE = path.join(REPO, 'examples/label-printing');
const TODAY = '2026-11-30';

/** The production-software starter, with files replaced or added. */
function csaProject(overrides: Record<string, string> = {}): string {
  const files = starterFiles({
    name: 'Test device',
    manufacturer: 'Test Co',
    safetyClass: 'C',
    profile: 'production-software',
    date: TODAY,
  });
  return writeProject({ ...files, ...overrides }, false);
}

const csaOf = (diagnostics: readonly Diagnostic[]) => diagnostics.filter((d) => d.code.startsWith('csa/'));

/** A feature collection with one feature of the given risk. */
function feature(risk: string | undefined, extra = ''): string {
  return `kind: feature
records:
  - id: FEAT-001
    title: Label data merge
    intendedUse: IU-001
${risk === undefined ? '' : `    processRisk: ${risk}\n`}    riskRationale: A wrong lot on a label is not caught downstream.
${extra}    text: Merges work-order data into the label.
`;
}

const run = (outcome: string, version = '1.0.0') => `kind: test-run
records:
  - id: RUN-001
    title: Manual run
    version: "${version}"
    date: ${TODAY}
    executedBy: T. Tester
    environment: Validation server
    tools: [LabelPro OQ suite 1.0]
    manual: true
    results:
      - test: TC-001
        outcome: ${outcome}
`;

const activity = (fields: string) => `---
id: AA-001
kind: assurance-activity
title: Exploratory session
method: unscripted
date: ${TODAY}
performedBy: T. Tester
assures: [FEAT-001]
${fields}
---
Exercised the feature.
`;

/** The starter with FEAT-001 alone (high, scripted): each test judges one feature. */
const ALONE = {
  'records/assurance/AA-001.md': '',
  'records/features/features.yaml': feature('high', '    assurance: [scripted]\n'),
};

function only(overrides: Record<string, string>): Diagnostic[] {
  const dir = csaProject({ ...ALONE, ...overrides });
  // An empty file stands for "removed": take it away before loading.
  for (const [rel, content] of Object.entries({ ...ALONE, ...overrides }))
    if (content === '') fs.rmSync(path.join(dir, rel));
  return check(dir);
}

describe('dossier.yaml profile', () => {
  it('an unknown profile is a config error that names the values', () => {
    const dir = csaProject();
    const file = path.join(dir, 'dossier.yaml');
    fs.writeFileSync(
      file,
      fs.readFileSync(file, 'utf8').replace('profile: production-software', 'profile: qms'),
    );
    const result = loadProject(dir);
    expect(result.ok).toBe(false);
    const finding = result.ok ? undefined : result.findings[0];
    expect(finding?.code).toBe('config/invalid');
    expect(finding?.message).toContain('unknown profile "qms"');
    expect(finding?.message).toContain('production-software');
  });

  it('production software has no safety class and must name its version', () => {
    const dir = csaProject();
    const file = path.join(dir, 'dossier.yaml');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('  version: "1.0.0"', '  safetyClass: B'));
    const result = loadProject(dir);
    const messages = result.ok ? [] : result.findings.map((f) => f.message).join('\n');
    expect(messages).toContain('software.safetyClass is an IEC 62304 device class');
    expect(messages).toContain('required setting "software.version" is missing');
  });

  it('the device profile is the default and still needs its safety class', () => {
    const dir = starterProject();
    expect(csaOf(check(dir))).toEqual([]);
    const file = path.join(dir, 'dossier.yaml');
    fs.writeFileSync(file, fs.readFileSync(file, 'utf8').replace(/^ {2}safetyClass: C.*\n/m, ''));
    expect(loadProject(dir).ok).toBe(false);
  });
});

describe('the CSA rules, per risk level', () => {
  it('init --profile production-software checks clean, and runs no device rule', () => {
    const diagnostics = check(csaProject());
    expect(diagnostics.map((d) => `${d.code} ${d.message}`)).toEqual([]);
  });

  it('high: a scripted test that passed on the validated version is enough', () => {
    expect(csaOf(only({}))).toEqual([]);
  });

  it('high: a failed, or another version’s, scripted result is not', () => {
    for (const runFile of [run('failed'), run('passed', '0.9.0')]) {
      const found = csaOf(only({ 'records/evidence/RUN-001.yaml': runFile }));
      expect(codes(found)).toContain('csa/assurance-missing');
      const finding = found.find((d) => d.code === 'csa/assurance-missing')!;
      expect(finding.message).toContain('FEAT-001');
      expect(finding.message).toContain('needs a scripted test');
      expect(finding.file).toBe('records/features/features.yaml');
    }
  });

  it('high: unscripted testing alone is not enough', () => {
    const found = csaOf(
      only({
        'records/features/features.yaml': feature('high'),
        'records/tests/scripted-tests.yaml': '',
        'records/evidence/RUN-001.yaml': '',
        'records/assurance/AA-002.md': activity('version: "1.0.0"\noutcome: passed').replace(
          'AA-001',
          'AA-002',
        ),
      }),
    );
    expect(codes(found)).toEqual(['csa/assurance-missing']);
    expect(found[0]!.message).toContain('high process risk needs a scripted test');
  });

  it('not high: a recorded unscripted activity on the version is enough; nothing, a failure, an open issue or another version is not', () => {
    const base = {
      'records/features/features.yaml': feature('not-high'),
      'records/tests/scripted-tests.yaml': '',
      'records/evidence/RUN-001.yaml': '',
    };
    const withActivity = (fields: string) => ({
      ...base,
      'records/assurance/AA-009.md': activity(fields).replace('AA-001', 'AA-009'),
    });
    expect(csaOf(only(withActivity('version: "1.0.0"\noutcome: passed')))).toEqual([]);
    const issueOpen = `version: "1.0.0"\noutcome: passed-with-issues\nissues:\n  - description: Count off by one\n    disposition: open`;
    for (const overrides of [
      base,
      withActivity('version: "1.0.0"\noutcome: failed'),
      withActivity(issueOpen),
      withActivity('version: "0.9.0"\noutcome: passed'),
    ]) {
      const found = csaOf(only(overrides));
      expect(codes(found)).toEqual(['csa/assurance-missing']);
      expect(found[0]!.message).toContain('not high process risk needs');
    }
  });

  it('a feature without a risk determination fails closed', () => {
    const found = csaOf(
      only({ 'records/features/features.yaml': feature(undefined, '    assurance: [scripted]\n') }),
    );
    expect(codes(found)).toContain('csa/risk-undetermined');
    expect(found.every((d) => d.severity === 'error')).toBe(true);
    expect(found.find((d) => d.code === 'csa/risk-undetermined')!.message).toContain('FEAT-001');
  });

  it('an acceptable decision while assurance is missing, or no decision, is an error', () => {
    const acceptable = fs
      .readFileSync(path.join(csaProject(), 'records/VD-001.md'), 'utf8')
      .replace('decision: not-acceptable', 'decision: acceptable');
    const found = csaOf(
      only({ 'records/VD-001.md': acceptable, 'records/evidence/RUN-001.yaml': run('failed') }),
    );
    expect(found.find((d) => d.code === 'csa/decision-missing')?.message).toContain(
      'FEAT-001 lack the assurance',
    );
    expect(codes(csaOf(only({ 'records/VD-001.md': acceptable })))).toEqual([]);
    const none = csaOf(only({ 'records/VD-001.md': '' }));
    expect(none.map((d) => d.message)).toEqual([
      'no validation-decision records the conclusion for version 1.0.0',
    ]);
  });

  it('software.system must be the intended-use record', () => {
    const found = csaOf(only({ 'records/IU-001.md': '' }));
    expect(codes(found)).toContain('csa/intended-use-missing');
    expect(found.find((d) => d.code === 'csa/intended-use-missing')!.file).toBe('dossier.yaml');
  });
});

describe('the label-printing example', () => {
  const loaded = loadProject(EXAMPLE);
  if (!loaded.ok) throw new Error('the example must load');
  const analysis = analyze(loaded.project, { today: TODAY });

  it('checks clean', () => {
    expect(analysis.diagnostics.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
  });

  it('has mixed risks, scripted, unscripted, ad-hoc and vendor evidence, and a decision', () => {
    const { graph } = analysis;
    const features = graph.ofKind('feature');
    expect(features.length).toBeGreaterThanOrEqual(5);
    expect(new Set(features.map((f) => f.fields.processRisk))).toEqual(new Set(['high', 'not-high']));
    expect(new Set(graph.ofKind('assurance-activity').map((a) => a.fields.method))).toEqual(
      new Set(['unscripted', 'ad-hoc', 'vendor-evidence']),
    );
    expect(graph.ofKind('test-run')[0]?.fields.report).toBeDefined();
    expect(graph.ofKind('validation-decision')).toHaveLength(1);
  });

  it('the gap scan judges the CSA criteria and says the IEC 62304 clauses do not apply', () => {
    const scan = gapScan(analysis);
    expect(scan.csa?.items.map((o) => `${o.key} ${o.status}`)).toEqual([
      'intended-use evidence-found',
      'process-risk evidence-found',
      'assurance evidence-found',
      'results evidence-found',
      'decision evidence-found',
    ]);
    expect(
      scan.clauses.every((c) => !c.applies && c.notApplicableBecause === PRODUCTION_SOFTWARE_REASON),
    ).toBe(true);
    expect(scan.cybersecurity.applies).toBe(false);
    expect(gapScanFails(scan)).toBe(false);
  });

  it('builds the Software Validation Report with each feature, its risk and its assurance', () => {
    const out = fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-csa-'));
    const r = runCli(['build', EXAMPLE, '--out', out], REPO, {
      DOSSIER_TODAY: TODAY,
      SOURCE_DATE_EPOCH: '1764460800',
    });
    expect(r.code).toBe(0);
    // The summary names the system and counts the CSA criteria, never "0 applicable clauses" (a
    // vacuous green): the IEC 62304 clauses do not apply to production software.
    const system = analysis.graph.get(analysis.project.config.software.system)!.title;
    expect(r.stdout).toContain(`Dossier build: ${system}, production software for`);
    const gapLine = r.stdout.split('\n').find((l) => l.startsWith('gap-scan'));
    expect(gapLine).toMatch(
      /5 CSA criteria \(IEC 62304 not applicable: production software\): 5 evidence found, 0 partial, 0 no evidence/,
    );
    expect(gapLine).not.toContain('applicable clause');
    const report = fs.readFileSync(path.join(out, 'documents/SVR.md'), 'utf8');
    for (const f of analysis.graph.ofKind('feature')) {
      const row = report.split('\n').find((l) => l.startsWith(`| [${f.id}](#${f.id}) ${f.title} |`));
      expect(row, f.id).toContain(`| ${String(f.fields.processRisk)} |`);
      const status = report
        .split('\n')
        .find((l) => l.startsWith(`| [${f.id}](#${f.id}) | ${String(f.fields.processRisk)} |`));
      expect(status, f.id).toMatch(/\| complete \|$/);
    }
    expect(report).toContain('**acceptable**');
    expect(fs.existsSync(path.join(out, 'documents/SVR.pdf'))).toBe(true);
    // Device outputs are not produced for production software.
    expect(fs.existsSync(path.join(out, 'risk'))).toBe(false);
    expect(fs.existsSync(path.join(out, 'documents/SRS.md'))).toBe(false);
  });
});

describe('the command line', () => {
  it('a high-risk feature without scripted evidence fails check, naming the feature file and line', () => {
    const dir = csaProject();
    fs.rmSync(path.join(dir, 'records/evidence/RUN-001.yaml'));
    const r = runCli(['check', dir], REPO, { DOSSIER_TODAY: TODAY });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      /records\/features\/features\.yaml:\d+:\d+ error csa\/assurance-missing FEAT-001/,
    );
    const gap = runCli(['gap-scan', dir], REPO, { DOSSIER_TODAY: TODAY });
    // The assurance criterion is partial (one of two features lacks it); the decision is absent
    // only when no record exists, so remove it too to see the scan fail.
    expect(gap.stdout).toContain('Validation of production software');
    expect(gap.stdout).not.toContain('Classes present');
    fs.rmSync(path.join(dir, 'records/VD-001.md'));
    const failing = runCli(['gap-scan', dir], REPO, { DOSSIER_TODAY: TODAY });
    expect(failing.code).toBe(1);
    expect(failing.stdout).toMatch(/CSA criteria without evidence \(decision\): exit 1/);
    expect(gap.stdout).toMatch(
      /assurance +Assurance activities by risk +✖|assurance .*(no evidence|partial)/,
    );
  });

  it('init --profile production-software writes a project that checks clean and builds its report', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-csa-init-')), 'p');
    expect(runCli(['init', dir, '--profile', 'production-software']).code).toBe(0);
    expect(runCli(['check', dir], REPO, { DOSSIER_TODAY: TODAY }).code).toBe(0);
    const out = path.join(dir, 'out');
    expect(runCli(['build', dir, '--out', out], REPO, { DOSSIER_TODAY: TODAY }).code).toBe(0);
    const report = fs.readFileSync(path.join(out, 'documents/SVR.md'), 'utf8');
    // The starter's decision is a sample that never reads as a finished validation.
    expect(report).toContain('**not-acceptable**');
  });
});
