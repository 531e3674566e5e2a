/**
 * Conan `conan.lock` reader: lockfile 0.5 (Conan 2) and 0.4 (Conan 1).
 *
 * - 0.5 is flat: `requires` (host packages), `build_requires` (tools such as cmake, run in the
 *   build: development), `python_requires` and `config_requires` (recipe code and configuration,
 *   development). No graph, so scope is unknown and `dependsOn` empty.
 * - 0.4 is a graph (`graph_lock.nodes`, node "0" the consumer). Packages the root reaches through
 *   `requires` are runtime, direct when the root names them; packages reached only through
 *   `build_requires` (or in the build context) are development.
 *
 * References are `name/version[@user/channel][#recipe_revision[%timestamp]]`. The purl follows
 * purl-spec's conan type: `pkg:conan/name@version` with `user`, `channel` and `rrev` qualifiers.
 */
import { purlFor } from '../purl.js';
import {
  isRecord,
  jsonStringLines,
  type PlainRecord,
  parseJson,
  reachable,
  stringOf,
  stringsOf,
} from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

interface ConanRef {
  readonly name: string;
  readonly version: string;
  readonly user?: string;
  readonly channel?: string;
  readonly revision?: string;
}

const REFERENCE = /^([^/@#%\s]+)\/([^/@#%\s]+)(?:@([^/#%\s]+)\/([^/#%\s]+))?(?:#([^#%\s]+))?(?:%\S+)?$/;

function parseRef(text: string): ConanRef | undefined {
  const match = REFERENCE.exec(text.trim());
  if (!match) return undefined;
  const [, name = '', version = '', user, channel, revision] = match;
  // `_` stands for "no user / channel" in Conan references.
  return {
    name,
    version,
    ...(user && user !== '_' ? { user } : {}),
    ...(channel && channel !== '_' ? { channel } : {}),
    ...(revision ? { revision } : {}),
  };
}

function purlOf(ref: ConanRef): string {
  const qualifiers: Record<string, string> = {};
  if (ref.user) qualifiers.user = ref.user;
  if (ref.channel) qualifiers.channel = ref.channel;
  if (ref.revision) qualifiers.rrev = ref.revision;
  return purlFor('ConanCenter', ref.name, ref.version, qualifiers);
}

function component(
  ref: ConanRef,
  development: boolean,
  extra: Partial<ImportedComponent> = {},
): ImportedComponent {
  return {
    ecosystem: 'ConanCenter',
    name: ref.name,
    version: ref.version,
    purl: purlOf(ref),
    scope: 'unknown',
    development,
    dependsOn: [],
    ...extra,
  };
}

function badRef(text: string, line: number | undefined): ImportProblem {
  return {
    severity: 'warning',
    message: `conan.lock: "${text}" is not a Conan reference (name/version[@user/channel][#revision])`,
    ...(line !== undefined ? { line } : {}),
  };
}

function readV05(lock: PlainRecord, text: string, problems: ImportProblem[]): ImportedComponent[] {
  const sections: [string, boolean][] = [
    ['requires', false],
    ['build_requires', true],
    ['python_requires', true],
    ['config_requires', true],
  ];
  const refs = sections.flatMap(([key, development]) =>
    stringsOf(lock[key]).map((r) => ({ text: r, development })),
  );
  const lines = jsonStringLines(text, new Set(refs.map((r) => r.text)));
  const out: ImportedComponent[] = [];
  for (const { text: refText, development } of refs) {
    const line = lines.get(refText);
    const ref = parseRef(refText);
    if (ref) out.push(component(ref, development, line !== undefined ? { line } : {}));
    else problems.push(badRef(refText, line));
  }
  return out;
}

interface Node {
  readonly ref?: string;
  readonly requires: readonly string[];
  readonly buildRequires: readonly string[];
  readonly buildContext: boolean;
}

function nodesOf(lock: PlainRecord): Map<string, Node> {
  const graph = isRecord(lock.graph_lock) ? lock.graph_lock : {};
  const nodes = new Map<string, Node>();
  for (const [id, node] of Object.entries(isRecord(graph.nodes) ? graph.nodes : {})) {
    if (!isRecord(node)) continue;
    nodes.set(id, {
      ...(stringOf(node.ref) ? { ref: stringOf(node.ref) } : {}),
      requires: stringsOf(node.requires),
      buildRequires: stringsOf(node.build_requires),
      buildContext: node.context === 'build',
    });
  }
  return nodes;
}

/** Node ids reachable from the root through host `requires` edges (build-context nodes are tools). */
function runtimeNodes(nodes: ReadonlyMap<string, Node>, root: string): Set<string> {
  const hostRequires = (id: string) =>
    (nodes.get(id)?.requires ?? []).filter((n) => !nodes.get(n)?.buildContext);
  return reachable([root], hostRequires);
}

function readV04(lock: PlainRecord, text: string, problems: ImportProblem[]): ImportedComponent[] {
  const nodes = nodesOf(lock);
  const root = '0';
  const runtime = runtimeNodes(nodes, root);
  const rootNode = nodes.get(root);
  const direct = new Set([...(rootNode?.requires ?? []), ...(rootNode?.buildRequires ?? [])]);
  const refs = new Map<string, ConanRef>();
  const lines = jsonStringLines(text, new Set([...nodes.values()].flatMap((n) => (n.ref ? [n.ref] : []))));
  for (const [id, node] of nodes) {
    if (id === root || !node.ref) continue;
    const ref = parseRef(node.ref);
    if (ref) refs.set(id, ref);
    else problems.push(badRef(node.ref, lines.get(node.ref)));
  }
  return [...refs].map(([id, ref]) => {
    const node = nodes.get(id);
    const line = node?.ref ? lines.get(node.ref) : undefined;
    const dependsOn = [...(node?.requires ?? []), ...(node?.buildRequires ?? [])]
      .map((to) => refs.get(to))
      .filter((r): r is ConanRef => r !== undefined)
      .map(purlOf);
    return component(ref, !runtime.has(id), {
      scope: direct.has(id) ? 'direct' : 'transitive',
      dependsOn,
      ...(line !== undefined ? { line } : {}),
    });
  });
}

function readConanLock(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed = parseJson(text, 'conan.lock');
  if (!parsed.ok) return finishImport('conan.lock', [], [parsed.problem], options);
  const lock = isRecord(parsed.value) ? parsed.value : {};
  const version = stringOf(lock.version);
  if (version === '0.5')
    return finishImport('conan.lock v0.5', readV05(lock, text, problems), problems, options);
  if (version === '0.4')
    return finishImport('conan.lock v0.4', readV04(lock, text, problems), problems, options);
  problems.push({
    severity: 'error',
    message: `conan.lock version ${version ?? '(none)'} is not supported (known: 0.5 from Conan 2, 0.4 from Conan 1)`,
    hint: 'Regenerate the lockfile with `conan lock create`, or export a CycloneDX SBOM.',
  });
  return finishImport('conan.lock', [], problems, options);
}

export const conanLockReader: DependencyReader = {
  id: 'conan-lock',
  description: 'Conan conan.lock (0.5 from Conan 2, 0.4 from Conan 1)',
  detect(baseName) {
    return baseName === 'conan.lock' || baseName.endsWith('.conan.lock');
  },
  read(text, options = {}) {
    return readConanLock(text, options);
  },
};
