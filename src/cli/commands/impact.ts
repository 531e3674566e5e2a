import fs from 'node:fs';
import path from 'node:path';
import { analyze } from '../../analyze.js';
import { editRecords, RecordEditConflictError } from '../../edit/record-edit.js';
import { TraceGraph } from '../../graph/graph.js';
import {
  analyseImpact,
  changedBy,
  type ImpactAnalysis,
  ImpactInputError,
  impactField,
  recordsNamed,
} from '../../impact/impact.js';
import { IMPACT_FORMATS, type ImpactFormat, impactReport, renderImpact } from '../../impact/report.js';
import { reviewSubmission, type SubmissionReview } from '../../impact/submission.js';
import { type AnswersFile, AnswersFileError, parseAnswersFile } from '../../impact/submission-answers.js';
import { FDA_510K_SOFTWARE_FLOW } from '../../impact/submission-flow.js';
import { renderSubmission, submissionReport } from '../../impact/submission-report.js';
import { maxFileBytesOf } from '../../model/config.js';
import { SUBMISSION_OUTCOMES } from '../../model/vocabulary.js';
import { analyzeSafety } from '../../safety/safety-analysis.js';
import { today } from '../../util/clock.js';
import { withProjectLock } from '../../util/project-lock.js';
import { EXIT, emit, loadOrReport, oneOf, UsageError, warnLock } from '../io.js';
import { writeErr } from '../terminal.js';

export { IMPACT_FORMATS };

export interface ImpactOptions {
  readonly dir: string;
  readonly format: string;
  readonly records?: string;
  readonly write?: boolean;
  readonly out?: string;
  /** The 510(k) software-change questionnaire instead of the impact. */
  readonly '510k'?: boolean;
  readonly cleared?: string;
  readonly answers?: string;
  /** Record a person's decision (--by, --outcome, --rationale) as the CR's submissionDecision. */
  readonly record?: boolean;
  readonly by?: string;
  readonly outcome?: string;
  readonly rationale?: string;
}

/**
 * `dossier impact CR-… | --records A,B`: the change impact (src/impact/impact.ts); with --write it
 * is recorded into the change request's `impact` field under the project lock.
 */
export function runImpact(changeRequest: string | undefined, options: ImpactOptions): number {
  const format = oneOf(options.format, IMPACT_FORMATS, '--format');
  if (options['510k']) return runSubmission(changeRequest, options, format);
  for (const only of ['cleared', 'answers', 'record'] as const)
    if (options[only] !== undefined)
      throw new UsageError(`--${only} belongs to the 510(k) questionnaire: add --510k`);
  if ((changeRequest === undefined) === (options.records === undefined))
    throw new UsageError(
      'name a change request (dossier impact CR-…) or the changed records (--records A,B), not both',
    );
  if (options.write && changeRequest === undefined)
    throw new UsageError(
      '--write records the impact into a change request: name one (dossier impact CR-… --write)',
    );
  const job = () => {
    // An impact of a partly loaded project would leave out what did not load: refuse (fail closed).
    const { project, exitCode } = loadOrReport(options.dir, { refuse: 'analyse change impact' });
    if (!project) return exitCode!;
    const analysis = analyze(project);
    let impact: ImpactAnalysis;
    try {
      const changed =
        changeRequest !== undefined
          ? changedBy(analysis.graph, changeRequest)
          : recordsNamed(
              analysis.graph,
              options
                .records!.split(',')
                .map((s) => s.trim())
                .filter((s) => s.length > 0),
            );
      impact = analyseImpact(analysis.graph, analysis.safety, changed);
    } catch (error) {
      if (error instanceof ImpactInputError) throw new UsageError(error.message);
      throw error;
    }
    const report = impactReport(impact, changeRequest);
    emit(renderImpact(report, format), { out: options.out, format });
    if (options.write && changeRequest !== undefined) {
      const cr = analysis.graph.get(changeRequest)!;
      try {
        const written = editRecords(
          [{ record: cr, edits: [{ field: 'impact', value: impactField(impact, today()) as never }] }],
          {
            root: project.root,
            sources: project.sources,
            maxFileBytes: maxFileBytesOf(project.config),
            owner: 'dossier impact --write',
          },
        );
        writeErr(
          `recorded the impact into ${changeRequest} (${written.written.join(', ') || 'unchanged'})\n`,
        );
      } catch (error) {
        if (error instanceof RecordEditConflictError) throw new UsageError(error.message);
        throw error;
      }
    }
    // Links that do not resolve leave part of the impact unknown: not a clean answer.
    return report.unresolved.length > 0 ? EXIT.findings : EXIT.ok;
  };
  return options.write
    ? withProjectLock(path.resolve(options.dir), 'dossier impact --write', warnLock, job)
    : job();
}

