/**
 * FDA's decision flow for a software change to a 510(k)-cleared device ("Deciding When to Submit a
 * 510(k) for a Software Change to an Existing Device", 2017), as data: data/fda-510k-software-change.json
 * holds the questions, where each answer leads and the sources. This module only walks it with
 * people's answers. It never decides: where the flow points is shown with the evidence, and the
 * decision is recorded on the change request by a person (`submissionDecision`).
 */
import { packageJson } from '../util/package-files.js';

export type FlowAnswer = 'yes' | 'no' | 'uncertain';
export const FLOW_ANSWERS: readonly FlowAnswer[] = ['yes', 'no', 'uncertain'];

export type FlowStep = { readonly next: string } | { readonly outcome: string };

export interface FlowQuestion {
  readonly id: string;
  readonly section: string;
  readonly question: string;
  readonly yes: FlowStep;
  readonly no: FlowStep;
  readonly note?: string;
  readonly sources: readonly string[];
}

export interface SubmissionFlow {
  readonly guidance: {
    readonly title: string;
    readonly issued: string;
    readonly version: string;
    readonly scope: string;
    readonly baseline: string;
    readonly always: string;
    readonly uncertain: string;
  };
  readonly start: string;
  readonly questions: readonly FlowQuestion[];
  readonly outcomes: Readonly<Record<string, string>>;
  readonly sources: Readonly<Record<string, string>>;
}

/** The flow as shipped. */
export const FDA_510K_SOFTWARE_FLOW = packageJson<SubmissionFlow>('data/fda-510k-software-change.json');

/** The outcome an `uncertain` answer leads to: decide with regulatory affairs (data `outcomes`). */
export const ESCALATE = 'escalate';

/**
 * What is wrong with a flow's data: a step to a question that does not exist, an outcome without
 * a text, a source not listed, a question reached twice on one path (a loop), one never reached.
 */
export function flowProblems(flow: SubmissionFlow): string[] {
  const problems: string[] = [];
  const byId = new Map(flow.questions.map((q) => [q.id, q]));
  if (!byId.has(flow.start)) problems.push(`start ${flow.start} is not a question`);
  if (!(ESCALATE in flow.outcomes)) problems.push(`no outcome text for ${ESCALATE}`);
  for (const q of flow.questions) {
    for (const answer of ['yes', 'no'] as const) {
      const step = q[answer];
      if ('next' in step && !byId.has(step.next))
        problems.push(`${q.id} ${answer} leads to unknown ${step.next}`);
      if ('outcome' in step && !(step.outcome in flow.outcomes))
        problems.push(`${q.id} ${answer} leads to outcome ${step.outcome}, which has no text`);
    }
    for (const s of q.sources) if (!(s in flow.sources)) problems.push(`${q.id} cites unknown source ${s}`);
  }
  const reached = new Set<string>();
  const visit = (id: string, path: readonly string[]) => {
    if (path.includes(id)) {
      problems.push(`loop: ${[...path, id].join(' → ')}`);
      return;
    }
    reached.add(id);
    const q = byId.get(id);
    if (!q) return;
    for (const step of [q.yes, q.no]) if ('next' in step) visit(step.next, [...path, id]);
  };
  visit(flow.start, []);
  for (const q of flow.questions) if (!reached.has(q.id)) problems.push(`${q.id} is never reached`);
  return problems;
}

export interface GivenAnswer {
  readonly answer: FlowAnswer;
  readonly rationale: string;
  readonly by?: string;
}

/** What the records show for a question: evidence, and the answer they point to, if any. */
export interface Prefill {
  readonly evidence: readonly string[];
  /** The answer the records point to; people answer, this only says what the records show. */
  readonly suggests?: 'yes' | 'no';
  /** Why the records could not be compared (then there is no evidence either way). */
  readonly notChecked?: string;
}

export interface WalkedQuestion {
  readonly question: FlowQuestion;
  readonly answer?: GivenAnswer;
  readonly prefill?: Prefill;
}

export type FlowPointer =
  | { readonly kind: 'outcome'; readonly outcome: string; readonly text: string }
  | { readonly kind: 'unanswered'; readonly question: string };

export interface FlowWalk {
  /** The questions on the path taken, in order, the last one unanswered when the walk stopped there. */
  readonly path: readonly WalkedQuestion[];
  readonly pointsTo: FlowPointer;
  /** Answers to questions off the path taken (kept, not used). */
  readonly offPath: readonly string[];
}

/**
 * Walks the flow from its start with the answers given: `yes`/`no` follow the data; `uncertain`
 * stops at the escalation outcome; a question without an answer stops the walk there.
 */
export function walkFlow(
  flow: SubmissionFlow,
  answers: ReadonlyMap<string, GivenAnswer>,
  prefill: ReadonlyMap<string, Prefill> = new Map(),
): FlowWalk {
  const byId = new Map(flow.questions.map((q) => [q.id, q]));
  const path: WalkedQuestion[] = [];
  let id: string | undefined = flow.start;
  let pointsTo: FlowPointer | undefined;
  while (id !== undefined && pointsTo === undefined) {
    const question = byId.get(id);
    if (!question || path.some((p) => p.question.id === id))
      throw new Error(`the flow data is broken at ${id}`);
    const answer = answers.get(id);
    const shown = prefill.get(id);
    path.push({ question, ...(answer ? { answer } : {}), ...(shown ? { prefill: shown } : {}) });
    if (!answer) {
      pointsTo = { kind: 'unanswered', question: id };
    } else if (answer.answer === 'uncertain') {
      pointsTo = { kind: 'outcome', outcome: ESCALATE, text: flow.outcomes[ESCALATE] ?? ESCALATE };
    } else {
      const step: FlowStep = question[answer.answer];
      if ('outcome' in step)
        pointsTo = {
          kind: 'outcome',
          outcome: step.outcome,
          text: flow.outcomes[step.outcome] ?? step.outcome,
        };
      else id = step.next;
    }
  }
  const onPath = new Set(path.map((p) => p.question.id));
  return {
    path,
    pointsTo: pointsTo!,
    offPath: [...answers.keys()].filter((k) => !onPath.has(k)).sort(),
  };
}
