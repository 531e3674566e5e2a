/**
 * The Tool Validation Report as a build stage (issue 17 §2; docs/validation.md): only for Dossier's
 * own validation project (validation/ in the package). The build runs no tests: the results are those
 * the project's test runs record on the configured version (imported from `dossier self-validate`'s
 * JUnit report), and the report says so; `dossier self-validate` writes it with a fresh run.
 */
import type { Analysis } from '../analyze.js';
import { isDossierValidationProject, kitOf, recordedCases } from '../validation/kit.js';
import {
  renderToolValidationReport,
  toolValidationReport,
  validationVerdict,
} from '../validation/tool-validation-report.js';
import { DOSSIER_VERSION } from '../version.js';
import type { BuildContext, StageArtifact } from './build.js';

export const validationStageApplies = (analysis: Analysis): boolean =>
  isDossierValidationProject(analysis.project.root);

export function validationStage(
  analysis: Analysis,
  context: BuildContext,
): { artifacts: StageArtifact[]; ok: boolean; result: string } {
  const { project } = analysis;
  const version = project.config.software.version ?? DOSSIER_VERSION;
  const kit = kitOf(project);
  const recorded = recordedCases(project, version);
  const run = {
    source: 'records' as const,
    sourceNote:
      recorded.runs.length > 0
        ? `test runs ${recorded.runs.join(', ')} on ${version}`
        : `no test run on ${version} is recorded`,
    cases: recorded.cases,
    date: context.timestamp,
  };
  const doc = toolValidationReport(kit, run, {
    device: project.config.device.name,
    manufacturer: project.config.device.manufacturer,
    version,
  });
  const verdict = validationVerdict(kit, run);
  let rendered: { markdown: string; html: string } | undefined;
  const render = () => {
    rendered ??= renderToolValidationReport(doc);
    return rendered;
  };
  return {
    artifacts: [
      { path: 'validation/tool-validation-report.md', render: () => render().markdown },
      { path: 'validation/tool-validation-report.html', render: () => render().html },
    ],
    ok: verdict.passed,
    result: `Tool Validation Report: ${verdict.counts.passed} of ${kit.tests.length} acceptance tests passed on ${version} (${run.sourceNote})`,
  };
}
