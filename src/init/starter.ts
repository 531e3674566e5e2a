import type { Profile, SafetyClass } from '../model/vocabulary.js';
import { today } from '../util/clock.js';
import { RULESET_VERSION } from '../version.js';
import { starterPlans } from './starter-plans.js';
import { productionStarterFiles } from './starter-production.js';
import { withStarterStamps } from './starter-stamps.js';

export interface StarterOptions {
  readonly name: string;
  readonly manufacturer: string;
  readonly safetyClass: SafetyClass;
  /** What the project documents (default device); production-software gets the CSA starter. */
  readonly profile?: Profile;
  /** The date of the starter's link reviews (default: today, from the clock). */
  readonly date?: string;
  /**
   * `device.cyberDevice` (FD&C 524B(c)): what the user answered, or undefined when nobody was asked,
   * which writes `false` with a comment asking them to decide (an undeclared value is a warning).
   */
  readonly cyberDevice?: boolean;
}

const yamlString = (s: string) => JSON.stringify(s);

/**
 * A starter hazardous situation whose risk calls for the declared class, so that the starter
 * project classifies as declared: C needs a serious harm that is probable when the software fails,
 * B a non-serious harm that is then frequent, A a risk that stays acceptable.
 */
const STARTER_RISK: Record<SafetyClass, { severity: string; p1: string; p2: string; harm: string }> = {
  C: { severity: 'serious', p1: 'occasional', p2: 'probable', harm: 'Serious injury from incorrect therapy' },
  B: { severity: 'minor', p1: 'occasional', p2: 'frequent', harm: 'Minor injury from delayed therapy' },
  A: { severity: 'minor', p1: 'occasional', p2: 'remote', harm: 'Discomfort from delayed therapy' },
};

/**
 * The files `dossier init` writes: a configuration with a typical 5×5 risk policy, one record of
 * each link in the main chains, and draft plans for the class (src/init/starter-plans.ts), so that
 * `dossier check` passes and users have something to copy and tailor.
 */
export function starterFiles(options: StarterOptions): Record<string, string> {
  const on = options.date ?? today();
  const unstamped =
    options.profile === 'production-software'
      ? productionStarterFiles({ name: options.name, manufacturer: options.manufacturer, date: on })
      : unstampedFiles(options);
  // The starter's links were written for their targets as they are: they start reviewed.
  const stamped = withStarterStamps(unstamped, { by: 'dossier init', on });
  return { ...withSchemaModelines(stamped), '.gitignore': GITIGNORE };
}

/** What a project keeps out of git: Dossier's caches and databases, and generated output. */
const GITIGNORE = `# Dossier's caches, advisory database and write journal (recreated as needed)
.dossier/
# generated documents and reports (dossier build --out out)
out/
`;

/**
 * The YAML language server's modeline on each YAML file, pointing at the schemas `dossier init`
 * writes to `schemas/` (`dossier schemas <dir>` rewrites them with the project's custom fields).
 */
function withSchemaModelines(files: Record<string, string>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [rel, content] of Object.entries(files)) {
    if (!/\.ya?ml$/.test(rel)) {
      out[rel] = content;
      continue;
    }
    const up = '../'.repeat(rel.split('/').length - 1);
    const schema = rel === 'dossier.yaml' ? 'config.schema.json' : 'collection.schema.json';
    out[rel] = `# yaml-language-server: $schema=${up}schemas/${schema}\n${content}`;
  }
  return out;
}

/**
 * The cyber-device declaration with what it means, so the person who reads dossier.yaml can decide:
 * the cybersecurity rules of check depend on it (docs/config.md).
 */
function cyberDeviceLines(answer: boolean | undefined): string {
  const meaning = `  # FD&C 524B(c): a device that includes software and can connect to the internet, directly or
  # indirectly (through a phone, gateway or hospital network; Wi-Fi, Bluetooth, USB and network
  # ports can count), is a cyber device. true turns on the cybersecurity rules (docs/config.md).`;
  if (answer === undefined)
    return `${meaning}
  # dossier init wrote false without asking: decide, and set true if the device is a cyber device.
  cyberDevice: false`;
  return `${meaning}
  cyberDevice: ${answer}`;
}

