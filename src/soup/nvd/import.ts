/**
 * Import of NVD CVE API 2.0 JSON into the advisory store: a response page or a year file laid out
 * the same way (streamed: see stream.ts), or one bare CVE object per file as the fkie-cad mirror
 * stores them. Each CVE is kept as its JSON with an index row per CPE match criterion. Incremental
 * by `lastModified`, like OSV records by `modified`.
 */

import type { AdvisoryWriter, NvdCriterionRow } from '../advisories/store.js';
import { compareTimestamps } from '../advisories/timestamps.js';
import { type Cpe, parseCpe } from '../cpe/name.js';
import { NvdStreamError, streamNvdFile } from './stream.js';
import { type NvdCve, nvdTimestamp, validateNvdCve } from './types.js';

/** The CVE's criteria as index rows, or why one of them is not a CPE 2.3 formatted string. */
export function criteriaRows(cve: NvdCve): NvdCriterionRow[] | { reason: string } {
  const rows: NvdCriterionRow[] = [];
  for (const [c, config] of (cve.configurations ?? []).entries()) {
    for (const [n, node] of config.nodes.entries()) {
      for (const [m, match] of node.cpeMatch.entries()) {
        let cpe: Cpe;
        try {
          cpe = parseCpe(match.criteria, { wildcards: true });
        } catch (error) {
          // A criterion that cannot be indexed could never match: refusing the record says so.
          return { reason: `configurations[${c}].nodes[${n}].cpeMatch[${m}]: ${(error as Error).message}` };
        }
        rows.push({
          config: c,
          node: n,
          idx: m,
          configOperator: config.operator ?? null,
          configNegate: config.negate === true,
          nodeOperator: node.operator ?? null,
          nodeNegate: node.negate === true,
          vulnerable: match.vulnerable,
          criteria: match.criteria,
          part: cpe.part,
          vendor: cpe.vendor,
          product: cpe.product,
          version: cpe.version,
          startIncluding: match.versionStartIncluding ?? null,
          startExcluding: match.versionStartExcluding ?? null,
          endIncluding: match.versionEndIncluding ?? null,
          endExcluding: match.versionEndExcluding ?? null,
        });
      }
    }
  }
  return rows;
}

/** What an import counted, per ecosystem (NVD) and in total. */
export interface NvdTally {
  records: number;
  added: number;
  updated: number;
  unchanged: number;
  /** Withdrawn OSV records; CVEs NVD marks `Rejected` (stored, never matched). */
  withdrawn: number;
  /** The newest `modified` / `lastModified`, RFC 3339. */
  snapshot: string | null;
}

export interface NvdFileResult {
  readonly invalid: { entry: string; id?: string; reason: string }[];
  readonly warnings: string[];
}

/** Stores one CVE: newer `lastModified` replaces, same or older is left alone. */
function storeCve(
  writer: AdvisoryWriter,
  cve: NvdCve,
  raw: string,
  rows: readonly NvdCriterionRow[],
  tally: NvdTally,
): void {
  const modified = nvdTimestamp(cve.lastModified)!;
  const stored = writer.storedCveModified(cve.id);
  const outcome =
    stored === undefined ? 'added' : compareTimestamps(modified, stored) > 0 ? 'updated' : 'unchanged';
  // The text as published: re-serialising would recurse through whatever nesting the file holds.
  if (outcome !== 'unchanged') writer.putCve(cve, raw, rows);
  tally.records++;
  tally[outcome]++;
  if (cve.vulnStatus === 'Rejected') tally.withdrawn++;
  if (!tally.snapshot || compareTimestamps(modified, tally.snapshot) > 0) tally.snapshot = modified;
}

/**
 * Reads one NVD JSON file into the store through `writer` (inside the caller's transaction). A CVE
 * that breaks the format is listed in `invalid` and skipped; a file that cannot be read at all
 * (truncated, not JSON, a retired 1.1 feed) throws NvdStreamError and the caller writes nothing.
 */
export async function importNvdFile(
  writer: AdvisoryWriter,
  file: string,
  name: string,
  tally: NvdTally,
  options: { maxRecordBytes: number; onRecord?: () => void },
): Promise<NvdFileResult> {
  const invalid: NvdFileResult['invalid'] = [];
  const warnings: string[] = [];
  const take = (value: unknown, raw: string, entry: string) => {
    const checked = validateNvdCve(value);
    if (!checked.ok) {
      const id =
        (value as { cve?: { id?: unknown } } | null)?.cve?.id ?? (value as { id?: unknown } | null)?.id;
      invalid.push({ entry, ...(typeof id === 'string' ? { id } : {}), reason: checked.reason });
      return;
    }
    const rows = criteriaRows(checked.cve);
    if ('reason' in rows) {
      invalid.push({ entry, id: checked.cve.id, reason: rows.reason });
      return;
    }
    storeCve(writer, checked.cve, raw, rows, tally);
    options.onRecord?.();
  };
  for await (const item of streamNvdFile(file, {
    maxElementBytes: options.maxRecordBytes,
    maxOtherBytes: options.maxRecordBytes,
  })) {
    if (item.kind === 'element') {
      const entry = `${name}#vulnerabilities[${item.index}]`;
      let value: unknown;
      try {
        value = JSON.parse(item.text);
      } catch (error) {
        invalid.push({ entry, reason: `not valid JSON: ${(error as Error).message}` });
        continue;
      }
      take(value, item.text, entry);
      continue;
    }
    let rest: unknown;
    try {
      rest = JSON.parse(item.rest);
    } catch (error) {
      throw new NvdStreamError(`not valid JSON: ${(error as Error).message}`);
    }
    if (typeof rest !== 'object' || rest === null || Array.isArray(rest))
      throw new NvdStreamError('not an NVD CVE API 2.0 file: the top level is not a JSON object');
    const wrapper = rest as Record<string, unknown>;
    if (Array.isArray(wrapper.vulnerabilities)) {
      // One page of a paged API response: say so when the other pages are not here.
      const total = wrapper.totalResults;
      const start = typeof wrapper.startIndex === 'number' ? wrapper.startIndex : 0;
      if (typeof total === 'number' && total > item.elements && !(start === 0 && total === item.elements))
        warnings.push(
          `${name} is one page of an NVD API response: it holds ${item.elements} of ${total} results (from index ${start}); import every page, or the CVEs on the others are not checked`,
        );
    } else if (item.elements === 0) {
      take(wrapper, item.rest, name);
    }
  }
  return { invalid, warnings };
}
