import picomatch from 'picomatch';
import type { CodeTag } from '../load/code-tags.js';
import type { KindName } from '../model/kinds.js';
import { type DossierRecord, isActive } from '../model/record.js';
import { didYouMean } from '../util/suggest.js';
import type { Rule } from './rule.js';

/** What each tag may name: code implements requirements; tests verify requirements, controls and items. */
const TAG_TARGETS: Readonly<Record<CodeTag['tag'], readonly KindName[]>> = {
  implements: ['software-requirement'],
  verifies: ['software-requirement', 'system-requirement', 'risk-control', 'software-item'],
};

const at = (tag: CodeTag) => ({ file: tag.file, line: tag.line, column: tag.column });

export const tagUnknownId: Rule = {
  code: 'tag/unknown-id',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['5.1.1 c', '5.4.1'],
  summary: 'A code tag (@implements, @verifies) names a record that does not exist or of the wrong kind.',
  hint: 'correct the id in the comment, or create the record it should name',
  *check({ project, graph }) {
    for (const tag of project.codeTags) {
      const record = graph.byId.get(tag.id);
      if (!record) {
        yield {
          code: 'tag/unknown-id',
          message: `@${tag.tag} ${tag.id}: no record has this id${didYouMean(tag.id, graph.byId.keys())}`,
          targetId: tag.id,
          at: at(tag),
        };
        continue;
      }
      if (!TAG_TARGETS[tag.tag].includes(record.kind)) {
        yield {
          code: 'tag/unknown-id',
          message: `@${tag.tag} ${tag.id}: ${tag.id} is a ${record.kind}; @${tag.tag} names ${TAG_TARGETS[tag.tag].join(', ')}`,
          at: at(tag),
        };
      }
    }
  },
};

/** The software items whose `sourceFiles` globs match a file. */
function ownersOf(
  file: string,
  items: readonly { item: DossierRecord; matches: (f: string) => boolean }[],
): DossierRecord[] {
  return items.filter((i) => i.matches(file)).map((i) => i.item);
}

/**
 * Code that says it implements a requirement, in a file that belongs to a software item, while the
 * item's record does not say so: the architecture and the code disagree (5.3.1, 5.4.1, 7.3.3).
 */
export const tagUntraced: Rule = {
  code: 'tag/untraced',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['5.3.1', '5.4.1'],
  summary: 'Code tagged @implements a requirement that the software item owning the file does not implement.',
  hint: "add the requirement to the item's `implements`, or move the code or the tag to the item that implements it",
  *check({ project, graph }) {
    const items = graph
      .ofKind('software-item')
      .filter((i) => isActive(i) && Array.isArray(i.fields.sourceFiles))
      .map((item) => ({ item, matches: picomatch(item.fields.sourceFiles as string[]) }));
    if (items.length === 0) return;
    for (const tag of project.codeTags) {
      if (tag.tag !== 'implements' || graph.byId.get(tag.id)?.kind !== 'software-requirement') continue;
      const owners = ownersOf(tag.file, items);
      if (owners.length === 0) continue;
      const implementing = owners.filter(
        (o) => (o.links.implements ?? []).includes(tag.id) || descendantsImplement(graph, o, tag.id),
      );
      if (implementing.length > 0) continue;
      yield {
        code: 'tag/untraced',
        message: `${tag.file} belongs to ${owners.map((o) => o.id).join(', ')}, whose record does not implement ${tag.id}`,
        at: at(tag),
      };
    }
  },
};

function descendantsImplement(
  graph: Parameters<Rule['check']>[0]['graph'],
  item: DossierRecord,
  requirement: string,
): boolean {
  // `seen`: a partOf cycle (reported by link/cycle) must not make this walk endless.
  const seen = new Set<DossierRecord>([item]);
  const queue = [item];
  for (let i = 0; i < queue.length; i++) {
    for (const part of graph.sources(queue[i]!, 'partOf', 'software-item')) {
      if (seen.has(part)) continue;
      if ((part.links.implements ?? []).includes(requirement)) return true;
      seen.add(part);
      queue.push(part);
    }
  }
  return false;
}
