import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { TraceGraph } from '../src/graph/graph.js';
import { starterFiles } from '../src/init/starter.js';
import { loadProject } from '../src/load/project.js';
import { PLAN_TYPES, type SafetyClass } from '../src/model/vocabulary.js';
import { planCoverage, planSectionsForClause } from '../src/plans/coverage.js';
import { headingMatches, normalizeHeading, outline, sectionText } from '../src/plans/markdown-outline.js';
import { hasContent } from '../src/plans/placeholder.js';
import { PLAN_TYPE_SPECS } from '../src/plans/plan-data.js';
import { classesOfClause, IEC_62304_ED1_1 } from '../src/safety/class-scheme.js';
import type { SafetyAnalysis } from '../src/safety/safety-analysis.js';
import { projectClass, subjectClasses } from '../src/safety/subject-class.js';
import { approved, REPO, runCli, writeProject } from './helpers.js';

const PLAN_CODES = ['plan/missing', 'plan/section-missing', 'plan/section-empty', 'plan/section-unknown'];

/** The starter project of a class, with files replaced, added or (value null) removed. */
function project(cls: SafetyClass, overrides: Record<string, string | null> = {}): string {
  const files: Record<string, string> = {
    ...starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: cls }),
  };
  for (const [file, content] of Object.entries(overrides)) {
    if (content === null) delete files[file];
    else files[file] = content;
  }
  return writeProject(files, false);
}

function analysisOf(dir: string) {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error(JSON.stringify(loaded.findings));
  return analyze(loaded.project, { today: '2026-12-01' });
}

function planFindings(dir: string): Diagnostic[] {
  return analysisOf(dir).diagnostics.filter((d) => PLAN_CODES.includes(d.code));
}

const show = (ds: readonly Diagnostic[]) =>
  ds.map((d) => `${d.severity} ${d.code} ${d.file}:${d.line} [${d.clauses.join(', ')}] ${d.message}`);

const starter = (cls: SafetyClass, file: string) =>
  starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: cls })[file]!;
const SDP = 'records/plans/PLAN-001.md';
const SMP = 'records/plans/PLAN-002.md';
const RMP = 'records/plans/PLAN-003.md';

/** A plan record file. */
const plan = (id: string, fields: string, body: string) =>
  `---\nid: ${id}\ntitle: ${id} plan\nstatus: draft\n${fields.trim()}\n---\n${body}`;

/** One Markdown line number (1-based, in the file) of a line of the file. */
const lineOf = (text: string, line: string) => text.split('\n').indexOf(line) + 1;

