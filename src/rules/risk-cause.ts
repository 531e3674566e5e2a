import { fieldAnchor, isActive, valueAnchor } from '../model/record.js';
import { causesOf } from '../safety/risk-evaluation.js';
import type { Rule } from './rule.js';

export const riskCauseMissing: Rule = {
  code: 'risk/cause-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['7.1.2', '7.1.4', '7.3.3'],
  // causesOf reads the items' causes.
  reads: { kinds: ['software-item'] },
  summary: 'A software item contributes to a hazardous situation but records no potential cause for it.',
  hint: 'add a `causes` entry with `situation`, a 7.1.2 `category`, a `description` and the `controls` that address it',
  *check({ graph }) {
    for (const item of graph.ofKind('software-item').filter(isActive)) {
      const explained = new Set(causesOf(item).map((c) => c.situation));
      for (const link of graph.outgoing(item, 'contributesTo')) {
        if (explained.has(link.to.id)) continue;
        yield {
          code: 'risk/cause-missing',
          message: `${item.id} contributes to ${link.to.id} but records no potential cause for it`,
          recordId: item.id,
          at: fieldAnchor(item, 'contributesTo', link.index),
        };
      }
    }
  },
};

export const riskCauseReference: Rule = {
  code: 'risk/cause-reference',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['7.1.2', '7.3.3'],
  // causesOf reads the items' causes.
  reads: { kinds: ['software-item'] },
  summary:
    'A cause names a hazardous situation, SOUP or risk control that does not exist, or a control that does not mitigate it.',
  hint: 'correct the id; a cause’s controls must mitigate the cause’s hazardous situation',
  *check({ graph }) {
    for (const item of graph.ofKind('software-item').filter(isActive)) {
      const causes = causesOf(item);
      for (let i = 0; i < causes.length; i++) {
        const cause = causes[i]!;
        const at = (sub: string, index?: number) =>
          valueAnchor(item, 'causes', i, sub, ...(index === undefined ? [] : [index]));
        const situation = graph.get(cause.situation);
        if (situation?.kind !== 'hazardous-situation') {
          yield {
            code: 'risk/cause-reference',
            message: `${item.id} cause ${i + 1}: ${cause.situation} is ${situation ? `a ${situation.kind}, not a hazardous situation` : 'not a record'}`,
            recordId: item.id,
            ...(situation ? {} : { targetId: cause.situation }),
            at: at('situation'),
          };
        }
        if (cause.soup !== undefined && graph.get(cause.soup)?.kind !== 'soup') {
          yield {
            code: 'risk/cause-reference',
            message: `${item.id} cause ${i + 1}: ${cause.soup} is not a SOUP item`,
            recordId: item.id,
            ...(graph.get(cause.soup) ? {} : { targetId: cause.soup }),
            at: at('soup'),
          };
        }
        if (cause.category === 'soup' && cause.soup === undefined) {
          yield {
            code: 'risk/cause-reference',
            severity: 'warning',
            message: `${item.id} cause ${i + 1} is a SOUP failure (7.1.2 c) but does not name the SOUP item`,
            recordId: item.id,
            at: at('category'),
          };
        }
        const controls = cause.controls ?? [];
        for (let j = 0; j < controls.length; j++) {
          const id = controls[j]!;
          const control = graph.get(id);
          if (control?.kind !== 'risk-control') {
            yield {
              code: 'risk/cause-reference',
              message: `${item.id} cause ${i + 1}: ${id} is not a risk control`,
              recordId: item.id,
              ...(control ? {} : { targetId: id }),
              at: at('controls', j),
            };
          } else if (situation && !graph.targets(control, 'mitigates').includes(situation)) {
            yield {
              code: 'risk/cause-reference',
              severity: 'warning',
              message: `${item.id} cause ${i + 1}: ${id} does not mitigate ${situation.id}`,
              recordId: item.id,
              at: at('controls', j),
            };
          }
        }
      }
    }
  },
};
