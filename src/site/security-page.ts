/**
 * The security page and its JSON: the data of `dossier security` (src/security/security-report.ts)
 * as the site shows it. Whether the page has anything to show is decided here once, for the page and
 * the API alike: a device that is (or may be) a cyber device without security records is told what
 * is missing, in red; a device that says it is not one is told so; never an empty page.
 */
import { kindSpec } from '../model/kinds.js';
import { hasSecurityRecords, SECURITY_KINDS, type SecurityReport } from '../security/security-report.js';
import type { SiteData } from './data.js';
import { badge, e, type Page, table } from './layout.js';
import { SECURITY } from './paths.js';

type Body = Omit<Page, 'device'>;

export type SecurityStatus =
  /** Security records exist: the report is shown. */
  | { readonly state: 'reported'; readonly cyberDevice: boolean | null }
  /** A cyber device (or one that does not say) without security records: what is missing. */
  | { readonly state: 'missing'; readonly cyberDevice: boolean | null; readonly missing: readonly string[] }
  /** `device.cyberDevice: false` and no security records. */
  | { readonly state: 'not-cyber-device'; readonly cyberDevice: false };

export function securityStatus(data: SiteData): SecurityStatus {
  const cyber = data.analysis.project.config.device.cyberDevice;
  const cyberDevice = cyber ?? null;
  if (hasSecurityRecords(data.analysis.graph)) return { state: 'reported', cyberDevice };
  if (cyber === false) return { state: 'not-cyber-device', cyberDevice: false };
  return {
    state: 'missing',
    cyberDevice,
    missing: SECURITY_KINDS.map((k) => `${kindSpec(k).label} records (kind: ${k})`),
  };
}

type RecordLink = (from: string, id: string) => string;

export function securityPage(data: SiteData, recordLink: RecordLink): Body {
  const path = SECURITY;
  const status = securityStatus(data);
  const cyber = data.analysis.project.config.device.cyberDevice;
  const said =
    cyber === true
      ? 'dossier.yaml says the device is a cyber device (device.cyberDevice: true).'
      : cyber === false
        ? 'dossier.yaml says the device is not a cyber device (device.cyberDevice: false).'
        : 'dossier.yaml does not say whether the device is a cyber device (device.cyberDevice); it is treated as one.';
  let body: string;
  if (status.state === 'not-cyber-device')
    body = `<p>${badge('unknown', 'not a cyber device')} ${e(said)} No security records, and none are asked for.</p>`;
  else if (status.state === 'missing')
    body = `<p>${badge('bad', 'MISSING: no security records')} ${e(said)} FD&amp;C Act 524B and the FDA premarket cybersecurity guidance ask for a security risk management file; this project has none of:</p><ul>${status.missing
      .map((m) => `<li>${e(m)}</li>`)
      .join(
        '',
      )}</ul><p>Start with <code>dossier new threat-model</code>; <code>dossier security</code> reports them once they exist.</p>`;
  else body = `<p>${e(said)}</p>${reportHtml(data.security(), (id) => recordLink(path, id))}`;
  return {
    path,
    title: 'Security',
    section: 'Security',
    body: `<h1>Security</h1>${body}`,
  };
}

