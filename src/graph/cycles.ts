import { compareById, type DossierRecord } from '../model/record.js';
import { type Link, oncePerGraph, type TraceGraph } from './graph.js';

/** A cycle of links: `path` starts and ends at the same record; `links` are the links along it. */
export interface Cycle {
  readonly path: readonly DossierRecord[];
  readonly links: readonly Link[];
}

const CYCLES = new WeakMap<TraceGraph, readonly Cycle[]>();

/**
 * One concrete cycle per strongly connected component of the link graph, sorted by the id it
 * starts at. Cycles depend only on the links and ids: a graph laid over a previous one (the same
 * links, some records' content new) has the previous graph's cycles, with the new records in them.
 */
export function findCycles(graph: TraceGraph): readonly Cycle[] {
  return oncePerGraph(
    CYCLES,
    graph,
    () => cyclesOf(graph),
    (before) => before.map((cycle) => relinked(graph, cycle)),
  );
}

/** A cycle of the previous graph with the records replaced since, and the links that name them. */
function relinked(graph: TraceGraph, cycle: Cycle): Cycle {
  const { replaced } = graph.update!;
  const now = (r: DossierRecord) => replaced.get(r) ?? r;
  return {
    path: cycle.path.map(now),
    links: cycle.links.map((l) =>
      replaced.has(l.from) || replaced.has(l.to)
        ? graph.outgoing(now(l.from)).find((m) => m.field === l.field && m.index === l.index)!
        : l,
    ),
  };
}

/**
 * Finds the strongly connected components of the link graph and returns one concrete cycle per
 * component. Iterative Tarjan over integer arrays: deep chains cannot overflow the stack.
 */
function cyclesOf(graph: TraceGraph): Cycle[] {
  const nodes = [...graph.byId.values()];
  const number = new Map<DossierRecord, number>(nodes.map((record, i) => [record, i]));
  // Compressed adjacency: the targets of node i are edges[start[i] .. start[i + 1]).
  const start = new Int32Array(nodes.length + 1);
  const edgeList: number[] = [];
  for (let i = 0; i < nodes.length; i++) {
    start[i] = edgeList.length;
    for (const link of graph.outgoing(nodes[i]!)) edgeList.push(number.get(link.to)!);
  }
  start[nodes.length] = edgeList.length;
  const edges = Int32Array.from(edgeList);

  const UNSEEN = -1;
  const index = new Int32Array(nodes.length).fill(UNSEEN);
  const low = new Int32Array(nodes.length);
  const onStack = new Uint8Array(nodes.length);
  const stack: number[] = [];
  const nextEdge = new Int32Array(nodes.length);
  const components: number[][] = [];
  let counter = 0;

  for (let root = 0; root < nodes.length; root++) {
    if (index[root] !== UNSEEN) continue;
    const work: number[] = [root];
    index[root] = low[root] = counter++;
    nextEdge[root] = start[root]!;
    stack.push(root);
    onStack[root] = 1;
    while (work.length > 0) {
      const v = work[work.length - 1]!;
      if (nextEdge[v]! < start[v + 1]!) {
        const w = edges[nextEdge[v]!++]!;
        if (index[w] === UNSEEN) {
          index[w] = low[w] = counter++;
          nextEdge[w] = start[w]!;
          stack.push(w);
          onStack[w] = 1;
          work.push(w);
        } else if (onStack[w]) {
          low[v] = Math.min(low[v]!, index[w]!);
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent !== undefined) low[parent] = Math.min(low[parent]!, low[v]!);
      if (low[v] === index[v]) {
        const component: number[] = [];
        let member: number;
        do {
          member = stack.pop()!;
          onStack[member] = 0;
          component.push(member);
        } while (member !== v);
        const selfLoop = component.length === 1 && edges.subarray(start[v]!, start[v + 1]!).includes(v);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components
    .map((component) =>
      cycleWithin(
        graph,
        component.map((i) => nodes[i]!),
      ),
    )
    .sort((a, b) => compareById(a.path[0]!, b.path[0]!));
}

/** A shortest cycle through the component's smallest id, found by breadth-first search. */
function cycleWithin(graph: TraceGraph, component: DossierRecord[]): Cycle {
  const members = new Set(component);
  const start = [...component].sort(compareById)[0]!;
  const via = new Map<DossierRecord, Link>();
  const queue: DossierRecord[] = [start];
  for (let i = 0; i < queue.length; i++) {
    for (const link of graph.outgoing(queue[i]!)) {
      if (!members.has(link.to)) continue;
      if (link.to === start) {
        const links: Link[] = [link];
        let at = queue[i]!;
        while (at !== start) {
          const step = via.get(at)!;
          links.unshift(step);
          at = step.from;
        }
        return { path: [start, ...links.map((l) => l.to)], links };
      }
      if (!via.has(link.to)) {
        via.set(link.to, link);
        queue.push(link.to);
      }
    }
  }
  return { path: [start, start], links: [] };
}
