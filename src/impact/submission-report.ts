/**
 * `dossier impact CR-… --510k` output: where the FDA software-change flow points for a change, with
 * what the records show and what people answered, per question. JSON contract:
 * schemas/submission-report.schema.json. Dossier never decides: every format says so.
 */
import { z } from 'zod';
import { DOSSIER_VERSION } from '../version.js';
import type { SubmissionReview } from './submission.js';

export const SUBMISSION_SCHEMA_VERSION = 1;

export const submissionReportSchema = z
  .strictObject({
    schemaVersion: z.literal(SUBMISSION_SCHEMA_VERSION),
    tool: z.strictObject({ name: z.literal('dossier'), version: z.string() }),
    changeRequest: z.string(),
    guidance: z.strictObject({ title: z.string(), version: z.string() }),
    baseline: z.strictObject({
      release: z.string(),
      version: z.string(),
      kNumber: z.string().optional(),
      cleared: z.string().optional().describe('Date of the clearance'),
      commit: z.string().optional(),
    }),
    notChecked: z.string().describe('Why the records at the baseline were not compared').optional(),
    cumulative: z
      .strictObject({
        added: z.array(z.string()),
        changed: z.array(z.string()),
        removed: z.array(z.string()),
        changeRequests: z
          .array(z.string())
          .describe('Change requests since the clearance, this one included'),
      })
      .describe('Design records changed since the cleared version (content fingerprints)')
      .optional(),
    questions: z
      .array(
        z.strictObject({
          id: z.string(),
          section: z.string(),
          question: z.string(),
          note: z.string().optional(),
          sources: z.array(z.string()),
          recordsShow: z.array(z.string()).describe('Evidence from the records'),
          recordsSuggest: z
            .enum(['yes', 'no'])
            .optional()
            .describe('The answer the records point to; not an answer'),
          notChecked: z.string().optional(),
          answer: z.enum(['yes', 'no', 'uncertain']).optional(),
          rationale: z.string().optional(),
          by: z.string().optional(),
        }),
      )
      .describe('The questions on the path the answers take, in order'),
    pointsTo: z.strictObject({
      outcome: z.string().optional().describe('document-only, new-510k-likely or escalate (data outcomes)'),
      text: z.string().optional(),
      unanswered: z.string().optional().describe('The question the walk stopped at for want of an answer'),
    }),
    answersOffPath: z.array(z.string()).describe('Answers to questions the path does not reach'),
    decision: z
      .record(z.string(), z.unknown())
      .describe("The change request's recorded submissionDecision, if any")
      .optional(),
    notice: z.string(),
  })
  .describe('dossier impact --510k --format json');

export type SubmissionReport = z.infer<typeof submissionReportSchema>;

const NOTICE =
  'Dossier does not decide. A person decides with regulatory affairs and records it on the change request as submissionDecision (outcome, guidance, decidedBy, date, rationale).';

export function submissionReport(review: SubmissionReview): SubmissionReport {
  const { baseline, walk } = review;
  const decision = review.changeRequest.fields.submissionDecision as Record<string, unknown> | undefined;
  return {
    schemaVersion: SUBMISSION_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    changeRequest: review.changeRequest.id,
    guidance: { title: review.guidance.title, version: review.guidance.version },
    baseline: {
      release: baseline.release.id,
      version: baseline.version,
      ...(baseline.cleared?.kNumber ? { kNumber: baseline.cleared.kNumber } : {}),
      ...(baseline.cleared?.date ? { cleared: baseline.cleared.date } : {}),
      ...(baseline.commit ? { commit: baseline.commit } : {}),
    },
    ...(review.notChecked ? { notChecked: review.notChecked } : {}),
    ...(review.cumulative
      ? {
          cumulative: {
            added: [...review.cumulative.added],
            changed: [...review.cumulative.changed],
            removed: [...review.cumulative.removed],
            changeRequests: [...review.cumulative.changeRequests],
          },
        }
      : {}),
    questions: walk.path.map(({ question, answer, prefill }) => ({
      id: question.id,
      section: question.section,
      question: question.question,
      ...(question.note ? { note: question.note } : {}),
      sources: [...question.sources],
      recordsShow: [...(prefill?.evidence ?? [])],
      ...(prefill?.suggests ? { recordsSuggest: prefill.suggests } : {}),
      ...(prefill?.notChecked ? { notChecked: prefill.notChecked } : {}),
      ...(answer
        ? { answer: answer.answer, rationale: answer.rationale, ...(answer.by ? { by: answer.by } : {}) }
        : {}),
    })),
    pointsTo:
      walk.pointsTo.kind === 'outcome'
        ? { outcome: walk.pointsTo.outcome, text: walk.pointsTo.text }
        : { unanswered: walk.pointsTo.question },
    answersOffPath: [...walk.offPath],
    ...(decision ? { decision: { ...decision } } : {}),
    notice: NOTICE,
  };
}

