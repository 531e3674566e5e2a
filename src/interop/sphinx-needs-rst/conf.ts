/**
 * What a Sphinx project's `conf.py` says about its needs, read without running Python: the
 * directive names of `needs_types` (`"directive": "sys"`) and the link options of
 * `needs_extra_links` (`"option": "implements"`). A regular expression over the dict literals is
 * enough for the way these settings are written in practice; a conf.py that computes them is not
 * understood, and the reader's defaults (or the caller's options) apply.
 */
export interface NeedsConf {
  readonly needTypes: readonly string[];
  readonly linkTypes: readonly string[];
}

export function readNeedsConf(source: string): NeedsConf {
  return {
    needTypes: valuesOf(settingBody(source, 'needs_types'), 'directive'),
    linkTypes: valuesOf(settingBody(source, 'needs_extra_links'), 'option'),
  };
}

/** The text of `name = [ ... ]`, brackets balanced, or '' when absent. */
function settingBody(source: string, name: string): string {
  const start = new RegExp(`^${name}\\s*=\\s*\\[`, 'm').exec(source);
  if (!start) return '';
  let depth = 0;
  for (let i = start.index + start[0].length - 1; i < source.length; i++) {
    const c = source[i];
    if (c === '[' || c === '{' || c === '(') depth++;
    else if (c === ']' || c === '}' || c === ')') {
      depth--;
      if (depth === 0) return source.slice(start.index, i + 1);
    }
  }
  return source.slice(start.index);
}

function valuesOf(body: string, key: string): string[] {
  const pattern = new RegExp(`["']${key}["']\\s*:\\s*["']([^"']+)["']`, 'g');
  return [...body.matchAll(pattern)].map((m) => m[1]!);
}
