/**
 * Pinned `requirements.txt` (pip), as written by `pip-compile` / `uv pip compile` or `pip freeze`.
 *
 * Lines follow pip's own preprocessing: a trailing `\` joins the next line, `#` after whitespace
 * starts a comment. Only `name==version` (or `===`) identifies a SOUP version (8.1.2 c); anything
 * else is reported. `-r`/`-c` files are not followed (the reader sees one text, not the disk).
 *
 * Scope: every entry is direct unless pip-compile's `# via` annotation says otherwise. An entry
 * "via" only other packages is transitive (and those packages depend on it, which fills
 * `dependsOn`); one via `-r requirements.in` or the project's own `(pyproject.toml)` is direct.
 */
import { normalizePypiName } from '../purl.js';
import { appendTo, guardRead, type Hash, identify, prefixedHash } from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  DependencyScope,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

/** A logical line: physical lines joined at `\`, with the comment split off. */
interface LogicalLine {
  readonly line: number;
  readonly code: string;
  readonly comment?: string;
}

/** pip's COMMENT_RE: `#` at the start or after whitespace. */
function splitComment(row: string): { code: string; comment?: string } {
  const match = /(^|\s)#/.exec(row);
  if (!match) return { code: row };
  const at = match.index + (match[1] ?? '').length;
  return { code: row.slice(0, at), comment: row.slice(at + 1) };
}

function logicalLines(text: string): LogicalLine[] {
  const out: LogicalLine[] = [];
  let pending: { line: number; code: string } | undefined;
  const rows = text.split('\n');
  for (let i = 0; i < rows.length; i++) {
    const { code, comment } = splitComment((rows[i] ?? '').replace(/\r$/, ''));
    const continued = comment === undefined && /\\\s*$/.test(code);
    const piece = continued ? code.replace(/\\\s*$/, '') : code;
    const start = pending ?? { line: i + 1, code: '' };
    const joined = { line: start.line, code: `${start.code} ${piece}` };
    if (continued) {
      pending = joined;
      continue;
    }
    pending = undefined;
    out.push({ line: joined.line, code: joined.code.trim(), ...(comment !== undefined ? { comment } : {}) });
  }
  if (pending) out.push({ line: pending.line, code: pending.code.trim() });
  return out;
}

interface Requirement {
  readonly line: number;
  readonly text: string;
  readonly name: string;
  readonly version: string;
  readonly hashes: Hash[];
  /** Annotation lines that follow (pip-compile's `# via …`). */
  readonly annotations: string[];
}

const PEP508_NAME = /^([A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?)\s*(\[[^\]]*\])?\s*(.*)$/s;
const URL_OR_PATH =
  /^([a-z][a-z0-9+.-]*:\/\/|(git|hg|svn|bzr)\+|\.{0,2}\/|~|[A-Za-z]:\\)|\.(whl|tar\.gz|zip|tar\.bz2)$/i;

function where(line: number) {
  return { line };
}

/** A line starting with an option: `-r`/`-c` (info, not followed), `-e` (warning), others ignored. */
function optionProblem(code: string, line: number): ImportProblem | undefined {
  const option = /^(--?[A-Za-z-]+)(?:[=\s]\s*(.*))?$/s.exec(code) ?? /^(-[rce])(.*)$/s.exec(code);
  const name = option?.[1] ?? code;
  const value = (option?.[2] ?? '').trim();
  if (name === '-r' || name === '--requirement' || name === '-c' || name === '--constraint') {
    const kind = name === '-c' || name === '--constraint' ? 'constraints' : 'requirements';
    return {
      severity: 'info',
      message: `line ${line}: ${kind} file ${value || '(none named)'} is not followed`,
      hint: `Read ${value || 'that file'} too (or generate one fully pinned file with pip-compile).`,
      ...where(line),
    };
  }
  if (name === '-e' || name === '--editable') {
    return {
      severity: 'warning',
      message: `line ${line}: editable requirement ${value} has no released version to identify`,
      hint: 'If it is the project itself, ignore this; otherwise pin a released version or record the SOUP item by hand.',
      ...where(line),
    };
  }
  return undefined;
}

/** `--hash=sha256:…` options (anywhere after the requirement) → hashes; the rest is the requirement. */
function splitOptions(code: string): { spec: string; hashes: Hash[] } {
  const hashes: Hash[] = [];
  for (const match of code.matchAll(/(?:^|\s)--hash(?:=|\s+)(\S+)/g)) {
    const hash = prefixedHash(match[1]);
    if (hash) hashes.push(hash);
  }
  const option = /(^|\s)--?[A-Za-z]/.exec(code);
  return { spec: (option ? code.slice(0, option.index) : code).trim(), hashes };
}

/** The exact version of a specifier list, when one clause pins it (`==1.2.3`, `===1.2.3`, not `==1.*`). */
function pinnedVersion(specifiers: string): string | undefined {
  const bare = specifiers.trim().replace(/^\((.*)\)$/s, '$1');
  for (const clause of bare.split(',')) {
    const match = /^\s*(===|==)\s*([^\s*,;]+)\s*$/.exec(clause);
    if (match?.[2]) return match[2];
  }
  return undefined;
}

function unpinnedProblem(spec: string, name: string, line: number): ImportProblem {
  return {
    severity: 'warning',
    message: `line ${line}: "${spec}" is not pinned to one version; IEC 62304 8.1.2 c needs the exact version of each SOUP item`,
    hint: `Pin it (${name}==<version>): generate the file with \`pip-compile\` (pip-tools) or \`uv pip compile\`, or from the environment with \`pip freeze\`.`,
    ...where(line),
  };
}

