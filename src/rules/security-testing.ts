/**
 * Security testing rules (FDA premarket cybersecurity guidance V.C; IEC 81001-5-1 5.7): every
 * finding of a campaign is resolved, accepted with a reason, or turned into a problem report
 * (clause 9), and every campaign says who tested and how independent they are of the developers.
 */
import { compareById, type DossierRecord, fieldAnchor, isActive, valueAnchor } from '../model/record.js';
import type { Rule } from './rule.js';

interface SecurityFinding {
  readonly id?: string;
  readonly title: string;
  readonly disposition: 'open' | 'resolved' | 'problem-report' | 'accepted';
  readonly resolution?: string;
  readonly problemReport?: string;
}

interface Tester {
  readonly name?: string;
  readonly independent?: boolean;
  readonly independence?: string;
}

const campaigns = (graph: Parameters<Rule['check']>[0]['graph']): DossierRecord[] =>
  graph.ofKind('security-test').filter(isActive).sort(compareById);

function findingsOf(test: DossierRecord): readonly SecurityFinding[] {
  const value = test.fields.findings;
  return Array.isArray(value) ? (value as SecurityFinding[]) : [];
}

const blank = (value: unknown) => typeof value !== 'string' || value.trim() === '';

export const securityFindingOpen: Rule = {
  code: 'security/finding-open',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.C', 'IEC 81001-5-1 5.8', '9.1'],
  reads: { kinds: ['security-test'] },
  summary:
    'A security test finding is open, or its disposition lacks what it needs: a resolution text, or the problem report it became.',
  hint: 'resolve the finding (`disposition: resolved` with the `resolution`), accept it with the reason in `resolution` (`disposition: accepted`), or raise a problem report and name it (`disposition: problem-report`, `problemReport: PR-…`)',
  *check({ graph }) {
    for (const test of campaigns(graph)) {
      for (const [index, finding] of findingsOf(test).entries()) {
        const name = `${test.id} finding ${finding.id ?? index + 1} (${finding.title})`;
        const at = (field: string) => valueAnchor(test, 'findings', index, field);
        if (finding.disposition === 'open') {
          yield {
            code: 'security/finding-open',
            message: `${name} is open`,
            recordId: test.id,
            at: at('disposition'),
          };
        } else if (finding.disposition === 'problem-report') {
          const id = finding.problemReport;
          const target = id === undefined ? undefined : graph.get(id);
          if (target?.kind === 'problem-report') continue;
          yield {
            code: 'security/finding-open',
            message:
              id === undefined
                ? `${name} was turned into a problem report, but names none (\`problemReport\`)`
                : target
                  ? `${name} names ${id} as its problem report, but ${id} is a ${target.kind}`
                  : `${name} names ${id} as its problem report, but no record has that id`,
            recordId: test.id,
            ...(id !== undefined ? { targetId: id } : {}),
            at: at(id === undefined ? 'disposition' : 'problemReport'),
          };
        } else if (blank(finding.resolution)) {
          yield {
            code: 'security/finding-open',
            message:
              finding.disposition === 'accepted'
                ? `${name} is accepted without a reason (\`resolution\`)`
                : `${name} is resolved without saying how (\`resolution\`)`,
            recordId: test.id,
            at: at('disposition'),
          };
        }
      }
    }
  },
};

export const securityTesterIndependence: Rule = {
  code: 'security/tester-independence',
  severity: 'error',
  applicability: 'table',
  clauses: ['FDA cybersecurity V.C', 'IEC 81001-5-1 5.7'],
  reads: { kinds: ['security-test'] },
  summary:
    'A security test does not say who tested, or a penetration test was not independent of the developers and does not say why.',
  hint: 'give `tester` with `name`, `organisation`, `independent` and `expertise`; a penetration test by people who are not independent of the developers explains in `tester.independence` why that is adequate',
  *check({ graph }) {
    for (const test of campaigns(graph)) {
      const tester = test.fields.tester as Tester | undefined;
      if (!tester) {
        yield {
          code: 'security/tester-independence',
          message: `${test.id} does not say who tested (\`tester\`) nor their independence from the developers`,
          recordId: test.id,
          at: fieldAnchor(test, 'id'),
        };
        continue;
      }
      if (test.fields.testType !== 'penetration' || tester.independent === true) continue;
      if (!blank(tester.independence)) continue;
      yield {
        code: 'security/tester-independence',
        message: `${test.id} is a penetration test by testers not independent of the developers (${tester.name ?? 'unnamed'}), and \`tester.independence\` does not say why that is adequate`,
        recordId: test.id,
        at: valueAnchor(test, 'tester', 'independent'),
      };
    }
  },
};
