import type { TraceGraph } from '../graph/graph.js';
import type { DossierConfig } from '../model/config.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { type ClassScheme, higherClass } from './class-scheme.js';
import { type AnalysisOutcome, analyseItems, type ItemAnalysis } from './hazard-analysis.js';
import type { SituationRisk } from './risk-evaluation.js';

/**
 * What can force a class, in order of precedence: the item's own contribution (the AMD1 flow over
 * the item and its parts, 4.3 a), 7.2.2 b (it implements a software risk control), inheritance from
 * its parent (4.3 d), and the default for what has not been analysed or placed (4.3 g). When several
 * force the same class, all are reported and the first is the primary basis.
 */
export const CLASSIFICATION_BASES = ['computed', 'risk-control', 'inherited', 'default'] as const;
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
  /** The primary basis: the first of `bases`. */
  readonly basis: ClassificationBasis;
  /** Every basis that forces `computedClass`, in order of precedence. */
  readonly bases: readonly ClassificationBasis[];
  /** It has a segregation rationale, so it does not inherit its parent's class (4.3 d). */
  readonly segregated: boolean;
  /** What the item itself records of its hazard analysis. */
  readonly analysis: AnalysisOutcome;
  /** Items in its scope (itself, its parts; for the system also items outside the tree) not analysed. */
  readonly notAnalysed: readonly string[];
  /** Not the system and not part of it (no `partOf`, or a parent chain that does not reach it). */
  readonly outsideTree: boolean;
  readonly path: readonly DecisionStep[];
  /** Why it has its class, one sentence per basis (and segregation, information for safety): the start of `rationale`. */
  readonly reasons: readonly string[];
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

/** Why a situation has no estimate for classification (only its severity and a policy are needed). */
function whyUnestimated(risk: SituationRisk): string {
  const id = risk.situation.id;
  if (risk.missing.includes('severity')) return `${id} has no severity`;
  const severity = risk.invalid.find((i) => i.field === 'severity');
  if (severity) return `${id}.severity "${severity.value}" is not a level of the severity scale`;
  return `${id} cannot be evaluated without a risk policy (risk: in dossier.yaml)`;
}

