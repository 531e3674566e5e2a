import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { TraceGraph } from '../../graph/graph.js';
import { renderSecurityText, SECURITY_FORMATS } from '../../security/security-render.js';
import { controlItems, securityReport } from '../../security/security-report.js';
import { securityViews } from '../../security/security-views.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { EXIT, emitReport, exitFor, loadOrReport, oneOf } from '../io.js';

export interface SecurityOptions {
  readonly format: string;
  readonly out?: string;
}

/**
 * `dossier security [dir]`: the security risk management file. Reports, never judges: exit 0 once
 * the project loaded (1 while record files did not load); `dossier check` enforces the rules.
 * With --out DIR: the report (security.txt or security.json) and the four views as SVG.
 */
export function runSecurity(dir: string, options: SecurityOptions): number {
  const format = oneOf(options.format, SECURITY_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const graph = new TraceGraph(project.records);
  const report = securityReport(graph, project.config);
  let written: string | undefined;
  if (options.out) {
    const out = path.resolve(options.out);
    fs.mkdirSync(out, { recursive: true });
    for (const view of securityViews(report, controlItems(graph))) {
      writeFileAtomic(path.join(out, view.file), view.svg);
    }
    written = path.relative(process.cwd(), out) || '.';
  }
  const text =
    format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderSecurityText(report, written);
  emitReport(text, {
    format,
    project,
    dir,
    ...(options.out
      ? { out: path.join(options.out, format === 'json' ? 'security.json' : 'security.txt') }
      : {}),
  });
  return exitFor(project, EXIT.ok);
}

export function registerSecurityCommand(cli: Command, setExit: (code: number) => void): void {
  const security = cli
    .command('security')
    .description(
      'Cybersecurity (FDA premarket guidance, 524B): threat model, security risks, controls by category, trace threat → test, testing, architecture views',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SECURITY_FORMATS).default('text'))
    .option(
      '-o, --out <dir>',
      'write the report and the four security architecture views (SVG) into this folder',
    )
    .addHelpText(
      'after',
      `
Prints the threat model (every interface, and whether threats were assessed for it), the security
risk table (before and after control, acceptability from dossier.yaml securityRisk, controls,
hazardous situations they lead to), the controls by the eight categories of the FDA guidance's
Appendix 1 (a category without a control says "none"), the traceability threat → risk → control →
requirement → test (each gap named "missing") and the security testing (type, tester and
independence, version, findings by disposition).

With --out DIR: security.txt (or security.json) and the views global-system-view.svg,
multi-patient-harm-view.svg, updatability-view.svg and security-use-case-views.svg.
JSON: schemas/security-report.schema.json. Exit 0; 1 when record files did not load; 2 usage error.
The rules are enforced by dossier check; postmarket: dossier security report.

Examples:
  dossier security
  dossier security --out out/security
  dossier security --format json`,
    )
    .action((dir: string, opts) => setExit(runSecurity(dir, opts)));
  return void security;
}
