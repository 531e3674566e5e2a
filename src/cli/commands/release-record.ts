import path from 'node:path';
import { stringify } from 'yaml';
import { type Analysis, analyze } from '../../analyze.js';
import { plural } from '../../diagnostics/format.js';
import { editRecords, RecordEditConflictError } from '../../edit/record-edit.js';
import {
  configurationFromSources,
  configurationOf,
  identityOf,
  mergedConfiguration,
  type ReleaseConfiguration,
  type SourceHistory,
} from '../../evidence/release-configuration.js';
import { releaseOf } from '../../evidence/release-gate.js';
import {
  renderStatusAccountingMarkdown,
  renderStatusAccountingText,
  statusAccounting,
} from '../../evidence/status-accounting.js';
import type { Project } from '../../load/project.js';
import { recordFileRefusal } from '../../load/would-load.js';
import { isApproved } from '../../model/approval.js';
import { maxFileBytesOf, prefixFor } from '../../model/config.js';
import { kindSpec } from '../../model/kinds.js';
import { idAllocator } from '../../model/next-id.js';
import { CHANGES_FORMATS } from '../../report-formats.js';
import { canonicalJson } from '../../util/canonical-json.js';
import { gitSourceHistory } from '../../util/git.js';
import { createFilesExclusive } from '../../util/new-files.js';
import { withProjectLock } from '../../util/project-lock.js';
import { emit, loadOrReport, oneOf, UsageError, warnLock } from '../io.js';
import { releaseRecordOf } from '../release-record.js';
import { writeErr, writeOut } from '../terminal.js';

export { CHANGES_FORMATS };

export interface ReleaseRecordOptions {
  readonly dryRun?: boolean;
  /** The revision the release was built from (default: the tag v<version> or <version>). */
  readonly commit?: string;
}

/**
 * `dossier release record <version>`: fills the release record's configuration (8.1.3) with what git
 * and the records know, keeping what people wrote. Holds the project lock (a dry run takes none).
 */
export function runReleaseRecord(version: string, dir: string, options: ReleaseRecordOptions): number {
  const job = () => recordConfiguration(version, dir, options);
  return options.dryRun ? job() : withProjectLock(path.resolve(dir), 'dossier release record', warnLock, job);
}

function recordConfiguration(version: string, dir: string, options: ReleaseRecordOptions): number {
  const { project, exitCode } = loadOrReport(dir, { refuse: `record the configuration of ${version}` });
  if (!project) return exitCode!;
  const analysis = analyze(project);
  const release = releaseOf(analysis, version);
  const git = gitSourceHistory(path.resolve(dir));
  const recorded = release ? configurationOf(release) : {};
  const tag = git.tagOfVersion(version);
  const revision = options.commit ?? tag;
  const commit = revision ? git.commitOf(revision) : undefined;
  if (options.commit && !commit) {
    throw new UsageError(
      `--commit ${options.commit}: ${git.unavailable ?? 'git knows no such commit'}; nothing was written`,
    );
  }
  const history: SourceHistory = {
    ...(commit ? { commit } : {}),
    ...(tag && (!options.commit || git.commitOf(tag) === commit) ? { tag } : {}),
    lastCommitOf: (globs) => (commit ? git.lastCommitOf(globs, commit) : undefined),
  };
  const merged = mergedConfiguration(
    recorded,
    configurationFromSources(analysis, release ? identityOf(release) : { version }, history),
  );
  if (!release) return createReleaseRecord(project, analysis, version, merged, dir, options);
  if (canonicalJson(merged) === canonicalJson(recorded)) {
    writeOut(`${release.id}: the configuration of ${version} is up to date; nothing changed\n`);
    return 0;
  }
  if (isApproved(release)) {
    throw new UsageError(
      `${release.id} is approved, and its configuration is part of what was approved; nothing was written. It differs from the records now (${differences(recorded, merged).join('; ')}): if the release record is wrong, set its status back to in-review, run this again and have it approved again`,
    );
  }
  if (!merged.commit) {
    writeErr(
      `warning: no commit recorded: ${git.unavailable ?? `no tag v${version} or ${version}`}; tag the commit the release was built from (git tag v${version} <commit>) or give --commit, then run this again\n`,
    );
  }
  const summary = `${release.id}: ${differences(recorded, merged).join('; ')}`;
  if (options.dryRun) {
    writeOut(`${summary} (dry run: nothing written)\n`);
    return 0;
  }
  try {
    editRecords([{ record: release, edits: [{ field: 'configuration', value: merged as never }] }], {
      root: path.resolve(dir),
      sources: project.sources,
      maxFileBytes: maxFileBytesOf(project.config),
      owner: 'dossier release record',
    });
  } catch (error) {
    if (error instanceof RecordEditConflictError) throw new UsageError(error.message);
    throw error;
  }
  writeOut(`${summary}\n`);
  const open = (['buildId', 'artifacts', 'tools'] as const).filter((k) => merged[k] === undefined);
  if (open.length > 0) {
    writeOut(
      `  for people to record: ${open.map((k) => `configuration.${k}`).join(', ')} (the build's identifier, the released files with their sha256, the tools and their versions)\n`,
    );
  }
  return 0;
}

