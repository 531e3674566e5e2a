import { CONFIG_FILE_NAME } from '../model/config.js';
import { fieldAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

export const classSystemRecord: Rule = {
  code: 'class/system-record',
  severity: 'error',
  applicability: 'table',
  clauses: ['4.3', '5.3.1'],
  reads: { kinds: ['software-item'] },
  summary:
    'dossier.yaml names a software system that is not a software item of type system, or the classes disagree.',
  hint: 'point `software.system` at the software-item record with `itemType: system` and declare the same class in both',
  *check({ project, graph }) {
    const id = project.config.software.system;
    const system = graph.get(id);
    if (system?.kind !== 'software-item') {
      yield {
        code: 'class/system-record',
        message: `software.system is ${id}, but ${system ? `that is a ${system.kind}` : 'no record has that id'}`,
        ...(system ? {} : { targetId: id }),
        at: { file: CONFIG_FILE_NAME, path: ['software', 'system'] },
      };
      return;
    }
    if (system.fields.itemType !== 'system') {
      yield {
        code: 'class/system-record',
        severity: 'warning',
        message: `${id} is the software system in dossier.yaml but has itemType ${String(system.fields.itemType)}`,
        recordId: id,
        at: fieldAnchor(system, 'itemType'),
      };
    }
    const recordClass = system.fields.safetyClass;
    if (typeof recordClass === 'string' && recordClass !== project.config.software.safetyClass) {
      yield {
        code: 'class/system-record',
        message: `${id} declares class ${recordClass} but dossier.yaml declares class ${project.config.software.safetyClass}`,
        recordId: id,
        at: fieldAnchor(system, 'safetyClass'),
      };
    }
  },
};
