/**
 * The 510(k) software-change questionnaire (issue 13 section 4): the flow data is sound, the
 * records pre-fill what they can show against the most recently cleared version (on a scripted
 * git repository), people's answers walk the flow, 'uncertain' escalates, the answers file's errors
 * name file:line:col, nothing is decided automatically, and a rule asks for the recorded decision.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { TraceGraph } from '../src/graph/graph.js';
import { reviewSubmission } from '../src/impact/submission.js';
import { AnswersFileError, parseAnswersFile } from '../src/impact/submission-answers.js';
import {
  FDA_510K_SOFTWARE_FLOW as FLOW,
  flowProblems,
  type GivenAnswer,
  type SubmissionFlow,
  walkFlow,
} from '../src/impact/submission-flow.js';
import { submissionReport, submissionReportSchema } from '../src/impact/submission-report.js';
import { loadProject } from '../src/load/project.js';
import { analyzeSafety } from '../src/safety/safety-analysis.js';
import { gitFixture } from './git-fixture.js';
import { CONFIG, runCli } from './helpers.js';

const DESIGN = `records:
  - { id: HAZ-001, kind: hazard, title: Overdose, status: draft }
  - { id: HS-001, kind: hazardous-situation, title: Too much drug delivered, status: draft, arisesFrom: [HAZ-001], severity: serious, probability: probable, residualSeverity: serious, residualProbability: remote }
  - { id: RC-001, kind: risk-control, title: Rate limit, status: draft, option: inherent-safety-by-design, implementedIn: software, mitigates: [HS-001], text: The software limits the rate. }
  - { id: SRS-001, kind: software-requirement, title: Limit the rate, status: draft, category: function, implements: [RC-001], text: The software shall limit the rate. }
  - { id: SI-001, kind: software-item, title: System, status: draft, itemType: system, implements: [SRS-001], contributesTo: [HS-001] }
  - { id: TC-001, kind: test, title: Rate limit test, status: draft, level: system, verifies: [SRS-001, RC-001] }
`;

const release = (commit: string) => `records:
  - id: REL-001
    kind: release
    title: 1.0.0
    status: draft
    version: 1.0.0
    date: 2025-06-01
    cleared: { kNumber: K250001, date: 2025-05-20 }
    configuration: { commit: ${commit} }
`;

const CR = `records:
  - id: CR-002
    kind: change-request
    title: Faster rate limit
    status: draft
    state: proposed
    changes: [RC-001]
    text: Tighten the rate limit.
`;

function scripted(design = DESIGN) {
  const repo = gitFixture();
  repo.write({ 'dossier.yaml': CONFIG, 'records/design.yaml': design });
  const cleared = repo.commit('1.0.0');
  repo.write({ 'records/releases.yaml': release(cleared), 'records/changes.yaml': CR });
  return { repo, cleared };
}

function now(root: string) {
  const loaded = loadProject(root);
  if (!loaded.ok) throw new Error('did not load');
  const graph = new TraceGraph(loaded.project.records);
  return { project: loaded.project, graph, safety: analyzeSafety(graph, loaded.project.config) };
}

const answers = (entries: Record<string, GivenAnswer['answer']>) =>
  new Map(Object.entries(entries).map(([id, answer]) => [id, { answer, rationale: `because ${id}` }]));

describe('the 510(k) software-change flow data', () => {
  it('is sound: every step leads to a question or an outcome, every source is listed, no loops', () => {
    expect(flowProblems(FLOW)).toEqual([]);
    expect(FLOW.guidance.version).toMatch(/2017/);
  });

  it('flowProblems finds a broken step and a loop', () => {
    const broken: SubmissionFlow = {
      ...FLOW,
      questions: FLOW.questions.map((q) =>
        q.id === 'Q2' ? { ...q, no: { next: 'Q1' } } : q.id === 'Q4' ? { ...q, yes: { next: 'Q9' } } : q,
      ),
    };
    const problems = flowProblems(broken).join('\n');
    expect(problems).toMatch(/Q4 yes leads to unknown Q9/);
    expect(problems).toMatch(/loop: Q1 → Q2 → Q1/);
  });

  it('walks with the answers: yes/no follow the data, uncertain escalates, a missing answer stops', () => {
    const all = walkFlow(FLOW, answers({ Q1: 'no', Q2: 'no', 'Q3.1': 'no', 'Q3.2': 'no', Q4: 'no' }));
    expect(all.path.map((p) => p.question.id)).toEqual(['Q1', 'Q2', 'Q3.1', 'Q3.2', 'Q4']);
    expect(all.pointsTo).toMatchObject({ kind: 'outcome', outcome: 'document-only' });
    expect(walkFlow(FLOW, answers({ Q1: 'no', Q2: 'no', 'Q3.1': 'yes', Q4: 'no' }))).toMatchObject({
      pointsTo: { outcome: 'new-510k-likely' },
      offPath: ['Q4'],
    });
    expect(walkFlow(FLOW, answers({ Q1: 'no', Q2: 'uncertain' })).pointsTo).toMatchObject({
      outcome: 'escalate',
    });
    expect(walkFlow(FLOW, answers({ Q1: 'no' })).pointsTo).toEqual({ kind: 'unanswered', question: 'Q2' });
    expect(walkFlow(FLOW, new Map()).pointsTo).toEqual({ kind: 'unanswered', question: 'Q1' });
  });
});

describe('dossier impact --510k', () => {
  it('pre-fills from the cumulative changes since the cleared version, with evidence, and never answers', () => {
    const { repo, cleared } = scripted();
    repo.write({
      'records/design.yaml': DESIGN.replace(
        'The software limits the rate.',
        'The software limits the rate to 10 mL/h.',
      ).concat(
        '  - { id: HS-002, kind: hazardous-situation, title: Rate limit blocks a bolus, status: draft, arisesFrom: [HAZ-001], severity: critical, probability: remote }\n',
      ),
    });
    const review = reviewSubmission(now(repo.top), 'CR-002', FLOW, {
      answers: { answers: answers({ Q1: 'no', Q2: 'no', 'Q3.1': 'yes' }) },
    });
    expect(review.baseline).toMatchObject({
      version: '1.0.0',
      commit: cleared,
      cleared: { kNumber: 'K250001' },
    });
    expect(review.cumulative).toMatchObject({
      added: ['HS-002'],
      changed: ['RC-001'],
      changeRequests: ['CR-002'],
    });
    const q = new Map(review.walk.path.map((p) => [p.question.id, p]));
    expect(q.get('Q3.1')!.prefill!.evidence.join()).toMatch(
      /HS-002 \(new; severity before control critical, serious or worse\)/,
    );
    expect(q.get('Q3.1')!.prefill!.suggests).toBe('yes');
    expect(q.get('Q1')!.prefill!.suggests).toBe('no');
    expect(review.walk.pointsTo).toMatchObject({ outcome: 'new-510k-likely' });
    const report = submissionReport(review);
    expect(submissionReportSchema.safeParse(report).success).toBe(true);
    expect(report.notice).toMatch(/does not decide/);
    // Unanswered: the records point somewhere, but the walk stops at Q1 all the same.
    const unanswered = reviewSubmission(now(repo.top), 'CR-002', FLOW);
    expect(unanswered.walk.pointsTo).toEqual({ kind: 'unanswered', question: 'Q1' });
  });

  it('shows changed risk controls for serious situations and a changed intended use', () => {
    const { repo } = scripted();
    repo.write({
      'dossier.yaml': CONFIG.replace(
        'Describe the intended use and indications for use here.',
        'For neonates too.',
      ),
      'records/design.yaml': DESIGN.replace(
        'The software limits the rate.',
        'The software limits the rate sooner.',
      ),
    });
    const review = reviewSubmission(now(repo.top), 'CR-002', FLOW, {
      answers: { answers: answers({ Q1: 'no', Q2: 'no', 'Q3.1': 'no', 'Q3.2': 'no' }) },
    });
    const q = new Map(review.walk.path.map((p) => [p.question.id, p]));
    expect(q.get('Q3.2')!.prefill).toMatchObject({ suggests: 'yes' });
    expect(q.get('Q3.2')!.prefill!.evidence.join()).toMatch(/RC-001 changed/);
    expect(q.get('Q4')!.prefill).toMatchObject({ suggests: 'yes' });
    expect(q.get('Q4')!.prefill!.evidence[0]).toMatch(/intended use .* changed/);
    // The people's answer stands, whatever the records point to.
    expect(review.walk.pointsTo).toEqual({ kind: 'unanswered', question: 'Q4' });
  });

  it('fails closed when the cleared version cannot be read: not checked, no evidence', () => {
    const { repo } = scripted();
    repo.write({ 'records/releases.yaml': release('0123456789abcdef0123456789abcdef01234567') });
    const review = reviewSubmission(now(repo.top), 'CR-002', FLOW);
    expect(review.notChecked).toMatch(/not compared with 1\.0\.0: .*not known to git/);
    expect(review.cumulative).toBeUndefined();
    expect(review.walk.path[0]!.prefill).toMatchObject({ evidence: [] });
    expect(review.walk.path[0]!.prefill!.suggests).toBeUndefined();
  });

  it('reads the answers file with errors that name the file, line and column', () => {
    const good = parseAnswersFile(
      'a.yaml',
      'changeRequest: CR-002\nanswers:\n  Q1: { answer: no, rationale: It also changes the rate limit. }\n',
      FLOW,
    );
    expect(good.answers.get('Q1')).toEqual({ answer: 'no', rationale: 'It also changes the rate limit.' });
    const bad = (text: string) => {
      try {
        parseAnswersFile('a.yaml', text, FLOW);
      } catch (error) {
        expect(error).toBeInstanceOf(AnswersFileError);
        return (error as Error).message;
      }
      throw new Error('accepted');
    };
    expect(bad('answers:\n  Q1:\n    answer: maybe\n    rationale: x\n')).toMatch(
      /^a\.yaml:3:13: .*answers\.Q1\.answer/,
    );
    expect(bad('answers:\n  Q1: { answer: no }\n')).toMatch(/^a\.yaml:2:\d+: .*rationale/);
    expect(bad('answers:\n  Q7: { answer: no, rationale: x }\n')).toMatch(
      /^a\.yaml:2:\d+: Q7 is not a question/,
    );
    expect(bad('answers: [\n')).toMatch(/^a\.yaml:\d+:\d+: not valid YAML/);
  });

  it('CLI: prints where the flow points, and --record writes only a person’s decision', () => {
    const { repo } = scripted();
    fs.writeFileSync(
      path.join(repo.top, 'answers.yaml'),
      'answers:\n  Q1: { answer: no, rationale: a }\n  Q2: { answer: no, rationale: b }\n  Q3.1: { answer: no, rationale: c }\n  Q3.2: { answer: no, rationale: d }\n  Q4: { answer: no, rationale: e }\n',
    );
    const shown = runCli([
      'impact',
      'CR-002',
      '--510k',
      '--answers',
      path.join(repo.top, 'answers.yaml'),
      '-C',
      repo.top,
    ]);
    expect(shown.stderr).toBe('');
    expect(shown.code).toBe(0);
    expect(shown.stdout).toMatch(/The flow points to: document-only/);
    expect(shown.stdout).toMatch(/Dossier does not decide/);
    const refused = runCli([
      'impact',
      'CR-002',
      '--510k',
      '--record',
      '--outcome',
      'document-only',
      '-C',
      repo.top,
    ]);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/--by, --rationale/);
    const bad = runCli([
      'impact',
      'CR-002',
      '--510k',
      '--answers',
      path.join(repo.top, 'nope.yaml'),
      '-C',
      repo.top,
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/cannot read the answers file .*nope\.yaml: ENOENT/);
    const hugeFile = path.join(repo.top, 'huge.yaml');
    fs.writeFileSync(hugeFile, `answers: {}\n${'#'.repeat(3 * 1024 * 1024)}\n`);
    const huge = runCli(['impact', 'CR-002', '--510k', '--answers', hugeFile, '-C', repo.top]);
    expect(huge.code).toBe(2);
    expect(huge.stderr).toMatch(/huge\.yaml is over \d+ bytes \(limits\.maxFileBytes\)/);

    const before = analyze(now(repo.top).project).diagnostics.filter(
      (d) => d.code === 'change/submission-decision',
    );
    expect(before.map((d) => d.message).join()).toMatch(
      /CR-002 changes records of 1\.0\.0, which FDA cleared \(K250001\): RC-001/,
    );
    const recorded = runCli(
      [
        'impact',
        'CR-002',
        '--510k',
        '--answers',
        path.join(repo.top, 'answers.yaml'),
        '--record',
        '--by',
        'R. A. Engineer',
        '--outcome',
        'document-only',
        '--rationale',
        'All five questions answered no.',
        '-C',
        repo.top,
      ],
      undefined,
      { DOSSIER_TODAY: '2026-02-01' },
    );
    expect(recorded.stderr).toMatch(
      /^recorded the decision of R. A. Engineer \(document-only\) into CR-002\n$/,
    );
    expect(recorded.code).toBe(0);
    const cr = now(repo.top).graph.get('CR-002')!;
    expect(cr.fields.submissionDecision).toEqual({
      outcome: 'document-only',
      guidance: FLOW.guidance.version,
      decidedBy: 'R. A. Engineer',
      date: '2026-02-01',
      rationale: 'All five questions answered no.',
      answers: 'answers.yaml',
    });
    expect(
      analyze(now(repo.top).project).diagnostics.filter((d) => d.code === 'change/submission-decision'),
    ).toEqual([]);
  });

  it('the rule: a decision citing another guidance version is reported; a change before the clearance needs none', () => {
    const { repo } = scripted();
    repo.write({
      'records/changes.yaml': `${CR}    submissionDecision: { outcome: document-only, guidance: FDA 2016 draft, decidedBy: X, date: 2026-01-01, rationale: y }\n`,
    });
    const found = analyze(now(repo.top).project).diagnostics.filter(
      (d) => d.code === 'change/submission-decision',
    );
    expect(found.map((d) => d.message).join()).toMatch(/decided under "FDA 2016 draft"/);
    // Included in the cleared release: part of what was cleared.
    repo.write({
      'records/changes.yaml': CR,
      'records/releases.yaml': release('0123456789abcdef0123456789abcdef01234567').replace(
        '    cleared:',
        '    includes: [CR-002]\n    cleared:',
      ),
    });
    expect(
      analyze(now(repo.top).project).diagnostics.filter((d) => d.code === 'change/submission-decision'),
    ).toEqual([]);
  });
});
