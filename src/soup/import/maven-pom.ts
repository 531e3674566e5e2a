/**
 * Maven `pom.xml` reader: the POM's own `<dependencies>`, direct only (a POM has no transitive
 * information; `mvn dependency:tree` or a CycloneDX SBOM from cyclonedx-maven-plugin has).
 *
 * - Versions: explicit, `${property}` from `<properties>` and the project/parent coordinates, or
 *   from this POM's `<dependencyManagement>`. A version managed by a parent POM or an imported BOM
 *   is not visible here, so such a dependency is reported, not guessed.
 * - Scope: `test` is development. `provided` is supplied by the runtime (servlet container,
 *   application server, JDK); it is not packaged but the device still runs that code, so it stays
 *   SOUP (runtime). `system` (a local jar) and `runtime` are runtime too. `<optional>` dependencies
 *   are built into this artifact, so they are kept.
 * - Plugins and profiles are not read: plugins are build tools, and which profile is active is a
 *   build-time decision.
 */
import { parseXmlSafely, type XmlElement, xmlChild, xmlElements, xmlText } from '../../util/xml-parse.js';
import { purlFor } from '../purl.js';
import { finishImport } from './result.js';
import type {
  DependencyReader,
  ImportedComponent,
  ImportProblem,
  ImportResult,
  ReadOptions,
} from './types.js';

const MODEL_VERSIONS = new Set(['4.0.0', '4.1.0']);
/** Longest value a property may expand to: stops `${a}` → `${b}${b}` → … blow-ups. */
const MAX_EXPANSION = 4096;

interface Coordinates {
  readonly groupId?: string;
  readonly artifactId?: string;
  readonly version?: string;
  readonly scope?: string;
  readonly type?: string;
  readonly classifier?: string;
}

type Resolve = (value: string | undefined) => string | undefined;

/** Properties of this POM plus the built-in project coordinates. */
function propertyTable(project: XmlElement): Map<string, string> {
  const table = new Map<string, string>();
  const parent = xmlChild(project, 'parent');
  const builtIns: Record<string, string | undefined> = {
    'project.version': xmlText(project, 'version') ?? xmlText(parent, 'version'),
    'project.groupId': xmlText(project, 'groupId') ?? xmlText(parent, 'groupId'),
    'project.artifactId': xmlText(project, 'artifactId'),
    'project.parent.version': xmlText(parent, 'version'),
    'project.parent.groupId': xmlText(parent, 'groupId'),
  };
  for (const [key, value] of Object.entries(builtIns)) {
    if (value === undefined) continue;
    table.set(key, value);
    // `pom.` and bare forms are deprecated aliases Maven still resolves.
    table.set(key.replace(/^project\./, 'pom.'), value);
  }
  if (builtIns['project.version']) table.set('version', builtIns['project.version']);
  const properties = xmlChild(project, 'properties');
  for (const key of Object.keys(properties)) {
    const value = xmlText(properties, key);
    // The XML parser renames `__proto__`/`constructor`/`prototype` to `#…`; the Map takes them as-is.
    if (value !== undefined) table.set(key.replace(/^#/, ''), value);
  }
  return table;
}

/** Expands `${name}` references, nested ones included, with bounded work. */
function resolver(table: ReadonlyMap<string, string>): Resolve {
  return (value) => {
    let current = value;
    for (let pass = 0; current?.includes('${') && pass < 10; pass++) {
      const next: string = current.replace(
        /\$\{([^}]*)\}/g,
        (whole, name: string) => table.get(name) ?? whole,
      );
      if (next === current || next.length > MAX_EXPANSION) break;
      current = next;
    }
    return current;
  };
}

function coordinatesOf(dependency: XmlElement, resolve: Resolve): Coordinates {
  const field = (name: string) => resolve(xmlText(dependency, name));
  return {
    groupId: field('groupId'),
    artifactId: field('artifactId'),
    version: field('version'),
    scope: field('scope'),
    type: field('type'),
    classifier: field('classifier'),
  };
}

/** Managed entries are keyed like Maven does: group, artifact, type and classifier. */
function managementKey(c: Coordinates): string {
  return `${c.groupId}:${c.artifactId}:${c.type ?? 'jar'}:${c.classifier ?? ''}`;
}

function managedVersions(
  project: XmlElement,
  resolve: Resolve,
): { managed: Map<string, Coordinates>; boms: string[] } {
  const managed = new Map<string, Coordinates>();
  const boms: string[] = [];
  const section = xmlChild(xmlChild(project, 'dependencyManagement'), 'dependencies');
  for (const dependency of xmlElements(section, 'dependency')) {
    const c = coordinatesOf(dependency, resolve);
    if (c.scope === 'import') boms.push(`${c.groupId}:${c.artifactId}`);
    else managed.set(managementKey(c), c);
  }
  return { managed, boms };
}

const MISSING_VERSION_HINT =
  'Run `mvn dependency:tree` or import a CycloneDX SBOM from cyclonedx-maven-plugin, which know the resolved versions.';

function versionProblem(
  c: Coordinates,
  version: string | undefined,
  line: number | undefined,
  boms: string[],
): ImportProblem | undefined {
  const label = `${c.groupId}:${c.artifactId}`;
  const at = line !== undefined ? { line } : {};
  if (version === undefined) {
    const from = boms.length > 0 ? `the parent POM or an imported BOM (${boms.join(', ')})` : 'a parent POM';
    return {
      severity: 'warning',
      message: `${label} has no version in this POM (it is managed by ${from}), so it is not imported`,
      hint: MISSING_VERSION_HINT,
      ...at,
    };
  }
  const unresolved = /\$\{([^}]*)\}/.exec(version);
  if (unresolved) {
    return {
      severity: 'warning',
      message: `${label}: property \${${unresolved[1]}} in version "${version}" is not defined in this POM, so it is not imported`,
      hint: MISSING_VERSION_HINT,
      ...at,
    };
  }
  if (/[[\](),]/.test(version)) {
    return {
      severity: 'warning',
      message: `${label}: "${version}" is a version range, not an exact version, so it is not imported`,
      hint: MISSING_VERSION_HINT,
      ...at,
    };
  }
  return undefined;
}

