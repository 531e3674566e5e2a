import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { planRenumber, RenumberError, writeRenumber } from '../../edit/renumber.js';
import { withProjectLock } from '../../util/project-lock.js';
import { EXIT, loadOrReport, UsageError, warnLock } from '../io.js';
import { writeOut } from '../terminal.js';

export interface RenumberOptions {
  readonly file?: string;
  readonly dryRun?: boolean;
}

/** `dossier renumber OLD NEW [dir]`: a new id for a record, and every reference updated. */
export function runRenumber(from: string, to: string, dir: string, options: RenumberOptions): number {
  const job = () => {
    // References in a file that does not load could not be updated: refused, nothing written.
    const { project, exitCode } = loadOrReport(dir, { refuse: `renumber ${from}` });
    if (!project) return exitCode!;
    let plan: ReturnType<typeof planRenumber>;
    try {
      plan = planRenumber(project, from, to, options.file !== undefined ? { file: options.file } : {});
    } catch (error) {
      if (error instanceof RenumberError) throw new UsageError(error.message);
      throw error;
    }
    if (!options.dryRun) writeRenumber(project, plan);
    const verb = options.dryRun ? 'would change' : 'changed';
    writeOut(
      `${from} → ${to} (${plan.record.kind} in ${plan.record.origin.source.path}): ${verb} ${plural(plan.changes.length, 'place')} in ${plural(plan.writes.length, 'file')}${options.dryRun ? ' (dry run: nothing written)' : ''}\n`,
    );
    for (const c of plan.changes) writeOut(`  ${c.file}:${c.line}  ${c.what}\n`);
    if (plan.ambiguous.length > 0) {
      writeOut(
        `${from} is used by another record too, so these references were left as they are; change those that mean the renumbered record to ${to} by hand:\n`,
      );
      for (const p of plan.ambiguous) writeOut(`  ${p.file}:${p.line}\n`);
    }
    if (plan.mentions.length > 0) {
      writeOut(`${from} is mentioned in text here (not changed; edit where it means this record):\n`);
      for (const p of plan.mentions) writeOut(`  ${p.file}:${p.line}\n`);
    }
    if (plan.signedAffected.length > 0) {
      writeOut(
        `signed records whose content changes (their signatures no longer match; sign them again): ${plan.signedAffected.join(', ')}\n`,
      );
    }
    if (plan.namedAfterOld) {
      writeOut(
        `${plan.namedAfterOld} keeps its name: rename it with git mv ${plan.namedAfterOld} ${path.posix.join(path.posix.dirname(plan.namedAfterOld), `${to}.md`)}\n`,
      );
    }
    return EXIT.ok;
  };
  return options.dryRun ? job() : withProjectLock(path.resolve(dir), 'dossier renumber', warnLock, job);
}
