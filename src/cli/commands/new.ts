import path from 'node:path';
import { NewRecordError, type NewRecordPlan, planNewRecord, writeNewRecord } from '../../edit/new-record.js';
import { isKindName, KIND_NAMES } from '../../model/kinds.js';
import { withProjectLock } from '../../util/project-lock.js';
import { didYouMean } from '../../util/suggest.js';
import { ChangedOnDiskError } from '../../util/write-guard.js';
import { EXIT, loadOrReport, UsageError, warnLock } from '../io.js';
import { writeOut } from '../terminal.js';

export interface NewOptions {
  readonly title?: string;
  readonly in?: string;
  readonly id?: string;
  readonly dryRun?: boolean;
}

/** `dossier new KIND [dir]`: a record from the kind's template with the next free id. */
export function runNew(kind: string, dir: string, options: NewOptions): number {
  if (!isKindName(kind)) {
    throw new UsageError(
      `unknown kind "${kind}"${didYouMean(kind, KIND_NAMES)}; kinds are: ${KIND_NAMES.join(', ')}`,
    );
  }
  const job = () => {
    // Ids of records in files that do not load are still known (their text, git): new may run.
    const { project, exitCode } = loadOrReport(dir, 'report');
    if (!project) return exitCode!;
    let plan: NewRecordPlan;
    try {
      plan = planNewRecord(project, {
        kind,
        ...(options.title !== undefined ? { title: options.title } : {}),
        ...(options.in !== undefined ? { in: options.in } : {}),
        ...(options.id !== undefined ? { id: options.id } : {}),
      });
      if (!options.dryRun) writeNewRecord(project, plan);
    } catch (error) {
      if (error instanceof NewRecordError) throw new UsageError(error.message);
      if (error instanceof ChangedOnDiskError) {
        throw new UsageError(`${error.message}; nothing was written, run the command again`);
      }
      throw error;
    }
    const where =
      'branches' in plan.idSources
        ? `next free id across the working tree and ${plan.idSources.branches} branch tip${plan.idSources.branches === 1 ? '' : 's'}`
        : `next free id in the working tree only (git: ${plan.idSources.noGit})`;
    const verb = options.dryRun ? 'would create' : 'created';
    writeOut(
      `${plan.file}: ${verb} ${plan.id} (${plan.kind}; ${options.id ? 'the id given' : where})${options.dryRun ? ' (dry run: nothing written)' : ''}\n`,
    );
    if (options.dryRun) writeOut(`${plan.collection ? '' : plan.content}`);
    else writeOut(`  fill in the fields marked TODO in ${plan.id}; dossier check reports them until then\n`);
    return EXIT.ok;
  };
  return options.dryRun ? job() : withProjectLock(path.resolve(dir), 'dossier new', warnLock, job);
}
