/**
 * Gradle dependency lock state: `gradle.lockfile` (Gradle 6+, one line per module,
 * `group:artifact:version=conf1,conf2`, plus `empty=conf,…` for configurations without
 * dependencies) and the older per-configuration files (Gradle < 6, `group:artifact:version` lines).
 *
 * The lock covers the whole resolved graph and does not say which modules are declared directly,
 * so scope is unknown. A module locked only in test configurations (`testCompileClasspath`,
 * `testRuntimeClasspath`, anything starting with `test`) is development. Other source sets
 * (`integrationTest…`) are kept as runtime: keeping a test library as SOUP is the safe mistake.
 * `classpath` (what `buildscript-gradle.lockfile` locks: the build's own plugins) and
 * `annotationProcessor` are tools that run in the build, so they are development too; the runtime
 * library of an annotation processor is locked separately in the compile/runtime classpaths.
 */
import { purlFor } from '../purl.js';
import { wellFormed } from './reader-support.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const MODULE_LINE = /^([^:\s=]+):([^:\s=]+):([^:\s=]+)(?:=(.*))?$/;

function isDevelopmentConfiguration(configuration: string): boolean {
  return (
    configuration.startsWith('test') ||
    configuration === 'classpath' ||
    configuration === 'annotationProcessor'
  );
}

function readLine(raw: string, line: number, problems: ImportProblem[]): ImportedComponent | undefined {
  const text = raw.trim();
  if (text === '' || text.startsWith('#') || text.startsWith('empty=')) return undefined;
  const match = MODULE_LINE.exec(text);
  if (!match) {
    problems.push({
      severity: 'warning',
      message: 'gradle lockfile: expected "group:artifact:version=configurations"',
      line,
    });
    return undefined;
  }
  const [, group = '', artifact = '', version = '', configurationList = ''] = match;
  const configurations = configurationList
    .split(',')
    .map((c) => c.trim())
    .filter((c) => c !== '');
  const development = configurations.length > 0 && configurations.every(isDevelopmentConfiguration);
  const name = `${group}:${artifact}`;
  return {
    ecosystem: 'Maven',
    name,
    version,
    purl: purlFor('Maven', name, version),
    scope: 'unknown',
    development,
    dependsOn: [],
    line,
  };
}

function readGradleLockfile(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const components: ImportedComponent[] = [];
  wellFormed(text)
    .split('\n')
    .forEach((raw, index) => {
      const component = readLine(raw, index + 1, problems);
      if (component) components.push(component);
    });
  return finishImport('gradle.lockfile', components, problems, options);
}

export const gradleLockfileReader: DependencyReader = {
  id: 'gradle-lockfile',
  description: 'Gradle gradle.lockfile (dependency locking)',
  detect(baseName, head) {
    return baseName.endsWith('gradle.lockfile') || (baseName.endsWith('.lockfile') && /Gradle/.test(head));
  },
  read(text, options = {}) {
    return readGradleLockfile(text, options);
  },
};
