/**
 * The software part of the Risk Management File (RMF) and the Traceability Matrices (TRACE) of the
 * documentation package (docs/documents.md). Expectations are derived from the raw records (their
 * fields and links), not from the builders' helpers.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Analysis, analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import { packageFiles } from '../src/docs/files.js';
import { DOCUMENTS } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { loadProject } from '../src/load/project.js';
import type { DossierRecord } from '../src/model/record.js';
import { renderRisk } from '../src/safety/risk-report.js';
import { buildDocument, DOC_DATE } from './document-helpers.js';
import { EXAMPLE, starterProject } from './helpers.js';

// The example takes seconds to analyse: it is analysed once here, each document built from that
// analysis once per baseline (buildDocument's own steps: documentContext, then the registry's builder).
let example: Analysis | undefined;
const built = new Map<string, ReturnType<typeof buildDocument>>();
const cached = (dir: string, key: string, baseline?: string) => {
  if (dir !== EXAMPLE) return buildDocument(dir, key, baseline);
  const id = `${key} ${baseline ?? ''}`;
  if (!built.has(id)) {
    if (!example) {
      const loaded = loadProject(EXAMPLE);
      if (!loaded.ok) throw new Error('the example did not load');
      example = analyze(loaded.project, { today: DOC_DATE });
    }
    const context = documentContext(example, { date: DOC_DATE, ...(baseline ? { baseline } : {}) });
    const doc = DOCUMENTS.find((d) => d.key === key)!.build(context);
    built.set(id, { doc, markdown: renderMarkdown(doc), analysis: example, context });
  }
  return built.get(id)!;
};
const rmfOf = (dir: string, baseline?: string) => cached(dir, 'RMF', baseline);
const traceOf = (dir: string, baseline?: string) => cached(dir, 'TRACE', baseline);

const starter = (file: string) => fs.readFileSync(path.join(starterProject(), file), 'utf8');
const active = (records: readonly DossierRecord[]) => records.filter((r) => r.status !== 'obsolete');
const linksOf = (r: DossierRecord, field: string) => r.links[field] ?? [];

/** The Markdown from the heading anchored at `id` to the next heading of the same or a higher level. */
function sectionOf(markdown: string, id: string): string {
  const start = markdown.indexOf(`<a id="${id}"></a>`);
  expect(start, id).toBeGreaterThan(-1);
  const lineStart = markdown.lastIndexOf('\n', start) + 1;
  const level = /^#+/.exec(markdown.slice(lineStart))![0].length;
  const rest = markdown.slice(start);
  const next = rest.slice(1).search(new RegExp(`\\n#{2,${level}} `));
  return next === -1 ? rest : rest.slice(0, next + 1);
}

/** The Markdown of a numbered top-level section ("## 8 …") up to the next one. */
function chapter(markdown: string, number: number): string {
  const start = markdown.indexOf(`\n## ${number} `);
  expect(start, `section ${number}`).toBeGreaterThan(-1);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end === -1 ? undefined : end);
}

/** Table rows of a piece of Markdown (header and separator left out), as cells. */
function tableRows(markdown: string, header: string): string[][] {
  const lines = markdown.split('\n');
  const at = lines.findIndex((l) => l.startsWith(`| ${header} |`));
  expect(at, header).toBeGreaterThan(-1);
  const rows: string[][] = [];
  for (const line of lines.slice(at + 2)) {
    if (!line.startsWith('|')) break;
    rows.push(
      line
        .slice(2, -2)
        .split(/ (?<!\\)\| /)
        .map((c) => c.trim()),
    );
  }
  return rows;
}

/** A cell's text as written: Markdown escapes and entities undone. */
const plain = (cell: string) =>
  cell.replace(/\\(.)/g, '$1').replace(/&lt;/g, '<').replace(/&gt;/g, '>').replace(/&amp;/g, '&');

const OPTION_ORDER = ['inherent-safety', 'protective-measure', 'information-for-safety'];
const OUTCOME_ORDER = ['passed', 'skipped', 'not-run', 'failed', 'error'];

