/**
 * The starter of a `profile: production-software` project (`dossier init --profile
 * production-software`; docs/csa.md): the intended use, one high and one not-high feature, a
 * scripted test with a sample manual run, a sample unscripted session and a validation decision,
 * so that `dossier check` passes and the Software Validation Report builds. Every record is a
 * draft whose title says SAMPLE, and the decision is `not-acceptable` until the user has done the
 * validation: the starter can never produce a report that reads as a finished validation.
 */
import { RULESET_VERSION } from '../version.js';

export interface ProductionStarterOptions {
  /** The devices the software is used for. */
  readonly name: string;
  readonly manufacturer: string;
  /** The date the sample records carry. */
  readonly date: string;
}

const yamlString = (s: string) => JSON.stringify(s);

export function productionStarterFiles(options: ProductionStarterOptions): Record<string, string> {
  const on = options.date;
  return {
    'dossier.yaml': `# Dossier project configuration for software used in production or the quality system,
# validated under FDA Computer Software Assurance (docs/csa.md). Reference: docs/config.md
ruleset: "${RULESET_VERSION}"       # the rules whose verdicts this project follows; move it with dossier migrate
profile: production-software   # judged against the CSA criteria, not IEC 62304
device:
  name: ${yamlString(options.name)}        # the devices the system is used for
  manufacturer: ${yamlString(options.manufacturer)}   # who uses and validates the system
software:
  system: IU-001          # the intended-use record of the system validated
  version: "1.0.0"        # the version validated: change it to yours
records:                  # where records live (globs relative to this file)
  - records/**/*.md
  - records/**/*.yaml
`,
    'records/IU-001.md': `---
id: IU-001
kind: intended-use
title: "SAMPLE: intended use of the system"
status: draft
supplier: Replace with the vendor and product, or the in-house team that builds it
deployment: Replace with on premises, SaaS, PaaS or IaaS, and where it runs
processes: Replace with the production or quality processes (and their procedures) that use it
users: Replace with who uses it and which human reviews follow its output
---
Replace this sample with what the software does, in which process, for whom, and which decisions
rest on its output (FDA CSA V.A(1)).
`,
    'records/features/features.yaml': `# Each feature the intended use relies on, with its process risk (FDA CSA V.A(2)).
kind: feature
records:
  - id: FEAT-001
    title: "SAMPLE: a feature whose failure could compromise safety"
    status: draft
    intendedUse: IU-001
    processRisk: high
    riskRationale: Replace with what a failure could cause and why nothing downstream would catch it.
    assurance: [scripted]
    text: Replace with what the feature does.

  - id: FEAT-002
    title: "SAMPLE: a feature whose output people review"
    status: draft
    intendedUse: IU-001
    processRisk: not-high
    riskRationale: Replace with why a failure would be caught before it matters, e.g. by a human review.
    assurance: [unscripted]
    text: Replace with what the feature does.
`,
    'records/tests/scripted-tests.yaml': `# Scripted tests of the high process risk features (FDA CSA V.A(4)).
kind: test
records:
  - id: TC-001
    title: "SAMPLE: scripted test of FEAT-001"
    status: draft
    level: validation
    verifies: [FEAT-001]
    procedure: Replace with the inputs and steps.
    expectedResults: Replace with the expected results.
    acceptanceCriteria: Replace with the pass/fail criteria.
    text: Replace with what the test shows.
`,
    'records/evidence/RUN-001.yaml': `# SAMPLE: replace with your run, recorded by hand or imported from a JUnit report
# (dossier evidence import report.xml --version 1.0.0 --executed-by "NAME").
kind: test-run
records:
  - id: RUN-001
    title: "SAMPLE: manual run of the scripted tests"
    status: draft
    version: "1.0.0"
    date: ${on}
    executedBy: SAMPLE, replace with the tester's name and role
    environment: Replace with the system, its configuration and the test environment
    tools: [Replace with the tools used and their versions]
    manual: true
    results:
      - test: TC-001
        outcome: passed
        message: SAMPLE result, replace with the actual result
`,
    'records/assurance/AA-001.md': `---
id: AA-001
kind: assurance-activity
title: "SAMPLE: unscripted session on FEAT-002"
status: draft
method: unscripted
version: "1.0.0"
date: ${on}
performedBy: SAMPLE, replace with the tester's name and role
outcome: passed
assures: [FEAT-002]
evidence: Replace with where the session notes are kept
---
Replace with what was exercised, what was looked for, and the issues found (list them in
\`issues\` with their disposition).
`,
    'records/VD-001.md': `---
id: VD-001
kind: validation-decision
title: "SAMPLE: validation decision"
status: draft
version: "1.0.0"
decision: not-acceptable
decidedBy: SAMPLE, replace with who decides (name and role)
date: ${on}
---
The validation is not done: the records of this project are samples. Change the decision to
acceptable (or acceptable-with-restrictions, with the restrictions) only when every feature has the
assurance its process risk needs on the version validated.
`,
  };
}
