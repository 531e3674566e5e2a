import type { ImportedComponent, ImportProblem, ImportResult, ReadOptions } from './types.js';

/**
 * Finishes a reader's output the same way for every format: development-only components dropped
 * unless asked for, one component per purl (a direct declaration wins over a transitive one, and
 * dependency lists are merged), sorted by purl so output is deterministic.
 */
export function finishImport(
  format: string,
  components: readonly ImportedComponent[],
  problems: readonly ImportProblem[],
  options: ReadOptions = {},
): ImportResult {
  const byPurl = new Map<string, ImportedComponent>();
  const skipped = new Set<string>();
  for (const component of components) {
    if (component.development && !options.includeDev) {
      skipped.add(component.purl);
      continue;
    }
    const seen = byPurl.get(component.purl);
    if (!seen) {
      byPurl.set(component.purl, component);
      continue;
    }
    const dependsOn = [...new Set([...seen.dependsOn, ...component.dependsOn])].sort();
    const scope = seen.scope === 'direct' || component.scope === 'direct' ? 'direct' : seen.scope;
    byPurl.set(component.purl, {
      ...component,
      ...seen,
      scope,
      development: seen.development && component.development,
      dependsOn,
    });
  }
  const kept = new Set(byPurl.keys());
  const sorted = [...byPurl.values()]
    .map((c) => ({ ...c, dependsOn: [...new Set(c.dependsOn)].filter((p) => kept.has(p)).sort() }))
    .sort((a, b) => (a.purl < b.purl ? -1 : a.purl > b.purl ? 1 : 0));
  // A purl kept because another declaration of it ships is not skipped.
  for (const purl of kept) skipped.delete(purl);
  return {
    format,
    components: sorted,
    problems,
    ...(skipped.size > 0 ? { skippedDevelopment: skipped.size } : {}),
  };
}

/** 1-based line number of a character offset. */
export function lineAt(text: string, offset: number): number {
  let line = 1;
  for (let i = 0; i < offset && i < text.length; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}