describe('the Risk Management File', () => {
  it('holds every hazard, hazardous situation and risk control of the example, controls in ISO 14971 7.1 priority order', () => {
    const { markdown, analysis, doc } = rmfOf(EXAMPLE);
    const { graph } = analysis;
    const controls = active(graph.ofKind('risk-control'));
    for (const kind of ['hazard', 'hazardous-situation', 'risk-control'] as const) {
      const records = active(graph.ofKind(kind));
      expect(records.length).toBeGreaterThan(0);
      for (const r of records) {
        expect(markdown, r.id).toContain(`<a id="${r.id}"></a>`);
        expect(doc.records).toContain(r.id);
      }
    }
    for (const situation of active(graph.ofKind('hazardous-situation'))) {
      const expected = controls
        .filter((c) => linksOf(c, 'mitigates').includes(situation.id))
        .sort(
          (a, b) =>
            OPTION_ORDER.indexOf(String(a.fields.option)) - OPTION_ORDER.indexOf(String(b.fields.option)) ||
            (a.id < b.id ? -1 : 1),
        )
        .map((c) => c.id);
      const section = sectionOf(markdown, situation.id);
      const shown = tableRows(section, 'Risk control measure').map((row) => /\[(RC-\d+)\]/.exec(row[0]!)![1]);
      expect(shown, situation.id).toEqual(expected);
      // The harm and every step of the sequence of events, as recorded.
      const harm = section.split('\n').find((l) => l.startsWith('| Harm | '))!;
      expect(plain(harm.slice('| Harm | '.length, -2))).toBe(String(situation.fields.harm));
      for (const [i, step] of (situation.fields.sequenceOfEvents as string[]).entries())
        expect(section).toContain(`- (${i + 1}) ${step.replace(/\*/g, '\\*')}`);
    }
    // The plan the risk management follows (ISO 14971 4.4).
    const plans = active(graph.ofKind('plan')).filter((p) => p.fields.planType === 'risk-management');
    expect(plans.length).toBe(1);
    expect(chapter(markdown, 2)).toContain(`| Plan | ${plans[0]!.id} ${plans[0]!.title} |`);
  });

  it("shows each control's implementation and effectiveness tests with each test's latest result on the baseline", () => {
    const { markdown, analysis } = rmfOf(EXAMPLE, '1.1.0');
    const { graph } = analysis;
    const tests = active(graph.ofKind('test'));
    const requirements = active(graph.ofKind('software-requirement'));
    const runs = active(graph.ofKind('test-run'))
      .filter((r) => String(r.fields.version) === '1.1.0')
      .sort((a, b) =>
        String(a.fields.date) < String(b.fields.date)
          ? -1
          : String(a.fields.date) > String(b.fields.date)
            ? 1
            : a.id < b.id
              ? -1
              : 1,
      );
    const resultOn = (testId: string): string | undefined => {
      let found: string | undefined;
      for (const run of runs) {
        const results = (run.fields.results as { test?: string; outcome: string }[]).filter(
          (r) => r.test === testId,
        );
        if (results.length === 0) continue;
        const worst = results
          .map((r) => r.outcome)
          .sort((a, b) => OUTCOME_ORDER.indexOf(b) - OUTCOME_ORDER.indexOf(a))[0]!;
        found =
          worst === 'passed' ? `passed (${run.id}, ${String(run.fields.date)})` : `**${worst}** (${run.id}`;
      }
      return found;
    };
    let checked = 0;
    for (const control of active(graph.ofKind('risk-control'))) {
      const implementing = requirements
        .filter((r) => linksOf(r, 'implements').includes(control.id))
        .map((r) => r.id);
      const implementation = tests.filter((t) =>
        linksOf(t, 'verifies').some((id) => id === control.id || implementing.includes(id)),
      );
      const effectiveness = tests.filter((t) => linksOf(t, 'verifiesEffectiveness').includes(control.id));
      const rows = tableRows(sectionOf(markdown, control.id), 'Test');
      const expected = [...new Set([...implementation, ...effectiveness])].sort((a, b) =>
        a.id < b.id ? -1 : 1,
      );
      expect(
        rows.map((r) => r[0]!.split(' ')[0]),
        control.id,
      ).toEqual(expected.map((t) => t.id));
      for (const [i, t] of expected.entries()) {
        const what = [
          ...(implementation.includes(t) ? ['implementation'] : []),
          ...(effectiveness.includes(t) ? ['effectiveness'] : []),
        ].join(', ');
        expect(rows[i]![1], `${control.id} ${t.id}`).toBe(what);
        const result = resultOn(t.id);
        if (result) expect(rows[i]![2]!.startsWith(result), `${t.id}: ${rows[i]![2]}`).toBe(true);
        else expect(rows[i]![2]).toMatch(/^\*\*(not run on 1\.1\.0|no result recorded)\*\*/);
        checked++;
      }
    }
    expect(checked).toBeGreaterThan(40);
    // On 1.2.0 nothing has run yet: each result says so, with the latest run elsewhere.
    const dev = rmfOf(EXAMPLE).markdown;
    expect(dev).toContain(
      '> **Not recorded:** test results on 1.2.0: no test run of this version is recorded',
    );
    expect(dev).toMatch(/\| \*\*not run on 1\.2\.0\*\* \(last passed on 1\.1\.0, RUN-\d+\) \|/);
  });

  it('has one 7.3.3 trace row per recorded software cause, a SOUP cause naming its SOUP', () => {
    const { markdown, analysis } = rmfOf(EXAMPLE);
    const causes = active(analysis.graph.ofKind('software-item')).flatMap((item) =>
      ((item.fields.causes ?? []) as { situation: string; category: string; soup?: string }[]).map((c) => ({
        item: item.id,
        ...c,
      })),
    );
    const rows = tableRows(chapter(markdown, 8), 'Hazardous situation');
    expect(rows.length).toBe(causes.length);
    const soup = causes.filter((c) => c.category === 'soup');
    expect(soup.length).toBeGreaterThan(3);
    for (const c of soup) {
      expect(
        rows.some(
          (r) =>
            r[0]!.includes(`[${c.situation}]`) &&
            r[1]!.includes(`[${c.item}]`) &&
            r[2]!.includes(`(SOUP ${c.soup})`),
        ),
        `${c.item} ${c.situation} ${c.soup}`,
      ).toBe(true);
    }
  });

  it('draws the risk matrices the risk stage draws, and says so when there are no risk scales', () => {
    const { doc, markdown, analysis } = rmfOf(EXAMPLE);
    const device = analysis.project.config.device.name;
    const diagrams = doc.blocks.filter((b) => b.kind === 'diagram');
    expect(diagrams.map((d) => d.name)).toEqual(['matrix-initial', 'matrix-residual']);
    expect(diagrams[0]!.svg).toBe(renderRisk(analysis.safety, 'svg', device, 'initial'));
    expect(diagrams[1]!.svg).toBe(renderRisk(analysis.safety, 'svg', device, 'residual'));
    expect(packageFiles([doc], ['md']).map((f) => f.path)).toEqual([
      'RMF.md',
      'RMF-matrix-initial.svg',
      'RMF-matrix-residual.svg',
    ]);
    expect(markdown).toContain('](RMF-matrix-residual.svg)');
    const config = starter('dossier.yaml').replace(/^risk:\n(?: {2}.*\n)+/m, '');
    expect(config).not.toContain('acceptability');
    const bare = rmfOf(starterProject({ 'dossier.yaml': config }));
    expect(bare.doc.blocks.some((b) => b.kind === 'diagram')).toBe(false);
    expect(bare.markdown).toContain('> **Not recorded:** the risk matrices: no risk scales');
    expect(bare.markdown).toContain(
      'Initial risk (ISO 14971 5.5, 6) | **not evaluated**: no risk scales in dossier.yaml (`risk:`)',
    );
  });

  it('says what the records do not say: sequence of events, effectiveness test, benefit–risk, causes, plan', () => {
    const situations = starter('records/risk/hazardous-situations.yaml');
    const tests = starter('records/tests/system-tests.yaml');
    const item = starter('records/architecture/SI-002.md');
    const { markdown } = rmfOf(
      starterProject({
        'records/risk/hazardous-situations.yaml': situations
          .replace(/ {4}sequenceOfEvents:\n(?: {6}- .*\n)+/, '')
          .replace('residualProbability: remote', 'residualProbability: probable'),
        'records/tests/system-tests.yaml': tests.replace(/ {4}verifiesEffectiveness: .*\n/, ''),
        'records/architecture/SI-002.md': item.replace(/^causes:.*\n(?:[ ].*\n)+/m, ''),
        'records/plans/PLAN-003.md': '',
      }),
    );
    for (const line of [
      '> **Not recorded:** the sequence of events that leads to HS-001 (field sequenceOfEvents) (ISO 14971 5.4, Annex C)',
      '> **Not recorded:** a test that shows RC-001 is effective (field verifiesEffectiveness of a test) (ISO 14971 7.2)',
      '> **Not recorded:** the benefit–risk conclusion of HS-001, whose residual risk is unacceptable (field benefitRisk) (ISO 14971 7.4)',
      '> **Not recorded:** the causes by which SI-002 can contribute to HS-001 (field causes) (7.1.2, 7.1.4)',
      '> **Not recorded:** a risk management plan (a plan record with planType risk-management, or a plan that covers it) (ISO 14971 4.4; IEC 62304 4.2)',
      '> **Not recorded:** no software cause of a hazardous situation (field causes of a software item), so there is no software risk trace (7.1.2, 7.3.3)',
      '| Benefit–risk (ISO 14971 7.4) | **not recorded** |',
    ])
      expect(markdown).toContain(line);
    // The unchanged starter says none of it, and a recorded benefit–risk conclusion is shown.
    const whole = rmfOf(starterProject()).markdown;
    expect(whole).not.toContain('the sequence of events that leads to HS-001');
    expect(whole).not.toContain('a test that shows RC-001 is effective');
    expect(whole).toContain('| Benefit–risk (ISO 14971 7.4) | not needed: the residual risk is acceptable |');
    const concluded = rmfOf(
      starterProject({
        'records/risk/hazardous-situations.yaml': situations.replace(
          'residualProbability: remote',
          'residualProbability: probable\n    benefitRisk: The benefit of therapy outweighs the residual risk.',
        ),
      }),
    ).markdown;
    expect(concluded).toContain(
      '| Benefit–risk (ISO 14971 7.4) | The benefit of therapy outweighs the residual risk. |',
    );
    expect(concluded).not.toContain('the benefit–risk conclusion of HS-001');
  });

  it('keeps a situation without controls apart: none needed, or none recorded for an unacceptable risk', () => {
    const extra = (id: string, severity: string, probability: string) =>
      `  - id: ${id}\n    title: Situation ${id}\n    arisesFrom: [HAZ-001]\n    sequenceOfEvents: [A step]\n    harm: Some harm\n    severity: ${severity}\n    probability: ${probability}\n`;
    const situations = `${starter('records/risk/hazardous-situations.yaml')}${extra('HS-002', 'minor', 'remote')}${extra('HS-003', 'critical', 'probable')}`;
    const { markdown } = rmfOf(starterProject({ 'records/risk/hazardous-situations.yaml': situations }));
    const fields = (id: string) =>
      Object.fromEntries(
        sectionOf(markdown, id)
          .split('\n')
          .filter((l) => l.startsWith('| ') && !l.startsWith('| |'))
          .map((l) => l.slice(2, -2).split(' | ') as [string, string]),
      );
    expect(fields('HS-002')).toMatchObject({
      'Risk control measures (ISO 14971 7.1)': 'none recorded (the initial risk is acceptable)',
      'Residual risk (ISO 14971 7.3)': 'Minor × Remote: acceptable (no risk control: the initial risk)',
      'Benefit–risk (ISO 14971 7.4)': 'not needed: the residual risk is acceptable',
    });
    expect(fields('HS-003')).toMatchObject({
      'Risk control measures (ISO 14971 7.1)': '**no risk control recorded**',
      'Residual risk (ISO 14971 7.3)':
        'Critical × Probable: **unacceptable** (no risk control: the initial risk)',
      'Benefit–risk (ISO 14971 7.4)': '**not recorded**',
    });
    expect(markdown).toContain('> **Not recorded:** the benefit–risk conclusion of HS-003');
    expect(markdown).not.toContain('the benefit–risk conclusion of HS-002');
  });

  it('is the same bytes for the same records, keeps titles as text, and changes revision with a test result', () => {
    // Two loads and analyses of the same records give the same bytes.
    expect(rmfOf(starterProject()).markdown).toBe(rmfOf(starterProject()).markdown);
    const hazards = starter('records/risk/hazards.yaml').replace(
      'title: Incorrect therapy delivery',
      'title: "<script>x</script> | *bold*"',
    );
    const { markdown } = rmfOf(starterProject({ 'records/risk/hazards.yaml': hazards }));
    expect(markdown).not.toContain('<script>');
    expect(markdown).toContain('3.1 HAZ-001 &lt;script&gt;x&lt;/script&gt; \\| \\*bold\\*');
    const run = (outcome: string) =>
      `kind: test-run\nrecords:\n  - id: RUN-001\n    title: Run\n    version: 0.1.0\n    date: 2026-11-01\n    executedBy: A. Tester\n    results:\n      - { test: TC-002, outcome: ${outcome} }\n`;
    const passed = rmfOf(starterProject({ 'records/evidence/RUN-001.yaml': run('passed') }));
    const failed = rmfOf(starterProject({ 'records/evidence/RUN-001.yaml': run('failed') }));
    expect(passed.markdown).toContain('| passed (RUN-001, 2026-11-01) |');
    expect(failed.markdown).toContain('| **failed** (RUN-001, 2026-11-01) |');
    expect(passed.doc.records).toContain('RUN-001');
    expect(passed.doc.control.revision).not.toBe(failed.doc.control.revision);
  });
});

