/**
 * The starter records' tracked links come reviewed (docs/change-control.md): `dossier init` writes
 * each link's `linkReviews` stamp with its target's fingerprint, so a new project starts without
 * suspect links and the first edit of a target shows which records to look at again. Pure: the
 * starter files are read with the loader's own readers, in memory.
 */
import { TraceGraph } from '../graph/graph.js';
import { planStamps, type Reviewer } from '../links/suspect.js';
import { configFromText } from '../load/config-load.js';
import { readRecordText } from '../load/read-file.js';
import { recordValidator } from '../load/validate-record.js';
import { CONFIG_FILE_NAME } from '../model/config.js';
import type { DossierRecord } from '../model/record.js';
import { yamlText } from '../util/yaml-text.js';

/** The files with a `linkReviews` block added to every record that has tracked links. */
export function withStarterStamps(
  files: Readonly<Record<string, string>>,
  reviewer: Reviewer,
): Record<string, string> {
  const config = configFromText(files[CONFIG_FILE_NAME] ?? '').config;
  // A configuration that does not load (an empty --name) is refused by `init`, naming the problem.
  if (!config) return { ...files };
  const validator = recordValidator(config);
  const records: DossierRecord[] = [];
  for (const [rel, text] of Object.entries(files)) {
    if (rel === CONFIG_FILE_NAME || !rel.startsWith('records/')) continue;
    for (const raw of readRecordText(rel, text).records) {
      const record = validator.validate(raw).record;
      if (record) records.push(record);
    }
  }
  const graph = new TraceGraph(records);
  const out: Record<string, string> = { ...files };
  for (const record of records) {
    const plan = planStamps(graph, record, reviewer);
    if (!plan) continue;
    const rel = record.origin.source.path;
    out[rel] = insertStamps(out[rel]!, record.id, plan.linkReviews);
  }
  return out;
}

/** Adds `linkReviews:` at the end of the record's front matter, or of its item in a collection. */
function insertStamps(text: string, id: string, stamps: readonly string[]): string {
  const lines = text.split('\n');
  const block = (indent: string) => [
    `${indent}linkReviews:`,
    ...stamps.map((stamp) => `${indent}  - ${yamlText(stamp).trimEnd()}`),
  ];
  if (lines[0] === '---') {
    const end = lines.indexOf('---', 1);
    lines.splice(end, 0, ...block(''));
    return lines.join('\n');
  }
  const start = lines.indexOf(`  - id: ${id}`);
  let end = start + 1;
  while (end < lines.length && lines[end]!.startsWith('    ')) end++;
  lines.splice(end, 0, ...block('    '));
  return lines.join('\n');
}
