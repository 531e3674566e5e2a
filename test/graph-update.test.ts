/**
 * `TraceGraph.after` (src/graph/graph.ts): a graph updated after some records changed equals the
 * graph built anew from the same records — the same records under the same ids in the same order,
 * the same links as the same objects at both ends, the same broken links and kind lists — whether it
 * was laid over the previous graph (a content edit) or built again (anything else).
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { type Analysis, analyze } from '../src/analyze.js';
import { type Cycle, findCycles } from '../src/graph/cycles.js';
import { type Link, TraceGraph } from '../src/graph/graph.js';
import { type SuspectLink, suspectLinks } from '../src/links/suspect.js';
import { FileMemo, RACY_MS } from '../src/load/file-memo.js';
import { loadProject } from '../src/load/project.js';
import type { KindName } from '../src/model/kinds.js';
import type { DossierRecord } from '../src/model/record.js';
import { LayeredMap } from '../src/util/layered-map.js';
import { EXAMPLE, pickOne, seededRandom, writeProject } from './helpers.js';

const SOURCE = { path: 'records/r.yaml', yaml: '', yamlLine: 1, bodyLine: 1 };

function record(id: string, kind: KindName, links: Record<string, string[]>, title = id): DossierRecord {
  return {
    id,
    kind,
    title,
    status: 'approved',
    tags: [],
    text: `Text of ${id}.`,
    fields: {},
    links,
    origin: { source: SOURCE, path: [] },
  } as DossierRecord;
}

/** A project of needs, requirements and tests with links, some to missing ids or of the wrong kind. */
function records(random: () => number, size: number): DossierRecord[] {
  const sys = Array.from({ length: size }, (_, i) => `SYS-${i}`);
  const srs = Array.from({ length: size * 2 }, (_, i) => `SRS-${i}`);
  const some = (ids: string[], n: number) => Array.from({ length: n }, () => pickOne(random, ids));
  return [
    ...sys.map((id) => record(id, 'system-requirement', random() < 0.2 ? { derivesFrom: some(sys, 1) } : {})),
    ...srs.map((id) =>
      record(id, 'software-requirement', {
        // SRS-x links to itself now and then, to a missing id, and to a test (the wrong kind).
        derivesFrom: [...some(sys, 1 + Math.floor(random() * 2)), ...(random() < 0.1 ? [id] : [])],
        ...(random() < 0.1 ? { implements: ['RC-404'] } : {}),
        ...(random() < 0.05 ? { implements: ['TC-1'] } : {}),
      }),
    ),
    ...Array.from({ length: size * 2 }, (_, i) =>
      record(`TC-${i}`, 'test', { verifies: some([...srs, ...sys], 1 + Math.floor(random() * 3)) }),
    ),
  ];
}

/** A copy of the record with new content (same id, kind and links): a new object, as a reload gives. */
const edited = (r: DossierRecord, n: number): DossierRecord => ({ ...r, title: `${r.title} (edit ${n})` });

/** The graph's answers, with the identity of every record and link they hold. */
function expectSameGraph(updated: TraceGraph, built: TraceGraph): void {
  expect([...updated.byId]).toEqual([...built.byId]);
  for (const [id, r] of built.byId) expect(updated.byId.get(id)).toBe(r);
  expect(updated.byId.size).toBe(built.byId.size);
  expect([...updated.duplicates]).toEqual([...built.duplicates]);
  expect(updated.broken.length).toBe(built.broken.length);
  updated.broken.forEach((b, i) => {
    const other = built.broken[i]!;
    expect(b.from).toBe(other.from);
    expect(b.found).toBe(other.found);
    expect({ ...b, from: b.from.id, found: b.found?.id }).toEqual({
      ...other,
      from: other.from.id,
      found: other.found?.id,
    });
  });
  const sameLinks = (a: readonly Link[], b: readonly Link[]) => {
    expect(a.length).toBe(b.length);
    a.forEach((l, i) => {
      expect(l.from).toBe(b[i]!.from);
      expect(l.to).toBe(b[i]!.to);
      expect([l.field, l.index]).toEqual([b[i]!.field, b[i]!.index]);
    });
  };
  for (const r of built.records) {
    sameLinks(updated.outgoing(r), built.outgoing(r));
    sameLinks(updated.incoming(r), built.incoming(r));
    // One link object, seen from both ends.
    for (const l of updated.outgoing(r)) expect(updated.incoming(l.to)).toContain(l);
  }
  for (const kind of ['system-requirement', 'software-requirement', 'test'] as const) {
    expect(updated.ofKind(kind).length).toBe(built.ofKind(kind).length);
    updated.ofKind(kind).forEach((r, i) => {
      expect(r).toBe(built.ofKind(kind)[i]);
    });
  }
}

