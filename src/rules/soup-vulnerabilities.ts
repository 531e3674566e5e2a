import type { Finding } from '../diagnostics/diagnostic.js';
import { listIds } from '../diagnostics/format.js';
import { advisoryMaxAgeDays } from '../model/config.js';
import { type DossierRecord, fieldAnchor, isActive } from '../model/record.js';
import { clauseAppliesAt } from '../safety/class-scheme.js';
import { freshnessAt, notScannedText, staleText } from '../soup/coverage.js';
import { KEV_CLAUSES, kevText } from '../soup/kev/catalog.js';
import { NVD_SOURCE } from '../soup/nvd/types.js';
import { GIT_SOURCE } from '../soup/osv/git.js';
import { kevUnevaluated, needsEvaluation, type SoupFinding } from '../soup/scan.js';
import type { Rule, RuleContext } from './rule.js';

function classOf(context: RuleContext): Map<string, string> {
  return new Map(context.safety.soup.map((s) => [s.soup.id, s.cls]));
}

function describe(finding: SoupFinding): string {
  const aka = finding.ids.filter((id) => id !== finding.advisory);
  const summary = finding.summary ? `: ${finding.summary}` : '';
  return `${finding.advisory}${aka.length ? ` (${aka.join(', ')})` : ''}${summary}`;
}

/** Where a finding points: the SOUP's cpe (NVD) or repository (GIT), else its purl, else its id. */
function findingAnchor(soup: DossierRecord, finding: SoupFinding) {
  return fieldAnchor(
    soup,
    finding.ecosystem === NVD_SOURCE && soup.fields.cpe !== undefined
      ? 'cpe'
      : finding.ecosystem === GIT_SOURCE && soup.fields.repository !== undefined
        ? 'repository'
        : soup.fields.purl !== undefined
          ? 'purl'
          : 'id',
  );
}

/**
 * IEC 62304 7.1.3: the published anomalies of the SOUP version in use must be evaluated for whether
 * they could contribute to a hazardous situation. Required for class B and C; for class A the
 * finding is still shown (as a warning) because FDA expects every known vulnerability assessed.
 */
export const soupUnevaluatedVulnerability: Rule = {
  code: 'soup/unevaluated-vulnerability',
  severity: 'error',
  applicability: 'table',
  clauses: ['7.1.3', 'FD&C 524B'],
  summary:
    'A published advisory affects the SOUP version in use and has no evaluation for that version (7.1.3).',
  hint: 'write a vulnerability-evaluation record with `soup`, `advisory`, `version`, `state`, `reviewer` and `date` (see docs/format.md); `dossier soup scan` lists what is open',
  *check(context) {
    if (!context.soupScan) return;
    const classes = classOf(context);
    const byId = context.graph.byId;
    for (const finding of context.soupScan.findings) {
      if (!needsEvaluation(finding)) continue;
      const soup = byId.get(finding.soupId);
      if (!soup) continue;
      const cls = classes.get(finding.soupId) ?? 'C';
      // Where 7.1.3 does not apply (Table A.1: class A) the FDA expectation remains, as a warning.
      const required = clauseAppliesAt(context.safety.scheme, '7.1.3', cls);
      yield {
        code: 'soup/unevaluated-vulnerability',
        ...(required ? { clauses: ['7.1.3'] } : { clauses: ['FD&C 524B'], severity: 'warning' as const }),
        message: `${soup.id} ${finding.packageName} ${finding.version} (class ${cls}) is affected by ${describe(finding)}${
          finding.conditional ? ` (${finding.conditional})` : ''
        }${
          finding.staleBecause
            ? `; the evaluation is for another version: ${finding.staleBecause}`
            : ', and no evaluation names it'
        } (7.1.3)`,
        recordId: soup.id,
        at: findingAnchor(soup, finding),
        ...(finding.evaluation
          ? { related: [{ message: 'stale evaluation', at: fieldAnchor(finding.evaluation, 'version') }] }
          : {}),
      };
    }
  },
};

/**
 * A finding CISA's KEV catalog lists (exploited in the wild) without a current evaluation. The FDA
 * premarket cybersecurity guidance names the KEV catalog for exploitation information and expects
 * every known vulnerability assessed (FD&C 524B): an error whatever the safety class, where
 * soup/unevaluated-vulnerability is only a warning at class A. `release check` blocks on it
 * (release/kev-unevaluated).
 */