describe('Markdown outline of a plan', () => {
  it('finds ATX and setext headings, not those in fenced code, with the extent of each section', () => {
    const doc = outline(
      [
        '# Plan',
        'intro',
        '## 3.2 Traceability',
        'links',
        '### Details',
        'more',
        '```',
        '## Not a heading',
        '```',
        'Release',
        '-------',
        'text',
      ].join('\n'),
    );
    expect(doc.headings.map((h) => [h.level, h.normalized, h.line, h.end])).toEqual([
      [1, 'plan', 0, 12],
      [2, 'traceability', 2, 9],
      [3, 'details', 4, 9],
      [2, 'release', 9, 12],
    ]);
    expect(sectionText(doc, doc.headings[1]!)).toBe('links\nmore\n```\n## Not a heading\n```');
    expect(sectionText(doc, doc.headings[3]!)).toBe('text');
  });

  it('compares headings without numbering, emphasis or a trailing colon, by whole words', () => {
    expect(normalizeHeading('3.2 Traceability')).toBe('traceability');
    expect(normalizeHeading('A.1 **Scope**:')).toBe('scope');
    expect(normalizeHeading('b) Deliverables')).toBe('deliverables');
    expect(normalizeHeading('(c) Life–cycle model')).toBe('life-cycle model');
    expect(headingMatches('traceability (5.1.1 c)', ['traceability'])).toBe(true);
    expect(headingMatches('risks of the project', ['risk'])).toBe(false);
    expect(headingMatches('risk management', ['risk'])).toBe(true);
  });

  it('reads hostile text in linear time: 200,000 headings, a megabyte-long heading, unclosed brackets', () => {
    const started = performance.now();
    const many = outline('# a\n'.repeat(200_000));
    expect(many.headings).toHaveLength(200_000);
    expect(many.headings[0]!.end).toBe(1);
    const long = outline(`## x${' '.repeat(1_000_000)}y\n${'#'.repeat(3)} ${'['.repeat(1_000_000)}\n`);
    expect(long.headings.map((h) => h.normalized.length)).toEqual([1, 300]);
    expect(hasContent(`${'<!--'.repeat(200_000)}${' '.repeat(1_000_000)}TBD`)).toBe(false);
    // Quadratic work on any of these would take minutes.
    expect(performance.now() - started).toBeLessThan(5000);
  });

  it('finds the sections of a covered type in linear time, whatever the number of its headings', () => {
    // 200,000 headings that introduce the covered type (a limit raised to let the file load): a
    // quadratic search for the headings under them would take minutes.
    const body = '# Configuration management\n## Items\nx\n'.repeat(200_000);
    const text = plan('PLAN-001', 'planType: development\ncovers: [configuration-management]', body);
    const config = `${starter('C', 'dossier.yaml')}limits:\n  maxFileBytes: 20000000\n`;
    const dir = project('C', { 'dossier.yaml': config, [SDP]: text });
    const started = performance.now();
    const findings = planFindings(dir);
    expect(findings.some((d) => d.clauses.includes('5.1.9 a'))).toBe(false);
    expect(findings.some((d) => d.clauses.includes('5.1.9 b'))).toBe(true);
    expect(performance.now() - started).toBeLessThan(20_000);
  }, 300_000);

  it('a section of placeholders is empty; N/A with a reason is not', () => {
    for (const empty of [
      '',
      'TBD',
      'TBD.',
      '- TODO\n- tbd',
      '<!-- describe the tools -->',
      'N/A',
      'Not applicable.',
      '| TBD |',
      'To be defined',
    ]) {
      expect(hasContent(empty), JSON.stringify(empty)).toBe(false);
    }
    for (const full of ['N/A: the software has no class C items.', 'See PLAN-004.', 'Git and GitLab CI.']) {
      expect(hasContent(full), full).toBe(true);
    }
  });
});

describe('plan section data', () => {
  it('describes every plan type; coveredBy names a plan type; every section title finds its own section', () => {
    expect(PLAN_TYPE_SPECS.map((s) => s.planType)).toEqual([...PLAN_TYPES]);
    for (const spec of PLAN_TYPE_SPECS) {
      if (spec.coveredBy) expect(PLAN_TYPES).toContain(spec.coveredBy);
      expect(spec.headings.length, spec.planType).toBeGreaterThan(0);
      for (const section of spec.sections) {
        // The hints suggest "## <title>": it must find the section.
        expect(headingMatches(normalizeHeading(section.title), section.headings), section.title).toBe(true);
      }
    }
  });

  it("each section's classes are those at which its clause applies (Table A.1 and the other standards)", () => {
    for (const spec of PLAN_TYPE_SPECS) {
      expect(spec.classes, spec.planType).toEqual(classesOfClause(IEC_62304_ED1_1, spec.clause).classes);
      for (const section of spec.sections) {
        const expected = classesOfClause(IEC_62304_ED1_1, section.clause).classes;
        expect(section.classes, `${spec.planType}.${section.key} (${section.clause})`).toEqual(expected);
      }
    }
  });
});