function qualifiersOf(c: Coordinates): Record<string, string> | undefined {
  const qualifiers: Record<string, string> = {};
  if (c.type && c.type !== 'jar') qualifiers.type = c.type;
  if (c.classifier) qualifiers.classifier = c.classifier;
  return Object.keys(qualifiers).length > 0 ? qualifiers : undefined;
}

function readDependencies(
  project: XmlElement,
  lineOf: (node: unknown) => number | undefined,
  problems: ImportProblem[],
) {
  const resolve = resolver(propertyTable(project));
  const { managed, boms } = managedVersions(project, resolve);
  const components: ImportedComponent[] = [];
  for (const dependency of xmlElements(xmlChild(project, 'dependencies'), 'dependency')) {
    const line = lineOf(dependency);
    const own = coordinatesOf(dependency, resolve);
    if (!own.groupId || !own.artifactId) {
      problems.push({
        severity: 'warning',
        message: 'a <dependency> without groupId and artifactId is skipped',
        ...(line ? { line } : {}),
      });
      continue;
    }
    const managedEntry = managed.get(managementKey(own));
    const version = own.version ?? managedEntry?.version;
    const problem = versionProblem(own, version, line, boms);
    if (problem || version === undefined) {
      if (problem) problems.push(problem);
      continue;
    }
    const scope = own.scope ?? managedEntry?.scope ?? 'compile';
    const name = `${own.groupId}:${own.artifactId}`;
    components.push({
      ecosystem: 'Maven',
      name,
      version,
      purl: purlFor('Maven', name, version, qualifiersOf(own)),
      scope: 'direct',
      development: scope === 'test',
      dependsOn: [],
      ...(line !== undefined ? { line } : {}),
    });
  }
  return components;
}

function readPom(text: string, options: ReadOptions): ImportResult {
  const problems: ImportProblem[] = [];
  const parsed = parseXmlSafely(
    text,
    options.maxXmlValueBytes !== undefined ? { maxValueBytes: options.maxXmlValueBytes } : {},
  );
  if (!parsed.ok) {
    const problem: ImportProblem = {
      severity: 'error',
      message: `pom.xml could not be read: ${parsed.message}`,
      ...(parsed.line !== undefined ? { line: parsed.line } : {}),
      ...(parsed.hint ? { hint: parsed.hint } : {}),
    };
    return finishImport('pom.xml', [], [problem], options);
  }
  const project = xmlElements(parsed.document, 'project')[0];
  if (!project) {
    return finishImport(
      'pom.xml',
      [],
      [{ severity: 'error', message: 'not a Maven POM: there is no <project> root element' }],
      options,
    );
  }
  const modelVersion = xmlText(project, 'modelVersion');
  if (modelVersion !== undefined && !MODEL_VERSIONS.has(modelVersion)) {
    const message = `POM modelVersion ${modelVersion} is not supported (known: 4.0.0, 4.1.0)`;
    return finishImport('pom.xml', [], [{ severity: 'error', message }], options);
  }
  if (xmlElements(project, 'modules').length > 0) {
    problems.push({
      severity: 'info',
      message:
        'this is a multi-module POM: the modules declare their own dependencies in their pom.xml files',
      hint: 'Import each module’s pom.xml, or an aggregate CycloneDX SBOM (cyclonedx-maven-plugin makeAggregateBom).',
    });
  }
  const components = readDependencies(project, parsed.lineOf, problems);
  return finishImport('pom.xml', components, problems, options);
}

export const mavenPomReader: DependencyReader = {
  id: 'maven-pom',
  description: 'Maven pom.xml (direct dependencies only)',
  detect(baseName, head) {
    return baseName === 'pom.xml' || (/\.pom$/i.test(baseName) && head.includes('<project'));
  },
  read(text, options = {}) {
    return readPom(text, options);
  },
};
