import fs from 'node:fs';
import path from 'node:path';
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