function unstampedFiles(options: StarterOptions): Record<string, string> {
  const risk = STARTER_RISK[options.safetyClass];
  return {
    'dossier.yaml': `# Dossier project configuration. Reference: docs/config.md
ruleset: "${RULESET_VERSION}"       # the rules whose verdicts this project follows; move it with dossier migrate
device:
  name: ${yamlString(options.name)}
  manufacturer: ${yamlString(options.manufacturer)}
  intendedUse: >
    Describe the intended use and indications for use here.
  deviceClass: II
${cyberDeviceLines(options.cyberDevice)}
software:
  system: SI-001          # the software-item record that is the software system
  safetyClass: ${options.safetyClass}
  version: 0.1.0
records:                  # where records live (globs relative to this file)
  - records/**/*.md
  - records/**/*.yaml
risk:
  severity:               # least severe first; serious = death or serious injury
    - { key: negligible, label: Negligible, serious: false }
    - { key: minor, label: Minor, serious: false }
    - { key: serious, label: Serious, serious: true }
    - { key: critical, label: Critical, serious: true }
    - { key: catastrophic, label: Catastrophic, serious: true }
  probability:            # least likely first; max = upper bound of the probability
    - { key: improbable, label: Improbable, max: 0.000001 }
    - { key: remote, label: Remote, max: 0.0001 }
    - { key: occasional, label: Occasional, max: 0.001 }
    - { key: probable, label: Probable, max: 0.01 }
    - { key: frequent, label: Frequent, max: 1 }
  acceptability:          # one row per severity, columns in probability order
    negligible:   [acceptable, acceptable, acceptable, acceptable, acceptable]
    minor:        [acceptable, acceptable, acceptable, acceptable, unacceptable]
    serious:      [acceptable, acceptable, acceptable, unacceptable, unacceptable]
    critical:     [acceptable, acceptable, unacceptable, unacceptable, unacceptable]
    catastrophic: [acceptable, unacceptable, unacceptable, unacceptable, unacceptable]
`,
    'records/user-needs/UN-001.md': `---
id: UN-001
title: Deliver the prescribed therapy
status: draft
---
The clinician needs the device to deliver the therapy they prescribe.
`,
    'records/system/SYS-001.md': `---
id: SYS-001
title: Therapy delivery accuracy
status: draft
derivesFrom: [UN-001]
---
The device shall deliver the programmed therapy within the accuracy stated in the instructions for use.
`,
    'records/software/SRS-001.md': `---
id: SRS-001
title: Validate therapy parameters
status: draft
category: inputs-outputs
derivesFrom: [SYS-001]
---
The software shall reject therapy parameters outside the configured limits and tell the user which
parameter is out of range.
`,
    'records/software/SRS-002.md': `---
id: SRS-002
title: Stop therapy on detected fault
status: draft
category: alarms
riskControl: true
derivesFrom: [SYS-001]
implements: [RC-001]
---
The software shall stop therapy and raise a high-priority alarm within 1 s of detecting a delivery fault.
`,
    'records/architecture/SI-001.md': `---
id: SI-001
title: Device software system
status: draft
itemType: system
safetyClass: ${options.safetyClass}
interfaces: Inputs from the user interface and the delivery sensors; outputs to the delivery actuator and the alarm.
---
The complete software system of the device.
`,
    'records/architecture/SI-002.md': `---
id: SI-002
title: Therapy control
status: draft
itemType: item
partOf: SI-001
implements: [SRS-001, SRS-002]
# The outcome of its hazard analysis (4.3 a, 7.1.1). An item that cannot contribute to any
# hazardous situation records why instead: noContribution: <rationale>. With neither it is class C.
interfaces: Receives therapy parameters from the user interface; commands the delivery actuator; raises alarms.
contributesTo: [HS-001]
causes:                  # IEC 62304 7.1.2: how this item could contribute
  - situation: HS-001
    category: defect     # specification | defect | soup | hardware | misuse
    description: A defect in fault detection lets delivery continue after a fault.
    controls: [RC-001]
---
Validates therapy parameters and controls delivery.
`,
    'records/risk/hazards.yaml': `kind: hazard
records:
  - id: HAZ-001
    title: Incorrect therapy delivery
    category: operational
`,
    'records/risk/hazardous-situations.yaml': `kind: hazardous-situation
records:
  - id: HS-001
    title: Therapy continues after a delivery fault
    arisesFrom: [HAZ-001]
    sequenceOfEvents:
      - A delivery fault occurs
      - The fault is not detected and therapy continues
    harm: ${risk.harm}
    severity: ${risk.severity}
    p1: ${risk.p1}
    p2: ${risk.p2}
    residualSeverity: ${risk.severity}
    residualProbability: remote
`,
    'records/risk/controls/RC-001.md': `---
id: RC-001
title: Fault detection stops therapy
status: draft
option: protective-measure
implementedIn: software
mitigates: [HS-001]
---
The software monitors delivery and stops therapy with an alarm when it detects a fault.
`,
    'records/tests/system-tests.yaml': `kind: test
records:
  - id: TC-001
    title: Out-of-range parameters are rejected
    level: system
    verifies: [SRS-001, SYS-001]
    procedure: Enter each therapy parameter just below, at, and just above its limits.
    expectedResults: Values outside the limits are rejected with a message naming the parameter.
    acceptanceCriteria: All out-of-range values rejected; all in-range values accepted.
  - id: TC-002
    title: Delivery fault stops therapy with an alarm
    level: system
    verifies: [SRS-002, RC-001]
    verifiesEffectiveness: [RC-001]
    procedure: Inject a delivery fault during therapy.
    expectedResults: Therapy stops and a high-priority alarm sounds within 1 s.
    acceptanceCriteria: Stop and alarm within 1 s in 10 of 10 trials.
`,
    'records/tests/validation-tests.yaml': `kind: test
records:
  - id: TC-100
    title: Clinicians deliver prescribed therapies in simulated use
    level: validation
    verifies: [UN-001]
    procedure: Representative clinicians program and deliver prescribed therapies in a simulated care setting.
    expectedResults: Each therapy is delivered as prescribed, without use errors that could lead to harm.
    acceptanceCriteria: Every prescribed therapy delivered as prescribed; no critical use error.
`,
    ...starterPlans({ name: options.name, safetyClass: options.safetyClass }),
  };
}
