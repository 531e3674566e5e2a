/**
 * The project at a git commit with what change analysis needs (trace graph, safety analysis), or
 * the reason it cannot be had, as one line. Never a partial project: a revision whose record files
 * did not all load cannot say what changed (fail closed).
 */
import { TraceGraph } from '../graph/graph.js';
import { loadProjectAt, RevisionError } from '../history/project-at.js';
import type { Project } from '../load/project.js';
import { analyzeSafety, type SafetyAnalysis } from '../safety/safety-analysis.js';

export interface Snapshot {
  readonly project: Project;
  readonly graph: TraceGraph;
  readonly safety: SafetyAnalysis;
}

export function snapshotAt(root: string, commit: string): Snapshot | string {
  try {
    const loaded = loadProjectAt(root, commit);
    if (!loaded.ok)
      return `the project at ${commit.slice(0, 12)} cannot be read: ${loaded.findings[0]?.message ?? 'no configuration'}`;
    if (loaded.project.unloaded.length > 0)
      return `record files at ${commit.slice(0, 12)} did not all load (${loaded.project.unloaded
        .map((u) => u.file)
        .slice(0, 3)
        .join(', ')}), so what changed there is not known`;
    const graph = new TraceGraph(loaded.project.records);
    return { project: loaded.project, graph, safety: analyzeSafety(graph, loaded.project.config) };
  } catch (error) {
    if (error instanceof RevisionError) return error.message;
    throw error;
  }
}
