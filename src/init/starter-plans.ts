/**
 * The starter plans `dossier init` writes: a software development plan that also holds
 * configuration management and problem resolution (5.1 allows it), a maintenance plan (6.1) and a
 * risk management plan (ISO 14971 4.4), with the sections data/plan-sections.json requires at the
 * chosen class. They are drafts in our own words, written around the records Dossier keeps, and say
 * at the top that the team must tailor them: `dossier check` can see that a section is there, not
 * that it is true.
 */
import type { SafetyClass } from '../model/vocabulary.js';

export interface StarterPlanOptions {
  readonly name: string;
  readonly safetyClass: SafetyClass;
}

const draftNotice = (
  cls: SafetyClass,
  what: string,
) => `> **DRAFT — tailor this plan.** \`dossier init\` wrote this starter ${what}
> for a class ${cls} project. Each section describes one way of working that fits the records
> Dossier keeps. Replace it with how your team really works: name the people, tools, documents
> and procedures of your quality system, delete what you do not do, then have the plan reviewed
> and approved (\`status: approved\`, \`approvedBy\`, \`approvedOn\`). \`dossier check\` reports
> sections that are missing or only say TBD; it cannot tell whether what they say is true.`;

const section = (heading: string, text: string) => `## ${heading}\n\n${text.trim()}\n`;
const subsection = (heading: string, text: string) => `### ${heading}\n\n${text.trim()}\n`;

