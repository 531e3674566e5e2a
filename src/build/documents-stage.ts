/**
 * The documentation package as a build stage (docs/documents.md): documents/<KEY>.md for each
 * document Dossier writes so far (the Software Requirements Specification), each with its document
 * control block. More documents and the HTML, DOCX and PDF renderings are to come (issue 12).
 */
import type { Analysis } from '../analyze.js';
import { DOCUMENTS } from '../docs/registry.js';
import { renderMarkdown } from '../docs/render-markdown.js';
import type { BuildContext, StageArtifact } from './build.js';

export function documentsStage(
  analysis: Analysis,
  context: BuildContext,
): { artifacts: StageArtifact[]; ok: boolean; result: string } {
  const date = context.timestamp.slice(0, 10);
  const documents = DOCUMENTS.map((spec) => spec.build(analysis, { date }));
  return {
    artifacts: documents.map((doc) => ({
      path: `documents/${doc.key}.md`,
      render: () => renderMarkdown(doc),
    })),
    ok: true,
    result: documents.map((d) => `${d.key} ${d.control.revision} (${d.control.status})`).join(', '),
  };
}
