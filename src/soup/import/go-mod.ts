/**
 * Go module readers: `go.mod` and `go.sum`.
 *
 * Versions: OSV Go records write versions without the leading `v` (`1.2.3`), while the golang purl
 * keeps it (`pkg:golang/github.com/x/y@v1.2.3`). Components therefore store `version` WITHOUT the
 * `v`, so it compares directly with OSV ranges, and the purl WITH it, as purl-spec and SBOM tools
 * write it. Pseudo-versions and `+incompatible` are kept verbatim apart from the `v`.
 *
 * go.mod (go ≥ 1.17) lists every module the build needs: plain requirements are direct,
 * `// indirect` ones transitive. It has no graph, so `dependsOn` stays empty. `replace` directives
 * are applied (a replacement by another module version is what gets built); a replacement by a
 * local directory cannot be identified and is reported instead. `exclude`, `retract`, `go`,
 * `toolchain`, `godebug`, `tool` and `ignore` do not name build dependencies.
 *
 * go.sum holds checksums of everything the go command downloaded: `path version h1:…` for module
 * contents and `path version/go.mod h1:…` for go.mod files only. Only the former are in the build;
 * which are direct is not recorded, so scope is unknown.
 */
import { purlFor } from '../purl.js';
import { appendTo, readerForFileName, wellFormed } from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

interface Requirement {
  readonly path: string;
  readonly version: string;
  readonly indirect: boolean;
  readonly line: number;
}
interface Replacement {
  readonly oldPath: string;
  readonly oldVersion?: string;
  readonly newPath: string;
  readonly newVersion?: string;
  readonly line: number;
}
interface GoMod {
  goVersion?: string;
  readonly requires: Requirement[];
  readonly replaces: Replacement[];
  readonly excludes: Set<string>;
}

const KNOWN_DIRECTIVES = new Set([
  'module',
  'go',
  'toolchain',
  'godebug',
  'require',
  'replace',
  'exclude',
  'retract',
  'tool',
  'ignore',
]);

/** The version without its `v` (see the module comment). */
function bare(version: string): string {
  return version.startsWith('v') ? version.slice(1) : version;
}

/** A module version has something after its `v`: a bare `v` (a line cut short) would become an empty version. */
function isVersion(version: string | undefined): version is string {
  return version !== undefined && bare(version) !== '';
}

function goPurl(path: string, version: string): string {
  return purlFor('Go', path, `v${bare(version)}`);
}

