import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type ClassScheme, classRank, higherClass } from './class-scheme.js';
import type { SituationRisk } from './risk-evaluation.js';

export const CLASSIFICATION_BASES = [
  'computed',
  'inherited',
  'segregated',
  'risk-control',
  'default',
] as const;
export type ClassificationBasis = (typeof CLASSIFICATION_BASES)[number];

/** One step of the decision: a question of the AMD1 flow (or a 4.3 / 7.2.2 rule) and its answer. */
export interface DecisionStep {
  readonly step: string;
  readonly question: string;
  readonly answer: string;
  readonly situations?: readonly string[];
  readonly controls?: readonly string[];
}

export interface Classification {
  readonly id: string;
  readonly title: string;
  readonly itemType: string;
  readonly parent?: string;
  readonly declaredClass?: string;
  readonly computedClass: string;
  readonly basis: ClassificationBasis;
  readonly path: readonly DecisionStep[];
  readonly rationale: string;
  /** Situations whose risk forces the computed class (for diagnostics). */
  readonly forcing: readonly string[];
}

/** The class one hazardous situation calls for, with the words that explain it. */
interface SituationClass {
  readonly situation: DossierRecord;
  readonly cls: string;
  /** Why: Q2/Q3 outcome or missing data. */
  readonly reason: string;
  readonly outcome: 'acceptable' | 'non-serious' | 'serious' | 'unknown';
}

function describe(risk: SituationRisk): string {
  const e = risk.softwareFailure!;
  return `${risk.situation.id}: ${e.severity.label} × ${e.probability.label} is ${e.acceptable ? 'acceptable' : 'unacceptable'} (${e.basis})`;
}

/** IEC 62304 4.3 a), AMD1 Figure 3, applied to one hazardous situation. */
export function classOfSituation(scheme: ClassScheme, risk: SituationRisk): SituationClass {
  const e = risk.softwareFailure;
  if (!e) {
    return {
      situation: risk.situation,
      cls: scheme.unclassified,
      outcome: 'unknown',
      reason: `${risk.situation.id} has no complete risk estimate, so it is treated as class ${scheme.unclassified} (4.3 g)`,
    };
  }
  if (e.acceptable) {
    return {
      situation: risk.situation,
      cls: scheme.outcome.acceptableWithExternalControls,
      outcome: 'acceptable',
      reason: describe(risk),
    };
  }
  return e.severity.serious
    ? {
        situation: risk.situation,
        cls: scheme.outcome.deathOrSeriousInjury,
        outcome: 'serious',
        reason: describe(risk),
      }
    : {
        situation: risk.situation,
        cls: scheme.outcome.nonSeriousInjury,
        outcome: 'non-serious',
        reason: describe(risk),
      };
}

interface Evidence {
  /** Class from the situations the subject can contribute to (Q1–Q3). */
  readonly flowClass: string;
  /** Class from the risks of the controls it implements (7.2.2 b), if any. */
  readonly controlClass?: string;
  readonly steps: DecisionStep[];
  readonly forcing: string[];
}

export interface ClassificationInput {
  readonly graph: TraceGraph;
  readonly config: DossierConfig;
  readonly scheme: ClassScheme;
  readonly risks: readonly SituationRisk[];
}

/**
 * Classifies the software system and every software item. Children inherit their parent's class
 * unless a segregation rationale lets them be classified on their own (4.3 d); items implementing
 * risk controls take the class of the risk they control (7.2.2 b); a group takes its highest class
 * (4.3 f); what cannot be classified is class C (4.3 g).
 */
