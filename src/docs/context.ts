/**
 * What every document builder receives (src/docs/<document>.ts): the analysis, the date and
 * baseline the package is built for, and the results other stages compute (the release gate, the
 * gap scan) computed once, on first use, and shared by every document of one build. Builders never
 * read files (ARCHITECTURE: an output never re-reads files) and are pure over this context.
 */
import type { Analysis } from '../analyze.js';
import {
  type EvidenceReader,
  type GateResult,
  readGateEvidence,
  releaseGate,
} from '../evidence/release-gate.js';
import { type GapScanResult, gapScan } from '../gap/scan.js';
import { configContent } from '../model/config.js';
import { compareById, type DossierRecord, isActive } from '../model/record.js';
import { signatureReport } from '../signatures/verify.js';
import { documentControl } from './control.js';
import { type Block, DOCUMENT_MODEL_VERSION, type DocumentModel, type Inline } from './model.js';

export interface DocumentContext {
  readonly analysis: Analysis;
  /** The date the documents carry, YYYY-MM-DD (src/util/build-date.ts). */
  readonly date: string;
  /** The baseline: the release version given (`--release`), else software.version, else 'unversioned'. */
  readonly baseline: string;
  /** The release record of the baseline, when one names it. */
  readonly release: DossierRecord | undefined;
  /** The release gate of the baseline's release (undefined when no release record names it). */
  readonly gate: () => GateResult | undefined;
  /** The gap scan of the project (the same as the build's gap-scan stage). */
  readonly gapScan: () => GapScanResult;
}

export interface DocumentContextOptions {
  readonly date: string;
  /** A release version (`--release`); default software.version in dossier.yaml. */
  readonly baseline?: string;
  /** Reads evidence files for the gate, as `dossier release check` does (else reports are "not checked"). */
  readonly readEvidence?: EvidenceReader;
  /** A gate already computed (the build's release stage), reused when its version is the baseline. */
  readonly gate?: GateResult;
}

export function documentContext(analysis: Analysis, options: DocumentContextOptions): DocumentContext {
  // Without a version the baseline says so: a revision must never look like a release's.
  const baseline = options.baseline ?? analysis.project.config.software.version ?? 'unversioned';
  const release = analysis.graph
    .ofKind('release')
    .filter(isActive)
    .find((r) => String(r.fields.version) === baseline);
  let gate: { value: GateResult | undefined } | undefined;
  let scan: GapScanResult | undefined;
  return {
    analysis,
    date: options.date,
    baseline,
    release,
    gate: () => {
      if (!gate) {
        if (!release) gate = { value: undefined };
        else if (options.gate?.version === baseline) gate = { value: options.gate };
        else {
          const evidence = options.readEvidence
            ? readGateEvidence(analysis, baseline, options.readEvidence)
            : undefined;
          gate = { value: releaseGate(analysis, baseline, evidence) };
        }
      }
      return gate.value;
    },
    gapScan: () => {
      scan ??= gapScan(analysis, options.gate ? { gates: [options.gate] } : {});
      return scan;
    },
  };
}

/**
 * A document with its control block: every builder ends here, so the revision is always computed
 * the same way, from the records the document includes.
 */
export function documentOf(
  context: DocumentContext,
  key: string,
  title: string,
  blocks: readonly Block[],
  included: Iterable<string>,
): DocumentModel {
  const config = context.analysis.project.config;
  const ids = [...new Set(included)].sort();
  return {
    modelVersion: DOCUMENT_MODEL_VERSION,
    key,
    title,
    device: config.device.name,
    manufacturer: config.device.manufacturer,
    control: documentControl(
      context.analysis.graph,
      ids,
      context.baseline,
      context.date,
      config.documents?.[key],
      configContent(config),
      { key, report: signatureReport(context.analysis.project) },
    ),
    records: ids,
    blocks,
  };
}

/** Record ids in id order, comma-separated, each a link. */
export function refs(records: readonly DossierRecord[]): Inline[] {
  return [...records]
    .sort(compareById)
    .flatMap((r, i) => (i === 0 ? [{ ref: r.id }] : [{ text: ', ' }, { ref: r.id }]));
}