/** Splits a line into its tokens and its `//` comment; strips quotes from quoted module paths. */
function tokenize(raw: string): { tokens: string[]; comment: string } {
  const slash = raw.indexOf('//');
  const code = slash >= 0 ? raw.slice(0, slash) : raw;
  const comment = slash >= 0 ? raw.slice(slash + 2).trim() : '';
  const tokens = code
    .trim()
    .split(/\s+/)
    .filter((t) => t !== '')
    .map((t) => (/^(["`]).*\1$/.test(t) ? t.slice(1, -1) : t));
  return { tokens, comment };
}

/** `// indirect` or `// indirect; other note`, as the go command writes and reads it. */
function isIndirect(comment: string): boolean {
  return comment === 'indirect' || comment.startsWith('indirect;');
}

/** Records one directive entry; returns what was wrong with it, if anything. */
function addEntry(
  directive: string,
  tokens: string[],
  comment: string,
  line: number,
  mod: GoMod,
): string | undefined {
  switch (directive) {
    case 'go':
      mod.goVersion = tokens[0];
      return undefined;
    case 'require': {
      const [path, version] = tokens;
      if (tokens.length !== 2 || !path || !isVersion(version)) return 'expected "module/path vX.Y.Z"';
      mod.requires.push({ path, version, indirect: isIndirect(comment), line });
      return undefined;
    }
    case 'replace':
      return addReplacement(tokens, line, mod);
    case 'exclude':
      if (tokens.length !== 2) return 'expected "module/path vX.Y.Z"';
      mod.excludes.add(`${tokens[0]}@${tokens[1]}`);
      return undefined;
    default:
      return undefined;
  }
}

/** `old [version] => new [version]`. */
function addReplacement(tokens: string[], line: number, mod: GoMod): string | undefined {
  const arrow = tokens.indexOf('=>');
  const [oldPath, oldVersion] = tokens.slice(0, Math.max(arrow, 0));
  const [newPath, newVersion] = tokens.slice(arrow + 1);
  if (
    arrow < 1 ||
    arrow > 2 ||
    !oldPath ||
    !newPath ||
    tokens.length - arrow > 3 ||
    (oldVersion !== undefined && !isVersion(oldVersion)) ||
    (newVersion !== undefined && !isVersion(newVersion))
  ) {
    return 'expected "old [version] => new [version]"';
  }
  mod.replaces.push({
    oldPath,
    newPath,
    line,
    ...(oldVersion ? { oldVersion } : {}),
    ...(newVersion ? { newVersion } : {}),
  });
  return undefined;
}

function addChecked(
  directive: string,
  tokens: string[],
  comment: string,
  line: number,
  mod: GoMod,
  problems: ImportProblem[],
): void {
  const wrong = addEntry(directive, tokens, comment, line, mod);
  if (wrong)
    problems.push({ severity: 'warning', message: `go.mod: malformed ${directive} line (${wrong})`, line });
}

function parseGoMod(text: string, problems: ImportProblem[]): GoMod {
  const mod: GoMod = { requires: [], replaces: [], excludes: new Set() };
  let block: string | undefined;
  text.split('\n').forEach((raw, index) => {
    const line = index + 1;
    const { tokens, comment } = tokenize(raw);
    const [first] = tokens;
    if (first === undefined) return;
    if (block !== undefined) {
      if (first === ')' && tokens.length === 1) block = undefined;
      else addChecked(block, tokens, comment, line, mod, problems);
      return;
    }
    if (!KNOWN_DIRECTIVES.has(first)) {
      problems.push({ severity: 'warning', message: `go.mod: unknown directive "${first}" ignored`, line });
      return;
    }
    if (tokens[1] === '(' && tokens.length === 2) block = first;
    else addChecked(first, tokens.slice(1), comment, line, mod, problems);
  });
  if (block !== undefined) {
    problems.push({ severity: 'warning', message: `go.mod: the ${block} ( … ) block is not closed` });
  }
  return mod;
}

/** A version-specific replacement wins over a path-wide one, as in the go command. */
function replacementFor(
  req: Requirement,
  replaces: ReadonlyMap<string, Replacement[]>,
): Replacement | undefined {
  const forPath = replaces.get(req.path) ?? [];
  return forPath.find((r) => r.oldVersion === req.version) ?? forPath.find((r) => r.oldVersion === undefined);
}

function componentOf(
  req: Requirement,
  mod: GoMod,
  replaces: ReadonlyMap<string, Replacement[]>,
  problems: ImportProblem[],
): ImportedComponent | undefined {
  if (mod.excludes.has(`${req.path}@${req.version}`)) {
    problems.push({
      severity: 'warning',
      message: `go.mod requires ${req.path} ${req.version}, which is also excluded; the go command will pick another version`,
      hint: 'Run `go mod tidy` and import again.',
      line: req.line,
    });
  }
  const replacement = replacementFor(req, replaces);
  if (replacement && !replacement.newVersion) {
    problems.push({
      severity: 'warning',
      message: `${req.path} is replaced by the local directory ${replacement.newPath}, which has no version and cannot be identified`,
      hint: 'Record this code as SOUP by hand (or as your own software item) with the version it was taken from.',
      line: replacement.line,
    });
    return undefined;
  }
  const path = replacement?.newPath ?? req.path;
  const version = replacement?.newVersion ?? req.version;
  return {
    ecosystem: 'Go',
    name: path,
    version: bare(version),
    purl: goPurl(path, version),
    scope: req.indirect ? 'transitive' : 'direct',
    development: false,
    dependsOn: [],
    line: req.line,
  };
}

/** Before go 1.17, go.mod did not list the whole module graph. */
function checkGoVersion(goVersion: string | undefined, problems: ImportProblem[]): void {
  const match = /^(\d+)\.(\d+)/.exec(goVersion ?? '');
  const major = Number(match?.[1] ?? 0);
  const minor = Number(match?.[2] ?? 0);
  if (major > 1 || (major === 1 && minor >= 17)) return;
  problems.push({
    severity: 'info',
    message: `go.mod declares ${goVersion ? `go ${goVersion}` : 'no go version'}; before go 1.17 it lists only part of the transitive modules`,
    hint: 'Import go.sum as well, or run `go mod tidy -go=1.17` (or later) first.',
  });
}

function readGoMod(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const mod = parseGoMod(wellFormed(text), problems);
  checkGoVersion(mod.goVersion, problems);
  const replaces = new Map<string, Replacement[]>();
  for (const r of mod.replaces) appendTo(replaces, r.oldPath, r);
  const components = mod.requires
    .map((req) => componentOf(req, mod, replaces, problems))
    .filter((c): c is ImportedComponent => c !== undefined);
  return finishImport('go.mod', components, problems, options);
}

function readGoSum(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const components: ImportedComponent[] = [];
  const versionsByPath = new Map<string, Set<string>>();
  wellFormed(text)
    .split('\n')
    .forEach((raw, index) => {
      const fields = raw.trim().split(/\s+/);
      if (fields.length === 1 && fields[0] === '') return;
      const [path, version, hash] = fields;
      if (
        fields.length !== 3 ||
        !path ||
        !version ||
        !isVersion(version.replace(/\/go\.mod$/, '')) ||
        !hash?.includes(':')
      ) {
        problems.push({
          severity: 'warning',
          message: 'go.sum: expected "module version h1:hash"',
          line: index + 1,
        });
        return;
      }
      if (version.endsWith('/go.mod')) return;
      versionsByPath.set(path, (versionsByPath.get(path) ?? new Set()).add(version));
      // The h1: hash is a SHA-256 over a file list, not of a downloadable artifact, so it is not
      // recorded as a SHA-256 hash that someone could try to verify a file against.
      components.push({
        ecosystem: 'Go',
        name: path,
        version: bare(version),
        purl: goPurl(path, version),
        scope: 'unknown',
        development: false,
        dependsOn: [],
        line: index + 1,
      });
    });
  const several = [...versionsByPath].filter(([, versions]) => versions.size > 1).map(([path]) => path);
  if (several.length > 0) {
    problems.push({
      severity: 'info',
      message: `go.sum lists ${several.length} module(s) at more than one version (e.g. ${several[0]}); only one version of each is in the build`,
      hint: 'Import go.mod for the versions the build selects.',
    });
  }
  return finishImport('go.sum', components, problems, options);
}

export const goModReader: DependencyReader = readerForFileName(
  'go-mod',
  'Go go.mod (require, // indirect, replace, exclude)',
  'go.mod',
  readGoMod,
);

export const goSumReader: DependencyReader = readerForFileName(
  'go-sum',
  'Go go.sum (module checksums; scope unknown)',
  'go.sum',
  readGoSum,
);
