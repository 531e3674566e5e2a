/**
 * The documentation package as a build stage (docs/documents.md): documents/<KEY>.md for each
 * document of the registry, each with its document control block, and the diagrams each document
 * draws beside it (documents/<KEY>-<name>.svg).
 */
import type { Analysis } from '../analyze.js';
import { documentContext } from '../docs/context.js';
import { documentFiles } from '../docs/files.js';
import { documentsFor } from '../docs/registry.js';
import type { BuildContext, StageArtifact } from './build.js';

export function documentsStage(
  analysis: Analysis,
  context: BuildContext,
): { artifacts: StageArtifact[]; ok: boolean; result: string } {
  const docContext = documentContext(analysis, {
    date: context.timestamp.slice(0, 10),
    ...(context.readEvidence ? { readEvidence: context.readEvidence } : {}),
    ...(context.gate ? { gate: context.gate } : {}),
  });
  const documents = documentsFor(docContext).map((d) => d.model());
  return {
    artifacts: documents.flatMap((doc) =>
      documentFiles(doc, ['md']).map((f) => ({ path: `documents/${f.path}`, render: f.render })),
    ),
    ok: true,
    result: documents.map((d) => `${d.key} ${d.control.revision} (${d.control.status})`).join(', '),
  };
}
