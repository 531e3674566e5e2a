/**
 * Threat model rules (FDA premarket cybersecurity guidance V.A.1; IEC 81001-5-1 7.2): a cyber device
 * has a threat model, every interface of it has its threats assessed, threats name only entry points
 * and assets their model defines, and every threat is assessed as a security risk (SW96).
 */
import { CONFIG_FILE_NAME } from '../model/config.js';
import { compareById, type DossierRecord, fieldAnchor, isActive, valueAnchor } from '../model/record.js';
import { modelEntries, threatKeys } from '../security/security-risk.js';
import { didYouMean } from '../util/suggest.js';
import type { Rule } from './rule.js';
import { CYBER_DEVICE, isCyberDevice } from './security-applicability.js';

const active = (records: readonly DossierRecord[]) => records.filter(isActive).sort(compareById);

export const securityThreatModelMissing: Rule = {
  code: 'security/threat-model-missing',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.A.1', 'FD&C 524B(b)(2)', 'IEC 81001-5-1 7.2'],
  reads: { kinds: [] },
  summary: 'A cyber device has no threat model.',
  hint: 'add a threat-model record (kind: threat-model) with the assets, trust boundaries and interfaces of the whole system, and a threat record for each threat (docs/format.md)',
  *check(context) {
    if (!isCyberDevice(context)) return;
    if (context.graph.ofKind('threat-model').some(isActive)) return;
    yield {
      code: 'security/threat-model-missing',
      message: `${CYBER_DEVICE}, but no active threat-model record models its assets, trust boundaries and interfaces`,
      at: { file: CONFIG_FILE_NAME, path: ['device', 'cyberDevice'] },
    };
  },
};

/** The active threats of a model. */
function threatsOf(graph: Parameters<Rule['check']>[0]['graph'], model: DossierRecord): DossierRecord[] {
  return active(graph.sources(model, 'threatModel', 'threat'));
}

export const securityInterfaceUnassessed: Rule = {
  code: 'security/interface-unassessed',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.A.1', 'IEC 81001-5-1 7.2'],
  // modelEntries and threatKeys read the model's interfaces and the threats' entryPoints.
  reads: { kinds: ['threat', 'threat-model'] },
  summary: 'An interface of a threat model is the entry point of no threat: its threats were not assessed.',
  hint: 'add a threat with `threatModel: <model>` and the interface key in `entryPoints`, or explain in the threat model why the interface is not an entry point and remove it',
  *check({ graph }) {
    for (const model of active(graph.ofKind('threat-model'))) {
      const named = new Set(threatsOf(graph, model).flatMap((t) => threatKeys(t, 'entryPoints')));
      const interfaces = modelEntries(model, 'interfaces');
      for (const [index, entry] of interfaces.entries()) {
        if (named.has(entry.key)) continue;
        yield {
          code: 'security/interface-unassessed',
          message: `${model.id} interface "${entry.key}" (${entry.name}) is the entry point of no threat${entry.external === true ? ': it is an external communication of the device' : ''}`,
          recordId: model.id,
          at: valueAnchor(model, 'interfaces', index, 'key'),
        };
      }
    }
  },
};

export const securityUnknownKey: Rule = {
  code: 'security/unknown-key',
  severity: 'error',
  applicability: 'fixed',
  clauses: ['FDA cybersecurity V.A.1'],
  // modelEntries and threatKeys read the model's lists and the threats' entryPoints and assets.
  reads: { kinds: ['threat', 'threat-model'] },
  summary:
    'A threat names an entry point or asset its threat model does not define, or an interface names an unknown trust boundary.',
  hint: 'use a key of the threat model (its `interfaces`, `assets` or `trustBoundaries`), or add the entry to the model',
  *check({ graph }) {
    for (const model of active(graph.ofKind('threat-model'))) {
      const boundaries = modelEntries(model, 'trustBoundaries').map((b) => b.key);
      for (const [index, entry] of modelEntries(model, 'interfaces').entries()) {
        const boundary = entry.boundary;
        if (typeof boundary !== 'string' || boundaries.includes(boundary)) continue;
        yield {
          code: 'security/unknown-key',
          message: `${model.id} interface "${entry.key}" crosses trust boundary "${boundary}", which ${model.id} does not define${didYouMean(boundary, boundaries)}`,
          recordId: model.id,
          at: valueAnchor(model, 'interfaces', index, 'boundary'),
          hint:
            boundaries.length > 0 ? `trust boundaries: ${boundaries.join(', ')}` : 'add `trustBoundaries`',
        };
      }
    }
    for (const threat of active(graph.ofKind('threat'))) {
      const model = graph.targets(threat, 'threatModel')[0];
      for (const [list, modelList, what] of [
        ['entryPoints', 'interfaces', 'interface'],
        ['assets', 'assets', 'asset'],
      ] as const) {
        const keys = threatKeys(threat, list);
        if (keys.length === 0) continue;
        if (!model) {
          yield {
            code: 'security/unknown-key',
            message: `${threat.id} names ${list} (${keys.join(', ')}) but belongs to no threat model (\`threatModel\`), so they cannot be resolved`,
            recordId: threat.id,
            at: fieldAnchor(threat, list),
            hint: 'add `threatModel: <TM id>`',
          };
          continue;
        }
        const known = modelEntries(model, modelList).map((e) => e.key);
        for (const [index, key] of keys.entries()) {
          if (known.includes(key)) continue;
          yield {
            code: 'security/unknown-key',
            message: `${threat.id}.${list} names "${key}", which is not an ${what} of ${model.id}${didYouMean(key, known)}`,
            recordId: threat.id,
            at: fieldAnchor(threat, list, index),
            hint:
              known.length > 0
                ? `${modelList} of ${model.id}: ${known.join(', ')}`
                : `${model.id} has no ${modelList}`,
          };
        }
      }
    }
  },
};

export const securityThreatUnassessed: Rule = {
  code: 'security/threat-unassessed',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.A.2', 'AAMI SW96', 'IEC 81001-5-1 7.3'],
  reads: { kinds: ['threat'] },
  summary: 'A threat is assessed by no security risk.',
  hint: 'add a security-risk record with `threats: [<id>]`, its exploitability and impact',
  *check({ graph }) {
    for (const threat of active(graph.ofKind('threat'))) {
      if (graph.sources(threat, 'threats', 'security-risk').some(isActive)) continue;
      yield {
        code: 'security/threat-unassessed',
        message: `${threat.id} (${threat.title}) is assessed by no security risk: its exploitability and impact are not estimated`,
        recordId: threat.id,
        at: fieldAnchor(threat, 'id'),
      };
    }
  },
};
