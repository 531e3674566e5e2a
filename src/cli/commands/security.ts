import fs from 'node:fs';
import path from 'node:path';
import { type Command, Option } from 'commander';
import { TraceGraph } from '../../graph/graph.js';
import { postmarketFails, securityPostmarket } from '../../security/postmarket.js';
import {
  renderPostmarketText,
  renderSecurityText,
  SECURITY_FORMATS,
} from '../../security/security-render.js';
import { controlItems, securityReport } from '../../security/security-report.js';
import { securityViews } from '../../security/security-views.js';
import { scanSoup } from '../../soup/scan.js';
import { writeFileAtomic } from '../../util/atomic-write.js';
import { today } from '../../util/clock.js';
import { openProjectAdvisories } from '../advisory-db.js';
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

export interface SecurityReportOptions {
  readonly format: string;
  readonly out?: string;
  readonly advisories?: string;
}

/**
 * `dossier security report [dir]`: what is open with its deadline, and the TPLC metrics. Exit 1
 * while an open item is past its deadline or, with patch timelines configured, has none because its
 * identification date is not recorded (it cannot be shown to be in time: fail closed).
 */
export function runSecurityPostmarket(dir: string, options: SecurityReportOptions): number {
  const format = oneOf(options.format, SECURITY_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const graph = new TraceGraph(project.records);
  const advisories = openProjectAdvisories(dir, project.config, options.advisories, { required: false });
  let scan: ReturnType<typeof scanSoup> | undefined;
  try {
    scan = advisories
      ? scanSoup(graph.ofKind('soup'), graph.ofKind('vulnerability-evaluation'), advisories.source)
      : undefined;
  } finally {
    advisories?.close();
  }
  const report = securityPostmarket({
    graph,
    config: project.config,
    today: today(),
    ...(scan ? { scan } : {}),
  });
  const text = format === 'json' ? `${JSON.stringify(report, null, 2)}\n` : renderPostmarketText(report);
  emitReport(text, { format, project, dir, ...(options.out ? { out: options.out } : {}) });
  return exitFor(project, postmarketFails(report) ? EXIT.findings : EXIT.ok);
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

  security
    .command('report')
    .description(
      'Postmarket: open vulnerabilities, vulnerability problem reports and security-test findings with their deadlines; TPLC metrics',
    )
    .argument('[dir]', 'project folder', '.')
    .addOption(new Option('-f, --format <format>', 'output format').choices(SECURITY_FORMATS).default('text'))
    .option('-o, --out <file>', 'write the report to a file instead of standard output')
    .option(
      '--advisories <db>',
      'advisory database for the SOUP scan (default: .dossier/advisories.sqlite when present)',
    )
    .addHelpText(
      'after',
      `
Open items: SOUP vulnerability findings without a current evaluation (the SOUP scan; without advisory
data the SOUP is said to be NOT CHECKED), problem reports with origin vulnerability not closed, and
security-test findings with disposition open. Each gets a deadline: its identification date (the
advisory's publication, the problem report's \`reported\`, the test's \`date\`) plus dossier.yaml
security.patchDays for its criticality; an unknown criticality counts as critical.

Metrics, per problem report with origin vulnerability: days from \`reported\` to the first history
entry resolved or closed (fix), and to the first dated release including a change request that
addresses it (deployed update); "not computable" with the reason when the records lack the data.

JSON: schemas/security-postmarket.schema.json. Exit 1 while an item is overdue, or has no deadline
because its identification date is not recorded (with patch timelines configured), or record files
did not load; 2 usage error.

Examples:
  dossier security report
  DOSSIER_TODAY=2027-01-15 dossier security report --format json`,
    )
    .action((dir: string, opts) => setExit(runSecurityPostmarket(dir, opts)));
}
