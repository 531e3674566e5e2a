/** What Dossier prints when record files did not load: a banner, or the refusal of a command. */

import path from 'node:path';
import { describeAtHead, type UnloadedFile } from '../load/unloaded.js';
import { plural, toPosix } from './format.js';

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

/** For commands that write artefacts, verdicts or records: nothing is done. */
export function refusal(action: string, unloaded: readonly UnloadedFile[], displayRoot: string): string {
  return `${[
    `dossier: cannot ${action}: ${plural(unloaded.length, 'record file')} did not load, so ${unloaded.length === 1 ? 'its records' : 'their records'} would be missing:`,
    ...fileLines(unloaded, displayRoot),
    `Fix ${unloaded.length === 1 ? 'it' : 'them'} (\`dossier check\` shows each problem with a hint) and run again. Nothing was written.`,
  ].join('\n')}\n`;
}
