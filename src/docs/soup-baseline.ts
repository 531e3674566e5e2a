/**
 * What the SOUP list and the SBOM summary share: the SOUP of the baseline the documents are built
 * for (the same SbomDocument the SBOM files are written from, src/soup/sbom/from-project.ts), and a
 * short excerpt of long text for table cells.
 */
import { type SbomRelease, sbomFromProject } from '../soup/sbom/from-project.js';
import { fdaLevelOfSupport, supportLevelLabel } from '../soup/sbom/support.js';
import type { SbomComponent, SbomDocument } from '../soup/sbom/types.js';
import type { DocumentContext } from './context.js';
import type { Inline } from './model.js';

export { excerpt } from './excerpt.js';

/**
 * The SOUP of the baseline: the release's when a release record names it (its SOUP as they were on
 * its date, as `dossier sbom --release` writes them), else the configured version's.
 */
export function sbomOfBaseline(context: DocumentContext): SbomDocument {
  const { analysis, baseline, release } = context;
  const configured = analysis.project.config.software.version;
  const date = typeof release?.fields.date === 'string' ? release.fields.date : undefined;
  const described: SbomRelease | undefined =
    release !== undefined || (configured !== undefined && baseline !== configured)
      ? { version: baseline, ...(date ? { date } : {}) }
      : undefined;
  return sbomFromProject(analysis, {
    timestamp: `${context.date}T00:00:00Z`,
    ...(described ? { release: described } : {}),
  });
}

/** The release date of the baseline, when a release record gives one. */
export function baselineDate(context: DocumentContext): string | undefined {
  const date = context.release?.fields.date;
  return typeof date === 'string' ? date : undefined;
}

/**
 * Level of support and end of support in one cell: "actively maintained, until 2028-06-30"; an end
 * before `referenceDate` is "ended", and what is missing or unknown is in bold.
 */
export function supportCell(c: SbomComponent, referenceDate: string): Inline[] {
  const level = fdaLevelOfSupport(c);
  const ended = c.endOfSupport !== undefined && c.endOfSupport < referenceDate;
  return [
    level ? { text: level } : { strong: `level ${supportLevelLabel(c)}` },
    { text: ', ' },
    c.endOfSupport
      ? ended
        ? { strong: `ended ${c.endOfSupport}` }
        : { text: `until ${c.endOfSupport}` }
      : { strong: 'end of support not recorded' },
  ];
}
