import type { DossierRecord } from '../model/record.js';
import type { Link, TraceGraph } from './graph.js';

/** A cycle of links: `path` starts and ends at the same record; `links` are the links along it. */
export interface Cycle {
  readonly path: readonly DossierRecord[];
  readonly links: readonly Link[];
}

/**
 * Finds the strongly connected components of the link graph (iterative Tarjan, so deep chains
 * cannot overflow the stack) and returns one concrete cycle per component.
 */
export function findCycles(graph: TraceGraph): Cycle[] {
  const index = new Map<DossierRecord, number>();
  const low = new Map<DossierRecord, number>();
  const onStack = new Set<DossierRecord>();
  const stack: DossierRecord[] = [];
  const components: DossierRecord[][] = [];
  let counter = 0;

  for (const root of graph.byId.values()) {
    if (index.has(root)) continue;
    const work: { node: DossierRecord; edge: number }[] = [{ node: root, edge: 0 }];
    index.set(root, counter);
    low.set(root, counter++);
    stack.push(root);
    onStack.add(root);
    while (work.length > 0) {
      const frame = work[work.length - 1]!;
      const links = graph.outgoing(frame.node);
      if (frame.edge < links.length) {
        const next = links[frame.edge++]!.to;
        if (!index.has(next)) {
          index.set(next, counter);
          low.set(next, counter++);
          stack.push(next);
          onStack.add(next);
          work.push({ node: next, edge: 0 });
        } else if (onStack.has(next)) {
          low.set(frame.node, Math.min(low.get(frame.node)!, index.get(next)!));
        }
        continue;
      }
      work.pop();
      const parent = work[work.length - 1];
      if (parent) low.set(parent.node, Math.min(low.get(parent.node)!, low.get(frame.node)!));
      if (low.get(frame.node) === index.get(frame.node)) {
        const component: DossierRecord[] = [];
        let member: DossierRecord;
        do {
          member = stack.pop()!;
          onStack.delete(member);
          component.push(member);
        } while (member !== frame.node);
        const selfLoop =
          component.length === 1 && graph.outgoing(frame.node).some((l) => l.to === frame.node);
        if (component.length > 1 || selfLoop) components.push(component);
      }
    }
  }
  return components
    .map((component) => cycleWithin(graph, component))
    .sort((a, b) => (a.path[0]!.id < b.path[0]!.id ? -1 : 1));
}

/** A shortest cycle through the component's smallest id, found by breadth-first search. */
function cycleWithin(graph: TraceGraph, component: DossierRecord[]): Cycle {
  const members = new Set(component);
  const start = [...component].sort((a, b) => (a.id < b.id ? -1 : 1))[0]!;
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
