/**
 * `Rule.reads` (src/rules/rule.ts): a rule that declares which kinds' content it reads keeps its
 * previous findings after an edit of other kinds (src/analyze.ts). Each declaration is held to what
 * it says, on the bundled examples and the security fixture (which hold most kinds; a kind none of
 * them holds, such as verification-report, cannot be edited here):
 * - run with nothing of the project but dossier.yaml and with no SOUP scan or advisory coverage,
 *   it finds what it finds with everything;
 * - with the content of every record of a kind it does not name changed (every string, number,
 *   flag and list item), or emptied (no fields, no title, text or tags), or with one field at a
 *   time removed or changed (so that a rule that reads a field only when another has a certain
 *   value, like a test's criteria by its level, sees an edit it reacts to), it finds the same.
 * Kinds the safety analysis reads are left out: an edit of them is analysed anew.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import type { Project } from '../src/load/project.js';
import { KIND_NAMES } from '../src/model/kinds.js';
import type { DossierRecord } from '../src/model/record.js';
import { RULES } from '../src/rules/registry.js';
import type { Rule, RuleContext } from '../src/rules/rule.js';
import { analyzeSafety, SAFETY_CONTENT_KINDS } from '../src/safety/safety-analysis.js';
import { loadOk, REPO } from './helpers.js';

const TODAY = '2026-11-30';
const PROJECTS = [
  ...['infusion-pump', 'recovery', 'label-printing'].map((name) => path.join(REPO, 'examples', name)),
  // Threats, security risks, controls and tests with findings the examples do not have.
  path.join(REPO, 'test/fixtures/security-report'),
];
const DECLARED = RULES.filter((rule): rule is Rule & { reads: NonNullable<Rule['reads']> } => !!rule.reads);

function contextOf(project: Project, records: readonly DossierRecord[]): RuleContext {
  const graph = new TraceGraph(records);
  return {
    project: { ...project, records },
    graph,
    safety: analyzeSafety(graph, project.config),
    advisoryCoverage: [],
    today: TODAY,
  };
}

/** The context with every part a declaring rule must not read made to throw when read. */
function withOnlyWhatIsDeclared(context: RuleContext): RuleContext {
  const forbidden = (what: string) => ({
    get(): never {
      throw new Error(`a rule with \`reads\` read ${what}`);
    },
  });
  const project = Object.defineProperties(
    { root: context.project.root, config: context.project.config },
    {
      records: forbidden('project.records (take records from the graph)'),
      sources: forbidden('project.sources'),
      findings: forbidden('project.findings'),
      unloaded: forbidden('project.unloaded'),
      codeTags: forbidden('project.codeTags'),
    },
  ) as Project;
  const { soupScan: _scan, advisoryCoverage: _coverage, ...rest } = context;
  return Object.defineProperties(
    { ...rest, project },
    { soupScan: forbidden('the SOUP scan'), advisoryCoverage: forbidden('the advisory coverage') },
  ) as RuleContext;
}

/** What a rule finds, in an order that does not depend on the order it found it in. */
function found(rule: Rule, context: RuleContext): string[] {
  return [...rule.check(context)].map((f) => JSON.stringify(f)).sort();
}

function changedValue(value: unknown): unknown {
  if (typeof value === 'string') return `${value} (edited)`;
  if (typeof value === 'number') return value + 1;
  if (typeof value === 'boolean') return !value;
  if (Array.isArray(value)) return value.map(changedValue);
  if (typeof value === 'object' && value !== null)
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, changedValue(v)]));
  return value;
}

const EDITS: Record<string, (record: DossierRecord) => DossierRecord> = {
  changed: (r) => ({
    ...r,
    title: `${r.title} (edited)`,
    text: `${r.text}\n\nEdited.`,
    tags: [...r.tags, 'edited'],
    fields: changedValue(r.fields) as DossierRecord['fields'],
  }),
  emptied: (r) => ({ ...r, title: '', text: '', tags: [], fields: {} }),
};

/** The edits of the records of one kind: {@link EDITS}, then each field its records have removed, and changed, alone. */
function editsOf(records: readonly DossierRecord[]): [string, (record: DossierRecord) => DossierRecord][] {
  const fields = [...new Set(records.flatMap((r) => Object.keys(r.fields)))].sort();
  return [
    ...Object.entries(EDITS),
    ...fields.flatMap((field): [string, (record: DossierRecord) => DossierRecord][] => [
      [
        `without ${field}`,
        (r) => ({ ...r, fields: Object.fromEntries(Object.entries(r.fields).filter(([k]) => k !== field)) }),
      ],
      [
        `${field} changed`,
        (r) =>
          field in r.fields ? { ...r, fields: { ...r.fields, [field]: changedValue(r.fields[field]) } } : r,
      ],
    ]),
  ];
}

describe('rules that declare what they read', () => {
  it('some rules declare it, and only kinds that exist', () => {
    expect(DECLARED.length).toBeGreaterThan(10);
    for (const rule of DECLARED) for (const kind of rule.reads.kinds) expect(KIND_NAMES).toContain(kind);
  });

  for (const dir of PROJECTS) {
    const name = path.basename(dir);
    it(`${name}: each finds the same with nothing of the project but dossier.yaml`, () => {
      const project = loadOk(dir);
      const context = contextOf(project, project.records);
      const bare = withOnlyWhatIsDeclared(context);
      for (const rule of DECLARED)
        expect([rule.code, ...found(rule, bare)]).toEqual([rule.code, ...found(rule, context)]);
    });

    it(`${name}: each finds the same when the content of a kind it does not read is changed or emptied`, () => {
      const project = loadOk(dir);
      const context = contextOf(project, project.records);
      const before = new Map(DECLARED.map((rule) => [rule.code, found(rule, context)]));
      const kinds = [...new Set(project.records.map((r) => r.kind))].filter(
        (k) => !SAFETY_CONTENT_KINDS.has(k),
      );
      expect(kinds.length).toBeGreaterThan(0);
      for (const kind of kinds)
        for (const [edit, apply] of editsOf(project.records.filter((r) => r.kind === kind))) {
          const records = project.records.map((r) => (r.kind === kind ? apply(r) : r));
          const edited = contextOf(project, records);
          for (const rule of DECLARED) {
            if (rule.reads.kinds.includes(kind)) continue;
            expect([rule.code, kind, edit, ...found(rule, edited)]).toEqual([
              rule.code,
              kind,
              edit,
              ...before.get(rule.code)!,
            ]);
          }
        }
    });
  }
});
