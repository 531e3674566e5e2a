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
    expect(requirements!.rows.map((r) => r.cells.map((c) => c.join('+')))).toEqual([
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
      cells: r.cells.map((c) => c.join('+')),
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
