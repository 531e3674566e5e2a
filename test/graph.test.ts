import { describe, expect, it } from 'vitest';
import { findCycles } from '../src/graph/cycles.js';
import { TraceGraph } from '../src/graph/graph.js';
import type { KindName } from '../src/model/kinds.js';
import { makeRecord } from './helpers.js';

const record = (id: string, kind: KindName, links: Record<string, string[]> = {}, fields = {}) =>
  makeRecord(id, kind, fields, links);

describe('trace graph', () => {
  const records = [
    record('UN-1', 'user-need'),
    record('SYS-1', 'system-requirement', { derivesFrom: ['UN-1'] }),
    record('SYS-2', 'system-requirement', { derivesFrom: ['UN-1'] }),
    record('SRS-1', 'software-requirement', { derivesFrom: ['SYS-1', 'SYS-2'] }, { category: 'functional' }),
    record('SRS-2', 'software-requirement', { derivesFrom: ['SYS-1'], implements: ['RC-1'] }),
    record('RC-1', 'risk-control', { mitigates: ['HS-1'] }),
    record('HS-1', 'hazardous-situation'),
    record('SI-1', 'software-item', { contributesTo: ['HS-1'], implements: ['SRS-1'] }),
    record('SI-2', 'software-item', { partOf: ['SI-1'] }),
    record('TC-1', 'test', { verifies: ['SRS-1', 'RC-1'] }),
    record('TC-2', 'test', { verifies: ['SRS-1', 'HS-1', 'NOPE-1'] }),
  ];
  const graph = new TraceGraph(records);

  it('computes reverse links for every typed link', () => {
    expect(graph.sources(graph.get('SYS-1')!, 'derivesFrom').map((r) => r.id)).toEqual(['SRS-1', 'SRS-2']);
    expect(graph.testsVerifying(graph.get('SRS-1')!).map((r) => r.id)).toEqual(['TC-1', 'TC-2']);
    expect(graph.testsVerifying(graph.get('RC-1')!).map((r) => r.id)).toEqual(['TC-1']);
    expect(graph.requirementsImplementing(graph.get('RC-1')!).map((r) => r.id)).toEqual(['SRS-2']);
    expect(graph.hazardousSituationsOf(graph.get('SI-1')!).map((r) => r.id)).toEqual(['HS-1']);
    expect(graph.parentOf(graph.get('SI-2')!)?.id).toBe('SI-1');
    expect(graph.childrenOf(graph.get('SI-1')!).map((r) => r.id)).toEqual(['SI-2']);
  });

  it('keeps broken links out of the graph and reports why', () => {
    const broken = graph.broken.map(
      (b) => `${b.from.id}.${b.field}[${b.index}]→${b.target}:${b.found?.kind ?? 'missing'}`,
    );
    expect(broken).toEqual(['TC-2.verifies[1]→HS-1:hazardous-situation', 'TC-2.verifies[2]→NOPE-1:missing']);
    expect(graph.incoming(graph.get('HS-1')!, 'verifies')).toHaveLength(0);
  });

  it('computes upstream and downstream closures', () => {
    expect(
      graph
        .upstream(graph.get('TC-1')!)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['HS-1', 'RC-1', 'SRS-1', 'SYS-1', 'SYS-2', 'UN-1'].sort());
    expect(
      graph
        .downstream(graph.get('UN-1')!)
        .map((r) => r.id)
        .sort(),
    ).toEqual(['SI-1', 'SI-2', 'SRS-1', 'SRS-2', 'SYS-1', 'SYS-2', 'TC-1', 'TC-2'].sort());
    expect(
      graph
        .upstream(graph.get('SRS-2')!, ['derivesFrom'])
        .map((r) => r.id)
        .sort(),
    ).toEqual(['SYS-1', 'UN-1']);
  });

  it('indexes duplicates with every location', () => {
    const g = new TraceGraph([record('SYS-1', 'system-requirement'), record('SYS-1', 'system-requirement')]);
    expect(g.duplicates.get('SYS-1')).toHaveLength(2);
    expect(g.byId.size).toBe(1);
  });

  it('finds no cycles in a DAG and finds self-loops and long cycles', () => {
    expect(findCycles(graph)).toEqual([]);
    const self = new TraceGraph([record('SYS-1', 'system-requirement', { derivesFrom: ['SYS-1'] })]);
    expect(findCycles(self).map((c) => c.path.map((r) => r.id))).toEqual([['SYS-1', 'SYS-1']]);
    const n = 20_000;
    const chain = Array.from({ length: n }, (_, i) =>
      record(`SI-${i}`, 'software-item', { partOf: [`SI-${(i + 1) % n}`] }),
    );
    const cycles = findCycles(new TraceGraph(chain));
    expect(cycles).toHaveLength(1);
    expect(cycles[0]!.path).toHaveLength(n + 1);
  });
});
