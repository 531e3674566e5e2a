/**
 * The architecture diagram of the Software Architecture Description (IEC 62304 5.3.1, 5.3.2; FDA
 * 2023 element E, "System and Software Architecture Diagram"), drawn as SVG from the records:
 *
 * - one box per software item, its parts nested inside it (system → items → units), each with its
 *   software safety class;
 * - the interfaces as arrows in a gutter on the left, between the items directly below a top box
 *   (the interfaces of units are drawn at the item that contains them): an arrow points from an
 *   item whose recorded interfaces name another item to that item;
 * - the SOUP in a band below, each with its class and the items it is used in.
 *
 * The layout is a function of the input alone (ids sorted by the caller, integer coordinates), so
 * the same records give the same bytes. Every text goes through escapeXml; widths are estimated
 * from the characters, and text that would not fit is wrapped or shortened with "…". The drawing is
 * 1000 px wide at most, so it stays readable on a printed page.
 */
import { escapeXml } from '../util/xml.js';

export interface DiagramNode {
  readonly id: string;
  readonly title: string;
  /** system, item or unit. */
  readonly type: string;
  /** The software safety class shown on the box. */
  readonly cls: string;
  /** A remark shown in the header, e.g. "not part of the software system SI-001". */
  readonly note?: string;
  readonly children: readonly DiagramNode[];
}

export interface DiagramSoup {
  readonly id: string;
  readonly title: string;
  readonly version: string;
  readonly cls: string;
  /** The items (any level) it is used in. */
  readonly usedBy: readonly string[];
}

/** The recorded interfaces of `from` (or of one of its parts) name `to`. */
export interface DiagramInterface {
  readonly from: string;
  readonly to: string;
}

export interface ArchitectureDiagramInput {
  readonly title: string;
  /** The top boxes: the software system, then any item not placed in it. */
  readonly roots: readonly DiagramNode[];
  readonly interfaces: readonly DiagramInterface[];
  readonly soup: readonly DiagramSoup[];
  /** The classes of the scheme, least rigorous first (for the legend). */
  readonly classes: readonly string[];
}

export const DIAGRAM_WIDTH = 1000;
const MARGIN = 12;
const FONT = 'Helvetica, Arial, sans-serif';
const LEAF_MIN_WIDTH = 170;
const GAP = 8;
const SOUP_WIDTH = 178;
const BADGE_WIDTH = 50;
const LINE = 14;

const CLASS_FILL = ['#2e7d32', '#f9a825', '#c62828', '#6a1b9a'];
const CLASS_TEXT = ['#ffffff', '#1b1b1b', '#ffffff', '#ffffff'];
const EDGE_COLOURS = ['#1565c0', '#6d4c41', '#00838f', '#ad1457', '#558b2f', '#4527a0', '#ef6c00', '#37474f'];

