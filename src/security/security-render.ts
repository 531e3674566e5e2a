/**
 * The text form of `dossier security`: one section per part of the security risk management file.
 * Nothing is left out silently: a category without a control says "none", a broken trace says
 * "missing", a test without a tester says "not recorded".
 */
import { textTable } from '../util/text-table.js';
import type { SecurityPostmarket } from './postmarket.js';
import type { SecurityReport } from './security-report.js';

export { SECURITY_FORMATS } from '../report-formats.js';

const MISSING = 'missing';
const list = (items: readonly string[], none = '—') => (items.length > 0 ? items.join(', ') : none);

function estimateText(e: SecurityReport['risks'][number]['initial']): string {
  return e ? `${e.impactLabel} impact × ${e.exploitabilityLabel} exploitability` : 'not estimated';
}

const ACCEPTABILITY_TEXT: Record<SecurityReport['risks'][number]['acceptability'], string> = {
  acceptable: 'acceptable',
  unacceptable: 'UNACCEPTABLE',
  accepted: 'unacceptable, accepted with rationale',
  'not-estimated': 'not estimated',
};

export function renderSecurityText(report: SecurityReport, viewsWritten?: string): string {
  const out: string[] = [];
  const s = report.summary;
  out.push(`Security risk management: ${report.device}`, '');
  out.push(
    `${s.threatModels} threat model(s), ${s.interfaces} interface(s) (${s.interfacesWithoutThreats} without threats), ${s.threats} threat(s), ${s.risks} security risk(s) (${s.unacceptable} unacceptable, ${s.notEstimated} not estimated), ${s.controls} control(s), ${s.traceGaps} trace gap(s), ${s.securityTests} security test(s) (${s.openFindings} open finding(s))`,
  );
  if (!report.policy) {
    out.push(
      'dossier.yaml has no `securityRisk` policy: no security risk is estimated (see docs/security-report.md).',
    );
  }

  out.push('', 'Threat model', '============');
  if (report.threatModels.length === 0) out.push('No threat model record (kind threat-model).');
  for (const m of report.threatModels) {
    out.push(`${m.id} ${m.title}`);
    out.push(`  Method: ${m.method ?? 'not stated'}`);
    if (m.scope) out.push(`  Scope: ${m.scope}`);
    out.push(
      `  Covers: ${list(
        m.covers.map((c) => `${c.id} ${c.title}`),
        'no software item',
      )}`,
    );
    out.push(
      `  Trust boundaries: ${list(
        m.trustBoundaries.map((b) => b.name),
        'none recorded',
      )}`,
    );
    out.push('', '  Interfaces:');
    if (m.interfaces.length === 0) out.push('  none recorded');
    else
      out.push(
        ...textTable(
          ['Interface', 'Protocol', 'External', 'Boundary', 'Threats'],
          m.interfaces.map((i) => [
            `${i.key} (${i.name})`,
            i.protocol ?? '—',
            i.external ? 'external' : 'internal',
            i.boundary ?? '—',
            list(i.threats, 'NONE: not assessed'),
          ]),
          { rule: '-' },
        ).map((l) => `  ${l}`),
      );
    out.push('', '  Assets:');
    if (m.assets.length === 0) out.push('  none recorded');
    else
      out.push(
        ...textTable(
          ['Asset', 'Patient safety', 'Threats'],
          m.assets.map((a) => [
            `${a.key} (${a.name})`,
            a.patientSafety ? 'yes' : 'no',
            list(a.threats, 'none'),
          ]),
          { rule: '-' },
        ).map((l) => `  ${l}`),
      );
    if (m.assumptions.length > 0) out.push('', '  Assumptions:', ...m.assumptions.map((a) => `  - ${a}`));
    out.push('');
  }
  if (report.threats.length > 0) {
    out.push(
      ...textTable(
        ['Threat', 'STRIDE', 'Entry points', 'Assets', 'Risks'],
        report.threats.map((t) => [
          `${t.id} ${t.title}`,
          t.stride.join(', '),
          list(t.entryPoints),
          list(t.assets),
          list(t.risks, MISSING),
        ]),
        { rule: '-', maxWidth: 50 },
      ),
    );
  }

  out.push('', 'Security risks', '==============');
  if (report.risks.length === 0) out.push('No security risk record (kind security-risk).');
  for (const r of report.risks) {
    out.push(
      `${r.id} ${r.title}${r.multiPatientHarm ? '  [multi-patient harm]' : r.patientHarm ? '  [patient harm]' : ''}`,
    );
    out.push(
      `  Before control: ${estimateText(r.initial)}${r.initial ? `: ${r.initial.acceptable ? 'acceptable' : 'unacceptable'}` : ''}`,
    );
    out.push(
      `  After control:  ${r.residual ? `${estimateText(r.residual)}: ${r.residual.acceptable ? 'acceptable' : 'unacceptable'}` : 'not estimated (the estimate before control stands)'}`,
    );
    out.push(`  Acceptability:  ${ACCEPTABILITY_TEXT[r.acceptability]}`);
    if (r.acceptance) out.push(`  Acceptance:     ${r.acceptance}`);
    if (r.missing.length > 0) out.push(`  Missing:        ${r.missing.join(', ')}`);
    if (r.invalid.length > 0) out.push(`  Not on the scale: ${r.invalid.join(', ')}`);
    out.push(`  Threats:        ${list(r.threats, MISSING)}`);
    out.push(`  Controls:       ${list(r.controls, 'none')}`);
    out.push(
      `  Hazardous situations: ${list(
        r.hazardousSituations.map((h) => `${h.id} ${h.title}`),
        'none linked',
      )}`,
    );
  }

  out.push('', 'Security controls by category (FDA premarket cybersecurity guidance, Appendix 1)');
  out.push('===============================================================================');
  out.push(
    ...textTable(
      ['Category', 'Controls'],
      report.controlCategories.map((c) => [c.label, list(c.controls, 'none')]),
      { rule: '-' },
    ),
  );
  if (report.controls.length > 0) {
    out.push('');
    out.push(
      ...textTable(
        ['Control', 'Categories', 'Risks', 'Requirements', 'Tests'],
        report.controls.map((c) => [
          `${c.id} ${c.title}`,
          c.categories.join(', '),
          list(c.risks, MISSING),
          list(c.requirements, MISSING),
          list([...c.tests, ...c.securityTests], MISSING),
        ]),
        { rule: '-', maxWidth: 50 },
      ),
    );
  }

  out.push(
    '',
    'Traceability: threat → risk → control → requirement → test',
    '===========================================================',
  );
  if (report.trace.length === 0) out.push('Nothing to trace: no threats, security risks or controls.');
  else
    out.push(
      ...textTable(
        ['Threat', 'Risk', 'Control', 'Requirement', 'Tests', 'Gaps'],
        report.trace.map((row) => [
          row.threat ?? MISSING,
          row.risk ?? MISSING,
          row.control ?? (row.controlNeeded === false ? 'none needed (acceptable)' : MISSING),
          row.requirement ?? (row.controlNeeded === false ? '—' : MISSING),
          list(row.tests, row.controlNeeded === false ? '—' : MISSING),
          row.missing.length > 0 ? `missing ${row.missing.join(', ')}` : '',
        ]),
        { rule: '-' },
      ),
    );

  out.push('', 'Security testing', '================');
  if (report.testing.length === 0) out.push('No security test record (kind security-test).');
  else
    out.push(
      ...textTable(
        ['Test', 'Type', 'Tester', 'Independent', 'Version', 'Findings'],
        report.testing.map((t) => [
          `${t.id} ${t.title}`,
          t.testType,
          t.tester
            ? `${t.tester.name}${t.tester.organisation && t.tester.organisation !== t.tester.name ? ` (${t.tester.organisation})` : ''}`
            : 'not recorded',
          t.tester ? (t.tester.independent ? 'yes' : 'no') : 'not recorded',
          t.softwareVersion ?? 'not recorded',
          t.findings.total === 0
            ? 'none'
            : `${t.findings.total}: ${t.findings.open} open, ${t.findings.resolved} resolved, ${t.findings['problem-report']} to problem report, ${t.findings.accepted} accepted`,
        ]),
        { rule: '-', maxWidth: 44 },
      ),
    );
  const open = report.testing.flatMap((t) =>
    t.openFindings.map(
      (f) => `  ${t.id} ${f.id ? `${f.id} ` : ''}${f.title}${f.severity ? ` (${f.severity})` : ''}`,
    ),
  );
  if (open.length > 0) out.push('', 'Open findings:', ...open);

  out.push('', 'Security architecture views', '===========================');
  out.push(
    ...report.views.map((v) =>
      `  ${v.title}: ${viewsWritten ? `${viewsWritten}/${v.file}` : v.file} `.trimEnd(),
    ),
  );
  if (!viewsWritten) out.push('  (written as SVG with --out DIR)');
  return `${out.join('\n')}\n`;
}