export const soupKevUnevaluated: Rule = {
  code: 'soup/kev-unevaluated',
  severity: 'error',
  applicability: 'table',
  clauses: [...KEV_CLAUSES],
  summary:
    "A vulnerability listed in CISA's Known Exploited Vulnerabilities catalog affects the SOUP version in use and has no evaluation for that version (every class).",
  hint: 'evaluate it first: write a vulnerability-evaluation record naming the CVE (see docs/format.md); known exploitation weighs on exploitability in the security risk',
  *check(context) {
    if (!context.soupScan) return;
    const classes = classOf(context);
    for (const finding of context.soupScan.findings) {
      if (!kevUnevaluated(finding)) continue;
      const soup = context.graph.byId.get(finding.soupId);
      if (!soup) continue;
      yield {
        code: 'soup/kev-unevaluated',
        clauses: [...KEV_CLAUSES],
        message: `${soup.id} ${finding.packageName} ${finding.version} (class ${classes.get(finding.soupId) ?? 'C'}) is affected by ${describe(finding)}, which is KNOWN EXPLOITED (${kevText(finding.kev!)}), and ${finding.staleBecause ? `its evaluation is for another version: ${finding.staleBecause}` : 'no evaluation names it'}`,
        recordId: soup.id,
        at: findingAnchor(soup, finding),
      };
    }
  },
};

/** What each evaluation state must say, so that the VEX statements derived from it are complete. */
function* incompleteEvaluation(evaluation: DossierRecord): Generator<Finding> {
  const f = evaluation.fields;
  const has = (field: string) => f[field] !== undefined && f[field] !== '';
  const hasLink = (field: string) => (evaluation.links[field]?.length ?? 0) > 0;
  const problem = (message: string, field: string): Finding => ({
    code: 'soup/evaluation-incomplete',
    message: `${evaluation.id} (${String(f.advisory)}, state ${String(f.state)}) ${message}`,
    recordId: evaluation.id,
    at: fieldAnchor(evaluation, has(field) ? field : 'state'),
  });
  if (!hasLink('soup')) yield problem('names no SOUP item: add `soup: <SOUP id>`', 'soup');
  switch (f.state) {
    case 'not_affected':
      if (!has('justification') && !has('impact')) {
        yield problem(
          'needs a `justification` (OpenVEX vocabulary) or an `impact` statement saying why',
          'justification',
        );
      }
      break;
    case 'affected':
      if (!hasLink('hazardousSituations') && !has('securityRisk')) {
        yield problem(
          'must link the `hazardousSituations` it can lead to, or describe the `securityRisk` it creates (7.1.3; FDA cybersecurity)',
          'hazardousSituations',
        );
      }
      if (!hasLink('riskControls') && !has('action')) {
        yield problem(
          'must name the `riskControls` that address it or an `action` statement',
          'riskControls',
        );
      }
      break;
    case 'under_investigation':
      yield {
        ...problem('is still under investigation: the anomaly has not been evaluated yet (7.1.3)', 'state'),
        severity: 'warning',
      };
      break;
    default:
      break;
  }
}

export const soupEvaluationIncomplete: Rule = {
  code: 'soup/evaluation-incomplete',
  severity: 'error',
  applicability: 'table',
  // The evaluation feeds the VEX the FDA asks for whatever the class, so not only 7.1.3 (B, C).
  clauses: ['7.1.3', 'FD&C 524B'],
  reads: { kinds: ['vulnerability-evaluation'] },
  summary: 'A vulnerability evaluation lacks what its state requires (justification, hazard link, control).',
  hint: 'not_affected needs a justification; affected needs the hazardous situation or security risk and the control or action',
  *check({ graph }) {
    for (const evaluation of graph.ofKind('vulnerability-evaluation')) {
      if (isActive(evaluation)) yield* incompleteEvaluation(evaluation);
    }
  },
};

export const soupEvaluationUnmatched: Rule = {
  code: 'soup/evaluation-unmatched',
  severity: 'info',
  applicability: 'fixed',
  clauses: ['7.1.3'],
  summary: 'A vulnerability evaluation matches no advisory affecting the SOUP version in use.',
  hint: 'the advisory may no longer apply after an upgrade, or its id is mistyped; mark the record obsolete when it is history',
  *check({ soupScan }) {
    for (const evaluation of soupScan?.orphanEvaluations ?? []) {
      yield {
        code: 'soup/evaluation-unmatched',
        message: `${evaluation.id} evaluates ${String(evaluation.fields.advisory)} for ${evaluation.links.soup?.[0]}, but no advisory with that id or alias affects the version in use`,
        recordId: evaluation.id,
        at: fieldAnchor(evaluation, 'advisory'),
      };
    }
  },
};

