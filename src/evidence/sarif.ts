/**
 * Reads SARIF 2.1.0 static-analysis logs (cppcheck, clang-tidy via sarif-multitool, CodeQL,
 * Semgrep, …) into a flat list of findings, as evidence for unit verification by static analysis
 * (IEC 62304 5.5.2/5.5.5) and for anomalies that must enter problem resolution. Pure: text in,
 * report out, never throws.
 *
 * - Several runs are read; each result names the tool of its run.
 * - The rule of a result is found through `ruleId`, `rule.id`, `ruleIndex` or `rule.index` (and
 *   `rule.toolComponent` for rules in a tool extension); the id and name come from the rule.
 * - `level` follows SARIF §3.27.10: the result's own, else `none` for a non-failing `kind`, else the
 *   rule's `defaultConfiguration.level`, else `warning`.
 * - Locations keep the path relative to its `uriBaseId` as written (percent-decoded, `file://`
 *   kept); `artifactLocation.index` resolves through `run.artifacts`.
 * - Suppressed: any suppression whose `status` is `accepted` or absent (SARIF: absent means
 *   accepted). `underReview` and `rejected` do not suppress.
 */
import type { EvidenceProblem } from './xml-util.js';

export type SarifLevel = 'error' | 'warning' | 'note' | 'none';

export interface SarifTool {
  readonly name: string;
  readonly version?: string;
}

export interface SarifFinding {
  /** The rule id; `''` when neither the result nor a resolvable rule gives one. */
  readonly ruleId: string;
  /** The rule's `name`, when the tool declares one. */
  readonly ruleName?: string;
  readonly level: SarifLevel;
  readonly message: string;
  /** Path of the first location, relative to `uriBaseId` when one is given. */
  readonly file?: string;
  readonly uriBaseId?: string;
  readonly line?: number;
  readonly column?: number;
  /** `new`, `unchanged`, `updated` or `absent`, when the tool compared against a baseline. */
  readonly baselineState?: string;
  readonly suppressed: boolean;
  /** Justification of the suppression that applies, if the tool recorded one. */
  readonly justification?: string;
  /** Name of the tool of the run this result belongs to. */
  readonly tool: string;
  /** Index of the run in `runs`. */
  readonly run: number;
}

export interface SarifReport {
  readonly format: 'SARIF';
  readonly version?: string;
  /** The tool of the first run (`{ name: '' }` when there is none). */
  readonly tool: SarifTool;
  /** The tool of every run, in order. */
  readonly tools: readonly SarifTool[];
  readonly results: readonly SarifFinding[];
  readonly problems: readonly EvidenceProblem[];
}

type Json = Readonly<Record<string, unknown>>;

function isObject(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}
function obj(value: unknown): Json {
  return isObject(value) ? value : {};
}
function arr(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}
function str(value: unknown): string | undefined {
  return typeof value === 'string' && value !== '' ? value : undefined;
}
function index(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 0 ? value : undefined;
}
function positive(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isInteger(value) && value >= 1 ? value : undefined;
}

const LEVELS = new Set<string>(['error', 'warning', 'note', 'none']);

function emptyReport(problems: EvidenceProblem[], version?: string): SarifReport {
  return {
    format: 'SARIF',
    ...(version ? { version } : {}),
    tool: { name: '' },
    tools: [],
    results: [],
    problems,
  };
}

export function readSarif(text: string): SarifReport {
  try {
    return read(text);
  } catch (error) {
    return emptyReport([
      { severity: 'error', message: `the SARIF log could not be read: ${(error as Error).message}` },
    ]);
  }
}

/** 1-based line of a JSON.parse error position, when the engine reports one. */
export function jsonErrorLine(text: string, message: string): number | undefined {
  const position = /position (\d+)/.exec(message);
  if (position) return text.slice(0, Number(position[1])).split('\n').length;
  const line = /line (\d+)/.exec(message);
  return line ? Number(line[1]) : undefined;
}

function read(text: string): SarifReport {
  const body = text.charCodeAt(0) === 0xfeff ? text.slice(1) : text;
  if (body.trim() === '') return emptyReport([{ severity: 'error', message: 'the SARIF log is empty' }]);
  let document: unknown;
  try {
    document = JSON.parse(body);
  } catch (error) {
    const message = (error as Error).message;
    const line = jsonErrorLine(body, message);
    return emptyReport([
      {
        severity: 'error',
        message: `the SARIF log is not valid JSON: ${message}`,
        ...(line !== undefined ? { line } : {}),
      },
    ]);
  }
  if (!isObject(document) || !Array.isArray(document.runs)) {
    return emptyReport([
      {
        severity: 'error',
        message: 'not a SARIF log: expected an object with a "runs" array',
        hint: 'write SARIF 2.1.0 (e.g. cppcheck --output-format=sarif, or convert with sarif-multitool)',
      },
    ]);
  }
  const problems: EvidenceProblem[] = [];
  const version = str(document.version);
  if (version !== '2.1.0') {
    problems.push({
      severity: 'warning',
      message: version
        ? `SARIF version ${version}; this reader understands 2.1.0 and reads the log as such`
        : 'the SARIF log has no "version"; it is read as 2.1.0',
    });
  }
  const tools: SarifTool[] = [];
  const results: SarifFinding[] = [];
  document.runs.forEach((runValue, runIndex) => {
    const run = obj(runValue);
    const tool = obj(run.tool);
    const driver = obj(tool.driver);
    const toolName = str(driver.name) ?? '';
    const toolVersion = str(driver.version) ?? str(driver.semanticVersion);
    tools.push({ name: toolName, ...(toolVersion ? { version: toolVersion } : {}) });
    if (!toolName) {
      problems.push({
        severity: 'warning',
        message: `run ${runIndex} does not name its tool (tool.driver.name)`,
      });
    }
    const components = [driver, ...arr(tool.extensions).map(obj)];
    const artifacts = arr(run.artifacts).map(obj);
    let unresolved = 0;
    for (const resultValue of arr(run.results)) {
      const result = obj(resultValue);
      const { rule, ruleId } = resolveRule(result, components);
      if (!ruleId && (index(result.ruleIndex) !== undefined || isObject(result.rule))) unresolved++;
      const finding = readResult(result, rule, ruleId, artifacts, toolName, runIndex);
      results.push(finding);
    }
    if (unresolved > 0) {
      problems.push({
        severity: 'warning',
        message: `run ${runIndex}: ${unresolved} result(s) refer to a rule index the tool does not declare`,
      });
    }
  });
  return {
    format: 'SARIF',
    ...(version ? { version } : {}),
    tool: tools[0] ?? { name: '' },
    tools,
    results,
    problems,
  };
}

