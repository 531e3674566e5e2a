/**
 * The graph view of one record's neighbourhood (issue 14, trace explorer): the records it links to
 * (upstream, to the left) and the records that link to it (downstream, to the right), two steps each
 * way, as an SVG drawn on the server. No script draws it, so it works from `file://`, under the
 * site's CSP and in print; every node is a link to its record's page and is reached with the
 * keyboard. A column shows at most {@link PER_COLUMN} records and says how many more there are: a
 * requirement with 3,000 tests must not make a page of 3,000 boxes. The trace tables below it are
 * the complete, textual form.
 */
import type { TraceGraph } from '../graph/graph.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { e } from './layout.js';

/** Steps followed each way from the record. */
export const DEPTH = 2;
/** Records drawn per column; the rest are counted. */
export const PER_COLUMN = 8;

export interface NeighbourhoodColumn {
  /** Negative: upstream (what the record links to, transitively); 0: the record; positive: downstream. */
  readonly step: number;
  /** The records drawn, in id order. */
  readonly records: readonly DossierRecord[];
  /** How many more records are at this step than are drawn. */
  readonly more: number;
}

export interface Neighbourhood {
  /** Columns from the farthest upstream to the farthest downstream; empty outer columns are left out. */
  readonly columns: readonly NeighbourhoodColumn[];
  /** Links between drawn records in adjacent columns: from the record that writes the link to its target. */
  readonly edges: readonly { readonly from: string; readonly to: string; readonly field: string }[];
}

/**
 * The records around `record`, step by step: each record at the first step it is reached, so a cycle
 * or a record reached both ways is drawn once.
 */
export function neighbourhood(
  graph: TraceGraph,
  record: DossierRecord,
  depth = DEPTH,
  perColumn = PER_COLUMN,
): Neighbourhood {
  const placed = new Map<string, number>([[record.id, 0]]);
  const layers = new Map<number, DossierRecord[]>([[0, [record]]]);
  for (const direction of [-1, 1] as const) {
    let frontier = [record];
    for (let step = 1; step <= depth && frontier.length > 0; step++) {
      const next = new Map<string, DossierRecord>();
      for (const from of frontier) {
        const links = direction < 0 ? graph.outgoing(from) : graph.incoming(from);
        for (const link of links) {
          const other = direction < 0 ? link.to : link.from;
          if (!placed.has(other.id) && !next.has(other.id)) next.set(other.id, other);
        }
      }
      const found = [...next.values()].sort(compareById);
      for (const r of found) placed.set(r.id, direction * step);
      if (found.length > 0) layers.set(direction * step, found);
      // Only the drawn records lead on: the next column must connect to what the reader sees.
      frontier = found.slice(0, perColumn);
    }
  }
  const steps = [...layers.keys()].sort((a, b) => a - b);
  const columns = steps.map((step) => {
    const all = layers.get(step)!;
    return { step, records: all.slice(0, perColumn), more: Math.max(0, all.length - perColumn) };
  });
  const drawn = new Map<string, number>();
  for (const c of columns) for (const r of c.records) drawn.set(r.id, c.step);
  const edges: { from: string; to: string; field: string }[] = [];
  const seen = new Set<string>();
  for (const c of columns)
    for (const r of c.records)
      for (const link of graph.outgoing(r)) {
        const target = drawn.get(link.to.id);
        if (target === undefined || Math.abs(target - c.step) !== 1) continue;
        const key = `${r.id}\u0000${link.to.id}`;
        if (seen.has(key)) continue;
        seen.add(key);
        edges.push({ from: r.id, to: link.to.id, field: link.field });
      }
  return { columns, edges };
}

const NODE_W = 190;
const NODE_H = 46;
const COL_GAP = 56;
const ROW_GAP = 12;
const HEAD_H = 28;
const PAD = 8;

/** The title shortened to what fits a node (the full title is in the node's tooltip and the tables). */
function fitted(text: string, max: number): string {
  const t = text.replace(/\s+/g, ' ').trim();
  // By code points: cutting between the halves of a surrogate pair would show an escape (\ud83d).
  const chars = Array.from(t);
  return chars.length <= max
    ? t
    : `${chars
        .slice(0, max - 1)
        .join('')
        .trimEnd()}…`;
}

function columnHeading(step: number): string {
  if (step === 0) return 'This record';
  const way = step < 0 ? 'Links to' : 'Linked from';
  return Math.abs(step) === 1 ? way : `${way} (2 steps)`;
}

