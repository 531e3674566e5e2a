/** Builds one document of the package from a project folder, as the documents stage does. */
import { spawnSync } from 'node:child_process';
import { analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import type { DocumentModel } from '../src/docs/model.js';
import { documentsFor } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { loadProject } from '../src/load/project.js';

export const DOC_DATE = '2026-12-01';

export function buildDocument(dir: string, key: string, baseline?: string) {
  const loaded = loadProject(dir);
  if (!loaded.ok) throw new Error(`the project in ${dir} did not load`);
  const analysis = analyze(loaded.project, { today: DOC_DATE });
  const context = documentContext(analysis, { date: DOC_DATE, ...(baseline ? { baseline } : {}) });
  const entry = documentsFor(context).find((d) => d.key === key);
  if (!entry) throw new Error(`no document ${key} in the package of ${dir}`);
  const doc: DocumentModel = entry.model();
  return { doc, markdown: renderMarkdown(doc), analysis, context };
}

export const hasPdftotext = spawnSync('pdftotext', ['-v']).status === 0;
if (!hasPdftotext)
  console.warn('SKIPPED: PDF text checks need pdftotext (Debian poppler-utils); .ci/run installs it');

/** The text of a PDF as poppler extracts it, pages separated by form feeds. */
export function pdfText(pdf: Uint8Array): string {
  const r = spawnSync('pdftotext', ['-layout', '-', '-'], { input: Buffer.from(pdf), encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`pdftotext failed: ${r.stderr}`);
  return r.stdout;
}