export const soupSupportSuggestion: Rule = {
  code: 'soup/support-unmaintained',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['FDA cybersecurity guidance', '6.1 f'],
  summary: 'An advisory database says the SOUP is unmaintained, but its support level says otherwise.',
  hint: 'set `supportLevel: no-longer-maintained` (and plan its replacement), or explain in `supportJustification`',
  *check({ soupScan, graph }) {
    for (const s of soupScan?.supportSuggestions ?? []) {
      const soup = graph.byId.get(s.soupId);
      if (!soup || soup.fields.supportJustification !== undefined) continue;
      yield {
        code: 'soup/support-unmaintained',
        message: `${s.advisory} reports ${soup.id} (${soup.title}) as unmaintained; its supportLevel is ${s.current ?? 'not set'} (suggested: ${s.suggested})`,
        recordId: soup.id,
        at: fieldAnchor(soup, s.current ? 'supportLevel' : 'id'),
      };
    }
  },
};

/** Where an ecosystem's diagnostic points: the purl of its first SOUP item. */
function firstSoupOf(context: RuleContext, soupIds: readonly string[]) {
  const soup = soupIds.map((id) => context.graph.byId.get(id)).find((r) => r !== undefined);
  return soup
    ? { recordId: soup.id, at: fieldAnchor(soup, soup.fields.purl !== undefined ? 'purl' : 'id') }
    : {};
}

export const soupNoAdvisoryData: Rule = {
  code: 'soup/no-advisory-data',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['7.1.3'],
  summary:
    'SOUP of an ecosystem the advisory data holds nothing for was not scanned: its known vulnerabilities were not checked (one finding per ecosystem).',
  hint: 'load advisory data for the ecosystem named: `dossier advisories sync`, `dossier advisories import <all.zip>`, or pass `--advisories <db>`',
  *check(context) {
    for (const c of context.advisoryCoverage) {
      if (c.data || c.soupIds.length === 0) continue;
      const soup = firstSoupOf(context, c.soupIds);
      const record = soup.recordId ? context.graph.byId.get(soup.recordId) : undefined;
      yield {
        code: 'soup/no-advisory-data',
        message: `${notScannedText(c.ecosystem, c.soupIds.length)} (${listIds(c.soupIds)}): their known vulnerabilities were not checked (7.1.3)`,
        ...soup,
        ...(c.ecosystem === NVD_SOURCE
          ? {
              ...(record ? { at: fieldAnchor(record, 'cpe') } : {}),
              // osv.dev does not serve the NVD: its data is imported from NVD's own JSON.
              hint: 'import NVD CVE data (API 2.0 JSON, a year file or a folder of CVE files): `dossier advisories import <file-or-folder>`, or pass `--advisories <db>` that holds it',
            }
          : {}),
      };
    }
  },
};

/**
 * Stale advisory data warns here, on the date of the run; `dossier release check` blocks on it,
 * judged at the release date (release/advisory-data-stale).
 */
export const soupAdvisoryDataStale: Rule = {
  code: 'soup/advisory-data-stale',
  severity: 'warning',
  applicability: 'fixed',
  clauses: ['7.1.3'],
  summary:
    'The advisory data of an ecosystem the SOUP uses is older than advisories.maxAgeDays (its newest modified advisory), so recent vulnerabilities may be missing.',
  hint: 'refresh the data: `dossier advisories sync` or import a newer all.zip; a release is blocked while its data is stale at its date',
  *check(context) {
    const maxAge = advisoryMaxAgeDays(context.project.config);
    const judged = freshnessAt(context.advisoryCoverage, context.today, maxAge);
    for (const [i, f] of judged.entries()) {
      if (f.status !== 'stale') continue;
      yield {
        code: 'soup/advisory-data-stale',
        message: `${staleText(f, context.today, maxAge)}; ${f.items} SOUP item${f.items === 1 ? '' : 's'} depend${f.items === 1 ? 's' : ''} on it`,
        ...firstSoupOf(context, context.advisoryCoverage[i]!.soupIds),
      };
    }
  },
};