function developmentPlan({ name, safetyClass: cls }: StarterPlanOptions): string {
  const bOrC = cls !== 'A';
  const parts = [
    `---
id: PLAN-001
title: Software development plan
status: draft
planType: development
documentNumber: SDP-001
revision: "0.1"
# Configuration management (5.1.9) and problem resolution (clause 9) are sections of this plan.
covers: [configuration-management, problem-resolution]
---
${draftNotice(cls, 'software development plan')}
`,
    section(
      'Purpose and scope',
      `This plan says how the software of ${name} is developed, verified and released, and how the
team keeps the records of that work, at software safety class ${cls} (IEC 62304).${
        cls === 'A'
          ? ' Activities that IEC 62304 asks for only at class B or C are not planned here; add them when the class changes.'
          : ''
      }`,
    ),
    section(
      'Life-cycle model and processes',
      `The software is developed in increments. Each increment takes a set of system requirements,
refines them into software requirements, updates the architecture, implements and verifies the
change, and ends with a release candidate. The processes used are those of this plan: development,
risk management (the risk management plan PLAN-003), configuration management and problem
resolution (sections below), and maintenance after release (the maintenance plan PLAN-002).`,
    ),
    section(
      'Deliverables',
      `Every deliverable is a record in the git repository, checked by \`dossier check\`: software
requirements (SRS), software items and their architecture (SI), SOUP, hazards, hazardous situations
and risk controls (HAZ, HS, RC), tests and test runs (TC, RUN), problem reports (PR), change requests
(CR) and releases (REL). \`dossier build\` produces the documents of each release from them: the
traceability matrices, the risk and classification reports, the SBOM and the release report.`,
    ),
    section(
      'Traceability',
      `Links are written on the downstream record: software requirements name the system requirements
they derive from (\`derivesFrom\`), risk control requirements the controls they implement, items the
requirements they implement, and tests what they verify. \`dossier check\` reports requirements
without a source or a test and risk controls without verification; \`dossier trace\` prints the
matrices that are reviewed before each release.`,
    ),
    section(
      'System requirements and coordination with system development',
      `The system requirements (SYS records) are the inputs of software development. The software lead
takes part in the system design reviews; changes to system requirements reach the software through
change requests, and the software's integration, verification and validation are planned together
with the system test plan.`,
    ),
  ];
  if (cls === 'C') {
    parts.push(
      section(
        'Standards, methods and tools',
        `Name the programming languages and their coding standard, the compilers and their versions, the
static analysis tools and the rules they enforce, and the unit test framework used for the class C
items. Record tool versions in the build environment of each release.`,
      ),
    );
  }
  if (bOrC) {
    parts.push(
      section(
        'Integration and integration testing',
        `Software items, SOUP included, are integrated in the order of their dependencies, lowest layer
first. Each integration step is built by CI and tested by integration tests (\`level: integration\`)
that verify the item; the tests are repeated as regression tests when an item changes.`,
      ),
    );
  }
  parts.push(
    section(
      'Verification',
      `Verified deliverables: software requirements and architecture (by review before implementation),
code (by review of every change and by unit tests), integrated items (integration tests) and the
software system (system tests on the release candidate). Acceptance criteria are written in each
test record; a release is verified when every test of its scope passed on the release build, as
\`dossier release check\` shows.`,
    ),
    section(
      'Software risk management',
      `Software risk management follows the risk management plan PLAN-003: software contributions to
hazardous situations, their causes (SOUP included) and the risk controls implemented in software are
recorded with the items and checked by \`dossier check\`.`,
    ),
    section(
      'Documentation',
      `Records are Markdown or YAML files named after their id (\`SRS-012.md\`), written by the engineer
doing the work, reviewed in the merge request that changes them, and approved by setting
\`status: approved\`. Plans are approved by the project manager and quality assurance. Generated
documents are rebuilt by \`dossier build\` and never edited by hand.`,
    ),
  );
  if (bOrC) {
    parts.push(
      section(
        'Supporting items under control',
        `The build scripts, CI configuration, compiler and tool versions, and the configuration of the
test equipment are kept in the repository or named with their versions in the release record.`,
      ),
      section(
        'Configuration control before verification',
        `Nothing is verified that is not committed: every test run names the commit and build it ran on,
and results on a build that is not the release build do not count for the release.`,
      ),
      section(
        'Common software defects',
        `The defect categories typical of the chosen languages and platforms (for example the CWE entries
for them) are listed here, with the coding rules, static analysis checks and tests that guard against
each; findings are resolved before release or evaluated as a residual anomaly.`,
      ),
    );
  }
  parts.push(
    section(
      'Release',
      `A release record (REL) names the version, the build procedure and environment, the archive and
the delivery. \`dossier release check\` must pass before the release is approved; known residual
anomalies are listed in the release record with their evaluation.`,
    ),
    section(
      'Configuration management',
      `The repository is the configuration of the software and its records.

${subsection(
  'Controlled items',
  'Source code, build scripts, CI configuration, the records of this dossier, the SOUP list and the test evidence of each release.',
)}
${subsection(
  'Activities and tasks',
  'Identification: every item is versioned in git, every record has a stable id, every release a tag. Change control: changes go through merge requests, and changes to released software through approved change requests. Status accounting: the git history and the change requests of each release record.',
)}
${subsection(
  'Responsibilities',
  'The software lead owns the repository and approves merges; the change control board approves change requests to released software.',
)}
${subsection(
  'Relationship to other activities',
  'Development and maintenance change items only through the change control above; releases are built from tagged commits only.',
)}
${subsection(
  'When items come under control',
  'An item is under configuration control from its first commit; records from their first merge.',
)}
${subsection(
  'Use of problem resolution',
  'Every anomaly found once an item is under control is handled by the problem resolution process below.',
)}`,
    ),
    section(
      'Software problem resolution',
      `Problems found in the software, its records or the way it is developed are handled as follows.

${subsection(
  'Problem reports',
  'Whoever finds a problem opens a problem report (PR record) with its type, scope and criticality; failed tests name their problem report in the test run.',
)}
${subsection(
  'Investigation',
  'The assigned engineer finds the cause, evaluates the safety relevance with the risk management process and records the outcome: a change request, or the reason why no change is needed.',
)}
${subsection(
  'Advising relevant parties',
  'Quality assurance decides who must be told (users, regulators, other teams) and records who was advised in the problem report.',
)}
${subsection(
  'Trend analysis',
  'Problem reports are reviewed for trends before every release and at least every quarter (`dossier build` counts them by item and criticality).',
)}
${subsection(
  'Verifying resolutions',
  'A problem report is closed only when the change is verified, the problem no longer occurs and no new problem was introduced.',
)}`,
    ),
  );
  return parts.join('\n');
}

