/**
 * The validation kit: Dossier's own validation project (validation/ in the package), read with the
 * package's own loader, and the results its test runs record.
 */
import fs from 'node:fs';
import path from 'node:path';
import { verdictsOn } from '../evidence/verdicts.js';
import type { Project } from '../load/project.js';
import { compareById, isActive } from '../model/record.js';
import { packageRoot } from '../util/package-files.js';
import type { CaseResult, ValidationKit } from './tool-validation-report.js';

/** The folder of the validation project shipped in the package. */
export function validationProjectDir(): string {
  return path.join(packageRoot(), 'validation');
}

/** The folder of the acceptance suite shipped in the package. */
export function acceptanceSuiteDir(): string {
  return path.join(validationProjectDir(), 'acceptance');
}

/** Whether `root` is the validation project shipped with this Dossier. */
export function isDossierValidationProject(root: string): boolean {
  try {
    return fs.realpathSync(root) === fs.realpathSync(validationProjectDir());
  } catch {
    return false;
  }
}

const RESOLVED = new Set(['resolved', 'closed']);

/** The requirements, tests and open problem reports of a validation project. */
export function kitOf(project: Project): ValidationKit {
  const active = project.records.filter(isActive);
  const of = (kind: string) => active.filter((r) => r.kind === kind).sort(compareById);
  const intendedUse = project.config.device?.intendedUse;
  return {
    ...(intendedUse ? { intendedUse } : {}),
    requirements: of('software-requirement').map((r) => ({ id: r.id, title: r.title })),
    tests: of('test').map((r) => ({
      id: r.id,
      title: r.title,
      level: String(r.fields.level ?? ''),
      verifies: [...(r.links.verifies ?? [])],
    })),
    anomalies: of('problem-report')
      .filter((r) => !RESOLVED.has(String(r.fields.state ?? 'open')))
      .map((r) => ({ id: r.id, title: r.title, state: String(r.fields.state ?? 'open') })),
  };
}

/** The results the project's test runs record on `version`, as cases: the latest run decides. */
export function recordedCases(project: Project, version: string): { cases: CaseResult[]; runs: string[] } {
  const runs = project.records.filter((r) => r.kind === 'test-run' && isActive(r));
  const verdicts = verdictsOn(runs, version);
  const cases = [...verdicts.values()]
    .sort((a, b) => (a.testId < b.testId ? -1 : a.testId > b.testId ? 1 : 0))
    .map((v) => ({
      name: `${v.testId} in ${v.runId}`,
      testId: v.testId,
      outcome: v.outcome,
      ...(v.message ? { message: v.message } : {}),
    }));
  return { cases, runs: [...new Set([...verdicts.values()].map((v) => v.runId))].sort() };
}
