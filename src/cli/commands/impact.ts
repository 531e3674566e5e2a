import path from 'node:path';
import { analyze } from '../../analyze.js';
import { editRecords, RecordEditConflictError } from '../../edit/record-edit.js';
import {
  analyseImpact,
  changedBy,
  type ImpactAnalysis,
  ImpactInputError,
  impactField,
  recordsNamed,
} from '../../impact/impact.js';
import { IMPACT_FORMATS, impactReport, renderImpact } from '../../impact/report.js';
import { DEFAULT_MAX_FILE_BYTES } from '../../model/config.js';
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
}

/**
 * `dossier impact CR-… | --records A,B`: the change impact (src/impact/impact.ts); with --write it
 * is recorded into the change request's `impact` field under the project lock.
 */
export function runImpact(changeRequest: string | undefined, options: ImpactOptions): number {
  const format = oneOf(options.format, IMPACT_FORMATS, '--format');
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
            maxFileBytes: project.config.limits?.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES,
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
