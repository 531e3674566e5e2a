import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import { neighbourhood, neighbourhoodSvg, PER_COLUMN } from '../src/site/neighbourhood.js';
import { makeRecord } from './helpers.js';
import { HOSTILE_TITLE } from './site-fixtures.js';

/**
 * UN-001 ← SYS-001 ← SRS-001 ← TC-001…TC-012 (twelve tests), SRS-002 → SYS-001 (a sibling: two
 * steps from SRS-001, through SYS-001, but upstream of nothing SRS-001 links to), UN-002 alone.
 */
function project() {
  const tests = Array.from({ length: 12 }, (_, i) =>
    makeRecord(`TC-${String(i + 1).padStart(3, '0')}`, 'test', {}, { verifies: ['SRS-001'] }),
  );
  const records = [
    makeRecord('UN-001', 'user-need'),
    makeRecord('UN-002', 'user-need'),
    makeRecord('SYS-001', 'system-requirement', {}, { derivesFrom: ['UN-001'] }),
    makeRecord('SRS-001', 'software-requirement', {}, { derivesFrom: ['SYS-001'] }),
    makeRecord('SRS-002', 'software-requirement', {}, { derivesFrom: ['SYS-001'] }),
    // Verifies both SRS-001 (one step down) and SYS-001 (upstream): drawn once, at the first step found.
    makeRecord('TC-100', 'test', {}, { verifies: ['SRS-001', 'SYS-001'] }),
    ...tests,
  ];
  return new TraceGraph(records);
}

describe('the neighbourhood of a record (graph view)', () => {
  it('places each record once, at the first step it is reached, in id order, capped with a count', () => {
    const graph = project();
    const hood = neighbourhood(graph, graph.get('SRS-001')!);
    const columns = hood.columns.map((c) => [c.step, c.records.map((r) => r.id), c.more]);
    expect(columns).toEqual([
      [-2, ['UN-001'], 0],
      [-1, ['SYS-001'], 0],
      [0, ['SRS-001'], 0],
      [1, ['TC-001', 'TC-002', 'TC-003', 'TC-004', 'TC-005', 'TC-006', 'TC-007', 'TC-008'], 5],
    ]);
    expect(PER_COLUMN).toBe(8);
    // Downstream of SYS-001 is not SRS-001's downstream: SRS-002 is a sibling, not shown.
    expect(hood.columns.flatMap((c) => c.records.map((r) => r.id))).not.toContain('SRS-002');
  });

  it('draws only links between drawn records in adjacent columns, from the record that writes them', () => {
    const graph = project();
    const hood = neighbourhood(graph, graph.get('SYS-001')!);
    const byStep = new Map(hood.columns.map((c) => [c.step, c.records.map((r) => r.id)]));
    expect(byStep.get(-1)).toEqual(['UN-001']);
    expect(byStep.get(1)).toEqual(['SRS-001', 'SRS-002', 'TC-100']);
    expect(byStep.get(2)).toEqual([
      'TC-001',
      'TC-002',
      'TC-003',
      'TC-004',
      'TC-005',
      'TC-006',
      'TC-007',
      'TC-008',
    ]);
    const edges = hood.edges.map((e) => `${e.from} ${e.field} ${e.to}`);
    expect(edges).toContain('SYS-001 derivesFrom UN-001');
    expect(edges).toContain('TC-100 verifies SYS-001');
    expect(edges).toContain('TC-001 verifies SRS-001');
    // TC-100 → SRS-001 joins two records of the same column: not drawn.
    expect(edges).not.toContain('TC-100 verifies SRS-001');
    // Nothing to a test that is not drawn.
    expect(edges.some((e) => e.startsWith('TC-012'))).toBe(false);
  });

  it('a record that links to nothing and that nothing links to has no graph', () => {
    const graph = project();
    expect(neighbourhood(graph, graph.get('UN-002')!).columns).toHaveLength(1);
    expect(
      neighbourhoodSvg(
        graph,
        graph.get('UN-002')!,
        () => 'x',
        () => false,
      ),
    ).toBe('');
  });

  it('the SVG links every other record, marks errors and escapes titles', () => {
    const records = [
      { ...makeRecord('SYS-001', 'system-requirement'), title: HOSTILE_TITLE },
      makeRecord('SRS-001', 'software-requirement', {}, { derivesFrom: ['SYS-001'] }),
      { ...makeRecord('TC-001', 'test', {}, { verifies: ['SRS-001'] }), status: 'obsolete' as const },
    ];
    const graph = new TraceGraph(records);
    const svg = neighbourhoodSvg(
      graph,
      graph.get('SRS-001')!,
      (id) => `../records/${id}.html`,
      (id) => id === 'SYS-001',
    );
    expect(svg).toContain('<a href="../records/SYS-001.html" class="nb-node nb-bad"');
    expect(svg).toContain('<a href="../records/TC-001.html" class="nb-node nb-inactive"');
    // The record itself is not a link to its own page.
    expect(svg).not.toContain('href="../records/SRS-001.html"');
    expect(svg).toContain('<g class="nb-node nb-self">');
    expect(svg).not.toContain('<img');
    expect(svg).toContain('&quot;&gt;&lt;img src=x');
    expect(svg).toContain('(has errors)');
  });

  it('shortens a long title by whole characters: no half of a character outside the basic plane', () => {
    const title = `${'a'.repeat(25)}\u{1F600}\u{1F600} and more`;
    const records = [
      { ...makeRecord('SYS-001', 'system-requirement'), title },
      makeRecord('SRS-001', 'software-requirement', {}, { derivesFrom: ['SYS-001'] }),
    ];
    const graph = new TraceGraph(records);
    const svg = neighbourhoodSvg(
      graph,
      graph.get('SRS-001')!,
      (id) => `../records/${id}.html`,
      () => false,
    );
    const shown = /<a href="\.\.\/records\/SYS-001\.html"[\s\S]*?class="nb-title">([^<]*)</.exec(svg)?.[1];
    expect(shown).toBe(`${'a'.repeat(25)}\u{1F600}…`);
    expect(svg).not.toMatch(/\\ud83d/);
  });
});
