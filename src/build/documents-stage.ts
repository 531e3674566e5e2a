/**
 * The documentation package as a build stage (docs/documents.md): every document of the registry in
 * every format (documents/<KEY>.md with its diagrams beside it, .html with index.html, .docx, .pdf).
 */
import type { Analysis } from '../analyze.js';
import { documentContext } from '../docs/context.js';
import { packageFiles } from '../docs/files.js';
import { DOCUMENT_FORMATS, documentsFor } from '../docs/registry.js';
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
  const formats = context.documentFormats ?? DOCUMENT_FORMATS;
  const controlled = documents.filter((d) => d.control.status === 'controlled').length;
  return {
    artifacts: packageFiles(documents, formats, context.documentTemplates).map((f) => ({
      path: `documents/${f.path}`,
      render: f.render,
    })),
    ok: true,
    result: `${documents.length} documents (${formats.join(', ')}): ${controlled} controlled, ${documents.length - controlled} uncontrolled draft${documents.length - controlled === 1 ? '' : 's'}`,
  };
}