function maintenancePlan({ safetyClass: cls }: StarterPlanOptions): string {
  return [
    `---
id: PLAN-002
title: Software maintenance plan
status: draft
planType: maintenance
documentNumber: SMP-001
revision: "0.1"
---
${draftNotice(cls, 'software maintenance plan')}
`,
    section(
      'Feedback after release',
      `Feedback on released software arrives through customer service, complaints, service reports and
security reports. Each item is logged, evaluated by the software lead within five working days and
tracked until it is closed.`,
    ),
    section(
      'When feedback is a problem',
      `Feedback is a problem when the software does not meet its requirements or its intended use, when
it points at a possible hazard or vulnerability, or when users cannot use it as the labelling says.
Such feedback becomes a problem report.`,
    ),
    section(
      'Risk management in maintenance',
      `Every problem report and change request is evaluated with the risk management plan PLAN-003:
new causes, affected risk controls and whether the risk file must be updated.`,
    ),
    section(
      'Problem resolution in maintenance',
      `Problems in released software follow the problem resolution process of the software development
plan PLAN-001.`,
    ),
    section(
      'Configuration management of modifications',
      `Modifications of released software are made through approved change requests and the
configuration management of PLAN-001, and released with a new release record.`,
    ),
    section(
      'SOUP upgrades, fixes, patches and obsolescence',
      `The SOUP list is checked for new advisories (\`dossier soup scan\`) and for end of support at least
every quarter and before each release. Upgrades and patches are evaluated in a change request;
obsolete SOUP is replaced before its end of support.`,
    ),
  ].join('\n');
}

function riskManagementPlan({ name, safetyClass: cls }: StarterPlanOptions): string {
  return [
    `---
id: PLAN-003
title: Risk management plan
status: draft
planType: risk-management
documentNumber: RMP-001
revision: "0.1"
---
${draftNotice(cls, 'risk management plan')}
`,
    section(
      'Scope',
      `${name} and its software, over the whole life cycle: design, production, use, service and
decommissioning.`,
    ),
    section(
      'Responsibilities and authorities',
      `The project manager is responsible for risk management and approves the risk management file;
the software lead does the software risk analysis; quality assurance reviews it.`,
    ),
    section(
      'Review of risk management activities',
      `The risk management file is reviewed at each design review and before each release, with the
risk report \`dossier build\` writes.`,
    ),
    section(
      'Criteria for risk acceptability',
      `The severity and probability scales and the acceptability matrix are those in \`risk:\` of
dossier.yaml, which this plan references instead of repeating. They follow the manufacturer's risk
policy: risks are reduced as far as possible, and a risk in an unacceptable cell needs a risk control
or a documented benefit-risk analysis.`,
    ),
    section(
      'Overall residual risk',
      `Before release the overall residual risk is evaluated against the benefits of the device by the
project manager, a clinical expert and quality assurance, and recorded in the risk management report.`,
    ),
    section(
      'Verification of risk controls',
      `Every risk control is verified for its implementation and its effectiveness by tests linked to it
(\`verifies\`, \`verifiesEffectiveness\`), which must pass on the release build.`,
    ),
    section(
      'Production and post-production information',
      `Complaints, service reports, problem reports from the field and published vulnerabilities of the
SOUP are reviewed for new hazards or changed risks (see the maintenance plan PLAN-002).`,
    ),
    section(
      'Software risk management',
      `For each software item, the hazardous situations it can contribute to and their causes (its
specification, defects, SOUP, hardware and misuse) are recorded with the item; the risk controls
implemented in software become software requirements and are verified.`,
    ),
  ].join('\n');
}

/** The starter plans, by file path. */
export function starterPlans(options: StarterPlanOptions): Record<string, string> {
  return {
    'records/plans/PLAN-001.md': developmentPlan(options),
    'records/plans/PLAN-002.md': maintenancePlan(options),
    'records/plans/PLAN-003.md': riskManagementPlan(options),
  };
}