/**
 * `dossier impact CR-… --510k [--cleared V] [--answers FILE] [--record --by NAME --outcome O
 * --rationale TEXT]`: the questionnaire; --record writes the person's decision, never the flow's.
 */
function runSubmission(
  changeRequest: string | undefined,
  options: ImpactOptions,
  format: ImpactFormat,
): number {
  if (changeRequest === undefined || options.records !== undefined)
    throw new UsageError('--510k needs a change request: dossier impact CR-… --510k');
  if (options.write) throw new UsageError('--510k records a decision with --record, not --write');
  const recording = options.record === true;
  if (!recording && (options.by ?? options.outcome ?? options.rationale) !== undefined)
    throw new UsageError('--by, --outcome and --rationale go with --record');
  if (recording) {
    const missing = (['by', 'outcome', 'rationale'] as const).filter((k) => !options[k]?.trim());
    if (missing.length > 0)
      throw new UsageError(
        `--record writes a person's decision: give ${missing.map((m) => `--${m}`).join(', ')} (the flow never decides)`,
      );
    oneOf(options.outcome!, SUBMISSION_OUTCOMES, '--outcome');
  }
  const job = () => {
    const { project, exitCode } = loadOrReport(options.dir, { refuse: 'walk the 510(k) questions' });
    if (!project) return exitCode!;
    const graph = new TraceGraph(project.records);
    const now = { project, graph, safety: analyzeSafety(graph, project.config) };
    let answers: AnswersFile | undefined;
    if (options.answers !== undefined) {
      const file = options.answers;
      let text: string;
      const limit = maxFileBytesOf(project.config);
      try {
        // Bounded like a record file: an answers file is a handful of lines.
        if (fs.statSync(file).size > limit)
          throw new UsageError(`the answers file ${file} is over ${limit} bytes (limits.maxFileBytes)`);
        text = fs.readFileSync(file, 'utf8');
      } catch (error) {
        if (error instanceof UsageError) throw error;
        throw new UsageError(
          `cannot read the answers file ${file}: ${(error as NodeJS.ErrnoException).code ?? 'unreadable'}`,
        );
      }
      try {
        answers = parseAnswersFile(file, text, FDA_510K_SOFTWARE_FLOW);
      } catch (error) {
        if (error instanceof AnswersFileError) throw new UsageError(error.message);
        throw error;
      }
    }
    let review: SubmissionReview;
    try {
      review = reviewSubmission(now, changeRequest, FDA_510K_SOFTWARE_FLOW, {
        ...(options.cleared !== undefined ? { cleared: options.cleared } : {}),
        ...(answers ? { answers } : {}),
      });
    } catch (error) {
      if (error instanceof ImpactInputError) throw new UsageError(error.message);
      throw error;
    }
    emit(renderSubmission(submissionReport(review), format, FDA_510K_SOFTWARE_FLOW.sources), {
      out: options.out,
      format,
    });
    if (!recording) return EXIT.ok;
    const decision = {
      outcome: options.outcome!,
      guidance: FDA_510K_SOFTWARE_FLOW.guidance.version,
      decidedBy: options.by!.trim(),
      date: today(),
      rationale: options.rationale!.trim(),
      ...(options.answers !== undefined
        ? { answers: path.relative(project.root, path.resolve(options.answers)).split(path.sep).join('/') }
        : {}),
    };
    const pointed = review.walk.pointsTo;
    if (pointed.kind !== 'outcome' || !flowAgrees(pointed.outcome, decision.outcome))
      writeErr(
        `note: the decision (${decision.outcome}) is not where the flow points (${pointed.kind === 'outcome' ? pointed.outcome : `unanswered ${pointed.question}`}); the rationale must say why\n`,
      );
    try {
      editRecords(
        [
          {
            record: review.changeRequest,
            edits: [{ field: 'submissionDecision', value: decision as never }],
          },
        ],
        {
          root: project.root,
          sources: project.sources,
          maxFileBytes: maxFileBytesOf(project.config),
          owner: 'dossier impact --510k --record',
        },
      );
    } catch (error) {
      if (error instanceof RecordEditConflictError) throw new UsageError(error.message);
      throw error;
    }
    writeErr(`recorded the decision of ${decision.decidedBy} (${decision.outcome}) into ${changeRequest}\n`);
    return EXIT.ok;
  };
  return recording
    ? withProjectLock(path.resolve(options.dir), 'dossier impact --510k --record', warnLock, job)
    : job();
}

/** Whether a person's outcome is the one the flow's pointer names (data outcome keys). */
function flowAgrees(pointer: string, outcome: string): boolean {
  return (
    (pointer === 'document-only' && outcome === 'document-only') ||
    (pointer === 'new-510k-likely' && outcome === 'new-510k') ||
    (pointer === 'escalate' && outcome === 'pre-submission')
  );
}
