import path from 'node:path';
import { resolveBaseline } from '../../history/baseline.js';
import { diffProjects } from '../../history/diff.js';
import { DIFF_FORMATS, renderDiff } from '../../history/diff-report.js';
import {
  loadProjectAt,
  type ProjectAtResult,
  projectAtCache,
  RevisionError,
  WORKTREE,
} from '../../history/project-at.js';
import type { Project } from '../../load/project.js';
import { openProjectAdvisories } from '../advisory-db.js';
import { EXIT, emit, oneOf, reportConfigProblems, UsageError } from '../io.js';
import { writeErr } from '../terminal.js';

export interface DiffOptions {
  readonly dir: string;
  readonly format: string;
  readonly advisories?: string;
  readonly out?: string;
}

/**
 * `dossier diff REV1 [REV2]`: what changed between two revisions (default REV2: the working tree).
 * Exit 0 with the diff; 1 when record files did not load on a side (the diff is incomplete); 2 when
 * a revision cannot be read or has no usable dossier.yaml.
 */
export function runDiff(from: string, to: string | undefined, options: DiffOptions): number {
  const format = oneOf(options.format, DIFF_FORMATS, '--format');
  const root = path.resolve(options.dir);
  try {
    // Files with the same content at both revisions are read and parsed once.
    const cache = projectAtCache();
    let worktree: ProjectAtResult | undefined;
    const loadWorktree = () => {
      worktree ??= loadProjectAt(root, WORKTREE, { onNotice: (m) => writeErr(`warning: ${m}\n`) });
      return worktree;
    };
    const releases = () => {
      const w = loadWorktree();
      return w.ok ? w.project.records : [];
    };
    const sides = [from, to ?? WORKTREE].map((name) => {
      const baseline = resolveBaseline(root, name, releases);
      const loaded =
        baseline.revision === WORKTREE ? loadWorktree() : loadProjectAt(root, baseline.revision, { cache });
      return { name, loaded };
    });
    const projects: Project[] = [];
    for (const { name, loaded } of sides) {
      if (!loaded.ok) {
        writeErr(`dossier: the project at ${name} cannot be read:\n`);
        return reportConfigProblems(loaded.findings, loaded.sources, options.dir);
      }
      projects.push(loaded.project);
    }
    const [before, after] = sides.map(({ name, loaded }) => ({
      revision: name,
      ...(loaded.commit ? { commit: loaded.commit } : {}),
    }));
    const advisories = openProjectAdvisories(options.dir, projects[1]!.config, options.advisories, {
      required: false,
    });
    let diff: ReturnType<typeof diffProjects>;
    try {
      diff = diffProjects(
        { side: before!, project: projects[0]! },
        { side: after!, project: projects[1]! },
        advisories ? { advisories: advisories.source } : {},
      );
    } finally {
      advisories?.close();
    }
    emit(renderDiff(diff, format), { out: options.out, format });
    if (diff.notLoaded.length > 0) {
      writeErr(
        `INCOMPLETE: ${diff.notLoaded.length} record file(s) did not load (${diff.notLoaded.map((n) => `${n.file} ${n.side}`).join(', ')}); their records are not compared\n`,
      );
      return EXIT.findings;
    }
    return EXIT.ok;
  } catch (error) {
    if (error instanceof RevisionError) throw new UsageError(error.message);
    throw error;
  }
}
