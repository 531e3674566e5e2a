import path from 'node:path';
import { HISTORY_FORMATS, renderHistory } from '../../history/history-report.js';
import { RevisionError } from '../../history/project-at.js';
import { RecordNotInHistoryError, recordHistory } from '../../history/record-history.js';
import { loadConfig } from '../../load/config-load.js';
import { EXIT, emit, oneOf, reportConfigProblems, UsageError } from '../io.js';

export interface HistoryOptions {
  readonly dir: string;
  readonly format: string;
  readonly rev?: string;
  readonly out?: string;
}

/** `dossier history ID`: every change to one record in git, with the approvals given and voided. */
export function runHistory(id: string, options: HistoryOptions): number {
  const format = oneOf(options.format, HISTORY_FORMATS, '--format');
  const root = path.resolve(options.dir);
  const configLoad = loadConfig(root);
  if (!configLoad.config) {
    return reportConfigProblems(
      configLoad.findings,
      new Map(configLoad.source ? [[configLoad.source.path, configLoad.source]] : []),
      options.dir,
    );
  }
  try {
    const history = recordHistory(root, configLoad.config, id, options.rev ? { revision: options.rev } : {});
    emit(renderHistory(history, format), { out: options.out, format });
    return history.unread.length > 0 ? EXIT.findings : EXIT.ok;
  } catch (error) {
    if (error instanceof RevisionError || error instanceof RecordNotInHistoryError)
      throw new UsageError(error.message);
    throw error;
  }
}
