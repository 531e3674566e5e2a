/**
 * OSV records written as YAML (pypa/advisory-database). Parsed with the YAML 1.2 core schema, so
 * timestamps stay strings. A version written unquoted that looks like a number (`1.10`, `1e3`) would
 * become a number and lose its text, so plain scalars in the OSV fields that are always strings keep
 * their source text. Inside `database_specific` and `ecosystem_specific` nothing is changed.
 */
import jsYaml from 'js-yaml';
import { isPair, isScalar, isSeq, parseDocument, visit } from 'yaml';

const STRING_FIELDS = new Set([
  'schema_version',
  'id',
  'modified',
  'published',
  'withdrawn',
  'summary',
  'details',
  'ecosystem',
  'name',
  'purl',
  'type',
  'repo',
  'score',
  'url',
  'introduced',
  'fixed',
  'last_affected',
  'limit',
]);
const STRING_LISTS = new Set(['versions', 'aliases', 'related', 'upstream']);
const OPAQUE = new Set(['database_specific', 'ecosystem_specific']);

const keyOf = (pair: unknown): string | undefined =>
  isPair(pair) && isScalar(pair.key) ? String(pair.key.value) : undefined;

/**
 * Parses one YAML OSV document; throws with the parser's message on a syntax error.
 *
 * The text is read by js-yaml first, which refuses nesting deeper than 100 levels before going
 * deeper: the \`yaml\` parser recurses without a limit, and a few thousand levels made it overflow
 * the stack, or abort the whole process in V8's regular expression compiler (exit 134) when a second
 * deep file followed. A real OSV record nests about six levels.
 */
export function parseOsvYaml(text: string): unknown {
  try {
    jsYaml.load(text, { schema: jsYaml.CORE_SCHEMA });
  } catch (error) {
    throw new Error(String((error as Error).message).split('\n')[0]);
  }
  const doc = parseDocument(text, { schema: 'core', uniqueKeys: true });
  const error = doc.errors[0];
  if (error) throw new Error(error.message.split('\n')[0]);
  visit(doc, {
    Scalar(key, node, path) {
      if (node.type !== 'PLAIN' || node.source === undefined) return;
      if (typeof node.value !== 'number' && typeof node.value !== 'boolean') return;
      if (path.some((p) => OPAQUE.has(keyOf(p) ?? ''))) return;
      const parent = path[path.length - 1];
      const restore =
        (key === 'value' && STRING_FIELDS.has(keyOf(parent) ?? '')) ||
        (isSeq(parent) && STRING_LISTS.has(keyOf(path[path.length - 2]) ?? ''));
      if (restore) node.value = node.source;
    },
  });
  return doc.toJS();
}
