import { CONFIG_FILE_NAME } from '../model/config.js';
import { fieldAnchor } from '../model/record.js';
import { classRank } from '../safety/class-scheme.js';
import type { Classification } from '../safety/classify.js';
import type { Rule } from './rule.js';

/** Why an item must have its computed class, in words, one clause per basis that forces it. */
function why(c: Classification, system: string): string {
  return c.bases
    .map((basis) => {
      switch (basis) {
        case 'computed':
          return 'the risk with only external controls calls for it';
        case 'risk-control':
          return `it implements risk controls for class ${c.computedClass} risks (7.2.2 b)`;
        case 'inherited':
          return `it inherits class ${c.computedClass} from ${c.parent} without a segregation rationale (4.3 d)`;
        default:
          return c.outsideTree
            ? `it is not part of the software system ${system}, so it is class ${c.computedClass} until placed (4.3 g)`
            : `its hazard analysis is incomplete (${c.notAnalysed.join(', ')} not analysed), so it is class ${c.computedClass} until analysed (4.3 g)`;
      }
    })
    .join('; ');
}

export const classDeclaredTooLow: Rule = {
  code: 'class/declared-too-low',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3 a', '4.3 d', '4.3 g', '7.2.2 b'],
  reads: { kinds: ['software-item'] },
  summary: 'A declared software safety class is lower than the class the hazard analysis calls for.',
  hint: 'declare the computed class, record the missing hazard analysis, add external risk controls, or document a segregation rationale (4.3 d)',
  *check({ project, graph, safety }) {
    for (const c of [...(safety.system ? [safety.system] : []), ...safety.items]) {
      if (c.declaredClass === undefined) continue;
      if (classRank(safety.scheme, c.declaredClass) >= classRank(safety.scheme, c.computedClass)) continue;
      const record = graph.get(c.id)!;
      const forcing =
        c.forcing.length > 6
          ? `${c.forcing.slice(0, 6).join(', ')} and ${c.forcing.length - 6} more`
          : c.forcing.join(', ');
      yield {
        code: 'class/declared-too-low',
        message: `${c.id} is declared class ${c.declaredClass} but must be class ${c.computedClass} (IEC 62304 4.3): ${why(c, project.config.software.system)}${forcing ? `; forced by ${forcing}` : ''}`,
        recordId: c.id,
        // The system's class may be declared only in dossier.yaml; point where it is written.
        at:
          record.fields.safetyClass !== undefined
            ? fieldAnchor(record, 'safetyClass')
            : c === safety.system
              ? { file: CONFIG_FILE_NAME, path: ['software', 'safetyClass'] }
              : fieldAnchor(record, 'id'),
      };
    }
  },
};
