/**
 * NVD CVE API 2.0 records (the `cve` object of `vulnerabilities[]`), as far as Dossier reads them:
 * identity, dates, status, description, and the `configurations` CPE match criteria. Other fields
 * (`metrics`, `weaknesses`, `references`, CNA `affected`, CISA ADP `ssvcV203`…) are kept in the raw
 * JSON and ignored here, so a record with fields this code does not know is read, not refused.
 */

/** The advisory-data name NVD data is listed under, beside the OSV ecosystems. */
export const NVD_SOURCE = 'NVD';

export interface NvdCpeMatch {
  readonly vulnerable: boolean;
  readonly criteria: string;
  readonly matchCriteriaId?: string;
  readonly versionStartIncluding?: string;
  readonly versionStartExcluding?: string;
  readonly versionEndIncluding?: string;
  readonly versionEndExcluding?: string;
}

export interface NvdNode {
  readonly operator?: 'AND' | 'OR';
  readonly negate?: boolean;
  readonly cpeMatch: readonly NvdCpeMatch[];
}

export interface NvdConfiguration {
  readonly operator?: 'AND' | 'OR';
  readonly negate?: boolean;
  readonly nodes: readonly NvdNode[];
}

export interface NvdCve {
  readonly id: string;
  readonly sourceIdentifier?: string;
  readonly published?: string;
  /** As NVD writes it: UTC without a zone designator (`2026-06-17T09:36:36.253`). */
  readonly lastModified: string;
  /** `Analyzed`, `Modified`, `Awaiting Analysis`, `Rejected`… */
  readonly vulnStatus?: string;
  readonly descriptions?: readonly { readonly lang: string; readonly value: string }[];
  readonly configurations?: readonly NvdConfiguration[];
}

const BOUNDS = [
  'versionStartIncluding',
  'versionStartExcluding',
  'versionEndIncluding',
  'versionEndExcluding',
] as const;

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/**
 * The CVE of one `vulnerabilities[]` element (`{ "cve": {…} }`) or of a bare CVE object, or why it
 * cannot be read. Only what matching depends on is checked; a criterion of the wrong shape makes
 * the whole record invalid rather than silently dropping the criterion (fail closed).
 */
export function validateNvdCve(value: unknown): { ok: true; cve: NvdCve } | { ok: false; reason: string } {
  const cve = isObject(value) && isObject(value.cve) ? value.cve : value;
  if (!isObject(cve)) return { ok: false, reason: 'not a JSON object' };
  if (typeof cve.id !== 'string' || !/^CVE-\d{4}-\d{4,}$/.test(cve.id))
    return { ok: false, reason: 'no CVE id ("id": "CVE-YYYY-NNNN")' };
  if (typeof cve.lastModified !== 'string' || !nvdTimestamp(cve.lastModified))
    return { ok: false, reason: 'no usable "lastModified" date' };
  const configurations = cve.configurations;
  if (configurations !== undefined) {
    if (!Array.isArray(configurations)) return { ok: false, reason: '"configurations" is not a list' };
    for (const [c, config] of configurations.entries()) {
      if (!isObject(config) || !Array.isArray(config.nodes))
        return { ok: false, reason: `configurations[${c}] has no "nodes" list` };
      for (const [n, node] of config.nodes.entries()) {
        const where = `configurations[${c}].nodes[${n}]`;
        if (!isObject(node) || !Array.isArray(node.cpeMatch))
          return { ok: false, reason: `${where} has no "cpeMatch" list` };
        if (node.operator !== undefined && node.operator !== 'AND' && node.operator !== 'OR')
          return { ok: false, reason: `${where}.operator is neither AND nor OR` };
        for (const [m, match] of node.cpeMatch.entries()) {
          if (!isObject(match) || typeof match.vulnerable !== 'boolean' || typeof match.criteria !== 'string')
            return {
              ok: false,
              reason: `${where}.cpeMatch[${m}] needs "vulnerable" (true or false) and "criteria" (a CPE)`,
            };
          for (const bound of BOUNDS)
            if (match[bound] !== undefined && typeof match[bound] !== 'string')
              return { ok: false, reason: `${where}.cpeMatch[${m}].${bound} is not a text` };
        }
      }
    }
  }
  return { ok: true, cve: cve as unknown as NvdCve };
}

/** NVD timestamps are UTC without a zone (API 2.0); as RFC 3339 with `Z`, or undefined when not a date. */
export function nvdTimestamp(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d+)?)(Z|[+-]\d{2}:\d{2})?$/i.exec(value);
  if (!m) return undefined;
  return `${m[1]}${m[2] ?? 'Z'}`;
}

/** The English description (NVD lists one per language), first sentence-length part. */
export function nvdSummary(cve: NvdCve): string | undefined {
  const text = cve.descriptions?.find((d) => d.lang === 'en')?.value ?? cve.descriptions?.[0]?.value;
  if (!text) return undefined;
  const oneLine = text.replace(/\s+/g, ' ').trim();
  return oneLine.length > 200 ? `${oneLine.slice(0, 197)}…` : oneLine;
}

/** CVSS vectors as NVD publishes them (primary source first), for the report; not scored here. */
export function nvdSeverity(cve: NvdCve): string[] {
  const metrics = (cve as { metrics?: Record<string, unknown> }).metrics ?? {};
  const out: string[] = [];
  for (const key of ['cvssMetricV40', 'cvssMetricV31', 'cvssMetricV30', 'cvssMetricV2']) {
    const list = metrics[key];
    if (!Array.isArray(list)) continue;
    const sorted = [...list].sort(
      (a, b) => (a?.type === 'Primary' ? -1 : 0) - (b?.type === 'Primary' ? -1 : 0),
    );
    const vector = sorted.map((m) => m?.cvssData?.vectorString).find((v) => typeof v === 'string');
    if (vector && !out.includes(vector)) out.push(vector);
  }
  return out;
}