describe('plan rules', () => {
  it('the starter plans of every class pass; each required plan type is held with every section found', () => {
    for (const cls of ['A', 'B', 'C'] as const) {
      const dir = project(cls);
      expect(show(planFindings(dir)), cls).toEqual([]);
      const coverage = planCoverage(analysisOf(dir));
      expect(coverage.projectClass).toBe(cls);
      expect(coverage.types.map((t) => `${t.planType}:${t.status}`)).toEqual([
        'development:own',
        'maintenance:own',
        'configuration-management:covered',
        'problem-resolution:covered',
        'risk-management:own',
        'verification:absent',
        'integration:absent',
        'cybersecurity:absent',
      ]);
      for (const type of coverage.types) {
        for (const holder of type.holders) {
          expect(holder.approved).toBe(false);
          const notFound = holder.sections.filter((s) => s.applies && s.state !== 'found');
          expect(
            notFound.map((s) => s.key),
            `${cls} ${type.planType}`,
          ).toEqual([]);
        }
      }
      const text = fs.readFileSync(path.join(dir, SDP), 'utf8');
      expect(text).toContain('status: draft');
      expect(text).toContain('DRAFT — tailor this plan');
    }
  });

  it('plan/missing: a required plan type no plan holds, at dossier.yaml, with its clause', () => {
    const dir = project('C', { [SMP]: null });
    const config = starter('C', 'dossier.yaml');
    expect(show(planFindings(dir))).toEqual([
      `error plan/missing dossier.yaml:${lineOf(config, '  - records/**/*.md')} [6.1] no software maintenance plan (6.1): no active plan has \`planType: maintenance\` and none lists it in \`covers\``,
    ]);
  });

  it('plan/missing: configuration management and problem resolution need a plan or `covers`; an obsolete plan holds nothing', () => {
    const sdp = starter('C', SDP).replace(
      'covers: [configuration-management, problem-resolution]',
      'covers: [problem-resolution]',
    );
    const cmBody = [
      '## Controlled items',
      'Code.',
      '## Activities',
      'Git.',
      '## Responsibilities',
      'Lead.',
      '## Relationships',
      'Same.',
      '## Baselines',
      'First commit.',
      '## Problem resolution',
      'Always.',
    ].join('\n');
    const obsoleteCm = plan('PLAN-009', 'planType: configuration-management', cmBody).replace(
      'status: draft',
      'status: obsolete',
    );
    const findings = planFindings(project('C', { [SDP]: sdp, 'records/plans/PLAN-009.md': obsoleteCm }));
    expect(findings.map((d) => `${d.code} ${d.clauses}`)).toEqual(['plan/missing 5.1.9']);
    expect(findings[0]!.message).toContain('none lists it in `covers`');
    expect(findings[0]!.hint).toContain('covers: [configuration-management]');
    // The same plan, active, holds the type: nothing is missing.
    expect(
      show(
        planFindings(
          project('C', {
            [SDP]: sdp,
            'records/plans/PLAN-009.md': obsoleteCm.replace('status: obsolete', 'status: draft'),
          }),
        ),
      ),
    ).toEqual([]);
  });

  it('plan/section-missing: per section with its clause, at the plan; a numbered heading counts', () => {
    const text = starter('C', SDP)
      .replace('## Traceability\n', '## 3.2 Traceability\n')
      .replace('## Deliverables\n', '## Work products\n');
    const dir = project('C', { [SDP]: text });
    expect(show(planFindings(dir))).toEqual([
      `error plan/section-missing records/plans/PLAN-001.md:${lineOf(text, 'planType: development')} [5.1.1 b] PLAN-001 (Software development plan) has no section "Deliverables" (5.1.1 b)`,
    ]);
    expect(planFindings(dir)[0]!.hint).toContain('## Deliverables');
  });

  it('a heading finds the section it names most specifically, not a section with a shorter heading', () => {
    // Without "Configuration management", only 5.1.11's heading is left: it is not also 5.1.1 d.
    // "Tools under control" is 5.1.10, not 5.1.4 ("tools").
    const text = starter('C', SDP)
      .replace('## Configuration management\n', '## Change of items\n')
      .replace('## Standards, methods and tools\n', '## Tools under control\n')
      .replace('## Supporting items under control\n', '## Build environment notes\n');
    const findings = planFindings(project('C', { [SDP]: text }));
    expect(findings.map((d) => `${d.code} ${d.clauses}`).sort()).toEqual([
      'plan/section-missing 5.1.1 d',
      'plan/section-missing 5.1.4',
      'plan/section-missing 5.1.9 a',
      'plan/section-missing 5.1.9 b',
      'plan/section-missing 5.1.9 c',
      'plan/section-missing 5.1.9 d',
      'plan/section-missing 5.1.9 e',
      'plan/section-missing 5.1.9 f',
    ]);
  });

  it('plan/section-empty: a heading with only TBD, at its line; a `sections` field with N/A and no reason', () => {
    const text = starter('C', SDP).replace(
      /## Traceability\n\n[\s\S]*?\n\n## /,
      '## Traceability\n\nTBD\n\n<!-- describe the links -->\n\n## ',
    );
    const rmp = starter('C', RMP)
      .replace(/## Scope\n\n[\s\S]*?\n\n## /, '## ')
      .replace('revision: "0.1"\n', 'revision: "0.1"\nsections:\n  scope: N/A\n');
    const dir = project('C', { [SDP]: text, [RMP]: rmp });
    expect(show(planFindings(dir))).toEqual([
      `error plan/section-empty records/plans/PLAN-001.md:${lineOf(text, '## Traceability')} [5.1.1 c] PLAN-001 (Software development plan): section "Traceability" (Traceability, 5.1.1 c) has no text but placeholders`,
      `error plan/section-empty records/plans/PLAN-003.md:${lineOf(rmp, '  scope: N/A')} [ISO 14971 4.4 a] PLAN-003 (Risk management plan): section \`sections.scope\` (Scope, ISO 14971 4.4 a) has no text but placeholders`,
    ]);
    // With a reason the field says something.
    const reasoned = rmp.replace('scope: N/A', 'scope: "The SP-1 pump and its software, whole life cycle."');
    expect(
      show(
        planFindings(
          project('C', { [SDP]: text.replace('\nTBD\n', '\nLinks in the records.\n'), [RMP]: reasoned }),
        ),
      ),
    ).toEqual([]);
  });

  it('sections as fields: a whole plan in `sections`, covered types as `<type>.<key>`; an unknown key is a warning', () => {
    const cm = plan(
      'PLAN-004',
      [
        'planType: maintenance',
        'covers: [configuration-management]',
        'sections:',
        '  feedback: Service reports and complaints, logged in the eQMS.',
        '  problemCriteria: Any deviation from requirements or intended use.',
        '  riskManagement: Each problem is evaluated against the risk file.',
        '  problemResolution: As in the development plan.',
        '  configurationManagement: Through change requests.',
        '  soupUpdates: Quarterly SOUP review.',
        '  configuration-management.items: Source, build scripts, records.',
        '  configuration-management.activities: Identification, change control, status accounting.',
        '  configuration-management.responsibilities: The software lead.',
        '  configuration-management.relationships: Development and maintenance change items only by merge request.',
        '  configuration-management.whenControlled: From the first commit.',
        '  configuration-management.problemResolutionUse: For every anomaly once under control.',
        '  configuration-management.item: typo',
      ].join('\n'),
      '',
    );
    const sdp = starter('C', SDP).replace(
      'covers: [configuration-management, problem-resolution]',
      'covers: [problem-resolution]',
    );
    const dir = project('C', { [SDP]: sdp, [SMP]: null, 'records/plans/PLAN-004.md': cm });
    expect(show(planFindings(dir))).toEqual([
      `warning plan/section-unknown records/plans/PLAN-004.md:${lineOf(cm, '  configuration-management.item: typo')} [5.1.1] PLAN-004: \`sections.configuration-management.item\` names no section of a maintenance plan or of a plan type it covers; did you mean \`configuration-management.items\`?`,
    ]);
    const coverage = planCoverage(analysisOf(dir));
    expect(
      coverage.types.find((t) => t.planType === 'configuration-management')!.holders.map((h) => h.plan.id),
    ).toEqual(['PLAN-004']);
  });

  it("a covered type is found only under its heading: the development plan's Verification is not 9.7", () => {
    // A new level-2 heading ends "Software problem resolution": its subsections are no longer under it.
    const text = starter('C', SDP).replace(
      '## Software problem resolution\n',
      '## Software problem resolution\n\nAs below.\n\n## Handling problems\n',
    );
    const findings = planFindings(project('C', { [SDP]: text }));
    expect(findings.map((d) => `${d.code} ${d.clauses}`).sort()).toEqual([
      'plan/section-missing 9.1',
      'plan/section-missing 9.2',
      'plan/section-missing 9.3',
      'plan/section-missing 9.6',
      'plan/section-missing 9.7',
    ]);
    const reports = findings.find((d) => d.clauses.includes('9.1'))!;
    expect(reports.message).toContain(
      'covers the software problem resolution procedure but has no section "Problem reports" (9.1) under "Software problem resolution"',
    );
    expect(reports.line).toBe(lineOf(text, 'covers: [configuration-management, problem-resolution]'));
    expect(reports.hint).toContain('sections: { problem-resolution.reports: … }');
  });

  it('a covering plan without the heading of the covered type says so', () => {
    const text = starter('C', SDP).replace('## Software problem resolution\n', '## Anomalies\n');
    const findings = planFindings(project('C', { [SDP]: text }));
    expect(findings).toHaveLength(5);
    expect(findings[0]!.message).toContain(
      'it has no "Problem resolution" heading to hold the covered sections',
    );
  });

  it('sections of class B and C apply by the highest class in the project: a class A plan is complete at A, not at C', () => {
    const classA = starter('A', SDP);
    expect(show(planFindings(project('A', { [SDP]: classA })))).toEqual([]);
    const findings = planFindings(project('C', { [SDP]: classA }));
    expect(findings.map((d) => `${d.code} ${d.clauses} ${d.safetyClass}`).sort()).toEqual([
      'plan/section-missing 5.1.10 C',
      'plan/section-missing 5.1.11 C',
      'plan/section-missing 5.1.12 C',
      'plan/section-missing 5.1.4 C',
      'plan/section-missing 5.1.5 C',
    ]);
    const atB = planFindings(project('B', { [SDP]: classA }));
    expect(atB.map((d) => `${d.clauses}`).sort()).toEqual(['5.1.10', '5.1.11', '5.1.12', '5.1.5']);
  });

  it('a project without a classified system judges its plans at class C (4.3 g)', () => {
    const dir = project('A', {
      'dossier.yaml': starter('A', 'dossier.yaml').replace('system: SI-001', 'system: SI-404'),
    });
    expect(planCoverage(analysisOf(dir)).projectClass).toBe('C');
    expect(
      planFindings(dir)
        .map((d) => d.clauses.join())
        .sort(),
    ).toEqual(['5.1.10', '5.1.11', '5.1.12', '5.1.4', '5.1.5']);
  });

  it('the highest class in the project is taken over the system and every item (4.3 f)', () => {
    const safety = {
      scheme: IEC_62304_ED1_1,
      system: { computedClass: 'B' },
      items: [{ computedClass: 'A' }, { computedClass: 'C' }],
    } as unknown as SafetyAnalysis;
    expect(projectClass(safety)).toBe('C');
    expect(projectClass({ ...safety, items: [{ computedClass: 'A' }] } as unknown as SafetyAnalysis)).toBe(
      'B',
    );
    const graph = new TraceGraph([]);
    expect(subjectClasses(graph, { ...safety, soup: [] } as unknown as SafetyAnalysis)(undefined)).toBe('C');
  });

  it('a project without plans reports each required plan once', () => {
    const dir = project('B', { [SDP]: null, [SMP]: null, [RMP]: null });
    expect(
      planFindings(dir)
        .map((d) => `${d.code} ${d.clauses}`)
        .sort(),
    ).toEqual([
      'plan/missing 5.1.1',
      'plan/missing 5.1.9',
      'plan/missing 6.1',
      'plan/missing 9',
      'plan/missing ISO 14971 4.4',
    ]);
  });
});

describe('planSectionsForClause (for the gap scan)', () => {
  it('lists the sections under a clause with their plan, and those of a missing plan as missing', () => {
    const coverage = planCoverage(analysisOf(project('C', { [SMP]: null })));
    const cm = planSectionsForClause(coverage, '5.1.9');
    expect(cm.map((e) => `${e.plan?.id} ${e.section.clause} ${e.section.state}`)).toEqual([
      'PLAN-001 5.1.9 a found',
      'PLAN-001 5.1.9 b found',
      'PLAN-001 5.1.9 c found',
      'PLAN-001 5.1.9 d found',
      'PLAN-001 5.1.9 e found',
      'PLAN-001 5.1.9 f found',
    ]);
    const maintenance = planSectionsForClause(coverage, '6.1');
    expect(maintenance.map((e) => `${e.plan?.id} ${e.section.clause} ${e.section.state}`)).toEqual([
      'undefined 6.1 a missing',
      'undefined 6.1 b missing',
      'undefined 6.1 c missing',
      'undefined 6.1 d missing',
      'undefined 6.1 e missing',
      'undefined 6.1 f missing',
    ]);
    // 5.1.7: the development plan's section and the risk management plan's software section.
    expect(planSectionsForClause(coverage, '5.1.7').map((e) => `${e.planType} ${e.section.key}`)).toEqual([
      'development riskManagement',
      'risk-management software',
    ]);
    // An optional plan type no plan holds adds nothing: the development plan plans verification.
    expect(planSectionsForClause(coverage, '5.1.6').map((e) => `${e.planType} ${e.section.key}`)).toEqual([
      'development verification',
    ]);
    expect(planSectionsForClause(coverage, '5.1.1').map((e) => e.section.clause)).toEqual([
      '5.1.1',
      '5.1.1 b',
      '5.1.1 c',
      '5.1.1 d',
      '5.1.1 e',
    ]);
  });
});

describe('plans and the release gate', () => {
  it('a plan that is not approved blocks the release (5.1.2); approved, it does not', () => {
    const files = starterFiles({ name: 'Test device', manufacturer: 'Test Co', safetyClass: 'C' });
    const approvedFiles = Object.fromEntries(
      Object.entries(files).map(([file, content]) => [
        file,
        file.startsWith('records/') ? approved(content) : content,
      ]),
    );
    const blockers = (overrides: Record<string, string>) => {
      const dir = writeProject({ ...approvedFiles, ...overrides }, false);
      return releaseGate(analysisOf(dir), '0.1.0').blockers.filter((b) => b.code === 'release/not-approved');
    };
    expect(blockers({})).toEqual([]);
    const draft = blockers({ [SMP]: files[SMP]! });
    expect(draft.map((b) => [b.clauses, b.records?.map((r) => `${r.id} ${r.kind} ${r.status}`)])).toEqual([
      [['5.1.2', 'ISO 13485 7.3.2'], ['PLAN-002 plan draft']],
    ]);
  });
});

describe('dossier init writes the plans', () => {
  it('init --class B then check: no plan findings, and the plans are drafts to tailor', () => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-init-')), 'p');
    expect(runCli(['init', dir, '--class', 'B']).code).toBe(0);
    for (const file of [SDP, SMP, RMP]) {
      const text = fs.readFileSync(path.join(dir, file), 'utf8');
      expect(text).toMatch(/^status: draft$/m);
      expect(text).toContain('DRAFT — tailor this plan');
    }
    const r = runCli(['check', dir, '--format', 'json']);
    expect(r.code).toBe(0);
    const report = JSON.parse(r.stdout);
    expect(report.diagnostics.filter((d: Diagnostic) => d.code.startsWith('plan/'))).toEqual([]);
  });
});

describe('docs/plans.md', () => {
  it('has the row of every section of every plan type as the data says it, and every plan rule', () => {
    const docs = fs.readFileSync(path.join(REPO, 'docs/plans.md'), 'utf8');
    for (const spec of PLAN_TYPE_SPECS) {
      expect(docs).toContain(`\`planType: ${spec.planType}\``);
      for (const s of spec.sections) {
        expect(docs).toContain(
          `| \`${s.key}\` | ${s.clause} | ${s.title} | ${s.classes.join(', ')} | ${s.mustSay} |`,
        );
      }
    }
    for (const code of PLAN_CODES) expect(docs).toContain(`\`${code}\``);
  });
});