function reportHtml(report: SecurityReport, link: (id: string) => string): string {
  const s = report.summary;
  const ids = (list: readonly string[], none: string) => (list.length ? list.map(link).join(', ') : none);
  const summary = `<dl class="facts">
<dt>Threat models</dt><dd>${s.threatModels}</dd>
<dt>Interfaces</dt><dd>${s.interfaces}${s.interfacesWithoutThreats > 0 ? ` ${badge('bad', `${s.interfacesWithoutThreats} not assessed`)}` : ''}</dd>
<dt>Threats</dt><dd>${s.threats}</dd>
<dt>Security risks</dt><dd>${s.risks}${s.unacceptable > 0 ? ` ${badge('bad', `${s.unacceptable} unacceptable`)}` : ''}${s.notEstimated > 0 ? ` ${badge('unknown', `${s.notEstimated} not estimated`)}` : ''}</dd>
<dt>Security controls</dt><dd>${s.controls}${s.categoriesWithoutControls.length > 0 ? ` ${badge('warn', `${s.categoriesWithoutControls.length} of 8 categories without a control`)}` : ''}</dd>
<dt>Trace gaps</dt><dd>${s.traceGaps > 0 ? badge('bad', String(s.traceGaps)) : '0'}</dd>
<dt>Security tests</dt><dd>${s.securityTests}${s.openFindings > 0 ? ` ${badge('warn', `${s.openFindings} open findings`)}` : ''}</dd>
</dl>`;
  const models =
    report.threatModels.length === 0
      ? `<p>${badge('bad', 'no threat model')} No threat-model record: the interfaces are not modelled.</p>`
      : report.threatModels
          .map(
            (m) =>
              `<h3>${link(m.id)} ${e(m.title)}</h3>${m.method ? `<p>Method: ${e(m.method)}</p>` : ''}${table(
                `Interfaces of ${m.id}`,
                ['Interface', 'Protocol', 'External', 'Trust boundary', 'Threats'],
                m.interfaces.map((i) => [
                  `${e(i.name)} <small>(${e(i.key)})</small>`,
                  e(i.protocol ?? ''),
                  i.external ? 'yes' : 'no',
                  e(i.boundary ?? ''),
                  i.threats.length ? ids(i.threats, '') : badge('bad', 'not assessed: no threat'),
                ]),
              )}`,
          )
          .join('\n');
  const acceptability = (a: SecurityReport['risks'][number]['acceptability']) =>
    badge(
      a === 'acceptable' ? 'ok' : a === 'accepted' ? 'warn' : a === 'unacceptable' ? 'bad' : 'unknown',
      a,
    );
  const level = (x: SecurityReport['risks'][number]['initial']) =>
    x ? `${e(x.impactLabel)} × ${e(x.exploitabilityLabel)}` : badge('unknown', 'not estimated');
  const risks =
    report.risks.length === 0
      ? `<p>${badge('bad', 'no security risk')} No security-risk record.</p>`
      : table(
          'Security risks before and after control',
          [
            'Risk',
            'Title',
            'Threats',
            'Initial',
            'Controls',
            'Residual',
            'Acceptability',
            'Hazardous situations',
          ],
          report.risks.map((r) => [
            link(r.id),
            e(r.title),
            ids(r.threats, badge('warn', 'none')),
            level(r.initial),
            ids(r.controls, badge('warn', 'none')),
            r.residual ? level(r.residual) : '<small>not estimated: initial stands</small>',
            acceptability(r.acceptability),
            r.hazardousSituations.map((h) => link(h.id)).join(', '),
          ]),
        );
  const categories = table(
    'Controls by the eight categories of the FDA guidance, Appendix 1',
    ['Category', 'Controls'],
    report.controlCategories.map((c) => [e(c.label), ids(c.controls, badge('warn', 'no control'))]),
  );
  const testing =
    report.testing.length === 0
      ? `<p>${badge('bad', 'no security testing')} No security-test record.</p>`
      : table(
          'Security testing',
          ['Test', 'Type', 'Date', 'Tester', 'Outcome', 'Open findings'],
          report.testing.map((t) => [
            link(t.id),
            e(t.testType),
            e(t.date ?? ''),
            t.tester
              ? `${e(t.tester.name)}${t.tester.independent ? ' (independent)' : ''}`
              : badge('unknown', 'not said'),
            e(t.outcome ?? ''),
            t.findings.open > 0 ? badge('warn', String(t.findings.open)) : '0',
          ]),
        );
  return `<section aria-labelledby="h-sum"><h2 id="h-sum">Summary</h2>${summary}<p>The full report: <code>dossier security</code> (text or JSON, with the architecture views).</p></section>
<section aria-labelledby="h-tm"><h2 id="h-tm">Threat model</h2>${models}</section>
<section aria-labelledby="h-sr"><h2 id="h-sr">Security risks</h2>${report.policy ? '' : `<p>${badge('unknown', 'no policy')} dossier.yaml has no <code>securityRisk</code> policy: no risk is estimated.</p>`}${risks}</section>
<section aria-labelledby="h-sc"><h2 id="h-sc">Security controls</h2>${categories}</section>
<section aria-labelledby="h-st"><h2 id="h-st">Security testing</h2>${testing}</section>`;
}