type Parsed = { requirement?: Requirement; problems: ImportProblem[] };

/** One requirement line: a pinned requirement, or the problems that keep it from being one. */
function parseRequirement(code: string, line: number): Parsed {
  const { spec, hashes } = splitOptions(code);
  const semicolon = URL_OR_PATH.test(spec) || /\s@/.test(spec) ? -1 : spec.indexOf(';');
  const requirement = (semicolon >= 0 ? spec.slice(0, semicolon) : spec).trim();
  const marker = semicolon >= 0 ? spec.slice(semicolon + 1).trim() : '';
  const match = PEP508_NAME.exec(requirement);
  if (URL_OR_PATH.test(requirement) || /^[^@]*@/.test(requirement) || !match?.[1]) {
    const unreadable = !match?.[1] && !URL_OR_PATH.test(requirement);
    return {
      problems: [
        {
          severity: 'warning',
          message: unreadable
            ? `line ${line}: "${requirement}" is not a requirement this reader understands`
            : `line ${line}: "${requirement}" is installed from a URL, path or VCS, so its version cannot be identified`,
          hint: 'Pin a released version (name==version), or record the SOUP item by hand with the exact commit or file.',
          ...where(line),
        },
      ],
    };
  }
  const name = normalizePypiName(match[1]);
  const version = pinnedVersion(match[3] ?? '');
  if (!version) return { problems: [unpinnedProblem(requirement, match[1], line)] };
  const problems: ImportProblem[] = [];
  if (marker) {
    problems.push({
      severity: 'info',
      message: `line ${line}: ${name} ${version} is installed only where \`${marker}\` holds`,
      hint: 'Keep it in the SOUP list if any supported platform meets the condition.',
      ...where(line),
    });
  }
  return { requirement: { line, text: requirement, name, version, hashes, annotations: [] }, problems };
}

/** Items of a pip-compile `via` annotation (`via requests`, or `via` then one item per comment line). */
function viaItems(annotations: readonly string[]): string[] | undefined {
  const start = annotations.findIndex((a) => /^via(\s|$)/.test(a.trim()));
  if (start < 0) return undefined;
  const first = (annotations[start] ?? '').trim().slice(3);
  return [first, ...annotations.slice(start + 1)]
    .flatMap((a) => a.split(','))
    .map((a) => a.trim())
    .filter((a) => a.length > 0);
}

/** From a `via` list: direct when a requirements file or the project itself asked for it. */
function viaScope(items: readonly string[] | undefined): { scope: DependencyScope; parents: string[] } {
  if (!items) return { scope: 'direct', parents: [] };
  const sources = items.filter(
    (i) => /^(-r|--requirement)\s/.test(i) || /\((pyproject\.toml|setup\.(py|cfg))\)/.test(i),
  );
  const parents = items.filter((i) => /^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(i)).map(normalizePypiName);
  return { scope: sources.length > 0 || parents.length === 0 ? 'direct' : 'transitive', parents };
}

function collectRequirements(text: string, problems: ImportProblem[]): Requirement[] {
  const requirements: Requirement[] = [];
  let last: Requirement | undefined;
  for (const logical of logicalLines(text)) {
    if (logical.code === '') {
      // A comment-only line belongs to the requirement above it; a blank line ends that block.
      if (last && logical.comment !== undefined) last.annotations.push(logical.comment);
      else last = undefined;
      continue;
    }
    last = undefined;
    if (logical.code.startsWith('-')) {
      const problem = optionProblem(logical.code, logical.line);
      if (problem) problems.push(problem);
      continue;
    }
    const parsed = parseRequirement(logical.code, logical.line);
    problems.push(...parsed.problems);
    if (!parsed.requirement) continue;
    if (logical.comment !== undefined) parsed.requirement.annotations.push(logical.comment);
    requirements.push(parsed.requirement);
    last = parsed.requirement;
  }
  return requirements;
}

function readRequirements(text: string, options: ReadOptions | undefined): ImportResult {
  const problems: ImportProblem[] = [];
  const requirements = collectRequirements(text, problems);
  const resolved = requirements.map((r) => ({
    r,
    id: identify('PyPI', r.name, r.version),
    via: viaScope(viaItems(r.annotations)),
  }));
  // `x  # via requests` means requests depends on x: invert the annotations into dependsOn.
  const children = new Map<string, string[]>();
  for (const { id, via } of resolved) {
    for (const parent of via.parents) appendTo(children, parent, id.purl);
  }
  const components = resolved.map(
    ({ r, id, via }): ImportedComponent => ({
      ...id,
      scope: via.scope,
      development: false,
      dependsOn: children.get(r.name) ?? [],
      ...(r.hashes.length > 0 ? { hashes: r.hashes } : {}),
      line: r.line,
    }),
  );
  return finishImport('requirements.txt', components, problems, options);
}

export const requirementsTxtReader: DependencyReader = {
  id: 'requirements-txt',
  description: 'pip requirements.txt, pinned (pip-compile, uv pip compile, pip freeze)',
  detect: (baseName) =>
    /^requirements[\w.-]*\.txt$/i.test(baseName) || /^constraints[\w.-]*\.txt$/i.test(baseName),
  read: (text, options) => guardRead('requirements.txt', () => readRequirements(text, options)),
};