/**
 * The neighbourhood as an SVG figure. `href(id)` gives each node's link (relative to the page);
 * `flagged(id)` marks a record that has error diagnostics.
 */
export function neighbourhoodSvg(
  graph: TraceGraph,
  record: DossierRecord,
  href: (id: string) => string | undefined,
  flagged: (id: string) => boolean,
): string {
  const hood = neighbourhood(graph, record);
  if (hood.columns.length === 1) return '';
  const x = new Map<number, number>();
  hood.columns.forEach((c, i) => {
    x.set(c.step, PAD + i * (NODE_W + COL_GAP));
  });
  const rows = Math.max(...hood.columns.map((c) => c.records.length + (c.more > 0 ? 1 : 0)));
  const width = PAD * 2 + hood.columns.length * NODE_W + (hood.columns.length - 1) * COL_GAP;
  const height = PAD * 2 + HEAD_H + rows * (NODE_H + ROW_GAP);
  const pos = new Map<string, { x: number; y: number }>();
  for (const c of hood.columns)
    c.records.forEach((r, i) => {
      pos.set(r.id, { x: x.get(c.step)!, y: PAD + HEAD_H + i * (NODE_H + ROW_GAP) });
    });

  const parts: string[] = [];
  for (const c of hood.columns)
    parts.push(
      `<text class="nb-head" x="${x.get(c.step)! + NODE_W / 2}" y="${PAD + 14}" text-anchor="middle">${e(columnHeading(c.step))}</text>`,
    );
  for (const edge of hood.edges) {
    const a = pos.get(edge.from)!;
    const b = pos.get(edge.to)!;
    // From the side of the source that faces the target, to the target's facing side.
    const leftToRight = a.x < b.x;
    const x1 = leftToRight ? a.x + NODE_W : a.x;
    const x2 = leftToRight ? b.x : b.x + NODE_W;
    const y1 = a.y + NODE_H / 2;
    const y2 = b.y + NODE_H / 2;
    const mid = (x1 + x2) / 2;
    parts.push(
      `<path class="nb-edge" d="M${x1} ${y1} C${mid} ${y1} ${mid} ${y2} ${x2} ${y2}" marker-end="url(#nb-arrow)"><title>${e(`${edge.from} ${edge.field} ${edge.to}`)}</title></path>`,
    );
  }
  for (const c of hood.columns) {
    c.records.forEach((r) => {
      const { x: nx, y: ny } = pos.get(r.id)!;
      const classes = [
        'nb-node',
        ...(r.id === record.id ? ['nb-self'] : []),
        ...(flagged(r.id) ? ['nb-bad'] : []),
        ...(isActive(r) ? [] : ['nb-inactive']),
      ].join(' ');
      const label = `${r.id} ${r.title}${flagged(r.id) ? ' (has errors)' : ''}${isActive(r) ? '' : ` (${r.status})`}`;
      const box = `<rect x="${nx}" y="${ny}" width="${NODE_W}" height="${NODE_H}" rx="5"/><text x="${nx + 9}" y="${ny + 19}" class="nb-id">${e(r.id)}</text><text x="${nx + 9}" y="${ny + 37}" class="nb-title">${e(fitted(r.title, 27))}</text>`;
      const target = r.id === record.id ? undefined : href(r.id);
      parts.push(
        target
          ? `<a href="${e(target)}" class="${classes}" aria-label="${e(label)}"><title>${e(label)}</title>${box}</a>`
          : `<g class="${classes}"><title>${e(label)}</title>${box}</g>`,
      );
    });
    if (c.more > 0) {
      const ny = PAD + HEAD_H + c.records.length * (NODE_H + ROW_GAP);
      parts.push(
        `<text class="nb-more" x="${x.get(c.step)! + NODE_W / 2}" y="${ny + 20}" text-anchor="middle">${e(`+ ${c.more} more (see the tables)`)}</text>`,
      );
    }
  }
  return `<svg class="neighbourhood" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" role="group" aria-label="${e(`Trace neighbourhood of ${record.id}`)}"><defs><marker id="nb-arrow" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="7" markerHeight="7" orient="auto-start-reverse"><path d="M0 0 L10 5 L0 10 z" class="nb-arrowhead"/></marker></defs>${parts.join('')}</svg>`;
}
