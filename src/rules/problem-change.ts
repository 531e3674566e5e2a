import type { Finding } from '../diagnostics/diagnostic.js';
import { type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import type { Rule } from './rule.js';

/**
 * Allowed state changes, as data. Problem reports (clause 9): a problem is investigated, resolved
 * (a change made, or no action with a rationale, 9.2 d) and closed once the resolution is verified
 * (9.7); it may be re-opened from any state. Change requests (8.2): approved before implemented
 * (8.2.1, 6.2.4), verified after (8.2.3), closed; rejected from proposed or approved.
 */
export const TRANSITIONS: Readonly<
  Record<'problem-report' | 'change-request', Readonly<Record<string, readonly string[]>>>
> = {
  'problem-report': {
    open: ['investigating', 'resolved'],
    investigating: ['resolved', 'open'],
    resolved: ['closed', 'open'],
    closed: ['open'],
  },
  'change-request': {
    proposed: ['approved', 'rejected'],
    approved: ['implemented', 'rejected'],
    implemented: ['verified', 'approved'],
    verified: ['closed', 'implemented'],
    closed: [],
    rejected: ['proposed'],
  },
};

interface HistoryEntry {
  readonly date: string;
  readonly state: string;
}

function* transitionFindings(record: DossierRecord, code: string): Generator<Finding> {
  const kind = record.kind as keyof typeof TRANSITIONS;
  const history = (record.fields.history as HistoryEntry[] | undefined) ?? [];
  for (let i = 1; i < history.length; i++) {
    const from = history[i - 1]!;
    const to = history[i]!;
    if (to.date < from.date) {
      yield {
        code,
        message: `${record.id} history goes back in time: ${to.state} on ${to.date} after ${from.state} on ${from.date}`,
        recordId: record.id,
        at: fieldAnchor(record, 'history', i),
      };
    }
    if (!(TRANSITIONS[kind][from.state] ?? []).includes(to.state)) {
      yield {
        code,
        message: `${record.id} moved from ${from.state} to ${to.state}, which is not an allowed transition (allowed from ${from.state}: ${(TRANSITIONS[kind][from.state] ?? []).join(', ') || 'none'})`,
        recordId: record.id,
        at: fieldAnchor(record, 'history', i),
      };
    }
  }
  const last = history[history.length - 1];
  if (last && record.fields.state !== undefined && last.state !== record.fields.state) {
    yield {
      code,
      message: `${record.id} has state ${String(record.fields.state)}, but its history ends in ${last.state}`,
      recordId: record.id,
      at: fieldAnchor(record, 'state'),
    };
  }
}

export const stateTransitions: Rule = {
  code: 'change-control/transition',
  severity: 'error',
  applicability: 'table',
  clauses: ['8.2.1', '8.3', '9.7'],
  reads: { kinds: ['change-request', 'problem-report'] },
  summary: 'Problem reports and change requests move only through allowed states, in date order.',
  hint: 'record each state change in `history` in order; a change request is approved before it is implemented (8.2.1)',
  *check({ graph }) {
    for (const kind of ['problem-report', 'change-request'] as const) {
      for (const record of graph.ofKind(kind))
        if (isActive(record)) yield* transitionFindings(record, 'change-control/transition');
    }
  },
};

const has = (record: DossierRecord, field: string) =>
  record.fields[field] !== undefined && record.fields[field] !== '';
const rank = (states: readonly string[], state: unknown) => states.indexOf(String(state ?? states[0]));

interface ContentNeed {
  readonly field: string;
  readonly from: string;
  readonly clause: string;
  readonly what: string;
}

/** The fields a record lacks for the state it has reached, given the states in order. */
function* missingContent(
  record: DossierRecord,
  order: readonly string[],
  needs: readonly ContentNeed[],
  code: string,
): Generator<Finding> {
  const reached = rank(order, record.fields.state);
  for (const need of needs) {
    if (reached < order.indexOf(need.from) || has(record, need.field)) continue;
    yield {
      code,
      message: `${record.id} is ${String(record.fields.state)} without \`${need.field}\`: ${need.what} (${need.clause})`,
      recordId: record.id,
      at: fieldAnchor(record, 'state'),
    };
  }
}

/** What a problem report must say once it has reached a state (clause 9), as data. */
const PROBLEM_CONTENT: readonly ContentNeed[] = [
  { field: 'criticality', from: 'investigating', clause: '9.1', what: 'the statement of criticality' },
  { field: 'investigation', from: 'resolved', clause: '9.2 a, c', what: 'the investigation and its outcome' },
  {
    field: 'safetyRelevant',
    from: 'resolved',
    clause: '9.2 b',
    what: 'the safety relevance evaluated through clause 7',
  },
  { field: 'partiesAdvised', from: 'resolved', clause: '9.3', what: 'the relevant parties advised' },
  {
    field: 'resolutionVerification',
    from: 'closed',
    clause: '9.7',
    what: 'the verification of the resolution',
  },
];
const PROBLEM_ORDER = ['open', 'investigating', 'resolved', 'closed'];

export const problemIncomplete: Rule = {
  code: 'problem/incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['9.1', '9.2', '9.3', '9.7'],
  reads: { kinds: ['problem-report'] },
  summary: 'A problem report lacks the clause 9 content its state requires.',
  hint: 'fill in the field named; a resolved problem has a change request that addresses it or `rationaleNoAction` (9.2 d)',
  *check({ graph }) {
    for (const problem of graph.ofKind('problem-report')) {
      if (!isActive(problem)) continue;
      yield* missingContent(problem, PROBLEM_ORDER, PROBLEM_CONTENT, 'problem/incomplete');
      const reached = rank(PROBLEM_ORDER, problem.fields.state);
      const addressed = graph.sources(problem, 'addresses', 'change-request').some(isActive);
      if (reached >= PROBLEM_ORDER.indexOf('resolved') && !addressed && !has(problem, 'rationaleNoAction')) {
        yield {
          code: 'problem/incomplete',
          message: `${problem.id} is ${String(problem.fields.state)}, but no change request addresses it and it has no \`rationaleNoAction\` (9.2 d)`,
          recordId: problem.id,
          at: fieldAnchor(problem, 'state'),
        };
      }
    }
  },
};

const CHANGE_CONTENT: readonly ContentNeed[] = [
  {
    field: 'impactAnalysis',
    from: 'approved',
    clause: '6.2.3',
    what: 'analysis of the effect on the organisation, released software and interfacing systems',
  },
  {
    field: 'safetyImpact',
    from: 'approved',
    clause: '7.4.1, 7.4.2',
    what: 'analysis of the change for new causes and effects on risk controls',
  },
  { field: 'approvedBy', from: 'approved', clause: '8.2.1', what: 'who approved the change' },
  { field: 'approvedOn', from: 'approved', clause: '8.2.1', what: 'when the change was approved' },
  {
    field: 'verification',
    from: 'verified',
    clause: '8.2.3',
    what: 'how the implemented change was verified',
  },
];
const CHANGE_ORDER = ['proposed', 'approved', 'implemented', 'verified', 'closed'];

export const changeIncomplete: Rule = {
  code: 'change/incomplete',
  severity: 'error',
  applicability: 'table',
  clauses: ['6.2.3', '7.4', '8.2.1', '8.2.3'],
  reads: { kinds: ['change-request'] },
  summary: 'A change request lacks the analysis, approval or verification its state requires.',
  hint: 'fill in the field named before moving the change on',
  *check({ graph }) {
    for (const change of graph.ofKind('change-request')) {
      if (!isActive(change) || change.fields.state === 'rejected') continue;
      yield* missingContent(change, CHANGE_ORDER, CHANGE_CONTENT, 'change/incomplete');
    }
  },
};
