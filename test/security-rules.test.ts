import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import type { Diagnostic } from '../src/diagnostics/diagnostic.js';
import { RULES } from '../src/rules/registry.js';
import { CONFIG, check, starterProject, withCyberDevice } from './helpers.js';

/** The starter dossier.yaml, declared a cyber device, with a security risk policy. */
function config(cyberDevice: boolean | 'undeclared' = true, policy = true): string {
  let text = withCyberDevice(CONFIG, cyberDevice);
  if (policy)
    text += `securityRisk:
  impact:
    - { key: low, label: Low }
    - { key: high, label: High }
  exploitability:
    - { key: low, label: Low }
    - { key: high, label: High }
  acceptability:
    low: [acceptable, acceptable]
    high: [acceptable, unacceptable]
`;
  return text;
}

const THREAT_MODEL = `---
id: TM-001
title: Threat model of the device
status: draft
method: STRIDE per data flow
assets:
  - { key: therapy, name: Therapy parameters, patientSafety: true }
  - { key: log, name: Event log }
trustBoundaries:
  - { key: network, name: Hospital network }
interfaces:
  - { key: wifi, name: Wi-Fi to the server, protocol: HTTPS, external: true, boundary: network }
  - { key: usb, name: Service USB port, external: true }
softwareItems: [SI-001]
---
The whole system.
`;

const threat = (id: string, entryPoints: string, assets = '[therapy]', model = 'threatModel: TM-001\n') =>
  `---\nid: ${id}\ntitle: Threat ${id}\nstatus: draft\n${model}stride: [tampering]\nentryPoints: ${entryPoints}\nassets: ${assets}\n---\nAn attacker tampers with the therapy.\n`;

const RISK = `kind: security-risk
records:
  - id: SR-001
    title: Therapy tampered with over the network or the USB port
    threats: [THR-001, THR-002]
    exploitability: high
    impact: high
    residualExploitability: low
    residualImpact: high
    patientHarm: true
    leadsTo: [HS-001]
    text: Therapy changed by an attacker.
`;

const CONTROL = `---
id: SC-001
title: Authenticated and encrypted transport
status: draft
categories: [authentication, cryptography]
mitigates: [SR-001]
softwareRequirements: [SRS-001]
---
Mutual TLS.
`;

const CAMPAIGN = `---
id: ST-001
title: Penetration test of 1.0
status: draft
testType: penetration
date: 2026-05-01
softwareVersion: "1.0.0"
tester: { name: Red team, organisation: Example Labs, independent: true, expertise: OSCP }
outcome: passed-with-actions
tested: [SC-001, THR-001]
findings:
  - { id: F-1, title: Verbose banner, severity: low, disposition: resolved, resolution: Banner removed in 1.0.1 }
  - { id: F-2, title: Weak PIN lockout, severity: medium, cwe: CWE-307, disposition: problem-report, problemReport: PR-001 }
---
Scope: network and USB.
`;

const PROBLEM = `---
id: PR-001
title: PIN lockout too lenient
status: draft
state: open
origin: internal-test
securityAssessment: Exploitable by an attacker with physical access; CWE-307.
---
Five attempts are not enough.
`;

const LABELING = `kind: security-labeling
records:
  - id: LAB-001
    title: Security guide
    topics: [sbom, end-of-support, update-instructions]
    document: SG-001 rev A
    text: The security guide for hospital IT.
`;

const PLAN = `---
id: PLAN-009
title: Cybersecurity management plan
status: draft
planType: cybersecurity
disclosureContact: security@example.com (PGP key on the website)
---
## Monitoring
Weekly.
## Coordinated vulnerability disclosure
Reports to the contact.
## Updates and patches
Yearly.
## Timelines
Five days.
`;

/** A cyber device whose security records are complete; tests replace or remove files. */
function secureProject(overrides: Record<string, string> = {}, configText = config()): string {
  const files: Record<string, string> = {
    'dossier.yaml': configText,
    'records/security/threat-model.md': THREAT_MODEL,
    'records/security/THR-001.md': threat('THR-001', '[wifi]'),
    'records/security/THR-002.md': threat('THR-002', '[usb]'),
    'records/security/risks.yaml': RISK,
    'records/security/SC-001.md': CONTROL,
    'records/security/ST-001.md': CAMPAIGN,
    'records/problems/PR-001.md': PROBLEM,
    'records/security/labeling.yaml': LABELING,
    'records/plans/PLAN-009.md': PLAN,
    ...overrides,
  };
  return starterProject(Object.fromEntries(Object.entries(files).filter(([, v]) => v !== '')));
}

