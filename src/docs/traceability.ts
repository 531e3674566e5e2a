/**
 * The traceability matrices (IEC 62304 5.1.1 c, 5.7.4, 7.3.3; FDA 2023 guidance: no separate
 * element since 2023, traceability is expected through the SRS, the risk management file, the
 * design and the tests): each trace chain configured in dossier.yaml (`trace.chains`, default the
 * requirements chain and the risk-control chain) as one table, the same matrices the build's trace
 * stage writes (src/evidence/trace-results.ts `traceMatrices`), with the coverage of each step, the
 * gaps said in words, the verification of each row on the baseline when test runs exist, and the
 * rows verified on every version that has test runs.
 *
 * A cell names each record by id and title, with a short excerpt of its text when it holds one
 * record, so the matrix reads in print without the records beside it; a record repeated from the
 * row above is named by its id only. Pure over the context.
 */
import { plural } from '../diagnostics/format.js';
import { matricesOnVersion, traceMatrices } from '../evidence/trace-results.js';
import { traceChains } from '../model/config.js';
import { kindSpec } from '../model/kinds.js';
import { isActive } from '../model/record.js';
import { maven } from '../soup/versions/index.js';
import { NOT_APPLICABLE, type TraceMatrix } from '../trace/matrix.js';
import { type DocumentContext, documentOf } from './context.js';
import { excerpt } from './excerpt.js';
import type { Block, DocumentModel, Inline } from './model.js';

/** Excerpts in matrix cells stay short: the matrix is read in print, the records hold the rest. */
const EXCERPT = 100;

/** The clause a step of a chain answers to. */
function stepClause(from: string, to: string): string {
  const risk = ['hazardous-situation', 'risk-control'];
  if (risk.includes(from) || risk.includes(to)) return '7.3.3';
  return to === 'test' ? '5.1.1 c, 5.7.4' : '5.1.1 c';
}

const lower = (label: string) => label.charAt(0).toLowerCase() + label.slice(1);

export function traceabilityMatrices(context: DocumentContext): DocumentModel {
  const { analysis, baseline } = context;
  const { graph, project } = analysis;
  const config = project.config;
  const chains = traceChains(config);
  const matrices = traceMatrices(graph, chains);
  const runs = graph.ofKind('test-run').filter(isActive);
  // As the build's trace stage: with test runs, each row says whether it is verified on the baseline.
  const onBaseline = runs.length > 0 ? matricesOnVersion(graph, matrices, baseline) : matrices;
  const versions = [...new Set(runs.map((r) => String(r.fields.version)))].sort(maven.compare);
  const included = new Set<string>(runs.map((r) => r.id));

  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: '1 Purpose and scope' },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `The traceability of ${config.device.name}, software version ${baseline} (IEC 62304 5.1.1 c, 5.7.4, 7.3.3): ${plural(matrices.length, 'trace chain')} configured in dossier.yaml, each as one matrix. A row follows one path through the chain; a cell names each record by id and title, with a short excerpt of its text where the record first appears in the matrix in a cell of its own (a record repeated from the row above is named by its id only). A gap is said in the cell ("no … recorded"); the records after a gap are "not reached". Records of a later column that nothing upstream reaches have rows of their own, with the missing upstream records said.`,
        },
      ],
    },
  ];
  if (runs.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: 'test results: no test-run record, so no row is shown verified on any version',
      clause: '5.7.5, 5.7.4',
    });
  } else {
    if (!versions.includes(baseline))
      blocks.push({
        kind: 'not-recorded',
        what: `test results on ${baseline}: no test run of this version is recorded, so no row is verified on it`,
        clause: '5.7.4, 5.7.5',
      });
    blocks.push({
      kind: 'paragraph',
      inlines: [
        {
          text: `The last column of a chain that ends in tests says whether the row is verified on ${baseline}: every test of the row that belongs to ${baseline} passed in its latest run there. Test runs are recorded on ${versions.join(', ')}; section ${matrices.length + 2} gives the rows verified on each.`,
        },
      ],
    });
  }
  if (matrices.length === 0)
    blocks.push({
      kind: 'not-recorded',
      what: 'no trace chain (`trace.chains` in dossier.yaml)',
      clause: '5.1.1 c',
    });

  onBaseline.forEach((matrix, i) => {
    blocks.push(...chainBlocks(context, matrix, i + 2, included));
  });

  if (runs.length > 0 && matrices.some((m) => m.kinds[m.kinds.length - 1] === 'test')) {
    const section = matrices.length + 2;
    const withTests = matrices.filter((m) => m.kinds[m.kinds.length - 1] === 'test');
    const rows: Inline[][][] = [];
    for (const version of versions) {
      matricesOnVersion(graph, withTests, version).forEach((m) => {
        const verified = m.verification!.rows.filter((r) => r === 'verified').length;
        const total = m.rows.length;
        rows.push([
          [{ text: version }],
          [{ text: m.title }],
          [{ text: `${verified} of ${total}` }],
          total - verified > 0 ? [{ strong: `${total - verified} not verified` }] : [{ text: 'none' }],
        ]);
      });
    }
    blocks.push(
      { kind: 'heading', level: 1, text: `${section} Results per version` },
      {
        kind: 'paragraph',
        inlines: [
          {
            text: 'For each software version with test runs, the rows of each chain ending in tests that are verified on it: each test of the row that belongs to the version passed in its latest run there. The rows are those of the matrices above, so a requirement added after a version counts as not verified on it; a release candidate run that covers only part of the tests verifies few rows.',
          },
        ],
      },
      {
        kind: 'table',
        columns: [
          { title: 'Version', width: 2 },
          { title: 'Trace chain', width: 6 },
          { title: 'Rows verified', width: 2 },
          { title: 'Rows not verified', width: 2 },
        ],
        rows,
      },
    );
  }
  return documentOf(context, 'TRACE', 'Traceability Matrices', blocks, included);
}

