/** What Dossier prints when record files did not load: a banner, or the refusal of a command. */

import path from 'node:path';
import { describeAtHead, type UnloadedFile } from '../load/unloaded.js';
import { plural, toPosix, unloadedFilesReport } from './format.js';

function fileLines(unloaded: readonly UnloadedFile[], displayRoot: string): string[] {
  return unloaded.map((u) => {
    const at = u.finding.at?.line ? `:${u.finding.at.line}` : '';
    return `  ${toPosix(path.join(displayRoot, u.file))}${at}: ${u.finding.message}; ${describeAtHead(u.atHead)}`;
  });
}

/** For commands that still run: their output lacks the records of these files. */
export function incompleteBanner(unloaded: readonly UnloadedFile[], displayRoot: string): string {
  return `${[
    `INCOMPLETE: ${plural(unloaded.length, 'record file')} did not load; ${unloaded.length === 1 ? 'its records are' : 'their records are'} missing from this output:`,
    ...fileLines(unloaded, displayRoot),
    `Fix ${unloaded.length === 1 ? 'it' : 'them'} (\`dossier check\` shows each problem with a hint) before relying on this output.`,
  ].join('\n')}\n`;
}

/**
 * A JSON report of an incomplete project says so as data: `incomplete: true` and `unloadedFiles`
 * (as in the check report) after its `schemaVersion` and `tool`. Complete reports are unchanged.
 */
export function markJsonIncomplete(
  json: string,
  unloaded: readonly UnloadedFile[],
  displayRoot: string,
): string {
  const report = JSON.parse(json) as Record<string, unknown>;
  const marked: Record<string, unknown> = {};
  for (const key of ['schemaVersion', 'tool']) if (key in report) marked[key] = report[key];
  marked.incomplete = true;
  marked.unloadedFiles = unloadedFilesReport(unloaded, displayRoot);
  return `${JSON.stringify({ ...marked, ...report }, null, 2)}\n`;
}

/** For commands that write artefacts, verdicts or records: nothing is done. */
export function refusal(action: string, unloaded: readonly UnloadedFile[], displayRoot: string): string {
  return `${[
    `dossier: cannot ${action}: ${plural(unloaded.length, 'record file')} did not load, so ${unloaded.length === 1 ? 'its records' : 'their records'} would be missing:`,
    ...fileLines(unloaded, displayRoot),
    `Fix ${unloaded.length === 1 ? 'it' : 'them'} (\`dossier check\` shows each problem with a hint) and run again. Nothing was written.`,
  ].join('\n')}\n`;
}
