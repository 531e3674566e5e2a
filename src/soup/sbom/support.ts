/**
 * The FDA's component-support elements (premarket cybersecurity guidance §V.A.4(b)): level of
 * support and end-of-support date, with a justification for each one that cannot be given. Shared
 * by every writer so the SBOM, the SPDX annotations and the SOUP list say the same thing.
 */
import type { SbomComponent } from './types.js';

/** Record vocabulary → the guidance's wording, which the `cdx:fda` taxonomy asks to use verbatim. */
const FDA_WORDING: Readonly<Record<string, string>> = {
  'actively-maintained': 'actively maintained',
  'no-longer-maintained': 'no longer maintained',
  abandoned: 'abandoned',
};

export const FDA_LEVEL_PROPERTY = 'cdx:fda:level-of-support';
export const FDA_END_PROPERTY = 'cdx:fda:end-of-support-date';

/** Said when support information is missing and the record gives no reason. */
export const NO_JUSTIFICATION = 'not determined; no justification recorded';

/** The FDA level-of-support text, or undefined when the level is unknown or not recorded. */
export function fdaLevelOfSupport(component: SbomComponent): string | undefined {
  const level = component.supportLevel;
  if (level === undefined || level === 'unknown' || level.trim() === '') return undefined;
  return FDA_WORDING[level] ?? level;
}

/** Level of support for people: the FDA wording, `unknown`, or `not recorded`. */
export function supportLevelLabel(component: SbomComponent): string {
  return fdaLevelOfSupport(component) ?? (component.supportLevel === 'unknown' ? 'unknown' : 'not recorded');
}

export interface SupportGap {
  /** The `cdx:fda` property that cannot be given. */
  readonly property: string;
  readonly justification: string;
}

/**
 * One entry per FDA support element the record cannot give, each with its justification (the
 * record's, or a statement that none was recorded, so the gap stays visible to the reviewer).
 */
export function supportGaps(component: SbomComponent): SupportGap[] {
  const justification = component.supportJustification?.trim() || NO_JUSTIFICATION;
  const gaps: SupportGap[] = [];
  if (fdaLevelOfSupport(component) === undefined) gaps.push({ property: FDA_LEVEL_PROPERTY, justification });
  if (!component.endOfSupport) gaps.push({ property: FDA_END_PROPERTY, justification });
  return gaps;
}