const SOURCE_TEXT: Record<SecurityPostmarket['open'][number]['source'], string> = {
  'soup-finding': 'SOUP',
  'problem-report': 'problem report',
  'security-test-finding': 'security test',
};

function measureText(m: SecurityPostmarket['metrics']['vulnerabilities'][number]['toFix']): string {
  return m.days === null
    ? `not computable: ${m.reason}`
    : `${m.days} days (${m.from} → ${m.to}; ${m.evidence})`;
}

/** The text form of `dossier security report`. */
export function renderPostmarketText(report: SecurityPostmarket): string {
  const out: string[] = [];
  out.push(`Cybersecurity postmarket report: ${report.device} (on ${report.today})`, '');
  out.push(
    report.patchDays
      ? `Patch timelines (security.patchDays): critical ${report.patchDays.critical} days, major ${report.patchDays.major} days, minor ${report.patchDays.minor} days`
      : 'Patch timelines: not configured (dossier.yaml security.patchDays): no deadline is computed',
  );
  out.push(
    report.soup.checked
      ? `SOUP vulnerabilities: ${report.soup.scanned} SOUP item(s) checked against advisory data${report.soup.notChecked.length > 0 ? `; not checked: ${report.soup.notChecked.map((n) => `${n.soup} (${n.why})`).join(', ')}` : ''}`
      : `SOUP vulnerabilities: NOT CHECKED: ${report.soup.reason}`,
  );

  const overdue = report.open.filter((o) => o.overdue).length;
  const heading = `Open (${report.open.length}, ${overdue} overdue)`;
  out.push('', heading, '='.repeat(heading.length));
  if (report.open.length === 0) out.push('Nothing open.');
  else
    out.push(
      ...textTable(
        ['Source', 'Item', 'Criticality', 'Identified', 'Deadline', 'Status'],
        report.open.map((o) => [
          SOURCE_TEXT[o.source],
          `${o.id}: ${o.title}`,
          `${o.criticality} (${o.criticalityBasis})`,
          o.identified ?? 'not recorded',
          o.deadline ?? 'none',
          o.deadline === null
            ? (o.deadlineNote ?? '')
            : o.overdue
              ? `OVERDUE by ${-o.daysLeft!} days`
              : `${o.daysLeft} days left`,
        ]),
        { rule: '-', maxWidth: 60 },
      ),
    );

  const m = report.metrics;
  out.push('', 'Metrics (total product life cycle)', '==================================');
  if (m.vulnerabilities.length === 0)
    out.push('No problem report with origin vulnerability: nothing to measure.');
  for (const v of m.vulnerabilities) {
    out.push(`${v.problemReport} ${v.title} (${v.state})`);
    out.push(`  identification → fix:            ${measureText(v.toFix)}`);
    out.push(`  identification → deployed update: ${measureText(v.toDeployedUpdate)}`);
  }
  const line = (name: string, s: SecurityPostmarket['metrics']['summary']['toFix']) =>
    `${name}: ${s.computed} computed, ${s.notComputable} not computable${s.medianDays !== null ? `; median ${s.medianDays} days, longest ${s.maxDays} days` : ''}`;
  out.push(
    '',
    line('Time to fix', m.summary.toFix),
    line('Time to deployed update', m.summary.toDeployedUpdate),
    `Devices updated: ${m.summary.devicesUpdated.reason}`,
  );
  return `${out.join('\n')}\n`;
}
