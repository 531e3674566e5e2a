import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const classItemNotAnalysed: Rule = {
  code: 'class/item-not-analysed',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a', '4.3 g', '7.1.1'],
  reads: { kinds: ['software-item'] },
  summary:
    'A software item records no outcome of its hazard analysis: neither its contributions nor why it cannot contribute.',
  hint: 'record the hazardous situations it can contribute to (`contributesTo`, with a `causes` entry each), or `noContribution: <why it cannot contribute to any hazardous situation>`',
  *check({ graph, safety }) {
    for (const c of [...(safety.system ? [safety.system] : []), ...safety.items]) {
      if (c.analysis !== 'not-analysed') continue;
      const record = graph.get(c.id)!;
      const written =
        (record.links.contributesTo?.length ?? 0) > 0 ||
        (Array.isArray(record.fields.causes) && record.fields.causes.length > 0);
      yield {
        code: 'class/item-not-analysed',
        message: `${c.id} records no outcome of its hazard analysis: ${
          written
            ? 'its contributesTo and causes name no active hazardous situation'
            : 'neither contributions (contributesTo, causes) nor why it cannot contribute (noContribution)'
        }, so it is treated as class ${safety.scheme.unclassified} (4.3 g)`,
        recordId: c.id,
        at: fieldAnchor(record, written && record.links.contributesTo ? 'contributesTo' : 'id'),
      };
    }
  },
};

export const classAnalysisConflict: Rule = {
  code: 'class/analysis-conflict',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['4.3 a', '7.1.1'],
  reads: { kinds: ['software-item'] },
  summary:
    'A software item states that it cannot contribute to a hazardous situation but records contributions.',
  hint: 'remove `noContribution` if the contributions are right, or remove the contributions and keep the rationale',
  *check({ graph, safety }) {
    for (const c of [...(safety.system ? [safety.system] : []), ...safety.items]) {
      const record = graph.get(c.id)!;
      if (record.fields.noContribution === undefined) continue;
      const situations = [
        ...(record.links.contributesTo ?? []),
        ...(Array.isArray(record.fields.causes)
          ? (record.fields.causes as { situation?: string }[]).map((x) => String(x.situation))
          : []),
      ];
      if (situations.length === 0) continue;
      yield {
        code: 'class/analysis-conflict',
        message: `${c.id} records noContribution but also contributes to ${[...new Set(situations)].sort().join(', ')}; the contributions count for its class`,
        recordId: c.id,
        at: fieldAnchor(record, 'noContribution'),
      };
    }
  },
};
