import path from 'node:path';
import { analyze } from '../../analyze.js';
import { build } from '../../build/build.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { displayRoot, EXIT, loadOrReport } from '../io.js';

export interface BuildOptions {
  out: string;
}

export function runBuild(dir: string, options: BuildOptions): number {
  const { project, exitCode } = loadOrReport(dir);
  if (!project) return exitCode!;
  const analysis = analyze(project);
  const result = build(analysis, { displayRoot: displayRoot(dir) });
  const outDir = path.resolve(options.out);
  for (const artifact of result.artifacts)
    writeFileAtomic(path.join(outDir, artifact.path), artifact.content);

  const rows = [
    ['Stage', 'Result', 'Outputs'],
    ...result.stages.map((s) => [s.stage, `${s.ok ? '✔' : '✖'} ${s.result}`, summarizeOutputs(s.outputs)]),
  ];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  const line = (r: string[]) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd();
  const out = [
    `Dossier build: ${project.config.device.name}`,
    '',
    line(rows[0]!),
    widths.map((w) => '─'.repeat(w)).join('  '),
    ...rows.slice(1).map(line),
    '',
    `Wrote ${result.artifacts.length} files to ${displayRoot(options.out)}/`,
  ];
  process.stdout.write(`${out.join('\n')}\n`);
  return result.stages.every((s) => s.ok) ? EXIT.ok : EXIT.findings;
}

function summarizeOutputs(outputs: readonly string[]): string {
  const folders = [...new Set(outputs.map((o) => o.split('/')[0]))];
  return `${outputs.length} files in ${folders.map((f) => `${f}/`).join(', ')}`;
}
