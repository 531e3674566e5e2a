/**
 * The verification documents of the package (docs/documents.md): the Software Verification Plan
 * (VVP) and Report (VVR), the Unresolved Software Anomalies (ANOMALIES) and the Software Version
 * History (VERSIONS). Expected content is read from the record files, not from the builders.
 */
import fs from 'node:fs';
import path from 'node:path';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import { DOCUMENTS } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { loadProject } from '../src/load/project.js';
import { buildDocument, DOC_DATE } from './document-helpers.js';
import { EXAMPLE, starterProject } from './helpers.js';

const RECORDS = path.join(EXAMPLE, 'records');

/** The example analysed once for the file (loading it takes seconds); each document gets a fresh context. */
let exampleAnalysis: ReturnType<typeof analyze> | undefined;
function exampleDoc(key: string, baseline: string) {
  if (!exampleAnalysis) {
    const loaded = loadProject(EXAMPLE);
    if (!loaded.ok) throw new Error('the example did not load');
    exampleAnalysis = analyze(loaded.project, { today: DOC_DATE });
  }
  const spec = DOCUMENTS.find((d) => d.key === key)!;
  const doc = spec.build(documentContext(exampleAnalysis, { date: DOC_DATE, baseline }));
  return { doc, markdown: renderMarkdown(doc) };
}

interface RawTest {
  id: string;
  title: string;
  status?: string;
  level: string;
  introducedIn?: string;
  procedure?: string;
  acceptanceCriteria?: string;
}

/** The example's test records, read from their YAML files. */
function exampleTests(): RawTest[] {
  const dir = path.join(RECORDS, 'tests');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap(
      (f) => (yaml.load(fs.readFileSync(path.join(dir, f), 'utf8')) as { records: RawTest[] }).records,
    );
}

interface RawRun {
  id: string;
  version: string;
  date: string | Date;
  anomalies?: string[];
  results: { test?: string; outcome: string }[];
}

/** A YAML date (js-yaml reads 2026-08-03 as a Date) as YYYY-MM-DD. */
const day = (d: string | Date) => (d instanceof Date ? d.toISOString().slice(0, 10) : d);

function exampleRuns(): RawRun[] {
  const dir = path.join(RECORDS, 'evidence');
  return fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .flatMap((f) => (yaml.load(fs.readFileSync(path.join(dir, f), 'utf8')) as { records: RawRun[] }).records);
}

/** Front matter of a Markdown record file. */
function frontMatter(file: string): Record<string, unknown> {
  const text = fs.readFileSync(file, 'utf8');
  return yaml.load(text.split(/^---$/m)[1]!) as Record<string, unknown>;
}