const security = (diagnostics: readonly Diagnostic[], code?: string) =>
  diagnostics.filter((d) => (code ? d.code === code : d.code.startsWith('security/')));

describe('cybersecurity rules (issue 16 §2)', () => {
  it('a complete cyber device has no security finding', () => {
    expect(security(check(secureProject()))).toEqual([]);
  });

  it('every security rule is a table rule whose clauses apply at every class, with a hint', () => {
    const rules = RULES.filter((r) => r.code.startsWith('security/'));
    expect(rules.map((r) => r.code).sort()).toEqual([
      'security/anomaly-unassessed',
      'security/control-untraced',
      'security/control-unverified',
      'security/finding-open',
      'security/interface-unassessed',
      'security/labeling-missing',
      'security/plan-missing',
      'security/risk-incomplete',
      'security/risk-uncontrolled',
      'security/safety-handover',
      'security/tester-independence',
      'security/threat-model-missing',
      'security/threat-unassessed',
      'security/unknown-key',
    ]);
    for (const rule of rules) {
      expect(rule.hint.length, rule.code).toBeGreaterThan(20);
      expect(rule.applicability, rule.code).toBe(rule.code === 'security/unknown-key' ? 'fixed' : 'table');
    }
  });

  it('security/threat-model-missing, plan-missing and labeling-missing: a cyber device without them', () => {
    const dir = secureProject({
      'records/security/threat-model.md': '',
      'records/security/THR-001.md': '',
      'records/security/THR-002.md': '',
      'records/security/risks.yaml': '',
      'records/security/SC-001.md': '',
      'records/security/ST-001.md': '',
      'records/security/labeling.yaml': '',
      'records/plans/PLAN-009.md': '',
    });
    const found = security(check(dir));
    expect(found.map((d) => d.code).sort()).toEqual([
      'security/labeling-missing',
      'security/plan-missing',
      'security/threat-model-missing',
    ]);
    // At the `cyberDevice: true` line, wherever the starter config puts it.
    const line =
      fs
        .readFileSync(path.join(dir, 'dossier.yaml'), 'utf8')
        .split('\n')
        .findIndex((l) => l.includes('cyberDevice: true')) + 1;
    expect(line).toBeGreaterThan(0);
    for (const d of found) expect(d).toMatchObject({ severity: 'error', file: 'dossier.yaml', line });
    expect(found.find((d) => d.code === 'security/labeling-missing')!.message).toContain(
      'sbom, end-of-support, update-instructions',
    );
  });

  it('the cyber-device rules stay quiet unless dossier.yaml declares a cyber device', () => {
    for (const declared of [false, 'undeclared'] as const) {
      const dir = secureProject(
        {
          'records/security/threat-model.md': '',
          'records/security/THR-001.md': '',
          'records/security/THR-002.md': '',
          'records/security/risks.yaml': '',
          'records/security/SC-001.md': '',
          'records/security/ST-001.md': '',
          'records/security/labeling.yaml': '',
          'records/plans/PLAN-009.md': '',
          'records/problems/PR-001.md': PROBLEM.replace(/^securityAssessment:.*\n/m, ''),
        },
        config(declared),
      );
      expect(security(check(dir))).toEqual([]);
    }
  });

  it('security/plan-missing: a cybersecurity plan without a disclosure contact', () => {
    const dir = secureProject({ 'records/plans/PLAN-009.md': PLAN.replace(/^disclosureContact:.*\n/m, '') });
    expect(security(check(dir))).toMatchObject([
      { code: 'security/plan-missing', recordId: 'PLAN-009', file: 'records/plans/PLAN-009.md', line: 2 },
    ]);
  });

  it('security/labeling-missing names the topics no labeling covers', () => {
    const dir = secureProject({ 'records/security/labeling.yaml': LABELING.replace('sbom, ', '') });
    const [d] = security(check(dir));
    expect(d).toMatchObject({ code: 'security/labeling-missing' });
    expect(d!.message).toContain('no security-labeling record covers sbom (LAB-001 cover');
  });

  it('security/interface-unassessed: an interface no threat enters through', () => {
    const dir = secureProject({ 'records/security/THR-002.md': threat('THR-002', '[wifi]') });
    expect(security(check(dir))).toMatchObject([
      {
        code: 'security/interface-unassessed',
        recordId: 'TM-001',
        file: 'records/security/threat-model.md',
        line: 13,
      },
    ]);
    expect(security(check(dir))[0]!.message).toContain('"usb" (Service USB port)');
  });

  it('security/unknown-key: entry points, assets and boundaries the model does not define', () => {
    const dir = secureProject({
      'records/security/THR-002.md': threat('THR-002', '[usb, wfii]', '[therapy, keys]'),
      'records/security/threat-model.md': THREAT_MODEL.replace('boundary: network', 'boundary: internet'),
    });
    const found = security(check(dir), 'security/unknown-key');
    expect(found.map((d) => [d.recordId, d.line])).toEqual([
      ['THR-002', 7],
      ['THR-002', 8],
      ['TM-001', 12],
    ]);
    expect(found[0]!.message).toContain('did you mean "wifi"');
    expect(found.every((d) => d.severity === 'error')).toBe(true);
    // A threat outside any model cannot resolve its keys.
    const orphan = secureProject({
      'records/security/THR-002.md': threat('THR-002', '[usb]', '[therapy]', ''),
    });
    expect(security(check(orphan), 'security/unknown-key')[0]!.message).toContain(
      'belongs to no threat model',
    );
  });

  it('security/threat-unassessed: a threat no security risk covers', () => {
    const dir = secureProject({
      'records/security/risks.yaml': RISK.replace('[THR-001, THR-002]', '[THR-001]'),
    });
    expect(security(check(dir))).toMatchObject([{ code: 'security/threat-unassessed', recordId: 'THR-002' }]);
  });

  it('security/risk-incomplete: no policy is one finding on dossier.yaml; missing and unknown levels', () => {
    const noPolicy = security(check(secureProject({}, config(true, false))));
    expect(noPolicy).toMatchObject([{ code: 'security/risk-incomplete', file: 'dossier.yaml' }]);
    expect(noPolicy[0]!.message).toContain('no `securityRisk` section');
    const dir = secureProject({
      'records/security/risks.yaml': RISK.replace('    exploitability: high\n', '').replace(
        'residualImpact: high',
        'residualImpact: hihg',
      ),
    });
    const found = security(check(dir), 'security/risk-incomplete');
    expect(found.map((d) => d.message)).toEqual([
      'SR-001 has no exploitability, so its security risk cannot be evaluated',
      'SR-001.residualImpact is "hihg", which is not an impact level (did you mean "high"?)',
    ]);
    expect(found[1]!.line).toBe(8);
  });

  it('security/risk-uncontrolled: unacceptable without a control, and after controls without acceptance', () => {
    const uncontrolled = secureProject({ 'records/security/SC-001.md': '' });
    expect(security(check(uncontrolled), 'security/risk-uncontrolled')).toMatchObject([
      { recordId: 'SR-001', line: 6 },
    ]);
    const residual = secureProject({
      'records/security/risks.yaml': RISK.replace(
        'residualExploitability: low',
        'residualExploitability: high',
      ),
    });
    const [d] = security(check(residual), 'security/risk-uncontrolled');
    expect(d!.message).toContain('still unacceptable after its controls (High impact × High exploitability)');
    const accepted = secureProject({
      'records/security/risks.yaml': RISK.replace(
        'residualExploitability: low',
        'residualExploitability: high\n    acceptance: Benefit outweighs the residual risk; the attack needs physical access.',
      ),
    });
    expect(security(check(accepted), 'security/risk-uncontrolled')).toEqual([]);
    const noResidual = secureProject({
      'records/security/risks.yaml': RISK.replace(
        '    residualExploitability: low\n    residualImpact: high\n',
        '',
      ),
    });
    expect(security(check(noResidual), 'security/risk-uncontrolled')[0]!.message).toContain(
      'has no residual estimate after its controls (SC-001)',
    );
  });

  it('security/safety-handover: a risk to patients that leads to no hazardous situation', () => {
    const dir = secureProject({ 'records/security/risks.yaml': RISK.replace('    leadsTo: [HS-001]\n', '') });
    expect(security(check(dir))).toMatchObject([
      { code: 'security/safety-handover', recordId: 'SR-001', line: 10 },
    ]);
    const noHarm = secureProject({
      'records/security/risks.yaml': RISK.replace('    leadsTo: [HS-001]\n', '').replace(
        'patientHarm: true',
        'patientHarm: false',
      ),
    });
    expect(security(check(noHarm))).toEqual([]);
  });

  it('security/control-untraced and security/control-unverified', () => {
    const dir = secureProject({
      'records/security/SC-001.md': CONTROL.replace('softwareRequirements: [SRS-001]\n', ''),
      'records/security/ST-001.md': CAMPAIGN.replace('tested: [SC-001, THR-001]', 'tested: [THR-001]'),
    });
    expect(security(check(dir)).map((d) => [d.code, d.recordId])).toEqual([
      ['security/control-untraced', 'SC-001'],
      ['security/control-unverified', 'SC-001'],
    ]);
    // A failed campaign verifies nothing; a test that verifies the control does.
    const failed = secureProject({
      'records/security/ST-001.md': CAMPAIGN.replace('passed-with-actions', 'failed'),
    });
    expect(security(check(failed)).map((d) => d.code)).toEqual(['security/control-unverified']);
    const byTest = secureProject({
      'records/security/ST-001.md': CAMPAIGN.replace('passed-with-actions', 'failed'),
      'records/tests/security-tests.yaml':
        'kind: test\nrecords:\n  - id: TC-050\n    title: TLS rejects a rogue server\n    level: system\n    verifies: [SC-001]\n    procedure: Connect to a rogue server.\n    expectedResults: Refused.\n    acceptanceCriteria: Refused in 10 of 10 trials.\n',
    });
    expect(security(check(byTest))).toEqual([]);
  });

  it('security/finding-open: open, unnamed or wrong problem report, resolution without text', () => {
    const findings = `findings:
  - { title: Open one, disposition: open }
  - { title: No PR, disposition: problem-report }
  - { title: Wrong PR, disposition: problem-report, problemReport: SC-001 }
  - { title: Missing PR, disposition: problem-report, problemReport: PR-077 }
  - { title: Accepted, disposition: accepted }
  - { title: Resolved, disposition: resolved }
  - { title: Good, disposition: accepted, resolution: Needs physical access and the service PIN. }
---`;
    const dir = secureProject({
      'records/security/ST-001.md': CAMPAIGN.replace(/findings:[\s\S]*?---/, findings),
    });
    const found = security(check(dir), 'security/finding-open');
    expect(found.map((d) => d.message)).toEqual([
      'ST-001 finding 1 (Open one) is open',
      'ST-001 finding 2 (No PR) was turned into a problem report, but names none (`problemReport`)',
      'ST-001 finding 3 (Wrong PR) names SC-001 as its problem report, but SC-001 is a security-control',
      'ST-001 finding 4 (Missing PR) names PR-077 as its problem report, but no record has that id',
      'ST-001 finding 5 (Accepted) is accepted without a reason (`resolution`)',
      'ST-001 finding 6 (Resolved) is resolved without saying how (`resolution`)',
    ]);
    expect(found.map((d) => d.line)).toEqual([12, 13, 14, 15, 16, 17]);
  });

  it('security/tester-independence: no tester; a penetration test by the developers without a reason', () => {
    const noTester = secureProject({ 'records/security/ST-001.md': CAMPAIGN.replace(/^tester:.*\n/m, '') });
    expect(security(check(noTester))).toMatchObject([
      { code: 'security/tester-independence', recordId: 'ST-001' },
    ]);
    const inHouse = secureProject({
      'records/security/ST-001.md': CAMPAIGN.replace('independent: true', 'independent: false'),
    });
    expect(security(check(inHouse))).toMatchObject([{ code: 'security/tester-independence', line: 8 }]);
    const explained = secureProject({
      'records/security/ST-001.md': CAMPAIGN.replace(
        'independent: true',
        'independent: false, independence: "Product security team, no design role in the tested items"',
      ),
    });
    expect(security(check(explained))).toEqual([]);
    // Fuzzing by the developers is not a penetration test: saying who tested is enough.
    const fuzzing = secureProject({
      'records/security/ST-001.md': CAMPAIGN.replace('independent: true', 'independent: false').replace(
        'testType: penetration',
        'testType: fuzzing',
      ),
    });
    expect(security(check(fuzzing))).toEqual([]);
  });

  it('security/anomaly-unassessed: an open problem report without a security assessment', () => {
    const dir = secureProject({
      'records/problems/PR-001.md': PROBLEM.replace(/^securityAssessment:.*\n/m, ''),
    });
    expect(security(check(dir))).toMatchObject([
      { code: 'security/anomaly-unassessed', recordId: 'PR-001', file: 'records/problems/PR-001.md' },
    ]);
    const closed = secureProject({
      'records/problems/PR-001.md': PROBLEM.replace(/^securityAssessment:.*\n/m, '').replace(
        'state: open',
        'state: closed',
      ),
    });
    expect(security(check(closed))).toEqual([]);
  });
});