function chainBlocks(
  context: DocumentContext,
  matrix: TraceMatrix,
  section: number,
  included: Set<string>,
): Block[] {
  const { graph } = context.analysis;
  const gaps = matrix.rows.filter((r) => r.gapAt >= 0).length;
  const blocks: Block[] = [
    { kind: 'heading', level: 1, text: `${section} ${matrix.title}` },
    {
      kind: 'paragraph',
      inlines: [
        {
          text: `Trace chain "${matrix.name}": ${matrix.columns.join(' → ')}. ${plural(matrix.rows.length, 'row')}, ${gaps} with a gap.`,
        },
      ],
    },
    { kind: 'paragraph', inlines: [{ strong: 'Coverage of each step' }] },
    {
      kind: 'list',
      items: matrix.coverage.map((c) => {
        const pct = c.total === 0 ? 100 : Math.floor((c.covered / c.total) * 1000) / 10;
        return [
          {
            text: `${kindSpec(c.from).label} → ${lower(kindSpec(c.to).label)}: ${c.covered} of ${c.total} (${pct} %)`,
          },
          ...(c.uncovered.length > 0
            ? [
                { text: '; ' },
                { strong: `no ${lower(kindSpec(c.to).label)} recorded` },
                { text: ` for ${c.uncovered.join(', ')}` },
              ]
            : []),
        ];
      }),
    },
  ];
  for (const c of matrix.coverage)
    if (c.uncovered.length > 0)
      blocks.push({
        kind: 'not-recorded',
        what: `a ${lower(kindSpec(c.to).label)} for ${plural(c.uncovered.length, lower(kindSpec(c.from).label))}: ${c.uncovered.join(', ')}`,
        clause: stepClause(c.from, c.to),
      });
  if (matrix.rows.length === 0) {
    blocks.push({
      kind: 'not-recorded',
      what: `no ${lower(matrix.columns[0] ?? 'record')}: the chain has no row`,
      clause: stepClause(matrix.kinds[0] ?? '', matrix.kinds[1] ?? ''),
    });
    return blocks;
  }

  // A record's excerpt is shown where it first appears in the matrix; later, its id and title.
  const shown = new Set<string>();
  const recordCell = (ids: readonly string[], repeated: boolean): Inline[] => {
    for (const id of ids) included.add(id);
    if (repeated) return ids.flatMap((id, i) => (i === 0 ? [{ ref: id }] : [{ text: ', ' }, { ref: id }]));
    return ids.flatMap((id, i): Inline[] => {
      const title = matrix.titles[id] ?? graph.get(id)?.title ?? '';
      const part: Inline[] = [...(i === 0 ? [] : [{ text: '; ' }]), { ref: id }, { text: ` ${title}` }];
      if (ids.length === 1 && !shown.has(id)) {
        shown.add(id);
        const words = excerpt(graph.get(id)?.text ?? '', EXCERPT);
        if (words !== '' && words !== title) part.push({ text: ` — ${words}` });
      }
      return part;
    });
  };
  const columns = [
    ...matrix.columns.map((title, i) => ({ title, width: i === matrix.columns.length - 1 ? 4 : 3 })),
    ...(matrix.verification ? [{ title: `Verified on ${matrix.verification.version}`, width: 2 }] : []),
  ];
  const rows = matrix.rows.map((row, r) => {
    const before = r > 0 ? matrix.rows[r - 1]! : undefined;
    // The first non-empty cell: what comes before it is missing upstream (an orphan row).
    const first = row.cells.findIndex((c) => c !== null && c.length > 0);
    let stopped = false;
    const cells = row.cells.map((cell, c): Inline[] => {
      if (cell === null) {
        const reason = NOT_APPLICABLE.find((n) => n.to === matrix.kinds[c])?.reason;
        return [{ text: `not applicable${reason ? `: ${reason}` : ''}` }];
      }
      if (cell.length === 0) {
        if (c < first || !stopped) {
          if (c > first) stopped = true;
          return [{ strong: `no ${lower(matrix.columns[c]!)} recorded` }];
        }
        return [{ text: 'not reached' }];
      }
      // Repeated from the row above when every cell up to this one is the same.
      const repeated =
        before !== undefined &&
        c < row.cells.length - 1 &&
        row.cells.slice(0, c + 1).every((x, k) => sameCell(x, before.cells[k]));
      return recordCell(cell, repeated);
    });
    if (matrix.verification) {
      const v = matrix.verification.rows[r]!;
      cells.push(
        v === 'verified'
          ? [{ text: 'verified' }]
          : [{ strong: v.replace(/^UNVERIFIED: /, 'not verified: ') }],
      );
    }
    return cells;
  });
  blocks.push({ kind: 'table', columns, rows });
  return blocks;
}

function sameCell(a: readonly string[] | null | undefined, b: readonly string[] | null | undefined): boolean {
  if (a === null || b === null || a === undefined || b === undefined) return a === b;
  return a.length === b.length && a.every((id, i) => id === b[i]);
}