/** An estimate of the width of `text` in Helvetica at `size` px, from the widths of its characters. */
export function textWidth(text: string, size: number, bold = false): number {
  let em = 0;
  for (const c of text) {
    if (/[iljtfI.,:;'|!()[\]\s-]/.test(c)) em += 0.3;
    else if (/[mwMW@%]/.test(c)) em += 0.86;
    else if (/[A-Z0-9#&]/.test(c)) em += 0.66;
    else em += 0.54;
  }
  return em * size * (bold ? 1.08 : 1);
}

/** `text` shortened with "…" to fit `width`. */
export function fitText(text: string, width: number, size: number, bold = false): string {
  if (textWidth(text, size, bold) <= width) return text;
  const chars = [...text];
  while (chars.length > 0 && textWidth(`${chars.join('')}…`, size, bold) > width) chars.pop();
  return `${chars.join('').trimEnd()}…`;
}

/** `text` in lines of at most `width`, at most `maxLines` (the last shortened with "…" if need be). */
export function wrapText(text: string, width: number, size: number, maxLines: number): string[] {
  const lines: string[] = [];
  let current = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = current === '' ? word : `${current} ${word}`;
    if (current === '' || textWidth(candidate, size) <= width) current = candidate;
    else {
      lines.push(current);
      current = word;
    }
  }
  if (current !== '') lines.push(current);
  if (lines.length > maxLines) {
    lines[maxLines - 1] = `${lines[maxLines - 1]} ${lines.slice(maxLines).join(' ')}`;
    lines.length = maxLines;
  }
  return lines.map((line) => fitText(line, width, size));
}

interface Box {
  readonly node: DiagramNode;
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  /** 0: a top box; 1: a box directly in a top box (an interface end); 2+: nested deeper. */
  readonly depth: number;
  readonly lines: readonly string[];
}

/** The class's position in the scheme (for its colour); unknown classes take the most rigorous colour. */
function classIndex(classes: readonly string[], cls: string): number {
  const i = classes.indexOf(cls);
  return i === -1 ? CLASS_FILL.length - 2 : Math.min(i, CLASS_FILL.length - 1);
}

export function architectureSvg(input: ArchitectureDiagramInput): string {
  const W = DIAGRAM_WIDTH;
  // The ends of the arrows: the boxes directly in a top box, or a top box without parts.
  const endOf = new Map<string, string>();
  const ends: string[] = [];
  const mark = (node: DiagramNode, end: string) => {
    endOf.set(node.id, end);
    for (const child of node.children) mark(child, end);
  };
  for (const root of input.roots) {
    if (root.children.length === 0) {
      ends.push(root.id);
      endOf.set(root.id, root.id);
    }
    for (const child of root.children) {
      ends.push(child.id);
      mark(child, child.id);
    }
  }
  // One connection per pair of ends, with the directions the records give.
  const pairs = new Map<string, { a: string; b: string; ab: boolean; ba: boolean }>();
  const order = new Map(ends.map((id, i) => [id, i]));
  for (const { from, to } of input.interfaces) {
    const f = endOf.get(from);
    const t = endOf.get(to);
    if (f === undefined || t === undefined || f === t) continue;
    const [a, b] = order.get(f)! < order.get(t)! ? [f, t] : [t, f];
    const key = `${a} ${b}`;
    const pair = pairs.get(key) ?? { a, b, ab: false, ba: false };
    if (a === f) pair.ab = true;
    else pair.ba = true;
    pairs.set(key, pair);
  }
  const edges = [...pairs.values()].sort(
    (p, q) =>
      order.get(p.b)! - order.get(p.a)! - (order.get(q.b)! - order.get(q.a)!) ||
      order.get(p.a)! - order.get(q.a)! ||
      order.get(p.b)! - order.get(q.b)!,
  );
  const spacing = edges.length > 40 ? 4 : edges.length > 24 ? 6 : 8;
  const gutter = edges.length > 0 ? 14 + edges.length * spacing : 0;
  const left = MARGIN + gutter;

  // Boxes, top to bottom.
  const boxes: Box[] = [];
  let y = 64;
  for (const root of input.roots) {
    y = placeBox(root, left, y, W - MARGIN - left, 0, boxes) + GAP * 2;
  }
  const boxOf = new Map(boxes.map((b) => [b.node.id, b]));

  const parts: string[] = [];
  // Interfaces: each connection in its own lane; shorter connections nearer the boxes.
  const ports = new Map<string, { edge: number; other: number }[]>();
  edges.forEach((e, i) => {
    for (const [self, other] of [
      [e.a, e.b],
      [e.b, e.a],
    ] as const) {
      const list = ports.get(self) ?? [];
      list.push({ edge: i, other: order.get(other)! });
      ports.set(self, list);
    }
  });
  const portY = new Map<string, number>();
  for (const [id, list] of ports) {
    const box = boxOf.get(id)!;
    list.sort((p, q) => p.other - q.other || p.edge - q.edge);
    const top = box.y + 6;
    const span = box.h - 12;
    list.forEach((p, k) => {
      portY.set(`${p.edge} ${id}`, Math.round(top + (span * (k + 1)) / (list.length + 1)));
    });
  }
  const edgeParts: string[] = [];
  edges.forEach((e, i) => {
    const laneX = left - 10 - i * spacing;
    const a = boxOf.get(e.a)!;
    const b = boxOf.get(e.b)!;
    const ya = portY.get(`${i} ${e.a}`)!;
    const yb = portY.get(`${i} ${e.b}`)!;
    const colour = EDGE_COLOURS[i % EDGE_COLOURS.length]!;
    // Drawn from a to b: the end marker points at b (a names b), the start marker at a (b names a).
    const markers = `${e.ab ? ` marker-end="url(#arch-end-${i % EDGE_COLOURS.length})"` : ''}${e.ba ? ` marker-start="url(#arch-start-${i % EDGE_COLOURS.length})"` : ''}`;
    const tip = `${e.ab ? `${e.a} names ${e.b}` : ''}${e.ab && e.ba ? '; ' : ''}${e.ba ? `${e.b} names ${e.a}` : ''}`;
    edgeParts.push(
      `<path d="M${a.x} ${ya} H${laneX} V${yb} H${b.x}" fill="none" stroke="${colour}" stroke-width="1.4"${markers}><title>${escapeXml(`Interface: ${tip}`)}</title></path>`,
    );
  });

  // SOUP, below the items.
  y += 4;
  const soupTop = y;
  const soupParts: string[] = [];
  const inner = W - 2 * MARGIN - 16;
  const soupCols = Math.max(1, Math.floor((inner + GAP) / (SOUP_WIDTH + GAP)));
  const soupW = Math.floor((inner - (soupCols - 1) * GAP) / soupCols);
  const soupH = 4 * LINE + 8;
  const soupRows = Math.ceil(input.soup.length / soupCols);
  const bandH = 30 + (input.soup.length === 0 ? LINE + 6 : soupRows * (soupH + GAP));
  soupParts.push(
    `<rect x="${MARGIN}" y="${soupTop}" width="${W - 2 * MARGIN}" height="${bandH}" rx="6" fill="#f3f6f9" stroke="#90a4ae" stroke-dasharray="5 3"/>`,
    `<text x="${MARGIN + 8}" y="${soupTop + 19}" font-size="13" font-weight="bold">${escapeXml(
      fitText(
        `SOUP (${input.soup.length}): software of unknown provenance, with the class of the items it is used in`,
        W - 2 * MARGIN - 16,
        13,
        true,
      ),
    )}</text>`,
  );
  if (input.soup.length === 0)
    soupParts.push(
      `<text x="${MARGIN + 8}" y="${soupTop + 40}" font-size="11">No SOUP item in use is recorded.</text>`,
    );
  input.soup.forEach((s, i) => {
    const x = MARGIN + 8 + (i % soupCols) * (soupW + GAP);
    const sy = soupTop + 30 + Math.floor(i / soupCols) * (soupH + GAP);
    const textW = soupW - 12;
    const usedIn = [...new Set(s.usedBy.map((u) => endOf.get(u) ?? u))].sort();
    soupParts.push(
      `<g><title>${escapeXml(`${s.id} ${s.title} ${s.version}, class ${s.cls}, used in ${s.usedBy.join(', ') || 'no item'}`)}</title>`,
      `<rect x="${x}" y="${sy}" width="${soupW}" height="${soupH}" rx="4" fill="#ffffff" stroke="#78909c"/>`,
      `<text x="${x + 6}" y="${sy + 15}" font-size="11" font-weight="bold">${escapeXml(fitText(s.id, textW - BADGE_WIDTH - 4, 11, true))}</text>`,
      badge(x + soupW - BADGE_WIDTH - 4, sy + 4, s.cls, input.classes),
      `<text x="${x + 6}" y="${sy + 15 + LINE}" font-size="11">${escapeXml(fitText(s.title, textW, 11))}</text>`,
      `<text x="${x + 6}" y="${sy + 15 + 2 * LINE}" font-size="10" fill="#455a64">${escapeXml(fitText(`version ${s.version}`, textW, 10))}</text>`,
      `<text x="${x + 6}" y="${sy + 15 + 3 * LINE}" font-size="10" fill="#455a64">${escapeXml(fitText(usedIn.length > 0 ? `in ${usedIn.join(', ')}` : 'used in no item', textW, 10))}</text></g>`,
    );
  });
  y = soupTop + bandH + 14;

  // Legend.
  const legend: string[] = [];
  let lx = MARGIN;
  legend.push(`<text x="${lx}" y="${y + 13}" font-size="11">Software safety class:</text>`);
  lx += Math.round(textWidth('Software safety class:', 11)) + 8;
  for (const cls of input.classes) {
    legend.push(badge(lx, y + 1, cls, input.classes));
    lx += BADGE_WIDTH + 8;
  }
  const arrowText = 'Arrow: the recorded interfaces of an item (or of its parts) name the item it points to.';
  legend.push(
    `<path d="M${lx + 8} ${y + 9} H${lx + 38}" stroke="#37474f" stroke-width="1.4" marker-end="url(#arch-end-7)"/>`,
    `<text x="${lx + 46}" y="${y + 13}" font-size="11">${escapeXml(fitText(arrowText, W - MARGIN - lx - 46, 11))}</text>`,
  );
  const height = y + 28;

  const markers = EDGE_COLOURS.map(
    (c, i) =>
      `<marker id="arch-end-${i}" viewBox="0 0 10 10" refX="9" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M0 0 L10 5 L0 10 z" fill="${c}"/></marker>` +
      `<marker id="arch-start-${i}" viewBox="0 0 10 10" refX="1" refY="5" markerWidth="8" markerHeight="8" markerUnits="userSpaceOnUse" orient="auto"><path d="M10 0 L0 5 L10 10 z" fill="${c}"/></marker>`,
  );
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${height}" viewBox="0 0 ${W} ${height}" font-family="${FONT}" role="img" aria-label="${escapeXml(input.title)}">`,
    `<defs>${markers.join('')}</defs>`,
    `<rect width="${W}" height="${height}" fill="#ffffff"/>`,
    `<text x="${MARGIN}" y="24" font-size="16" font-weight="bold">${escapeXml(fitText(input.title, W - 2 * MARGIN, 16, true))}</text>`,
    `<text x="${MARGIN}" y="44" font-size="11" fill="#455a64">${escapeXml(
      fitText(
        'Generated from the software item and SOUP records: parts are drawn inside their parent; the badge is the class from the safety classification.',
        W - 2 * MARGIN,
        11,
      ),
    )}</text>`,
  );
  for (const box of boxes) parts.push(...drawBox(box, input.classes));
  parts.push(...edgeParts, ...soupParts, ...legend, '</svg>');
  return `${parts.join('\n')}\n`;
}

const HEADER = [30, 26, 22];

/** Lays out a box and its parts from (x, y); returns the y below it. */
function placeBox(node: DiagramNode, x: number, y: number, w: number, depth: number, out: Box[]): number {
  const header = HEADER[Math.min(depth, HEADER.length - 1)]!;
  const index = out.length;
  out.push({ node, x, y, w, h: 0, depth, lines: [] });
  let cursor = y + header;
  const pad = depth === 0 ? 10 : 8;
  // The parts of a top box are full-width bands (the ends of the interface arrows); deeper, parts
  // with parts of their own are bands too, and the others are laid out in a grid.
  const isBand = (c: DiagramNode) => depth === 0 || c.children.length > 0;
  const containers = node.children.filter(isBand);
  const leaves = node.children.filter((c) => !isBand(c));
  for (const child of containers) {
    cursor = placeBox(child, x + pad, cursor, w - 2 * pad, depth + 1, out) + GAP;
  }
  if (leaves.length > 0) cursor = placeLeaves(leaves, x + pad, cursor, w - 2 * pad, depth + 1, out) + GAP;
  const h = Math.max(header + 6, cursor - y + (node.children.length > 0 ? 0 : 4));
  out[index] = { node, x, y, w, h, depth, lines: [] };
  return y + h;
}

/** Leaves in a grid, rows as high as their highest box. */
function placeLeaves(
  leaves: readonly DiagramNode[],
  x: number,
  y: number,
  w: number,
  depth: number,
  out: Box[],
): number {
  const cols = Math.max(1, Math.floor((w + GAP) / (LEAF_MIN_WIDTH + GAP)));
  const leafW = Math.floor((w - (cols - 1) * GAP) / cols);
  let cursor = y;
  for (let start = 0; start < leaves.length; start += cols) {
    const row = leaves.slice(start, start + cols).map((node) => ({
      node,
      lines: wrapText(node.title, leafW - 12, 11, 3),
    }));
    const h = Math.max(...row.map((r) => 22 + r.lines.length * LINE + 4));
    row.forEach((r, i) => {
      out.push({ node: r.node, x: x + i * (leafW + GAP), y: cursor, w: leafW, h, depth, lines: r.lines });
    });
    cursor += h + GAP;
  }
  return cursor - GAP;
}

function badge(x: number, y: number, cls: string, classes: readonly string[]): string {
  const i = classIndex(classes, cls);
  return `<rect x="${x}" y="${y}" width="${BADGE_WIDTH}" height="16" rx="8" fill="${CLASS_FILL[i]}"/><text x="${x + BADGE_WIDTH / 2}" y="${y + 12}" font-size="10" font-weight="bold" text-anchor="middle" fill="${CLASS_TEXT[i]}">${escapeXml(fitText(`class ${cls}`, BADGE_WIDTH - 6, 10, true))}</text>`;
}

const BOX_FILL = ['#eceff1', '#fafafa', '#ffffff'];
const BOX_STROKE = ['#37474f', '#546e7a', '#90a4ae'];

function drawBox(box: Box, classes: readonly string[]): string[] {
  const d = Math.min(box.depth, BOX_FILL.length - 1);
  const { node, x, y, w, h } = box;
  const out = [
    `<g><title>${escapeXml(`${node.id} ${node.title} (${node.type}, class ${node.cls})${node.note ? `: ${node.note}` : ''}`)}</title>`,
    `<rect x="${x}" y="${y}" width="${w}" height="${h}" rx="${box.depth === 0 ? 8 : 5}" fill="${BOX_FILL[d]}" stroke="${BOX_STROKE[d]}" stroke-width="${box.depth === 0 ? 1.6 : 1.1}"/>`,
    badge(x + w - BADGE_WIDTH - 6, y + 5, node.cls, classes),
  ];
  if (box.lines.length > 0) {
    // A leaf: its id, then its title in up to three lines.
    out.push(
      `<text x="${x + 6}" y="${y + 16}" font-size="11" font-weight="bold">${escapeXml(fitText(node.id, w - BADGE_WIDTH - 16, 11, true))}</text>`,
      ...box.lines.map(
        (line, i) =>
          `<text x="${x + 6}" y="${y + 16 + (i + 1) * LINE}" font-size="11">${escapeXml(line)}</text>`,
      ),
    );
  } else {
    const size = box.depth === 0 ? 13 : 12;
    const label = `${node.id}  ${node.title}`;
    const suffix = node.note ? ` (${node.type}; ${node.note})` : ` (${node.type})`;
    const room = w - BADGE_WIDTH - 20;
    const main = fitText(label, room, size, true);
    const mainW = textWidth(main, size, true);
    out.push(
      `<text x="${x + 8}" y="${y + (box.depth === 0 ? 19 : 17)}" font-size="${size}"><tspan font-weight="bold">${escapeXml(main)}</tspan>${
        main === label && mainW + 20 < room
          ? `<tspan fill="#455a64" font-size="11">${escapeXml(fitText(suffix, room - mainW, 11))}</tspan>`
          : ''
      }</text>`,
    );
  }
  out.push('</g>');
  return out;
}
