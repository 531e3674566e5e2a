import { describe, expect, it } from 'vitest';
import { TraceGraph } from '../src/graph/graph.js';
import { loadProject } from '../src/load/project.js';
import { DEFAULT_TRACE_CHAINS } from '../src/model/config.js';
import { traceMatrix } from '../src/trace/matrix.js';
import { GAP, renderCsv, renderMarkdown, renderText } from '../src/trace/render.js';
import { csvCell } from '../src/util/csv.js';
import { starterProject } from './helpers.js';

function matrices(overrides: Record<string, string> = {}) {
  const loaded = loadProject(starterProject(overrides));
  if (!loaded.ok) throw new Error('load failed');
  const graph = new TraceGraph(loaded.project.records);
  return DEFAULT_TRACE_CHAINS.map((c) => traceMatrix(graph, c));
}

describe('traceability matrices', () => {
  it('traces system requirement → software requirement → item → test without gaps in the starter', () => {
    const [requirements] = matrices();
    expect(requirements!.rows.map((r) => r.cells.map((c) => c?.join('+') ?? 'n/a'))).toEqual([
      ['SYS-001', 'SRS-001', 'SI-002', 'TC-001'],
      ['SYS-001', 'SRS-002', 'SI-002', 'TC-001+TC-002'],
    ]);
    expect(requirements!.coverage.every((c) => c.covered === c.total)).toBe(true);
  });

  it('shows missing downstream links and orphans as gaps', () => {
    const [requirements] = matrices({
      'records/system/SYS-002.md': '---\nid: SYS-002\ntitle: Alone\n---\nThe device shall.\n',
      'records/software/SRS-003.md':
        '---\nid: SRS-003\ntitle: Orphan\ncategory: data\nsource: IEC 60601-1\n---\nx\n',
    });
    const byFirst = requirements!.rows.map((r) => ({
      cells: r.cells.map((c) => c?.join('+') ?? 'n/a'),
      gapAt: r.gapAt,
    }));
    expect(byFirst).toContainEqual({ cells: ['SYS-002', '', '', ''], gapAt: 1 });
    expect(byFirst).toContainEqual({ cells: ['', 'SRS-003', '', ''], gapAt: 0 });
    expect(requirements!.coverage[0]).toMatchObject({ covered: 1, total: 2, uncovered: ['SYS-002'] });
    const text = renderText(requirements!);
    expect(text).toMatch(/SYS-002\s+GAP\s+GAP\s+GAP/);
    expect(renderMarkdown(requirements!)).toContain(`| SYS-002 | **${GAP}** |`);
    expect(renderCsv(requirements!)).toContain('SYS-002,,,,Software requirement');
  });

  it('neutralises spreadsheet formulas in CSV cells', () => {
    expect(csvCell('=HYPERLINK("x")')).toBe(`"'=HYPERLINK(""x"")"`);
    expect(csvCell('+1')).toBe("'+1");
    expect(csvCell('@SUM(A1)')).toBe("'@SUM(A1)");
    expect(csvCell('SRS-001')).toBe('SRS-001');
    expect(csvCell('a,b')).toBe('"a,b"');
  });
});

describe('steps that do not apply', () => {
  it('a risk control outside the software has n/a, not a gap, for its software requirement', () => {
    const [, risk] = matrices({
      'records/risk/controls/RC-002.md':
        '---\nid: RC-002\ntitle: Clamp\noption: inherent-safety\nimplementedIn: hardware\nmitigates: [HS-001]\n---\nx\n',
      'records/tests/hw.yaml':
        'records:\n  - { id: TC-009, title: Clamp test, level: system, verifies: [RC-002] }\n',
    });
    const row = risk!.rows.find((r) => r.cells[1]?.includes('RC-002'));
    expect(row).toEqual({ cells: [['HS-001'], ['RC-002'], null, ['TC-009']], gapAt: -1 });
    expect(risk!.coverage[1]).toMatchObject({ covered: 2, total: 2 });
    expect(renderText(risk!)).toMatch(/HS-001\s+RC-002\s+n\/a\s+TC-009/);
  });

  it('a software risk control without a requirement is still a gap', () => {
    const [, risk] = matrices({
      'records/risk/controls/RC-002.md':
        '---\nid: RC-002\ntitle: Check\noption: protective-measure\nimplementedIn: software\nmitigates: [HS-001]\n---\nx\n',
    });
    expect(risk!.rows.find((r) => r.cells[1]?.includes('RC-002'))?.gapAt).toBe(2);
  });
});