describe('the Traceability Matrices', () => {
  it('shows each configured chain of the example as one table of ids, titles and short excerpts', () => {
    const { markdown, analysis, doc } = traceOf(EXAMPLE);
    const { graph } = analysis;
    const chains = [
      ['requirements', 2, 'System requirement'],
      ['risk-controls', 3, 'Hazardous situation'],
    ] as const;
    for (const [name, number, first] of chains) {
      const section = chapter(markdown, number);
      expect(section).toContain(`Trace chain "${name}"`);
      const rows = tableRows(section, first);
      expect(rows.length).toBeGreaterThan(40);
      expect(rows.every((r) => r.length === 5)).toBe(true);
      // Each record of the first column is in it; where a record first appears it has its title
      // and an excerpt of its text of at most 100 characters that starts its text.
      const kind = name === 'requirements' ? 'system-requirement' : 'hazardous-situation';
      for (const r of active(graph.ofKind(kind))) {
        const cell = rows.map((row) => plain(row[0]!)).find((c) => c.startsWith(`${r.id} `));
        expect(cell, r.id).toBeDefined();
        expect(cell!.startsWith(`${r.id} ${r.title}`)).toBe(true);
        const words = cell!.split(' — ')[1];
        if (r.text.trim() === '') continue;
        expect(words, r.id).toBeDefined();
        expect(words!.length).toBeLessThanOrEqual(100);
        const flat = r.text.replace(/\s+/g, ' ').trim();
        expect(flat.startsWith(words!.replace(/…$/, '')), `${r.id}: ${words}`).toBe(true);
      }
    }
    for (const r of active(graph.ofKind('system-requirement'))) expect(doc.records).toContain(r.id);
    expect(traceOf(starterProject()).markdown).toBe(traceOf(starterProject()).markdown);
  });

  it('says each gap in words: a missing next record, what is not reached after it, a missing upstream record', () => {
    const srs2 = starter('records/software/SRS-002.md');
    const dir = starterProject({
      'records/system/SYS-002.md':
        '---\nid: SYS-002\ntitle: Unrefined system requirement\n---\nThe device shall do more.\n',
      'records/software/SRS-003.md': srs2
        .replace('id: SRS-002', 'id: SRS-003')
        .replace(/^derivesFrom: .*\n/m, 'source: "Clinical feedback"\n')
        .replace(/^implements: .*\n/m, '')
        .replace(/^riskControl: .*\n/m, '')
        .replace(/^linkReviews:\n(?: {2}- .*\n)+/m, ''),
    });
    const { markdown } = traceOf(dir);
    const rows = tableRows(chapter(markdown, 2), 'System requirement');
    const gap = rows.find((r) => r[0]!.startsWith('SYS-002 '))!;
    expect(gap.slice(1)).toEqual(['**no software requirement recorded**', 'not reached', 'not reached']);
    const orphan = rows.find((r) => r[1]!.startsWith('SRS-003 '))!;
    expect(orphan[0]).toBe('**no system requirement recorded**');
    expect(orphan[2]).toBe('**no software item recorded**');
    expect(orphan[3]).toBe('not reached');
    expect(markdown).toContain(
      '> **Not recorded:** a software requirement for 1 system requirement: SYS-002 (5.1.1 c)',
    );
    expect(markdown).toContain('> **Not recorded:** test results: no test-run record');
    // Without a test, the last column of the risk chain says so.
    const untested = traceOf(
      starterProject({ 'records/tests/system-tests.yaml': 'kind: test\nrecords: []\n' }),
    );
    const risk = tableRows(chapter(untested.markdown, 3), 'Hazardous situation');
    expect(risk.map((r) => r[3])).toEqual(['**no test recorded**']);
  });

  it('says per row whether it is verified on the baseline, and counts the verified rows per version', () => {
    const run = (id: string, version: string, date: string, tc2: string) =>
      `kind: test-run\nrecords:\n  - id: ${id}\n    title: Run\n    version: ${version}\n    date: ${date}\n    executedBy: A. Tester\n    results:\n      - { test: TC-001, outcome: passed }\n      - { test: TC-002, outcome: ${tc2} }\n`;
    const dir = starterProject({
      'records/evidence/RUN-001.yaml': run('RUN-001', '0.0.9', '2026-10-01', 'passed'),
      'records/evidence/RUN-002.yaml': run('RUN-002', '0.1.0', '2026-11-01', 'failed'),
    });
    const { markdown, doc } = traceOf(dir);
    expect(doc.records).toEqual(expect.arrayContaining(['RUN-001', 'RUN-002']));
    const risk = tableRows(chapter(markdown, 3), 'Hazardous situation');
    expect(risk.map((r) => r[4])).toEqual(['**not verified: TC-002 failed**']);
    const requirements = tableRows(chapter(markdown, 2), 'System requirement');
    const bySrs = (id: string) => requirements.find((r) => r[1]!.startsWith(`${id} `) || r[1] === id)!;
    // SRS-001's row reaches TC-001 only (through SYS-001 and SRS-001); SRS-002's also TC-002.
    expect(bySrs('SRS-001')[4]).toBe('verified');
    expect(bySrs('SRS-002')[4]).toBe('**not verified: TC-002 failed**');
    const perVersion = tableRows(chapter(markdown, 4), 'Version');
    expect(perVersion.map((r) => [r[0], r[2]])).toEqual([
      ['0.0.9', `${requirements.length} of ${requirements.length}`],
      ['0.0.9', '1 of 1'],
      ['0.1.0', `${requirements.filter((r) => r[4] === 'verified').length} of ${requirements.length}`],
      ['0.1.0', '0 of 1'],
    ]);
    expect(markdown).not.toContain('test results on 0.1.0: no test run');
    // Built for a version without runs: every row says so.
    const other = traceOf(dir, '0.2.0').markdown;
    expect(other).toContain(
      '> **Not recorded:** test results on 0.2.0: no test run of this version is recorded',
    );
    expect(tableRows(chapter(other, 3), 'Hazardous situation')[0]![4]).toBe(
      '**not verified: not run on 0.2.0**',
    );
  });

  it('keeps 300+ rows readable: few columns, short cells, titles as text', () => {
    const files: Record<string, string> = {
      'records/system/SYS-001.md':
        '---\nid: SYS-001\ntitle: "Therapy <b>accuracy</b> | *all*"\n---\nThe device shall deliver the programmed therapy within the stated accuracy.\n',
    };
    const tests: string[] = [];
    const ids: string[] = [];
    for (let n = 100; n < 420; n++) {
      const id = `SRS-${n}`;
      ids.push(id);
      files[`records/software/${id}.md`] =
        `---\nid: ${id}\ntitle: Requirement number ${n} with a reasonably long title\ncategory: functional\nderivesFrom: [SYS-001]\n---\n${'The software shall do a thing that takes many words to say. '.repeat(6)}\n`;
      tests.push(`  - id: TC-${n}\n    title: Test of ${id}\n    level: system\n    verifies: [${id}]\n`);
    }
    files['records/tests/many-tests.yaml'] = `kind: test\nrecords:\n${tests.join('')}`;
    const item = starter('records/architecture/SI-002.md').replace(
      /^implements: .*$/m,
      `implements: [SRS-001, SRS-002, ${ids.join(', ')}]`,
    );
    files['records/architecture/SI-002.md'] = item;
    const { markdown } = traceOf(starterProject(files));
    const rows = tableRows(chapter(markdown, 2), 'System requirement');
    expect(rows.length).toBeGreaterThanOrEqual(322);
    for (const row of rows) {
      expect(row.length).toBe(4); // no test run: no verification column
      for (const cell of row) expect(cell.length, cell).toBeLessThan(260);
    }
    // A long requirement text is cut to an excerpt; the title with markup stays text.
    expect(markdown).toContain(
      'SRS-100 Requirement number 100 with a reasonably long title — The software shall do a thing that takes many words to say.',
    );
    expect(markdown).toContain('SYS-001 Therapy &lt;b&gt;accuracy&lt;/b&gt; \\| \\*all\\*');
    expect(markdown).not.toContain('<b>');
  });
});
