/**
 * "Open in editor" links of the record pages: a URL template with `{path}` (the record file's
 * absolute path) and `{line}`. The href is built from the project root, the record's file path and
 * a line number only: the path is percent-encoded segment by segment, the line must be a positive
 * integer, and a template must name a URL scheme that opens an editor (never `javascript:`,
 * `data:`, `vbscript:`, `file:` or the web). The page escapes the result as an attribute (`e()`).
 */
import path from 'node:path';

/** Editors by name, as their URL handlers take a file and a line. */
export const EDITOR_TEMPLATES: Readonly<Record<string, string>> = {
  vscode: 'vscode://file{path}:{line}',
  vscodium: 'vscodium://file{path}:{line}',
  cursor: 'cursor://file{path}:{line}',
  idea: 'idea://open?file={path}&line={line}',
  sublime: 'subl://open?url=file://{path}&line={line}',
};

/** Schemes a template may not use: they run code, embed content, read local files or leave the machine. */
const REFUSED_SCHEMES = new Set([
  'javascript',
  'data',
  'vbscript',
  'file',
  'blob',
  'http',
  'https',
  'ftp',
  'ws',
  'wss',
]);

export interface EditorLinks {
  /** The template, with `{path}` and `{line}`. */
  readonly template: string;
  /** Absolute path of the project root (record paths are relative to it). */
  readonly root: string;
}

/**
 * The template that `--editor VALUE` names: an editor's name, `none` (undefined), or a template of
 * its own. Throws with what to write instead when the template is not safe or lacks `{path}`.
 */
export function editorTemplate(value: string): string | undefined {
  const named = value.trim();
  if (named === '' || named === 'none') return undefined;
  const template = EDITOR_TEMPLATES[named] ?? named;
  const scheme = /^([A-Za-z][A-Za-z0-9+.-]*):/.exec(template)?.[1]?.toLowerCase();
  if (scheme === undefined)
    throw new Error(
      `--editor ${value}: neither an editor name (${Object.keys(EDITOR_TEMPLATES).join(', ')}, none) nor a URL template like vscode://file{path}:{line}`,
    );
  if (REFUSED_SCHEMES.has(scheme))
    throw new Error(`--editor ${value}: the ${scheme}: scheme is not allowed; use an editor's own scheme`);
  if (!template.includes('{path}')) throw new Error(`--editor ${value}: the template needs {path}`);
  if (/[\s"'<>`\\]/.test(template))
    throw new Error(
      `--editor ${value}: the template may not hold spaces, quotes, angle brackets or backslashes`,
    );
  return template;
}

/** The editor URL of line `line` of `file` (relative to the root), or undefined when it cannot be built safely. */
export function editorHref(links: EditorLinks, file: string, line: number): string | undefined {
  if (!Number.isSafeInteger(line) || line < 1) return undefined;
  const absolute = path.resolve(links.root, file).split(path.sep).join('/');
  // Inside the project only: a record path never climbs out, and a link must not either.
  const root = path.resolve(links.root).split(path.sep).join('/');
  if (absolute !== root && !absolute.startsWith(root.endsWith('/') ? root : `${root}/`)) return undefined;
  const encoded = absolute
    .split('/')
    .map((segment) => (/^[A-Za-z]:$/.test(segment) ? segment : encodeURIComponent(segment)))
    .join('/');
  // A Windows path (C:/...) gets its leading slash, as the editors' handlers expect.
  const withSlash = encoded.startsWith('/') ? encoded : `/${encoded}`;
  return links.template.replaceAll('{path}', withSlash).replaceAll('{line}', String(line));
}