/** The lines of a Markdown section: from its heading to the next heading of the same or a higher level. */
function section(markdown: string, heading: RegExp): string {
  const lines = markdown.split('\n');
  const start = lines.findIndex((l) => heading.test(l));
  if (start === -1) throw new Error(`no heading ${heading}`);
  const level = /^#+/.exec(lines[start]!)![0].length;
  const end = lines.findIndex((l, i) => i > start && /^#+ /.test(l) && /^#+/.exec(l)![0].length <= level);
  return lines.slice(start, end === -1 ? undefined : end).join('\n');
}

const flat = (text: string) => text.replace(/\s+/g, ' ').trim();

/** A record id in a table: a link where the document defines it, else the id. */
const id = (x: string) => `(?:\\[${x}\\]\\(#${x}\\)|${x})`;

/** A starter project with a release 1.0.0 and one run on it; `files` overrides or adds files. */
function releasedStarter(files: Record<string, string> = {}): string {
  return starterProject({
    'records/releases/REL-001.md': `---
id: REL-001
title: First release
version: "1.0.0"
date: 2026-01-10
knownAnomalies: [PR-001]
---
The first release.
`,
    'records/problems/PR-001.md': `---
id: PR-001
title: Alarm tone slightly quiet at minimum volume
state: open
reported: 2026-01-05
origin: internal-test
criticality: minor
safetyRelevant: false
investigation: The minimum volume step is 2 dB below the specified minimum.
residualRisk: Not safety relevant; the alarm is still audible at the specified distance.
userImpact: Users may need to raise the volume in loud rooms.
workaround: Set the volume to step 2 or higher.
rationaleNoAction: The hardware revision planned for next year changes the speaker.
securityAssessment: No security impact; no interface is involved.
partiesAdvised: The usability engineer, on 2026-01-06.
category: alarm signal level
affectedVersions: ["1.0.0"]
affects: [SI-002]
foundBy: [TC-001]
---
At the lowest volume step the alarm measures 43 dB instead of 45 dB.
`,
    'records/evidence/RUN-001.yaml': `kind: test-run
records:
  - id: RUN-001
    title: System tests on 1.0.0
    version: "1.0.0"
    date: 2026-01-08
    executedBy: A. Tester
    manual: true
    level: system
    results:
      - { test: TC-001, outcome: passed }
      - { test: TC-002, outcome: failed, message: Alarm after 1.4 s }
      - { test: TC-100, outcome: not-run }
`,
    ...files,
  });
}

describe('the Software Verification Plan', { timeout: 300_000 }, () => {
  it('holds every test procedure of the baseline under its level, with its procedure and acceptance criteria', () => {
    const { markdown, doc } = exampleDoc('VVP', '1.1.0');
    const levels = ['Unit verification', 'Integration testing', 'System testing', 'Design validation'];
    const tests = exampleTests().filter((t) => t.status !== 'obsolete');
    expect(tests.length).toBeGreaterThan(100);
    for (const t of tests) {
      const later =
        t.introducedIn !== undefined && t.introducedIn.localeCompare('1.1.0', 'en', { numeric: true }) > 0;
      const heading = `#### <a id="${t.id}"></a>${t.id} `;
      expect(markdown.includes(heading), t.id).toBe(!later);
      if (later) continue;
      expect(doc.records).toContain(t.id);
      const level = levels[['unit', 'integration', 'system', 'validation'].indexOf(t.level)]!;
      const inLevel = section(markdown, new RegExp(`^## \\d+ ${level} `));
      const own = section(inLevel, new RegExp(`^#### <a id="${t.id}"></a>`));
      expect(flat(own), t.id).toContain(flat(t.procedure!));
      expect(flat(own), t.id).toContain(flat(t.acceptanceCriteria!));
    }
    // The FDA documentation level is said at each level.
    expect(section(markdown, /^## \d+ Unit verification/)).toContain('Enhanced documentation level only');
    expect(section(markdown, /^## \d+ System testing/)).toContain('both documentation levels');
  });

  it("quotes the development plan's verification and integration sections as written", () => {
    const { markdown } = exampleDoc('VVP', '1.1.0');
    const plan = fs.readFileSync(path.join(RECORDS, 'plans/PLAN-001.md'), 'utf8');
    const strategy = section(markdown, /^## 2 Verification strategy/);
    for (const heading of ['## 6 Integration and integration testing', '## 7 Verification']) {
      const body = plan.split(heading)[1]!.split(/\n## /)[0]!;
      for (const line of body.split('\n').filter((l) => l.trim() !== '' && !l.includes('<')))
        expect(strategy, line).toContain(line);
    }
  });

  it('lists the eight 5.5.4 criteria of each class C unit, and says which are not recorded', () => {
    const { markdown } = exampleDoc('VVP', '1.1.0');
    const criteria = section(markdown, /^### \d+\.\d+ Additional acceptance criteria of class C units/);
    const unit = frontMatter(path.join(RECORDS, 'architecture/SI-013.md'));
    const recorded = unit.unitVerification as Record<string, { tests?: string[] }>;
    const own = section(criteria, /^#### <a id="SI-013"><\/a>/);
    expect(own.match(/^\| [a-z].* \| .* \|$/gm)).toHaveLength(8);
    for (const test of recorded.eventSequence!.tests!) expect(own).toContain(`[${test}](#${test})`);

    const dir = starterProject({
      'records/architecture/SI-003.md': `---
id: SI-003
title: Fault monitor
itemType: unit
partOf: SI-002
unitVerification:
  eventSequence: { tests: [TC-002] }
  boundaryConditions: { notApplicable: The unit has no numeric input. }
---
Monitors delivery.
`,
    });
    const starter = buildDocument(dir, 'VVP').markdown;
    const own3 = section(starter, /^#### <a id="SI-003"><\/a>/);
    expect(own3).toContain('| proper event sequence | tests [TC-002](#TC-002) |');
    expect(own3).toContain('| boundary conditions | not applicable: The unit has no numeric input. |');
    expect(own3).toContain('| self-diagnostics | **not recorded** |');
    expect(own3).toMatch(
      /> \*\*Not recorded:\*\* the evidence or a reasoned "not applicable" of SI-003 for: data and control flow; .*\(5\.5\.4\)/,
    );
  });

  it('says "not recorded" with its clause for a missing acceptance criterion or procedure', () => {
    const file = 'records/tests/system-tests.yaml';
    const base = fs.readFileSync(path.join(starterProject(), file), 'utf8');
    const before = buildDocument(starterProject(), 'VVP').markdown;
    expect(before).not.toContain('the acceptance criteria of TC-001');
    const dir = starterProject({
      [file]: base
        .replace(/\n {4}acceptanceCriteria: All out-of-range.*\n/, '\n')
        .replace(/\n {4}procedure: Inject a delivery fault.*\n/, '\n'),
    });
    const { markdown } = buildDocument(dir, 'VVP');
    expect(markdown).toContain('> **Not recorded:** the acceptance criteria of TC-001 (5.7.1)');
    expect(markdown).toContain('> **Not recorded:** the procedure of TC-002 (5.7.1)');
    // The summary row says it too.
    expect(markdown).toMatch(/\| \[TC-001\]\(#TC-001\) \| .* \| \*\*not recorded\*\* \|/);
  });
});

describe('the Software Verification Report', { timeout: 300_000 }, () => {
  it("shows each test's result on the baseline as its latest run there says, and every failure with its problem report", () => {
    const { markdown } = exampleDoc('VVR', '1.1.0');
    const runs = exampleRuns()
      .filter((r) => r.version === '1.1.0')
      .sort((a, b) => day(a.date).localeCompare(day(b.date)) || a.id.localeCompare(b.id));
    // Latest run on the version decides; within a run a failure outweighs a pass.
    const latest = new Map<string, { run: string; outcome: string }>();
    for (const run of runs) {
      const inRun = new Map<string, string>();
      for (const r of run.results)
        if (r.test && (inRun.get(r.test) === undefined || r.outcome !== 'passed'))
          inRun.set(r.test, r.outcome);
      for (const [test, outcome] of inRun) latest.set(test, { run: run.id, outcome });
    }
    expect(latest.get('TC-057')).toEqual({ run: 'RUN-106', outcome: 'passed' });
    const results = section(markdown, /^## 3 Results on 1\.1\.0/);
    for (const [test, { run, outcome }] of latest) {
      const cell = outcome === 'passed' ? 'passed' : `**${outcome}**`;
      expect(results, test).toMatch(
        new RegExp(`\\| ${id(test)} \\| [^\\n]* \\| ${cell.replace(/\*/g, '\\*')} \\| ${id(run)}`),
      );
    }
    // The superseded failure of TC-057 stays a deviation, with the problem report its run names.
    const deviations = section(markdown, /^## 5 Deviations/);
    const failedRuns = runs.filter((r) => r.results.some((x) => x.outcome === 'failed'));
    expect(failedRuns.map((r) => r.id)).toEqual(['RUN-006']);
    expect(deviations).toMatch(
      new RegExp(
        `\\| ${id('RUN-006')} \\| ${id('TC-057')} \\| \\*\\*failed\\*\\* \\| .* \\| ${id('PR-007')} \\|`,
      ),
    );
    // Every run of every version is in the history, in version order.
    const history = section(markdown, /^## 7 Test runs of every version/);
    for (const run of exampleRuns()) expect(history, run.id).toContain(run.id);
    expect(history.indexOf('1.0.0-rc2')).toBeLessThan(history.indexOf('| 1.0.0 |'));
    expect(history.indexOf('| 1.1.0-rc3 |')).toBeLessThan(history.indexOf('| 1.1.0 |'));
  });

  it('never shows "not run" or "no result" as passed, and says what is missing', () => {
    const { markdown } = buildDocument(releasedStarter(), 'VVR', '1.0.0');
    const row = (test: string, cell: string) =>
      new RegExp(`\\| ${id(test)} \\| [^|]* \\| ${cell} \\| ${id('RUN-001')}`);
    expect(markdown).toMatch(row('TC-001', 'passed'));
    expect(markdown).toMatch(row('TC-002', '\\*\\*failed\\*\\*'));
    expect(markdown).toMatch(row('TC-100', '\\*\\*not-run\\*\\*'));
    // The failure names no problem report: said, with the clauses.
    expect(markdown).toContain(
      '> **Not recorded:** the problem report raised for the 1 failure of RUN-001 (anomalies) (5.6.8, 5.7.2)',
    );
    // A level with tests but no result on the version.
    const noRun = buildDocument(
      releasedStarter({ 'records/evidence/RUN-001.yaml': 'kind: test-run\nrecords: []\n' }),
      'VVR',
      '1.0.0',
    );
    expect(noRun.markdown).toContain('> **Not recorded:** a test run on version 1.0.0 (5.7.5 c)');
    expect(noRun.markdown).toMatch(/\| System testing \(5\.7\) \| 2 \| 0 \| 0 \| 0 \| \*\*2\*\* \|/);
    expect(noRun.markdown).not.toMatch(/\| passed \|/);
    // The release gate of the baseline's release is summarised; without a release it is said.
    expect(markdown).toMatch(new RegExp(`The release gate of ${id('REL-001')} .*1\\.0\\.0 is blocked`));
    expect(buildDocument(releasedStarter(), 'VVR', '2.0.0').markdown).toContain(
      '> **Not recorded:** a release record of version 2.0.0: the release gate is evaluated for a release only (5.8.1, 5.8.4)',
    );
  });
});

describe('the Unresolved Software Anomalies', { timeout: 300_000 }, () => {
  it('holds every known anomaly of the release with each element the FDA guidance asks for', () => {
    const { markdown, doc } = exampleDoc('ANOMALIES', '1.1.0');
    const release = frontMatter(path.join(RECORDS, 'releases/REL-002.md'));
    const known = release.knownAnomalies as string[];
    expect(known.length).toBeGreaterThan(0);
    const headings = [...markdown.matchAll(/^### <a id="(PR-\d+)"><\/a>/gm)].map((m) => m[1]);
    expect(headings).toEqual([...known].sort());
    for (const id of known) {
      expect(doc.records).toContain(id);
      const fields = frontMatter(path.join(RECORDS, `problems/${id}.md`));
      const own = section(markdown, new RegExp(`^### <a id="${id}"></a>`));
      for (const label of [
        'Description',
        'How it was found',
        'Root cause (investigation, 9.2 a)',
        'Impact on safety and effectiveness',
        'Impact on operator use and human factors',
        'Workarounds and mitigations',
        'Rationale for leaving it open',
        'Security assessment',
      ])
        expect(own, `${id} ${label}`).toContain(`**${label}**`);
      for (const field of ['investigation', 'residualRisk', 'userImpact', 'workaround', 'securityAssessment'])
        expect(flat(own), `${id}.${field}`).toContain(flat(String(fields[field])));
    }
  });

  it('says what a problem report does not record, and what is missing without a release record', () => {
    const file = 'records/problems/PR-001.md';
    const full = buildDocument(releasedStarter(), 'ANOMALIES', '1.0.0').markdown;
    expect(full).not.toContain('Not recorded');
    const base = fs.readFileSync(path.join(releasedStarter(), file), 'utf8');
    const without = (field: string) =>
      buildDocument(
        releasedStarter({ [file]: base.replace(new RegExp(`^${field}: .*\\n`, 'm'), '') }),
        'ANOMALIES',
        '1.0.0',
      ).markdown;
    expect(without('workaround')).toContain(
      '> **Not recorded:** the workarounds or mitigations for PR-001 (workaround) (FDA element J)',
    );
    expect(without('userImpact')).toContain(
      '> **Not recorded:** the impact of PR-001 on operator use and human factors (userImpact) (FDA element J)',
    );
    expect(without('securityAssessment')).toContain(
      '> **Not recorded:** the security assessment of PR-001 (securityAssessment)',
    );
    expect(without('residualRisk')).toContain(
      '> **Not recorded:** the evaluation that PR-001 does not contribute to an unacceptable risk (5.8.3)',
    );
    expect(without('rationaleNoAction')).toContain('> **Not recorded:** why PR-001 is left open');
    // A release that lists none says "recorded as none"; a version without a release record says it has no list.
    const none = releasedStarter({
      'records/releases/REL-001.md': fs
        .readFileSync(path.join(releasedStarter(), 'records/releases/REL-001.md'), 'utf8')
        .replace('knownAnomalies: [PR-001]', 'knownAnomalies: []'),
    });
    const noneMd = buildDocument(none, 'ANOMALIES', '1.0.0').markdown;
    expect(noneMd).toContain('records no known residual anomalies (recorded as none)');
    // ... and the open problem report it leaves out is named (release/anomaly-unlisted, 5.8.2).
    expect(noneMd).toMatch(/> \*\*Not recorded:\*\* as a known anomaly: PR-001 .* \(5\.8\.2\)/);
    const unreleased = buildDocument(releasedStarter(), 'ANOMALIES', '2.0.0').markdown;
    expect(unreleased).toContain('> **Not recorded:** a release record for version 2.0.0');
    expect(unreleased).toContain('## 2 Open problem reports (not yet evaluated for a release)');
  });
});

describe('the Software Version History', { timeout: 300_000 }, () => {
  it('lists each release up to the baseline with its changes, the problems they resolve and its known anomalies', () => {
    const rel = (n: string) => frontMatter(path.join(RECORDS, `releases/${n}.md`));
    const { markdown } = exampleDoc('VERSIONS', '1.1.0');
    const table = section(markdown, /^## 2 Releases/).split('\n### ')[0]!;
    const rows = table.split('\n').filter((l) => /^\| 1\./.test(l));
    expect(rows.map((r) => r.split(' | ')[0])).toEqual(['| 1.0.0', '| 1.1.0']);
    const r2 = rel('REL-002');
    for (const cr of r2.includes as string[]) {
      expect(rows[1], cr).toContain(cr);
      const addresses = frontMatter(path.join(RECORDS, `changes/${cr}.md`)).addresses as string[] | undefined;
      for (const pr of addresses ?? []) expect(rows[1]!.split(' | ')[4], `${cr} → ${pr}`).toContain(pr);
    }
    for (const pr of r2.knownAnomalies as string[]) expect(rows[1]!.split(' | ')[5]).toContain(pr);
    // Every version a run records is a version tested.
    const tested = section(markdown, /^## 3 Versions tested/);
    for (const v of new Set(
      exampleRuns()
        .map((r) => r.version)
        .filter((v) => !v.startsWith('1.2')),
    ))
      expect(tested, v).toContain(`| ${v} |`);
    expect(markdown).toContain('The final release version is 1.1.0, released by [REL-002](#REL-002)');
    // A document of 1.0.0 does not list 1.1.0.
    const old = exampleDoc('VERSIONS', '1.0.0').markdown;
    expect(old).not.toContain('| 1.1.0 |');
    expect(old).toContain('First release: there is no earlier release to compare with.');
  });
});

describe('the verification documents', { timeout: 300_000 }, () => {
  const keys = ['VVP', 'VVR', 'ANOMALIES', 'VERSIONS'];

  it('are the same bytes for the same records', () => {
    // Two loads of the example for one document, and two builds from one analysis for each document.
    expect(buildDocument(EXAMPLE, 'VVR', '1.1.0').markdown).toBe(
      buildDocument(EXAMPLE, 'VVR', '1.1.0').markdown,
    );
    exampleDoc('VVR', '1.1.0');
    const analysis = exampleAnalysis!;
    for (const key of keys) {
      const spec = DOCUMENTS.find((d) => d.key === key)!;
      const build = () =>
        renderMarkdown(spec.build(documentContext(analysis, { date: DOC_DATE, baseline: '1.1.0' })));
      expect(build(), key).toBe(build());
    }
  });

  it('write titles as text: nothing in a test or problem report title becomes markup or HTML', () => {
    const hostile = '<script>alert(1)</script> *bold* | pipe';
    const dir = releasedStarter();
    const tests = path.join(dir, 'records/tests/system-tests.yaml');
    fs.writeFileSync(
      tests,
      fs
        .readFileSync(tests, 'utf8')
        .replace('title: Out-of-range parameters are rejected', `title: "${hostile}"`),
    );
    const pr = path.join(dir, 'records/problems/PR-001.md');
    fs.writeFileSync(pr, fs.readFileSync(pr, 'utf8').replace(/^title: .*$/m, `title: "${hostile}"`));
    for (const key of keys) {
      const { markdown } = buildDocument(dir, key, '1.0.0');
      expect(markdown, key).not.toMatch(/<script/);
      expect(markdown, key).toContain('&lt;script&gt;alert(1)&lt;/script&gt; \\*bold\\* \\| pipe');
    }
  });

  it('change revision when a problem report they show changes, not when an unrelated record does', () => {
    const rev = (dir: string) => buildDocument(dir, 'ANOMALIES', '1.0.0').doc.control.revision;
    const base = rev(releasedStarter());
    const pr = fs.readFileSync(path.join(releasedStarter(), 'records/problems/PR-001.md'), 'utf8');
    expect(
      rev(
        releasedStarter({ 'records/problems/PR-001.md': pr.replace('Set the volume', 'Raise the volume') }),
      ),
    ).not.toBe(base);
    expect(
      rev(
        releasedStarter({
          'records/risk/HAZ-900.md': '---\nid: HAZ-900\ntitle: Unrelated\n---\nUnrelated.\n',
        }),
      ),
    ).toBe(base);
  });
});