function resolveRule(result: Json, components: readonly Json[]): { rule: Json; ruleId: string } {
  const reference = obj(result.rule);
  const componentIndex = index(obj(reference.toolComponent).index);
  // toolComponent.index counts the extensions (0 = first extension); without one, the driver.
  const component = componentIndex !== undefined ? (components[componentIndex + 1] ?? {}) : components[0];
  const rules = arr(obj(component).rules).map(obj);
  const ruleIndex = index(result.ruleIndex) ?? index(reference.index);
  const explicit = str(result.ruleId) ?? str(reference.id);
  let rule: Json = ruleIndex !== undefined ? (rules[ruleIndex] ?? {}) : {};
  if (ruleIndex === undefined && explicit) {
    // Hierarchical ids (`CA2000/1`) name the rule by their first component.
    rule = rules.find((r) => r.id === explicit) ?? rules.find((r) => r.id === explicit.split('/')[0]) ?? {};
  }
  return { rule, ruleId: explicit ?? str(rule.id) ?? '' };
}

function readMessage(message: Json, rule: Json): string {
  const own = str(message.text) ?? str(message.markdown);
  const id = str(message.id);
  const template =
    own ??
    (id
      ? (str(obj(obj(rule.messageStrings)[id]).text) ?? str(obj(obj(rule.messageStrings)[id]).markdown))
      : undefined);
  if (template === undefined) return '';
  const args = arr(message.arguments).map((a) => (typeof a === 'string' ? a : String(a)));
  // {0}, {1}, … are placeholders; {{ and }} are escaped braces (SARIF §3.11.5).
  return template.replace(/\{\{|\}\}|\{(\d+)\}/g, (whole, n: string | undefined) =>
    whole === '{{' ? '{' : whole === '}}' ? '}' : (args[Number(n)] ?? whole),
  );
}

function decodePath(uri: string): string {
  try {
    return decodeURI(uri);
  } catch {
    return uri;
  }
}

function readResult(
  result: Json,
  rule: Json,
  ruleId: string,
  artifacts: readonly Json[],
  tool: string,
  run: number,
): SarifFinding {
  const kind = str(result.kind);
  const ownLevel = str(result.level);
  const defaultLevel = str(obj(rule.defaultConfiguration).level);
  const level: SarifLevel =
    ownLevel && LEVELS.has(ownLevel)
      ? (ownLevel as SarifLevel)
      : kind && kind !== 'fail'
        ? 'none'
        : defaultLevel && LEVELS.has(defaultLevel)
          ? (defaultLevel as SarifLevel)
          : 'warning';
  const physical = obj(obj(arr(result.locations)[0]).physicalLocation);
  const artifactLocation = obj(physical.artifactLocation);
  const artifactIndex = index(artifactLocation.index);
  const artifact = obj(artifactIndex !== undefined ? obj(artifacts[artifactIndex]).location : undefined);
  const uri = str(artifactLocation.uri) ?? str(artifact.uri);
  const uriBaseId =
    str(artifactLocation.uriBaseId) ?? (str(artifactLocation.uri) ? undefined : str(artifact.uriBaseId));
  const region = obj(physical.region);
  const line = positive(region.startLine);
  const column = positive(region.startColumn);
  const baselineState = str(result.baselineState);
  const accepted = arr(result.suppressions)
    .map(obj)
    .filter((s) => s.status === undefined || s.status === 'accepted');
  const justification = accepted.map((s) => str(s.justification)).find((j) => j !== undefined);
  const ruleName = str(rule.name);
  return {
    ruleId,
    ...(ruleName ? { ruleName } : {}),
    level,
    message: readMessage(obj(result.message), rule),
    ...(uri ? { file: decodePath(uri) } : {}),
    ...(uri && uriBaseId ? { uriBaseId } : {}),
    ...(line !== undefined ? { line } : {}),
    ...(column !== undefined ? { column } : {}),
    ...(baselineState ? { baselineState } : {}),
    suppressed: accepted.length > 0,
    ...(justification ? { justification } : {}),
    tool,
    run,
  };
}