function expectSameCycles(a: readonly Cycle[], b: readonly Cycle[]): void {
  expect(a.length).toBe(b.length);
  a.forEach((cycle, i) => {
    expect(cycle.path.length).toBe(b[i]!.path.length);
    cycle.path.forEach((r, j) => {
      expect(r).toBe(b[i]!.path[j]);
    });
    cycle.links.forEach((l, j) => {
      expect([l.from, l.field, l.index, l.to]).toEqual([
        b[i]!.links[j]!.from,
        b[i]!.links[j]!.field,
        b[i]!.links[j]!.index,
        b[i]!.links[j]!.to,
      ]);
      expect(l.from).toBe(b[i]!.links[j]!.from);
    });
  });
}

function expectSameSuspects(a: readonly SuspectLink[], b: readonly SuspectLink[]): void {
  expect(a.map((s) => [s.from.id, s.field, s.index, s.to.id, s.state, s.now])).toEqual(
    b.map((s) => [s.from.id, s.field, s.index, s.to.id, s.state, s.now]),
  );
  a.forEach((s, i) => {
    expect(s.from).toBe(b[i]!.from);
    expect(s.to).toBe(b[i]!.to);
  });
}

describe('TraceGraph.after', () => {
  it('lays content edits over the previous graph, update after update, and equals a graph built anew', () => {
    const random = seededRandom(62304);
    let current = records(random, 60);
    let graph = new TraceGraph(current);
    for (let round = 1; round <= 12; round++) {
      // Known for the previous graph: the updated graph's are made from them.
      const cyclesBefore = findCycles(graph);
      const suspectsBefore = suspectLinks(graph);
      const next = [...current];
      for (let k = 0; k < 1 + Math.floor(random() * 4); k++) {
        const i = Math.floor(random() * next.length);
        next[i] = edited(next[i]!, round);
      }
      const updated = TraceGraph.after(graph, next);
      expect(updated.byId).toBeInstanceOf(LayeredMap);
      const built = new TraceGraph(next);
      expectSameGraph(updated, built);
      expect(cyclesBefore.length).toBeGreaterThan(0);
      expectSameCycles(findCycles(updated), findCycles(built));
      expect(suspectsBefore.length).toBeGreaterThan(0);
      expectSameSuspects(suspectLinks(updated), suspectLinks(built));
      graph = updated;
      current = next;
    }
  });

  it('builds anew for anything but a content edit, and still equals a graph built anew', () => {
    const random = seededRandom(13485);
    const base = records(random, 30);
    const graph = new TraceGraph(base);
    const at = (i: number, r: DossierRecord) => base.map((x, j) => (j === i ? r : x));
    const changes: [string, DossierRecord[]][] = [
      [
        'a link added',
        at(70, { ...base[70]!, links: { ...base[70]!.links, derivesFrom: ['SYS-1', 'SYS-2'] } }),
      ],
      ['an id changed', at(40, { ...base[40]!, id: 'SRS-999' })],
      ['an id written twice', at(41, { ...base[41]!, id: base[40]!.id })],
      ['a record removed', base.filter((_, i) => i !== 5)],
      ['a record added', [...base, record('SYS-77', 'system-requirement', {})]],
      ['records reordered', [base[1]!, base[0]!, ...base.slice(2)]],
    ];
    for (const [, next] of changes) {
      const updated = TraceGraph.after(graph, next);
      expect(updated.byId).not.toBeInstanceOf(LayeredMap);
      expectSameGraph(updated, new TraceGraph(next));
    }
    // Nothing changed: the previous graph itself.
    expect(TraceGraph.after(graph, [...base])).toBe(graph);
  });

  it('builds anew once the layers hold a tenth of the records', () => {
    const random = seededRandom(7);
    const base = records(random, 20); // 100 records: at most 10 laid over
    let graph = new TraceGraph(base);
    let current = base;
    const kinds: boolean[] = [];
    for (let round = 0; round < 6; round++) {
      current = current.map((r, i) => (i >= round * 3 && i < round * 3 + 3 ? edited(r, round) : r));
      graph = TraceGraph.after(graph, current);
      kinds.push(graph.byId instanceof LayeredMap);
      expectSameGraph(graph, new TraceGraph(current));
    }
    expect(kinds).toEqual([true, true, true, false, true, true]);
  });

  it('an analysis given the previous one equals the analysis made without it (the example, edit after edit)', () => {
    const dir = writeProject(
      Object.fromEntries(
        listFiles(EXAMPLE).map((rel) => [rel, fs.readFileSync(path.join(EXAMPLE, rel))] as const),
      ),
      false,
    );
    const memo = new FileMemo(() => Date.now() + RACY_MS + 1000);
    const load = () => {
      const result = loadProject(dir, { fileMemo: memo });
      if (!result.ok) throw new Error('did not load');
      return result.project;
    };
    const today = '2026-11-30';
    let previous = analyze(load(), { today });
    const srs = path.join(dir, 'records/software/SRS-001.md');
    const edit = (rel: string, from: string | RegExp, to: string) => {
      const file = path.join(dir, rel);
      const text = fs.readFileSync(file, 'utf8');
      expect(text).toMatch(from);
      fs.writeFileSync(file, text.replace(from, to));
    };
    const finds =
      (code: string, recordId: string, message = '') =>
      (a: Analysis) =>
        a.diagnostics.some((d) => d.code === code && d.recordId === recordId && d.message.includes(message));
    // Each edit; whether the safety analysis is the previous one with the new records in it (its risk
    // policy, which names no record, is then the same object) or made again; what must be found after it.
    const edits: [string, () => void, boolean, ((a: Analysis) => boolean)?][] = [
      [
        'a requirement’s text',
        () => fs.appendFileSync(srs, '\nA sentence added to the text.\n'),
        true,
        // The links to SRS-001 are suspect now, and its review is stale: judged again from the previous analysis.
        (a) =>
          finds('link/suspect', 'TC-001', ' SRS-001 (')(a) &&
          finds('requirement/unreviewed', 'SRS-001')(a) &&
          a.diagnostics.some((d) => d.code === 'review/stale' && d.message.startsWith('SRS-001 ')),
      ],
      [
        'a test’s field',
        () =>
          edit('records/tests/integration-tests.yaml', 'in 20 of 20 repetitions', 'in 30 of 30 repetitions'),
        true,
      ],
      [
        'a requirement’s text emptied',
        () => {
          const text = fs.readFileSync(srs, 'utf8');
          fs.writeFileSync(srs, `${text.slice(0, text.indexOf('---', 3) + 3)}\n`);
        },
        true,
        // A local rule's finding about the record edited: the rule ran again for it.
        finds('record/empty-statement', 'SRS-001'),
      ],
      [
        'another requirement’s text',
        () => fs.appendFileSync(path.join(dir, 'records/software/SRS-002.md'), '\nMore.\n'),
        true,
        // The findings about SRS-001, far from this edit, are the previous analysis's.
        (a) => finds('record/empty-statement', 'SRS-001')(a) && finds('requirement/unreviewed', 'SRS-001')(a),
      ],
      [
        'a plan’s title (a kind the safety analysis never reads)',
        () => edit('records/plans/PLAN-001.md', /^title: (.*)$/m, 'title: $1 (edited)'),
        true,
      ],
      [
        'a software item’s title (a kind whose content it reads)',
        () => edit('records/architecture/SI-002.md', /^title: (.*)$/m, 'title: $1 (edited)'),
        false,
      ],
      [
        'a requirement’s status',
        () => edit('records/software/SRS-001.md', /^status: approved$/m, 'status: obsolete'),
        false,
      ],
      [
        'a hazardous situation’s severity',
        () => edit('records/risk/hazardous-situations.yaml', 'severity: critical', 'severity: serious'),
        false,
      ],
      [
        'a link removed',
        () => edit('records/tests/integration-tests.yaml', 'SRS-031, SRS-067]', 'SRS-031]'),
        false,
      ],
      [
        'a link to no record, on the last test of a collection',
        () => edit('records/tests/integration-tests.yaml', 'SI-007, SRS-042]', 'SI-007, SRS-042, SRS-999]'),
        false,
        (a) => a.diagnostics.some((d) => d.code === 'link/dangling' && d.message.includes('SRS-999')),
      ],
      [
        // link/dangling reads no record's content: its finding is kept, and placed again lower down.
        'lines added to the first test of that collection',
        () =>
          edit(
            'records/tests/integration-tests.yaml',
            'Integration of occlusion detection with infusion control and alarms.',
            'Integration of occlusion detection with infusion control and alarms.\n      Two lines\n      more.',
          ),
        true,
        (a) => a.diagnostics.some((d) => d.code === 'link/dangling' && d.message.includes('SRS-999')),
      ],
    ];
    for (const [what, change, reused, found] of edits) {
      change();
      const project = load();
      expect(memo.read, what).toBe(1);
      const updated = analyze(project, { today, previous });
      const fresh = analyze(project, { today });
      expect(updated.diagnostics, what).toEqual(fresh.diagnostics);
      expect(updated.summary, what).toEqual(fresh.summary);
      // (The risk policy holds functions, made anew by each analysis: compared as JSON.)
      expect(JSON.stringify(updated.safety), what).toBe(JSON.stringify(fresh.safety));
      expect(updated.safety.policy === previous.safety.policy, what).toBe(reused);
      if (found) expect(found(updated), what).toBe(true);
      previous = updated;
    }
  });
});

function listFiles(root: string, rel = ''): string[] {
  return fs.readdirSync(path.join(root, rel), { withFileTypes: true }).flatMap((e) => {
    const child = rel === '' ? e.name : `${rel}/${e.name}`;
    if (e.name === '.dossier' || e.name === 'out' || e.name === 'node_modules') return [];
    return e.isDirectory() ? listFiles(root, child) : [child];
  });
}