/** IEC 62304 4.3 a), AMD1 Figure 3, applied to one hazardous situation. */
export function classOfSituation(scheme: ClassScheme, risk: SituationRisk): SituationClass {
  const e = risk.softwareFailure;
  if (!e) {
    return {
      situation: risk.situation,
      cls: scheme.unclassified,
      outcome: 'unknown',
      reason: `${whyUnestimated(risk)}, so it counts as class ${scheme.unclassified} (4.3 g)`,
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

/** How the AMD1 flow ended for an item, for the words of its rationale. */
type FlowOutcome = 'no-contribution' | 'acceptable' | 'non-serious' | 'serious';

interface Evidence {
  /** Class from the situations the subject can contribute to (Q1–Q3); undefined when Q1 is unanswered. */
  readonly flowClass?: string;
  readonly flowOutcome?: FlowOutcome;
  readonly flowForcing: readonly string[];
  /** Class from the risks of the controls it implements (7.2.2 b), if any. */
  readonly controlClass?: string;
  readonly controlForcing: readonly string[];
  /** Items in scope that are not analysed (4.3 g). */
  readonly notAnalysed: readonly DossierRecord[];
  /** Information for safety credited for the situations in scope (only when the config allows it). */
  readonly informationForSafety: readonly string[];
  readonly steps: DecisionStep[];
}

export interface ClassificationInput {
  readonly graph: TraceGraph;
  readonly config: DossierConfig;
  readonly scheme: ClassScheme;
  readonly risks: readonly SituationRisk[];
}

const list = (ids: readonly string[], max = 6) =>
  ids.length > max ? `${ids.slice(0, max).join(', ')} and ${ids.length - max} more` : ids.join(', ');

/**
 * Classifies the software system and every software item. Children inherit their parent's class
 * unless a segregation rationale lets them be classified on their own (4.3 d); items implementing
 * risk controls take the class of the risk they control (7.2.2 b); a group takes its highest class
 * (4.3 f); what has not been analysed or placed in the architecture is class C (4.3 g), and items
 * outside the system's tree still count toward the system's class (4.3 a).
 */
export function classify(input: ClassificationInput): { system?: Classification; items: Classification[] } {
  const { graph, config, scheme, risks } = input;
  const riskBySituation = new Map(risks.map((r) => [r.situation, r]));
  const classBySituation = new Map(risks.map((r) => [r.situation, classOfSituation(scheme, r)]));
  const analyses = analyseItems(graph, risks);
  const analysisOf = (item: DossierRecord): ItemAnalysis => analyses.get(item)!;
  const items = graph.ofKind('software-item').filter(isActive);
  const systemRecord = graph.get(config.software.system);
  const system = systemRecord?.kind === 'software-item' && isActive(systemRecord) ? systemRecord : undefined;
  const results = new Map<DossierRecord, Classification>();

  // Items reached from the system through active parts; the others are outside its tree.
  // Walked with an explicit stack: the depth of `partOf` chains is the user's, not the call stack's.
  const inTree = new Set<DossierRecord>();
  const pending = system ? [system] : [];
  for (let item = pending.pop(); item; item = pending.pop()) {
    if (inTree.has(item)) continue;
    inTree.add(item);
    pending.push(...graph.childrenOf(item).filter(isActive));
  }
  const outside = items.filter((i) => !inTree.has(i)).sort(compareById);

  // What an item and everything below it contribute to, control and leave unanalysed, memoised so
  // that a large architecture is aggregated once bottom-up instead of once per item.
  const directControls = (item: DossierRecord): DossierRecord[] =>
    graph
      .targets(item, 'implements')
      .flatMap((requirement) => graph.targets(requirement, 'implements'))
      .filter((c) => c.kind === 'risk-control' && isActive(c));
  interface Scope {
    readonly situations: Set<DossierRecord>;
    readonly controls: Set<DossierRecord>;
    readonly notAnalysed: Set<DossierRecord>;
  }
  const aggregates = new Map<DossierRecord, Scope>();
  const merge = (into: Scope, from: Scope) => {
    for (const s of from.situations) into.situations.add(s);
    for (const c of from.controls) into.controls.add(c);
    for (const n of from.notAnalysed) into.notAnalysed.add(n);
  };
  /**
   * Post-order over the parts with an explicit stack (a 6,000-deep `partOf` chain must not overflow
   * the call stack). A part already on the path is a `partOf` cycle, reported by link/cycle, and is
   * skipped, as is the memoised result of a part aggregated before.
   */
  const aggregate = (start: DossierRecord): Scope => {
    const known = aggregates.get(start);
    if (known) return known;
    interface Frame {
      readonly item: DossierRecord;
      readonly children: readonly DossierRecord[];
      next: number;
      readonly result: Scope;
    }
    const onPath = new Set<DossierRecord>();
    const stack: Frame[] = [];
    const enter = (item: DossierRecord) => {
      const own = analysisOf(item);
      onPath.add(item);
      stack.push({
        item,
        children: graph.childrenOf(item).filter(isActive),
        next: 0,
        result: {
          situations: new Set(own.situations),
          controls: new Set(directControls(item)),
          notAnalysed: new Set(own.outcome === 'not-analysed' ? [item] : []),
        },
      });
    };
    enter(start);
    for (let frame = stack.at(-1); frame; frame = stack.at(-1)) {
      const child = frame.children[frame.next++];
      if (child) {
        if (onPath.has(child)) continue;
        const done = aggregates.get(child);
        if (done) merge(frame.result, done);
        else enter(child);
        continue;
      }
      stack.pop();
      onPath.delete(frame.item);
      aggregates.set(frame.item, frame.result);
      const parent = stack.at(-1);
      if (parent) merge(parent.result, frame.result);
    }
    return aggregates.get(start)!;
  };
  /** The system answers for everything in the software, including items not yet placed in it (4.3 a). */
  const scopeOf = (root: DossierRecord): Scope => {
    if (root !== system || outside.length === 0) return aggregate(root);
    const result: Scope = { situations: new Set(), controls: new Set(), notAnalysed: new Set() };
    merge(result, aggregate(root));
    for (const item of outside) merge(result, aggregate(item));
    return result;
  };

  const evidenceOf = (root: DossierRecord): Evidence => {
    const { situations, controls, notAnalysed } = scopeOf(root);
    const own = analysisOf(root);
    const steps: DecisionStep[] = [];
    const sorted = [...situations].sort(compareById);
    const missing = [...notAnalysed].sort(compareById);
    let flowClass: string | undefined;
    let flowOutcome: FlowOutcome | undefined;
    const flowForcing: string[] = [];
    const q1 = 'Can the software contribute to a hazardous situation?';
    if (sorted.length === 0) {
      if (missing.length === 0) {
        flowClass = scheme.outcome.noContribution;
        flowOutcome = 'no-contribution';
        steps.push({
          step: 'Q1',
          question: q1,
          answer:
            own.noContribution !== undefined
              ? `No: ${own.noContribution}`
              : 'No: none of its parts can contribute, and each records why (noContribution).',
        });
      } else {
        steps.push({
          step: 'Q1',
          question: q1,
          answer: `Not answered: the hazard analysis of ${root.id} is incomplete (see 4.3 g).`,
        });
      }
    } else {
      flowClass = scheme.outcome.acceptableWithExternalControls;
      flowOutcome = 'acceptable';
      const verdicts = sorted.map((s) => classBySituation.get(s)!);
      steps.push({
        step: 'Q1',
        question: q1,
        answer: `Yes: ${sorted.map((s) => s.id).join(', ')}${missing.length > 0 ? ' (the analysis is incomplete, see 4.3 g)' : ''}.`,
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
        flowForcing.push(...worst.map((v) => v.situation.id));
        const serious = worst.some((v) => v.outcome === 'serious' || v.outcome === 'unknown');
        flowOutcome = serious ? 'serious' : 'non-serious';
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
    const controlForcing: string[] = [];
    if (controlled.length > 0) {
      controlClass = controlled.reduce(
        (c, x) => higherClass(scheme, c, x.verdict.cls),
        scheme.classes[0]!.key,
      );
      controlForcing.push(
        ...controlled.filter((x) => x.verdict.cls === controlClass).map((x) => x.verdict.situation.id),
      );
      steps.push({
        step: '7.2.2 b',
        question: 'Does it implement software risk control measures?',
        answer: `Yes: ${controlled.map((x) => `${x.control.id} → ${x.verdict.situation.id} (class ${x.verdict.cls})`).join(', ')}; it takes the class of the risk it controls: ${controlClass}.`,
        controls: [...controls].map((c) => c.id).sort(),
      });
    }

    if (missing.length > 0) {
      const self = missing.length === 1 && missing[0] === root;
      steps.push({
        step: '4.3 g',
        question: 'Has the hazard analysis of every item in scope been recorded?',
        answer: self
          ? `No: ${root.id} records neither contributions (contributesTo, causes) nor why it cannot contribute (noContribution), so it is class ${scheme.unclassified} until analysed.`
          : `No: ${list(missing.map((m) => m.id))} record${missing.length === 1 ? 's' : ''} neither contributions (contributesTo, causes) nor why ${missing.length === 1 ? 'it cannot' : 'they cannot'} contribute (noContribution), so ${root.id} is class ${scheme.unclassified} until ${missing.length === 1 ? 'it is' : 'they are'} analysed.`,
      });
    }

    const informationForSafety = [
      ...new Set(
        sorted.flatMap((s) => {
          const credit = riskBySituation.get(s)!.credit;
          return credit?.applied ? credit.informationForSafety.map((c) => c.id) : [];
        }),
      ),
    ].sort();
    return {
      ...(flowClass !== undefined ? { flowClass } : {}),
      ...(flowOutcome !== undefined ? { flowOutcome } : {}),
      flowForcing,
      ...(controlClass !== undefined ? { controlClass } : {}),
      controlForcing,
      notAnalysed: missing,
      informationForSafety,
      steps,
    };
  };

  const declared = (item: DossierRecord): string | undefined => {
    const value = item.fields.safetyClass;
    if (typeof value === 'string') return value;
    return item === system ? config.software.safetyClass : undefined;
  };

  /** The AMD1 meaning of the flow's outcome, in our words (not the 2006 "no injury possible"). */
  const flowSentence = (cls: string, outcome: FlowOutcome | undefined): string => {
    const flow = `By the AMD1 decision flow (software failure taken as certain, only risk controls external to the software system credited, 4.3 a) it is class ${cls}`;
    switch (outcome) {
      case 'no-contribution':
        return `${flow}: it cannot contribute to a hazardous situation.`;
      case 'acceptable':
        return `${flow}: it can contribute to hazardous situations, but no unacceptable risk remains after risk control measures external to the software system.`;
      case 'non-serious':
        return `${flow}: unacceptable risk remains after risk control measures external to the software system, and the worst possible harm is non-serious injury.`;
      default:
        return `${flow}: unacceptable risk remains after risk control measures external to the software system, and the possible harm is death or serious injury (or cannot be estimated, 4.3 g).`;
    }
  };

  const classifyItem = (item: DossierRecord, parent: Classification | undefined) => {
    const evidence = evidenceOf(item);
    const own = analysisOf(item);
    const path = [...evidence.steps];
    const segregation = item.fields.segregation as { rationale?: string; mechanism?: string } | undefined;
    const segregated = parent !== undefined && Boolean(segregation?.rationale?.trim());
    const isOutside = item !== system && !inTree.has(item);
    if (parent) {
      path.push({
        step: '4.3 d',
        question: `Is ${item.id} segregated from its parent ${parent.id}?`,
        answer: segregated
          ? `Yes: ${segregation!.rationale!.trim()}${segregation!.mechanism ? ` Mechanism: ${segregation!.mechanism.trim()}` : ''}`
          : `No segregation rationale: it takes at least the class of its parent ${parent.id} (${parent.computedClass}).`,
      });
    }
    if (isOutside) {
      const parentRecord = graph.parentOf(item);
      path.push({
        step: '4.3 g',
        question: `Is ${item.id} part of the software system ${config.software.system}?`,
        answer: `No: ${parentRecord ? `its parent ${parentRecord.id} is not part of it` : 'it has no partOf'}, so it is class ${scheme.unclassified} until it is placed in the architecture; its contributions still count toward the class of ${config.software.system} (4.3 a).`,
      });
    }

    const candidates: { basis: ClassificationBasis; cls: string; forcing: readonly string[] }[] = [];
    if (evidence.flowClass !== undefined)
      candidates.push({ basis: 'computed', cls: evidence.flowClass, forcing: evidence.flowForcing });
    if (evidence.controlClass !== undefined)
      candidates.push({
        basis: 'risk-control',
        cls: evidence.controlClass,
        forcing: evidence.controlForcing,
      });
    if (parent && !segregated)
      candidates.push({ basis: 'inherited', cls: parent.computedClass, forcing: parent.forcing });
    if (evidence.notAnalysed.length > 0 || isOutside)
      candidates.push({ basis: 'default', cls: scheme.unclassified, forcing: [] });
    const cls = candidates.reduce((c, x) => higherClass(scheme, c, x.cls), scheme.classes[0]!.key);
    const forcingBases = candidates.filter((x) => x.cls === cls);
    const bases = CLASSIFICATION_BASES.filter((b) => forcingBases.some((x) => x.basis === b));

    const sentences = bases.map((basis) => {
      switch (basis) {
        case 'computed':
          return flowSentence(cls, evidence.flowOutcome);
        case 'risk-control':
          return `It implements risk control measures and takes the class of the risks they control (7.2.2 b).`;
        case 'inherited':
          return `It inherits the class of its parent ${parent!.id} because it has no segregation rationale (4.3 d).`;
        default:
          return isOutside
            ? `It is not part of the software system ${config.software.system}, so it is class ${scheme.unclassified} until placed in the architecture (4.3 g).`
            : `Its hazard analysis is incomplete: ${list(evidence.notAnalysed.map((n) => n.id))} record${evidence.notAnalysed.length === 1 ? 's' : ''} neither contributions (contributesTo, causes) nor noContribution, so it is class ${scheme.unclassified} until analysed (4.3 g).`;
      }
    });
    if (segregated && parent)
      sentences.push(
        `It is segregated from its parent ${parent.id} (class ${parent.computedClass}), so it is classified on its own (4.3 d, 5.3.5).`,
      );
    if (evidence.informationForSafety.length > 0)
      sentences.push(
        `Information for safety (${evidence.informationForSafety.join(', ')}) is credited as risk control external to the software because dossier.yaml allows it (classification.creditInformationForSafety): ${config.classification?.creditInformationForSafety?.rationale.trim()}`,
      );
    const parentRecord = graph.parentOf(item);
    const result: Classification = {
      id: item.id,
      title: item.title,
      itemType: String(item.fields.itemType ?? 'item'),
      ...(parentRecord ? { parent: parentRecord.id } : {}),
      ...(declared(item) !== undefined ? { declaredClass: declared(item)! } : {}),
      computedClass: cls,
      basis: bases[0]!,
      bases,
      segregated,
      analysis: own.outcome,
      notAnalysed: evidence.notAnalysed.map((n) => n.id),
      outsideTree: isOutside,
      path,
      reasons: sentences,
      rationale: `${item.id} (${item.title}) is class ${cls}. ${sentences.join(' ')} ${path.map((s) => `${s.step}: ${s.answer}`).join(' ')}`,
      forcing: unionOfForcing(forcingBases.map((x) => x.forcing)),
    };
    results.set(item, result);
    return result;
  };

  // Depth-first from the top, parents before their parts (they inherit), with an explicit stack:
  // children pushed in reverse so they are classified in id order, as a recursive walk would.
  const visit = (top: DossierRecord, topParent: Classification | undefined) => {
    const pending: [DossierRecord, Classification | undefined][] = [[top, topParent]];
    for (let next = pending.pop(); next; next = pending.pop()) {
      const [item, parent] = next;
      if (results.has(item)) continue;
      const result = classifyItem(item, parent);
      const children = graph.childrenOf(item).filter(isActive).sort(compareById);
      for (let i = children.length - 1; i >= 0; i--) pending.push([children[i]!, result]);
    }
  };
  if (system) visit(system, undefined);
  // Items outside the system's tree: each orphan subtree is classified from its own top, which
  // takes the default class; its parts inherit it unless segregated.
  const outsideSet = new Set(outside);
  for (const item of outside) {
    const parentRecord = graph.parentOf(item);
    if (!parentRecord || !outsideSet.has(parentRecord)) visit(item, undefined);
  }
  // Members of a partOf cycle have no top; classify them on their own.
  for (const item of outside) if (!results.has(item)) visit(item, undefined);
  const ordered = [...results.values()].sort(compareById);
  const systemResult = system ? results.get(system) : undefined;
  return {
    ...(systemResult ? { system: systemResult } : {}),
    items: ordered.filter((r) => r !== systemResult),
  };
}

/**
 * The sorted, de-duplicated union of the hazard ids that force a class. When every list is contained
 * in one this function made (typically the parent's, inherited, which already holds the hazards of
 * its parts), that list is returned as is: in a deep architecture every unit inherits its parent's
 * list, and copying and sorting it for each of thousands of units was a third of the
 * classification's time.
 */
const canonicalForcing = new WeakMap<readonly string[], ReadonlySet<string>>();
function unionOfForcing(lists: readonly (readonly string[])[]): readonly string[] {
  const nonEmpty = lists.filter((list) => list.length > 0);
  for (const candidate of nonEmpty) {
    const members = canonicalForcing.get(candidate);
    if (members && nonEmpty.every((list) => list === candidate || list.every((id) => members.has(id))))
      return candidate;
  }
  const members = new Set(nonEmpty.flat());
  const union = [...members].sort();
  canonicalForcing.set(union, members);
  return union;
}
