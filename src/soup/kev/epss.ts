/**
 * FIRST's Exploit Prediction Scoring System (EPSS) daily CSV (https://www.first.org/epss/data_stats):
 * a comment line `#model_version:v2025.03.14,score_date:2025-08-25T00:00:00Z`, the header
 * `cve,epss,percentile`, then one CVE per line with its probability of exploitation in the next
 * 30 days and its percentile. Optional context for evaluating a finding; it never replaces one.
 */
import path from 'node:path';
import type { AdvisoryStore } from '../advisories/store.js';
import { readFeedFile } from './import.js';

export interface EpssScore {
  /** Probability (0-1) of exploitation activity in the next 30 days. */
  readonly epss: number;
  /** Share (0-1) of scored CVEs with a lower or equal score. */
  readonly percentile: number;
}

export interface EpssData {
  readonly modelVersion: string;
  /** The day the scores are for (ISO 8601): the data's age. */
  readonly scoreDate: string;
  readonly scores: readonly (EpssScore & { readonly cve: string })[];
  readonly invalid: readonly { readonly line: number; readonly reason: string }[];
}

export interface EpssInfo {
  readonly modelVersion: string;
  readonly scoreDate: string;
  readonly count: number;
  readonly source: string;
  readonly importedAt: string;
}

/** The file is not an EPSS CSV (the message names the file, the line and what to do). */
export class EpssFormatError extends Error {}

/** Is this (the first bytes of a file) an EPSS CSV? By content: its comment line or its header. */
export function looksLikeEpss(head: string): boolean {
  return /^#model_version:/.test(head) || /^cve,epss,percentile\r?\n/.test(head);
}

const CVE_ID = /^CVE-[0-9]{4}-[0-9]{4,19}$/;

/** Parses the CSV text; a line that is not `CVE,number,number` with numbers in 0-1 is listed and skipped. */
export function parseEpssCsv(text: string, file: string): EpssData {
  const lines = text.split(/\r?\n/);
  const meta = /^#model_version:([^,]+),score_date:(\S+)$/.exec(lines[0] ?? '');
  if (!meta)
    throw new EpssFormatError(
      `${file}:1: an EPSS CSV starts with "#model_version:…,score_date:…" (the scores' date is their age); download the file again from https://epss.cyentia.com/epss_scores-current.csv.gz and unzip it`,
    );
  if (Number.isNaN(Date.parse(meta[2]!)))
    throw new EpssFormatError(`${file}:1: score_date ${JSON.stringify(meta[2])} is not a date`);
  if (lines[1]?.trim() !== 'cve,epss,percentile')
    throw new EpssFormatError(`${file}:2: expected the header "cve,epss,percentile"`);
  const scores: (EpssScore & { cve: string })[] = [];
  const invalid: { line: number; reason: string }[] = [];
  for (let i = 2; i < lines.length; i++) {
    const line = lines[i]!;
    if (line.trim() === '') continue;
    const [cve, epssText, percentileText, extra] = line.split(',');
    const epss = Number(epssText);
    const percentile = Number(percentileText);
    const inRange = (n: number) => epssText !== '' && Number.isFinite(n) && n >= 0 && n <= 1;
    if (!cve || !CVE_ID.test(cve) || extra !== undefined || !inRange(epss) || !inRange(percentile)) {
      invalid.push({
        line: i + 1,
        reason: `"${line.slice(0, 80)}" is not CVE-id,epss,percentile (numbers 0-1)`,
      });
      continue;
    }
    scores.push({ cve, epss, percentile });
  }
  return { modelVersion: meta[1]!, scoreDate: meta[2]!, scores, invalid };
}

export interface EpssImportSummary {
  readonly source: string;
  readonly kind: 'epss';
  readonly importedAt: string;
  readonly modelVersion: string;
  readonly scoreDate: string;
  readonly scores: number;
  readonly invalid: EpssData['invalid'];
}

/** Reads an EPSS CSV and replaces the scores held. */
export async function importEpss(
  store: AdvisoryStore,
  file: string,
  options: { now?: Date } = {},
): Promise<EpssImportSummary> {
  const data = parseEpssCsv(readFeedFile(file, EpssFormatError), file);
  const importedAt = (options.now ?? new Date()).toISOString();
  const source = path.resolve(file);
  await store.write(async (writer) => writer.replaceEpss(data, source, importedAt));
  return {
    source,
    kind: 'epss',
    importedAt,
    modelVersion: data.modelVersion,
    scoreDate: data.scoreDate,
    scores: data.scores.length,
    invalid: data.invalid,
  };
}

/** "EPSS 0.943 (99.8th percentile, 2025-08-25)". */
export function epssText(score: EpssScore, info: Pick<EpssInfo, 'scoreDate'>): string {
  return `EPSS ${score.epss.toFixed(3)} (percentile ${(score.percentile * 100).toFixed(1)}, scores of ${info.scoreDate.slice(0, 10)})`;
}

/**
 * The EPSS status of a vulnerability in words, never silent: its score, "no score" in the scores
 * held, or "not checked" when none were loaded (never to be read as a low probability).
 */
export function epssLabel(
  epss: { status: string; scoreDate?: string; score?: EpssScore & { cve: string } } | undefined,
): string {
  if (epss?.status === 'scored' && epss.score && epss.scoreDate)
    return `${epssText(epss.score, { scoreDate: epss.scoreDate })} for ${epss.score.cve}`;
  if (epss?.status === 'not-scored' && epss.scoreDate)
    return `EPSS: no score in the scores of ${epss.scoreDate.slice(0, 10)}`;
  return 'EPSS: not checked (no EPSS scores loaded)';
}