/**
 * A version without a release record gets one, as a draft beside the other release records: its
 * configuration filled in, and what only people can say (date, build, archive, delivery,
 * authorisation) listed for them in its text.
 */
function createReleaseRecord(
  project: Project,
  analysis: Analysis,
  version: string,
  configuration: ReleaseConfiguration,
  dir: string,
  options: ReleaseRecordOptions,
): number {
  const root = path.resolve(dir);
  const existing = analysis.graph.ofKind('release')[0];
  const folder = existing ? path.posix.dirname(existing.origin.source.path) : 'records/releases';
  const id = idAllocator(
    project.records.map((r) => r.id),
    prefixFor(project.config, 'release', kindSpec('release').defaultPrefix),
  )();
  const rel = `${folder}/${id}.md`;
  const front = stringify(
    { id, title: `${project.config.device.name} ${version}`, status: 'draft', version, configuration },
    { lineWidth: 0 },
  );
  const text = `---\n${front}---\nRelease ${version}. To record before the release (5.8): \`date\`, \`buildProcedure\` and
\`buildEnvironment\` (5.8.5), \`archive\` (5.8.7), \`delivery\` (5.8.8), the change requests it \`includes\`, its
\`knownAnomalies\` (5.8.2), and who authorised it (\`approvedBy\`, \`approvedOn\`); in \`configuration\`, the
\`buildId\`, the released \`artifacts\` with their sha256 and the \`tools\` with their versions (8.1.3).
`;
  if (options.dryRun) {
    writeOut(`${rel}: would create ${id} for ${version} (dry run: nothing written)\n`);
    return 0;
  }
  const refusal = recordFileRefusal(rel, text, maxFileBytesOf(project.config));
  if (refusal) throw new UsageError(`${refusal}; nothing was written`);
  const created = createFilesExclusive([{ file: path.join(root, rel), content: text }], {
    root,
    owner: 'dossier release record',
  });
  if (!created.ok) throw new UsageError(`${rel} already exists; nothing was written`);
  writeOut(
    `${rel}: created ${id} for ${version} (draft) with its configuration: ${configuration.commit ? `commit ${configuration.commit}, ` : ''}SOUP baseline of ${plural(configuration.soup?.length ?? 0, 'item')}, ${plural(configuration.items?.length ?? 0, 'software item')}\n`,
  );
  writeOut(
    '  for people to record: date, buildProcedure, buildEnvironment, archive, delivery, approvedBy, approvedOn\n',
  );
  return 0;
}

function differences(before: ReleaseConfiguration, after: ReleaseConfiguration): string[] {
  const said: string[] = [];
  if (before.commit !== after.commit) said.push(`commit ${after.commit}`);
  if (before.tag !== after.tag) said.push(`tag ${after.tag}`);
  if (canonicalJson(before.soup ?? null) !== canonicalJson(after.soup ?? null))
    said.push(`SOUP baseline of ${plural(after.soup?.length ?? 0, 'item')}`);
  if (canonicalJson(before.items ?? null) !== canonicalJson(after.items ?? null))
    said.push(`${plural(after.items?.length ?? 0, 'software item')} with their versions`);
  return said.length > 0 ? said : ['configuration reordered'];
}

/** `dossier release changes <from> <to>`: configuration status accounting (8.3) between two releases. */
export function runReleaseChanges(
  from: string,
  to: string,
  dir: string,
  options: { format: string; out?: string },
): number {
  const format = oneOf(options.format, CHANGES_FORMATS, '--format');
  const { project, exitCode } = loadOrReport(dir, { refuse: `report the changes from ${from} to ${to}` });
  if (!project) return exitCode!;
  const analysis = analyze(project);
  releaseRecordOf(analysis, from);
  releaseRecordOf(analysis, to);
  const report = statusAccounting(analysis, from, to);
  const text =
    format === 'json'
      ? `${JSON.stringify(report, null, 2)}\n`
      : format === 'markdown'
        ? renderStatusAccountingMarkdown(report)
        : renderStatusAccountingText(report);
  emit(text, { out: options.out, format });
  return 0;
}
