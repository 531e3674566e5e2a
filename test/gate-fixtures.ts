/** Fixtures shared by the release-gate tests: small records added to the starter project. */
import fs from 'node:fs';
import path from 'node:path';
import { loadProject } from '../src/load/project.js';
import { fingerprint } from '../src/model/fingerprint.js';
import { runCli, starterProject } from './helpers.js';

/** The fingerprint of a starter record as `dossier init` writes it. */
function starterFingerprint(id: string): string {
  const loaded = loadProject(starterProject());
  const record = loaded.ok ? loaded.project.records.find((r) => r.id === id) : undefined;
  if (!record) throw new Error(`the starter has no ${id}`);
  return fingerprint(record);
}

/** An integration test of the starter's SI-002; its link was reviewed when it was written. */
export const INTEGRATION = `kind: test
records:
  - id: TC-003
    title: Therapy control with the delivery simulator
    level: integration
    verifies: [SI-002]
    procedure: Run therapy control against the delivery simulator with valid and faulty deliveries.
    expectedResults: Valid deliveries follow the programme; a simulated fault stops delivery with an alarm.
    acceptanceCriteria: All scenarios as expected.
    linkReviews:
      - SI-002 ${starterFingerprint('SI-002')} 2026-09-01 T. Engineer
`;

export const RELEASE = `---
id: REL-001
title: Software 0.1.0
status: approved
version: 0.1.0
date: 2026-10-01
buildProcedure: CI pipeline build.yml, tag v0.1.0.
buildEnvironment: Debian 12, GCC 12.2.
archive: Release archive on the document server.
delivery: Signed image through the update server.
approvedBy: A. Quality (QA/RA) and B. Lead (R&D), release review RR-0.1.0
approvedOn: 2026-09-30
configuration:
  commit: 0123456789abcdef0123456789abcdef01234567
  tag: v0.1.0
  soup: []
  items:
    - { id: SI-001, version: 0.1.0 }
    - { id: SI-002, version: 0.1.0 }
---
First release.
`;

/** Loads advisory data that affects nothing of the project into its default store (.dossier/). */
export function withAdvisoryData(dir: string): void {
  const osv = {
    id: 'x_TEST-0001',
    modified: '2026-11-01T00:00:00Z',
    affected: [
      {
        package: { ecosystem: 'npm', name: 'left-pad' },
        ranges: [{ type: 'SEMVER', events: [{ introduced: '0' }] }],
      },
    ],
  };
  fs.mkdirSync(path.join(dir, 'osv'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'osv/x_TEST-0001.json'), JSON.stringify(osv));
  const imported = runCli(['advisories', 'import', 'osv', '-C', '.', '-q'], dir);
  if (imported.code !== 0) throw new Error(imported.stderr);
}
