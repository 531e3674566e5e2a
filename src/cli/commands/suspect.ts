import path from 'node:path';
import { plural } from '../../diagnostics/format.js';
import { RecordEditConflictError } from '../../edit/record-edit.js';
import { TraceGraph } from '../../graph/graph.js';
import { type ClearSelection, planClear, SuspectClearError, writeClear } from '../../links/clear.js';
import { orphanedStamps, type StampPlan, type SuspectLink, suspectLinks } from '../../links/suspect.js';
import { ChangeLookup, describeChange, type TargetChange } from '../../links/what-changed.js';
import type { Project } from '../../load/project.js';
import { SUSPECT_FORMATS } from '../../report-formats.js';
import { today } from '../../util/clock.js';
import { withProjectLock } from '../../util/project-lock.js';
import { EXIT, emitReport, exitFor, loadOrReport, oneOf, UsageError, warnLock } from '../io.js';
import { writeOut } from '../terminal.js';

export { SUSPECT_FORMATS };

export interface SuspectOptions {
  readonly format: string;
  readonly out?: string;
  readonly clear?: readonly string[];
  readonly all?: boolean;
  readonly by?: string;
  readonly review?: string;
  readonly dryRun?: boolean;
}

export function runSuspect(dir: string, options: SuspectOptions): number {
  const clearing = options.clear !== undefined || options.all === true;
  if (!clearing) {
    for (const [option, given] of [
      ['--by', options.by],
      ['--review', options.review],
      ['--dry-run', options.dryRun],
    ] as const) {
      if (given !== undefined) throw new UsageError(`${option} goes with --clear or --all`);
    }
    return listSuspects(dir, options);
  }
  if (options.clear !== undefined && options.all) {
    throw new UsageError('give either --clear IDs or --all, not both');
  }
  if (options.by === undefined || !/\S/.test(options.by)) {
    throw new UsageError('say who reviewed the links: --by "NAME"');
  }
  const job = () => clearSuspects(dir, options);
  return options.dryRun
    ? job()
    : withProjectLock(path.resolve(dir), 'dossier suspect --clear', warnLock, job);
}

function clearSuspects(dir: string, options: SuspectOptions): number {
  const { project, exitCode } = loadOrReport(dir, { refuse: 'mark links reviewed' });
  if (!project) return exitCode!;
  const graph = new TraceGraph(project.records);
  const selection: ClearSelection = options.all ? { all: true } : { items: options.clear ?? [] };
  try {
    const reviewer = {
      by: options.by!.trim(),
      on: today(),
      ...(options.review !== undefined ? { review: options.review } : {}),
    };
    const plans = planClear(graph, selection, reviewer);
    if (plans.length === 0) {
      writeOut('nothing to clear: the chosen links are current\n');
      return EXIT.ok;
    }
    if (!options.dryRun) writeClear(project, plans);
    writeOut(clearReport(plans, options.dryRun === true));
    return EXIT.ok;
  } catch (error) {
    if (error instanceof SuspectClearError || error instanceof RecordEditConflictError) {
      throw new UsageError(error.message);
    }
    throw error;
  }
}

function clearReport(plans: readonly StampPlan[], dryRun: boolean): string {
  const links = plans.reduce((n, p) => n + p.stamped.length, 0);
  const lines = plans.map((p) => {
    const said = [
      ...(p.stamped.length > 0 ? [`reviewed ${p.stamped.map((l) => l.to.id).join(', ')}`] : []),
      ...(p.dropped.length > 0 ? [`dropped stamps of ${p.dropped.join(', ')} (no longer linked)`] : []),
    ];
    return `  ${p.record.id}: ${said.join('; ')}\n`;
  });
  const head = dryRun
    ? `would record ${plural(links, 'link review')} in ${plural(plans.length, 'record')} (dry run: nothing written)\n`
    : `recorded ${plural(links, 'link review')} in ${plural(plans.length, 'record')}\n`;
  return head + lines.join('');
}

interface ListedLink {
  readonly link: SuspectLink;
  readonly change?: TargetChange;
}

function listSuspects(dir: string, options: SuspectOptions): number {
  const format = oneOf(options.format, SUSPECT_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, 'report');
  if (!project) return exitCode!;
  const graph = new TraceGraph(project.records);
  const lookup = new ChangeLookup(project);
  const listed = suspectLinks(graph).map((link) => {
    const change = lookup.changeOf(link);
    return change ? { link, change } : { link };
  });
  const orphaned = orphanedStamps(graph);
  const text =
    format === 'json'
      ? jsonList(listed, orphaned)
      : format === 'markdown'
        ? markdownList(listed, project)
        : textList(listed, project);
  emitReport(text, { format, project, dir, ...(options.out ? { out: options.out } : {}) });
  return exitFor(project, listed.length > 0 ? EXIT.findings : EXIT.ok);
}

function why({ link, change }: ListedLink): string {
  if (link.state === 'unreviewed') return 'never reviewed';
  const { by, on, review } = link.stamp;
  return `changed since ${by} reviewed it on ${on}${review ? ` (${review})` : ''}; ${describeChange(change)}`;
}

function textList(listed: readonly ListedLink[], project: Project): string {
  if (listed.length === 0) return `no suspect links in ${project.records.length} records\n`;
  const lines = listed.map((l) => `${l.link.from.id} ${l.link.field} ${l.link.to.id}: ${why(l)}\n`);
  return `${plural(listed.length, 'suspect link')}\n${lines.join('')}`;
}

const cell = (text: string) => text.replace(/\|/g, '\\|').replace(/\r?\n/g, ' ');

function markdownList(listed: readonly ListedLink[], project: Project): string {
  if (listed.length === 0)
    return `# Suspect links\n\nNo suspect links in ${project.records.length} records.\n`;
  const rows = listed.map(
    (l) =>
      `| ${l.link.from.id} | ${l.link.field} | ${l.link.to.id} | ${cell(l.link.to.title)} | ${cell(why(l))} |\n`,
  );
  return `# Suspect links\n\n${plural(listed.length, 'suspect link')}.\n\n| Record | Link | Target | Target title | Why |\n|---|---|---|---|---|\n${rows.join('')}`;
}

function jsonList(listed: readonly ListedLink[], orphaned: ReturnType<typeof orphanedStamps>): string {
  const suspect = listed.map(({ link, change }) => ({
    source: link.from.id,
    field: link.field,
    target: link.to.id,
    state: link.state,
    fingerprint: link.now,
    ...(link.state === 'changed' ? { reviewed: link.stamp } : {}),
    ...(change
      ? {
          changed: change.found
            ? { parts: change.parts, commit: change.commit }
            : { known: false, why: change.why },
        }
      : {}),
  }));
  const stamps = orphaned.map((o) => ({ record: o.record.id, target: o.target, stamp: o.stamp }));
  return `${JSON.stringify({ count: suspect.length, suspect, orphanedStamps: stamps }, null, 2)}\n`;
}
