/** The one way RST-based readers turn a body into Markdown and report what the conversion lost. */
import type { BatchBuilder } from '../batch.js';
import type { SourceLocation } from '../model.js';
import { rstToMarkdown } from './markdown.js';

export function markdownText(
  batch: BatchBuilder,
  rst: string,
  sourceId: string,
  location: SourceLocation,
): string | undefined {
  if (rst.trim() === '') return undefined;
  const { markdown, approximations } = rstToMarkdown(rst);
  if (approximations.length > 0)
    batch.issue('info', 'approximated', `${sourceId}: ${approximations.join('; ')}.`, location);
  return markdown;
}
