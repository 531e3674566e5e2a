import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import { formatClauses } from '../diagnostics/format.js';
import {
  CONFIG_FILE_NAME,
  configSchema,
  type DossierConfig,
  prefixFor,
  ruleSetting,
} from '../model/config.js';
import { IMPORTED_FIELD } from '../model/imported.js';
import { COMMON_FIELD_NAMES, KINDS, kindSpec } from '../model/kinds.js';
import { keysAt, valueAt } from '../model/schema-paths.js';
import { ruleFor } from '../rules/registry.js';
import { rulesetPlan } from '../rules/ruleset.js';
import { isUnjustifiedLowering, ruleClasses } from '../rules/severity.js';
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { describeValue, didYouMean } from '../util/suggest.js';
import { parseYaml } from './read-file.js';
import { readText } from './read-text.js';
import type { SourceFile } from './source.js';

export interface ConfigLoad {
  readonly config?: DossierConfig;
  readonly source?: SourceFile;
  /** Problems with the configuration; any of them makes the project unusable (exit code 2). */
  readonly findings: Finding[];
}

/** The largest `dossier.yaml` read (bytes). */
export const CONFIG_LIMIT = 1024 * 1024;

export function loadConfig(root: string): ConfigLoad {
  const file = path.join(root, CONFIG_FILE_NAME);
  if (!fs.existsSync(file)) {
    return {
      findings: [
        {
          code: 'config/missing',
          message: `no ${CONFIG_FILE_NAME} in ${root}`,
          hint: `run \`dossier init ${root === '.' ? '' : root}\` to create a project, or pass the folder that holds ${CONFIG_FILE_NAME}`.replace(
            '  ',
            ' ',
          ),
        },
      ],
    };
  }
  const { text, finding } = readText(root, CONFIG_FILE_NAME, CONFIG_LIMIT);
  if (finding || text === undefined)
    return { findings: finding ? [{ ...finding, code: 'config/invalid' }] : [] };
  return configFromText(text);
}

/**
 * The configuration in the text of a `dossier.yaml` (already read within the size limit), as the
 * loader takes it; `dossier init` checks the file it is about to write with it.
 */
export function configFromText(text: string): ConfigLoad {
  const source: SourceFile = { path: CONFIG_FILE_NAME, yaml: text, yamlLine: 0 };
  const parsed = parseYaml(text, CONFIG_FILE_NAME);
  if (parsed.finding) return { source, findings: [{ ...parsed.finding, code: 'config/invalid' }] };
  const raw = parsed.value ?? {};
  const result = configSchema.safeParse(raw);
  if (!result.success) {
    const findings = result.error.issues.map((issue): Finding => {
      const issuePath = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
      if (issue.code === 'unrecognized_keys') {
        const key = issue.keys[0] ?? '';
        return {
          code: 'config/invalid',
          message: `unknown setting "${[...issuePath, key].join('.')}"${didYouMean(key, keysAt(configSchema, issuePath))}`,
          at: { file: CONFIG_FILE_NAME, path: [...issuePath, key], atKey: true },
          hint: 'see docs/config.md for the settings dossier.yaml accepts',
        };
      }
      const actual = valueAt(raw, issuePath);
      const missing = actual === undefined;
      return {
        code: 'config/invalid',
        message: missing
          ? `required setting "${issuePath.join('.')}" is missing`
          : `setting "${issuePath.join('.')}": ${issue.message}${issue.code === 'invalid_type' ? ` (got ${describeValue(actual)})` : ''}`,
        at: { file: CONFIG_FILE_NAME, path: missing ? issuePath.slice(0, -1) : issuePath },
        hint: 'see docs/config.md for the settings dossier.yaml accepts',
      };
    });
    return { source, findings };
  }
  const config = result.data;
  const findings: Finding[] = [];
  for (const [kind, fields] of Object.entries(config.customFields)) {
    const spec = kindSpec(kind as Parameters<typeof kindSpec>[0]);
    const taken = new Set<string>([
      ...COMMON_FIELD_NAMES,
      IMPORTED_FIELD,
      ...Object.keys(spec.fields),
      ...spec.links.map((l) => l.field),
    ]);
    for (const name of Object.keys(fields ?? {})) {
      if (taken.has(name)) {
        findings.push({
          code: 'config/invalid',
          message: `custom field "${name}" of ${kind} has the name of a built-in field`,
          at: { file: CONFIG_FILE_NAME, path: ['customFields', kind, name], atKey: true },
          hint: 'choose another name for the custom field',
        });
      } else if (name in Object.prototype) {
        // `toString`, `constructor`, `valueOf`…: every record would seem to have the field (the
        // inherited function), and its schema would refuse every record without it.
        findings.push({
          code: 'config/invalid',
          message: `custom field "${name}" of ${kind} has the name of a property every JavaScript object has`,
          at: { file: CONFIG_FILE_NAME, path: ['customFields', kind, name], atKey: true },
          hint: 'choose another name for the custom field',
        });
      }
    }
  }
  const prefixes = new Map<string, string>();
  for (const { name: kind, defaultPrefix } of KINDS) {
    const prefix = prefixFor(config, kind, defaultPrefix);
    const other = prefixes.get(prefix);
    if (other) {
      findings.push({
        code: 'config/invalid',
        message: `prefix "${prefix}" is used for both ${other} and ${kind}`,
        at: { file: CONFIG_FILE_NAME, path: ['ids', kind] },
        hint: 'give every kind its own prefix',
      });
    }
    prefixes.set(prefix, kind);
  }
  findings.push(...unjustifiedLowerings(config));
  if (config.ruleset !== undefined) {
    // A pin this Dossier does not know: it cannot give the verdicts the project was validated with.
    const plan = rulesetPlan(config.ruleset);
    if (!plan.ok && plan.reason !== 'irreproducible') {
      findings.push({
        code: 'config/invalid',
        message: plan.message,
        at: { file: CONFIG_FILE_NAME, path: ['ruleset'] },
        hint: 'see docs/config.md#ruleset',
      });
    }
  }
  return findings.length > 0 ? { source, findings } : { config, source, findings };
}

/**
 * A rule whose severity follows the class checks an obligation: dossier.yaml may raise it, but
 * lowering it below its default needs a written reason, which every report then shows. A bare
 * lowering is refused rather than applied or ignored. Unknown codes are left to
 * `config/unknown-rule`.
 */
function unjustifiedLowerings(config: DossierConfig): Finding[] {
  const findings: Finding[] = [];
  for (const code of Object.keys(config.rules)) {
    const rule = ruleFor(code);
    const setting = ruleSetting(config, code);
    if (!rule || !setting || !isUnjustifiedLowering(rule, setting)) continue;
    const classes = ruleClasses(rule, IEC_62304_ED1_1);
    findings.push({
      code: 'config/invalid',
      message: `rules.${code} lowers a mandatory rule from ${rule.severity} to ${setting.severity} without a reason: it checks ${formatClauses(rule.clauses)}, which apply at class ${classes.join(', ')}`,
      at: { file: CONFIG_FILE_NAME, path: ['rules', code] },
      hint: `give the reason, which every report shows: \`${code}: { severity: ${setting.severity}, reason: "why the obligation is met another way or does not apply" }\``,
    });
  }
  return findings;
}