export function renderSubmission(
  report: SubmissionReport,
  format: 'text' | 'markdown' | 'json',
  sources: Readonly<Record<string, string>>,
): string {
  if (format === 'json') return `${JSON.stringify(report, null, 2)}\n`;
  const md = format === 'markdown';
  const out: string[] = [];
  const h = (level: number, text: string) => out.push(md ? `${'#'.repeat(level)} ${text}` : text, '');
  h(1, `510(k) software-change questions for ${report.changeRequest}`);
  out.push(`Guidance: ${report.guidance.title} (${report.guidance.version})`);
  const b = report.baseline;
  out.push(
    `Baseline: ${b.version} (${b.release})${b.kNumber ? `, cleared ${b.kNumber}` : ''}${b.cleared ? ` on ${b.cleared}` : ''}${b.commit ? `, commit ${b.commit.slice(0, 12)}` : ''}`,
  );
  if (report.notChecked)
    out.push(`NOT CHECKED: ${report.notChecked}; the records show nothing for any question.`);
  if (report.cumulative) {
    const c = report.cumulative;
    out.push(
      `Cumulative changes since ${b.version}: ${c.added.length} design records added, ${c.changed.length} changed, ${c.removed.length} removed; change requests ${c.changeRequests.join(', ')}`,
    );
  }
  out.push('');
  for (const q of report.questions) {
    h(2, `${q.id} (${q.section})`);
    out.push(md ? `**${q.question}**` : q.question);
    if (q.note) out.push(`Note: ${q.note}`);
    out.push(`Sources: ${q.sources.map((s) => `[${s}] ${sources[s] ?? ''}`).join('; ')}`);
    const bullet = md ? '- ' : '  - ';
    if (q.notChecked)
      out.push(
        q.notChecked === report.notChecked
          ? 'Records: NOT CHECKED (see above)'
          : `Records: NOT CHECKED (${q.notChecked})`,
      );
    else {
      out.push('Records show:');
      for (const e of q.recordsShow) out.push(`${bullet}${e}`);
      if (q.recordsSuggest) out.push(`Records point to: ${q.recordsSuggest} (not an answer; people answer)`);
    }
    out.push(
      q.answer
        ? `Answer: ${q.answer}${q.by ? ` (${q.by})` : ''}: ${q.rationale}`
        : 'Answer: NONE — the walk stops here; answer it in the answers file (--answers)',
    );
    out.push('');
  }
  const p = report.pointsTo;
  out.push(
    p.outcome
      ? `The flow points to: ${p.outcome}: ${p.text}`
      : `The flow stops at ${p.unanswered}: no answer yet.`,
  );
  if (report.answersOffPath.length > 0)
    out.push(`Answers not on the path taken: ${report.answersOffPath.join(', ')}`);
  const d = report.decision;
  out.push(
    d
      ? `Recorded decision: ${String(d.outcome)} by ${String(d.decidedBy)} on ${String(d.date)} (${String(d.guidance)})`
      : 'Recorded decision: none yet.',
  );
  out.push('', report.notice);
  return `${out
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trimEnd()}\n`;
}
