/**
 * The JSON API of `dossier serve` (docs/json.md, "dossier serve: the JSON API"): what the pages
 * show, as data. Versioned like the other contracts (`schemaVersion`); lists are paginated.
 */
import { advisoryCoverageSummary } from '../build/soup-stage.js';
import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { KIND_NAMES, type KindName } from '../model/kinds.js';
import type { DossierRecord } from '../model/record.js';
import { signatureReport, signaturesOf } from '../signatures/verify.js';
import { DOSSIER_VERSION } from '../version.js';
import type { SiteData } from './data.js';
import { neighbourhood } from './neighbourhood.js';
import { PAGE_SIZE, pageCount } from './paths.js';
import { searchRecords } from './search.js';
import { securityStatus } from './security-page.js';

const VULNERABILITIES_NOT_CHECKED = 'release/vulnerabilities-not-checked';

function envelope(generation: number) {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    generation,
  };
}

export function overviewJson(data: SiteData, generation: number) {
  const { analysis } = data;
  const config = analysis.project.config;
  const coverage = advisoryCoverageSummary(analysis);
  return {
    ...envelope(generation),
    device: { name: config.device.name, manufacturer: config.device.manufacturer },
    software: {
      system: config.software.system,
      version: config.software.version ?? null,
      declaredClass: config.software.safetyClass,
      computedClass: analysis.safety.system?.computedClass ?? null,
    },
    documentationLevel: analysis.safety.documentationLevel.level,
    summary: analysis.summary,
    incomplete: analysis.project.unloaded.length > 0,
    counts: Object.fromEntries(KIND_NAMES.map((k) => [k, data.byKind.get(k)?.length ?? 0])),
    releases: data.releases().map((r) => {
      const base = {
        id: r.release.id,
        version: r.version,
        date: String(r.release.fields.date ?? '') || null,
      };
      if ('notChecked' in r.gate) return { ...base, gate: 'not-checked', notChecked: r.gate.notChecked };
      const blockers = r.gate.blockers.filter((b) => b.code !== VULNERABILITIES_NOT_CHECKED);
      return {
        ...base,
        gate:
          blockers.length > 0
            ? 'blocked'
            : blockers.length < r.gate.blockers.length
              ? 'not-checked'
              : 'ready',
        blockers: blockers.map((b) => ({
          code: b.code,
          clauses: b.clauses,
          message: b.message,
          recordId: b.recordId ?? null,
        })),
        vulnerabilitiesChecked: blockers.length === r.gate.blockers.length,
      };
    }),
    advisoryData: coverage.ecosystems.map((f) => ({
      ecosystem: f.ecosystem,
      items: f.items,
      status: f.status,
      ageDays: f.ageDays ?? null,
    })),
    gapScan: gapJson(data),
  };
}

function gapJson(data: SiteData) {
  const gap = data.gapScan();
  if ('notRun' in gap) return { status: 'not-run' as const, reason: gap.notRun };
  return { status: 'scanned' as const, version: gap.version, ...gap.counts };
}

/** The records of one kind (or all), in id order, a page at a time. */
export function recordsJson(data: SiteData, kind: KindName | undefined, page: number, generation: number) {
  const all = kind ? (data.byKind.get(kind) ?? []) : data.records;
  const pages = pageCount(all.length);
  const p = Math.min(Math.max(1, page), pages);
  return {
    ...envelope(generation),
    kind: kind ?? null,
    total: all.length,
    page: p,
    pages,
    pageSize: PAGE_SIZE,
    records: all.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE).map((r) => ({
      ...brief(r),
      status: r.status,
      file: r.origin.source.path,
      line: data.lineOf(r),
      diagnostics: data.diagnosticsByRecord.get(r.id)?.length ?? 0,
    })),
  };
}

/** The security page as data: the `dossier security` report, or what is missing, or "not a cyber device". */
export function securityJson(data: SiteData, generation: number) {
  const status = securityStatus(data);
  return {
    ...envelope(generation),
    cyberDevice: status.cyberDevice,
    status: status.state,
    missing: status.state === 'missing' ? [...status.missing] : [],
    report: status.state === 'reported' ? data.security() : null,
  };
}

function brief(r: DossierRecord) {
  return { id: r.id, kind: r.kind, title: r.title };
}

/** The record's signatures as `dossier check` verified them, with what a client needs to know whether one counts. */
function approvalsOf(data: SiteData, record: DossierRecord) {
  const report = signatureReport(data.analysis.project);
  const identityVerified = report.trust.state === 'certified';
  return signaturesOf(report, record.id).map((s) => ({
    signer: s.entry.signer,
    name: s.signer?.name ?? null,
    meaning: s.entry.meaning,
    time: s.entry.time,
    state: s.outcome.state,
    why: 'why' in s.outcome ? s.outcome.why : null,
    commit: s.committed.state === 'committed' ? s.committed.commit.commit : null,
    identityVerified,
  }));
}

export function recordJson(data: SiteData, record: DossierRecord, generation: number) {
  const { graph } = data.analysis;
  const outgoing = graph.outgoing(record);
  const resolved = new Set(outgoing.map((l) => `${l.field}\u0000${l.index}`));
  const broken: { field: string; target: string }[] = [];
  for (const [field, targets] of Object.entries(record.links))
    targets.forEach((target, i) => {
      if (!resolved.has(`${field}\u0000${i}`)) broken.push({ field, target });
    });
  return {
    ...envelope(generation),
    record: {
      id: record.id,
      kind: record.kind,
      title: record.title,
      status: record.status,
      tags: record.tags,
      safetyClass: data.classOf(record.id),
      file: record.origin.source.path,
      line: data.lineOf(record),
      fields: record.fields,
      links: record.links,
      text: record.text,
    },
    upstream: outgoing.map((l) => ({ field: l.field, ...brief(l.to) })),
    downstream: graph.incoming(record).map((l) => ({ field: l.field, ...brief(l.from) })),
    brokenLinks: broken,
    diagnostics: data.diagnosticsByRecord.get(record.id) ?? [],
    approvals: approvalsOf(data, record),
    neighbourhood: (() => {
      const hood = neighbourhood(graph, record);
      return {
        columns: hood.columns.map((c) => ({ step: c.step, ids: c.records.map((r) => r.id), more: c.more })),
        edges: hood.edges,
      };
    })(),
  };
}

export function searchJson(data: SiteData, query: string, limit: number, generation: number) {
  const results = searchRecords(data.search, query, Math.min(Math.max(1, limit), PAGE_SIZE));
  return { ...envelope(generation), query: results.query, total: results.total, hits: results.hits };
}

export function diagnosticsJson(data: SiteData, page: number, generation: number) {
  const all = data.diagnosticsByRule;
  const pages = pageCount(all.length);
  const p = Math.min(Math.max(1, page), pages);
  return {
    ...envelope(generation),
    total: all.length,
    page: p,
    pages,
    pageSize: PAGE_SIZE,
    rules: data.rules.map((r) => ({ code: r.code, count: r.count })),
    diagnostics: all.slice((p - 1) * PAGE_SIZE, p * PAGE_SIZE),
  };
}
