/**
 * `dossier migrate`: what a project's verdicts become under another ruleset, and the pin moved
 * there (issue 17 §1, "Versioned verdicts"). Pure but for the write of dossier.yaml, which keeps
 * comments and everything else as written (a splice), atomically, never over a file changed since
 * it was read.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isMap, isScalar, type Node, parseDocument, type YAMLMap } from 'yaml';
import { type AnalyzeOptions, analyze } from '../analyze.js';
import type { Diagnostic } from '../diagnostics/diagnostic.js';
import type { Project } from '../load/project.js';
import { configFileRefusal } from '../load/would-load.js';
import { CONFIG_FILE_NAME } from '../model/config.js';
import { sha256Hex } from '../util/hash.js';
import { writeFilesAtomically } from '../util/write-journal.js';
import { RulesetError, rulesetPlan } from './ruleset.js';

export interface RulesetComparison {
  /** The ruleset the project follows now (the pin, else the current one). */
  readonly from: string;
  readonly pinned: boolean;
  readonly to: string;
  /** Set when this Dossier cannot reproduce the pinned verdicts: every target finding is then listed as new. */
  readonly fromUnavailable?: string;
  /** Findings the target ruleset reports that the pinned one does not. */
  readonly added: readonly Diagnostic[];
  /** Findings the pinned ruleset reports that the target one does not. */
  readonly gone: readonly Diagnostic[];
  /** Errors under each ruleset. */
  readonly errors: { readonly from: number | undefined; readonly to: number };
}

/** What identifies a finding across two runs. */
const keyOf = (d: Diagnostic) =>
  [d.severity, d.code, d.recordId ?? '', d.file ?? '', d.line ?? '', d.message].join('\u0000');

/** Findings about the pin itself differ by construction; they are not what migrating changes. */
const aboutThePin = (d: Diagnostic) => d.code.startsWith('ruleset/');

/** Checks the project under its pinned ruleset and under `to`, and lists what differs. */
export function compareUnderRulesets(
  project: Project,
  to: string,
  options: Omit<AnalyzeOptions, 'ruleset'> = {},
): RulesetComparison {
  const target = rulesetPlan(to, options.changelog);
  if (!target.ok) throw new RulesetError(target.message);
  const pinned = project.config.ruleset;
  const from = pinned ?? target.current;
  const after = analyze(project, { ...options, ruleset: to }).diagnostics.filter((d) => !aboutThePin(d));
  let before: Diagnostic[] | undefined;
  let fromUnavailable: string | undefined;
  try {
    before = analyze(project, { ...options, ruleset: from }).diagnostics.filter((d) => !aboutThePin(d));
  } catch (error) {
    if (!(error instanceof RulesetError)) throw error;
    fromUnavailable = error.message;
  }
  const beforeKeys = new Set((before ?? []).map(keyOf));
  const afterKeys = new Set(after.map(keyOf));
  return {
    from,
    pinned: pinned !== undefined,
    to,
    ...(fromUnavailable !== undefined ? { fromUnavailable } : {}),
    added: after.filter((d) => !beforeKeys.has(keyOf(d))),
    gone: (before ?? []).filter((d) => !afterKeys.has(keyOf(d))),
    errors: {
      from: before?.filter((d) => d.severity === 'error').length,
      to: after.filter((d) => d.severity === 'error').length,
    },
  };
}

/** The text of dossier.yaml with `ruleset:` set to `version`: the value replaced, or a line added. */
export function withRulesetPin(text: string, version: string): string {
  const doc = parseDocument(text, { uniqueKeys: false, strict: false });
  const contents = doc.contents as Node | null;
  if (!contents || !isMap(contents) || (contents as YAMLMap).flow) {
    throw new RulesetError(`${CONFIG_FILE_NAME} is not a block mapping; add ruleset: "${version}" by hand`);
  }
  const map = contents as YAMLMap;
  const quoted = `"${version}"`;
  const pair = map.items.find((p) => isScalar(p.key) && p.key.value === 'ruleset');
  const value = pair?.value as Node | null | undefined;
  if (pair && value?.range) {
    return text.slice(0, value.range[0]) + quoted + text.slice(value.range[1]);
  }
  if (pair)
    throw new RulesetError(`${CONFIG_FILE_NAME}: \`ruleset:\` has no value; write ruleset: ${quoted}`);
  const firstKey = (map.items[0]?.key as Node | undefined)?.range?.[0] ?? 0;
  const lineStart = text.lastIndexOf('\n', firstKey - 1) + 1;
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  return `${text.slice(0, lineStart)}ruleset: ${quoted}   # the rules whose verdicts this project follows (docs/config.md#ruleset)${eol}${text.slice(lineStart)}`;
}

/** Moves the pin in the project's dossier.yaml. The caller holds the project lock. */
export function writeRulesetPin(project: Project, version: string): void {
  const file = path.join(project.root, CONFIG_FILE_NAME);
  const bytes = fs.readFileSync(file);
  const content = withRulesetPin(bytes.toString('utf8'), version);
  const refusal = configFileRefusal(content);
  if (refusal) throw new RulesetError(`${refusal}; nothing was written`);
  writeFilesAtomically(project.root, 'dossier migrate', [
    { path: CONFIG_FILE_NAME, content, unchangedSince: sha256Hex(bytes) },
  ]);
}