export function classify(input: ClassificationInput): { system?: Classification; items: Classification[] } {
  const { graph, config, scheme, risks } = input;
  const riskBySituation = new Map(risks.map((r) => [r.situation, r]));
  const classBySituation = new Map(risks.map((r) => [r.situation, classOfSituation(scheme, r)]));
  const items = graph.ofKind('software-item').filter(isActive);
  const system = graph.get(config.software.system);
  const results = new Map<DossierRecord, Classification>();

  // What an item and everything below it contribute to and control, memoised so that a large
  // architecture is aggregated once bottom-up instead of once per item.
  const direct = new Map<DossierRecord, Set<DossierRecord>>();
  for (const risk of risks) {
    for (const item of risk.contributors) {
      const set = direct.get(item) ?? new Set<DossierRecord>();
      set.add(risk.situation);
      direct.set(item, set);
    }
  }
  const directControls = (item: DossierRecord): DossierRecord[] =>
    graph
      .targets(item, 'implements')
      .flatMap((requirement) => graph.targets(requirement, 'implements'))
      .filter(isActive);
  const aggregates = new Map<
    DossierRecord,
    { situations: Set<DossierRecord>; controls: Set<DossierRecord> }
  >();
  const aggregate = (item: DossierRecord, visiting = new Set<DossierRecord>()) => {
    const known = aggregates.get(item);
    if (known) return known;
    const result = { situations: new Set(direct.get(item)), controls: new Set(directControls(item)) };
    visiting.add(item);
    for (const child of graph.childrenOf(item).filter(isActive)) {
      if (visiting.has(child)) continue; // a partOf cycle is reported by link/cycle
      const below = aggregate(child, visiting);
      for (const s of below.situations) result.situations.add(s);
      for (const c of below.controls) result.controls.add(c);
    }
    visiting.delete(item);
    aggregates.set(item, result);
    return result;
  };

  const evidenceOf = (root: DossierRecord): Evidence => {
    const { situations, controls } = aggregate(root);
    const steps: DecisionStep[] = [];
    const forcing: string[] = [];
    const sorted = [...situations].sort(compareById);
    let flowClass = scheme.outcome.noContribution;
    if (sorted.length === 0) {
      steps.push({
        step: 'Q1',
        question: 'Can the software contribute to a hazardous situation?',
        answer: `No: no hazardous situation names ${root.id} or its parts as a contributor.`,
      });
    } else {
      const verdicts = sorted.map((s) => classBySituation.get(s)!);
      steps.push({
        step: 'Q1',
        question: 'Can the software contribute to a hazardous situation?',
        answer: `Yes: ${sorted.map((s) => s.id).join(', ')}.`,
        situations: sorted.map((s) => s.id),
      });
      const unacceptable = verdicts.filter((v) => v.outcome !== 'acceptable');
      const credited = [
        ...new Set(sorted.flatMap((s) => riskBySituation.get(s)!.externalControls.map((c) => c.id))),
      ].sort();
      steps.push({
        step: 'Q2',
        question:
          'With the software failure taken as certain and only risk controls external to the software system, is any risk unacceptable?',
        answer:
          unacceptable.length === 0
            ? `No: ${verdicts.map((v) => v.reason).join('; ')}.`
            : `Yes: ${unacceptable.map((v) => v.reason).join('; ')}.`,
        situations: unacceptable.map((v) => v.situation.id),
        ...(credited.length ? { controls: credited } : {}),
      });
      if (unacceptable.length > 0) {
        flowClass = unacceptable.reduce(
          (c, v) => higherClass(scheme, c, v.cls),
          scheme.outcome.acceptableWithExternalControls,
        );
        const worst = unacceptable.filter((v) => v.cls === flowClass);
        forcing.push(...worst.map((v) => v.situation.id));
        const serious = worst.some((v) => v.outcome === 'serious' || v.outcome === 'unknown');
        steps.push({
          step: 'Q3',
          question: 'What is the worst harm among those risks?',
          answer: `${serious ? 'Death or serious injury' : 'Non-serious injury'} (${worst
            .map(
              (v) =>
                `${v.situation.id}${riskBySituation.get(v.situation)?.softwareFailure ? ` ${riskBySituation.get(v.situation)!.softwareFailure!.severity.label}` : ' not estimated'}`,
            )
            .join(', ')}): class ${flowClass}.`,
          situations: worst.map((v) => v.situation.id),
        });
      } else {
        flowClass = scheme.outcome.acceptableWithExternalControls;
      }
    }

    // 7.2.2 b: items implementing a software risk control take the class of the risk controlled.
    const controlled: { control: DossierRecord; verdict: SituationClass }[] = [];
    for (const control of [...controls].sort(compareById)) {
      for (const situation of graph.targets(control, 'mitigates')) {
        const verdict = classBySituation.get(situation);
        if (verdict) controlled.push({ control, verdict });
      }
    }
    let controlClass: string | undefined;
    if (controlled.length > 0) {
      controlClass = controlled.reduce(
        (c, x) => higherClass(scheme, c, x.verdict.cls),
        scheme.classes[0]!.key,
      );
      steps.push({
        step: '7.2.2 b',
        question: 'Does it implement software risk control measures?',
        answer: `Yes: ${controlled.map((x) => `${x.control.id} → ${x.verdict.situation.id} (class ${x.verdict.cls})`).join(', ')}; it takes the class of the risk it controls: ${controlClass}.`,
        controls: [...controls].map((c) => c.id).sort(),
      });
      if (classRank(scheme, controlClass) > classRank(scheme, flowClass)) {
        const ids = controlled
          .filter((x) => x.verdict.cls === controlClass)
          .map((x) => x.verdict.situation.id);
        forcing.splice(0, forcing.length, ...new Set(ids));
      }
    }
    return { flowClass, ...(controlClass !== undefined ? { controlClass } : {}), steps, forcing };
  };

  const declared = (item: DossierRecord): string | undefined => {
    const value = item.fields.safetyClass;
    if (typeof value === 'string') return value;
    return item === system ? config.software.safetyClass : undefined;
  };

  const ownClass = (evidence: Evidence): { cls: string; basis: ClassificationBasis } => {
    if (
      evidence.controlClass !== undefined &&
      classRank(scheme, evidence.controlClass) > classRank(scheme, evidence.flowClass)
    ) {
      return { cls: evidence.controlClass, basis: 'risk-control' };
    }
    return { cls: evidence.flowClass, basis: 'computed' };
  };

  const rationaleOf = (
    item: DossierRecord,
    cls: string,
    basis: ClassificationBasis,
    path: DecisionStep[],
    parent?: Classification,
  ) => {
    const meaning = scheme.classes.find((c) => c.key === cls)?.meaning ?? '';
    const lead = `${item.id} (${item.title}) is class ${cls}: ${meaning}.`;
    const steps = path.map((s) => `${s.step}: ${s.answer}`).join(' ');
    switch (basis) {
      case 'inherited':
        return `${lead} It inherits the class of its parent ${parent!.id} (IEC 62304 4.3 d) because it has no segregation rationale. Its own contributions: ${steps}`;
      case 'segregated':
        return `${lead} It is segregated from its parent ${parent!.id} (class ${parent!.computedClass}), so it is classified on its own (4.3 d, 5.3.5): ${steps}`;
      case 'default':
        return `${lead} ${steps}`;
      case 'risk-control':
        return `${lead} It implements risk control measures and takes the class of the risks they control (7.2.2 b). ${steps}`;
      default:
        return `${lead} The probability of software failure is taken as 1 and only risk controls external to the software system are credited (4.3 a). ${steps}`;
    }
  };

  const visit = (item: DossierRecord, parent: Classification | undefined, seen: Set<DossierRecord>) => {
    if (results.has(item) || seen.has(item)) return;
    seen.add(item);
    const evidence = evidenceOf(item);
    const own = ownClass(evidence);
    const path = [...evidence.steps];
    let cls = own.cls;
    let basis: ClassificationBasis = own.basis;
    const segregation = item.fields.segregation as { rationale?: string; mechanism?: string } | undefined;
    if (parent) {
      if (segregation?.rationale) {
        if (classRank(scheme, own.cls) < classRank(scheme, parent.computedClass)) basis = 'segregated';
        path.push({
          step: '4.3 d',
          question: `Is ${item.id} segregated from its parent ${parent.id}?`,
          answer: `Yes: ${segregation.rationale.trim()}${segregation.mechanism ? ` Mechanism: ${segregation.mechanism.trim()}` : ''}`,
        });
      } else if (classRank(scheme, parent.computedClass) >= classRank(scheme, own.cls)) {
        cls = parent.computedClass;
        basis = 'inherited';
        path.push({
          step: '4.3 d',
          question: `Is ${item.id} segregated from its parent ${parent.id}?`,
          answer: `No segregation rationale: it inherits class ${parent.computedClass} from ${parent.id}.`,
        });
      }
    }
    const parentRecord = graph.parentOf(item);
    const result: Classification = {
      id: item.id,
      title: item.title,
      itemType: String(item.fields.itemType ?? 'item'),
      ...(parentRecord ? { parent: parentRecord.id } : {}),
      ...(declared(item) !== undefined ? { declaredClass: declared(item)! } : {}),
      computedClass: cls,
      basis,
      path,
      rationale: rationaleOf(item, cls, basis, path, parent),
      forcing: basis === 'inherited' ? [...(parent?.forcing ?? [])] : evidence.forcing,
    };
    results.set(item, result);
    for (const child of graph.childrenOf(item).filter(isActive).sort(compareById)) {
      visit(child, result, seen);
    }
  };

  const noRiskData = risks.length === 0 || !config.risk;
  if (system && !noRiskData) visit(system, undefined, new Set());
  // Items outside the system's tree (or everything, without a hazard analysis) are not classified.
  for (const item of items) {
    if (results.has(item)) continue;
    const why = noRiskData
      ? 'There is no hazard analysis to classify against (no hazardous situations or no risk policy in dossier.yaml), so it is treated as class C (4.3 g).'
      : `It is not part of the software system ${config.software.system}, so it is treated as class ${scheme.unclassified} until it is placed in the architecture (4.3 g).`;
    const parentRecord = graph.parentOf(item);
    results.set(item, {
      id: item.id,
      title: item.title,
      itemType: String(item.fields.itemType ?? 'item'),
      ...(parentRecord ? { parent: parentRecord.id } : {}),
      ...(declared(item) !== undefined ? { declaredClass: declared(item)! } : {}),
      computedClass: scheme.unclassified,
      basis: 'default',
      path: [{ step: '4.3 g', question: 'Has the item been classified?', answer: why }],
      rationale: `${item.id} (${item.title}) is class ${scheme.unclassified}. ${why}`,
      forcing: [],
    });
  }
  const ordered = [...results.values()].sort(compareById);
  const systemResult = system ? results.get(system) : undefined;
  return {
    ...(systemResult ? { system: systemResult } : {}),
    items: ordered.filter((r) => r !== systemResult),
  };
}
