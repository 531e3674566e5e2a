/**
 * Reads code-coverage reports (lcov tracefiles and Cobertura XML) into per-file line, branch and
 * function counts, as evidence for unit verification (IEC 62304 5.5.5; coverage is a common
 * acceptance criterion under 5.5.3/5.5.4). Pure: text in, report out, never throws.
 *
 * Paths are kept exactly as the report writes them (`SF:` in lcov, `filename` in Cobertura, plus
 * Cobertura's `<source>` roots); mapping them onto software units is the caller's job.
 *
 * A file that appears more than once (lcov records of several test names, Cobertura classes sharing
 * a file such as Java inner classes) is merged: lines, branches and functions are united by their
 * position, a line counts as hit when any record hit it.
 */
import { parseXmlSafely, type XmlElement } from '../util/xml-parse.js';
import {
  attribute,
  childElements,
  type EvidenceProblem,
  integerAttribute,
  localName,
  ownText,
  rootElement,
  xmlErrorProblem,
} from './xml-util.js';

export interface FileCoverage {
  /** As written in the report. */
  readonly path: string;
  readonly linesFound: number;
  readonly linesHit: number;
  readonly branchesFound: number;
  readonly branchesHit: number;
  /** Absent when the report says nothing about functions for this file. */
  readonly functionsFound?: number;
  readonly functionsHit?: number;
}

export interface CoverageTotals {
  readonly files: number;
  readonly linesFound: number;
  readonly linesHit: number;
  readonly branchesFound: number;
  readonly branchesHit: number;
  /** Over the files that report functions; absent when none does. */
  readonly functionsFound?: number;
  readonly functionsHit?: number;
}

export interface CoverageReport {
  readonly format: 'lcov' | 'Cobertura XML';
  /** Sorted by path. */
  readonly files: readonly FileCoverage[];
  readonly totals: CoverageTotals;
  /** Cobertura `<source>` roots the file names are relative to (empty for lcov). */
  readonly sources: readonly string[];
  /** The tool version Cobertura's root declares (`version="gcovr 7.2"`), when present. */
  readonly tool?: string;
  readonly problems: readonly EvidenceProblem[];
}

/** Coverage of one file while reading: keyed by line, branch or function so records can merge. */
class FileAccumulator {
  readonly lines = new Map<number, number>();
  readonly branches = new Map<string, number>();
  readonly functions = new Map<string, number>();
  /** Summary lines (lcov LF/LH/BRF/BRH/FNF/FNH), used only when no detail lines exist. */
  summary: { lf?: number; lh?: number; brf?: number; brh?: number; fnf?: number; fnh?: number } = {};
  functionsReported = false;

  constructor(readonly path: string) {}

  hitLine(line: number, hits: number): void {
    this.lines.set(line, (this.lines.get(line) ?? 0) + hits);
  }

  hitBranch(key: string, taken: number): void {
    this.branches.set(key, (this.branches.get(key) ?? 0) + taken);
  }

  hitFunction(name: string, hits: number): void {
    this.functionsReported = true;
    this.functions.set(name, (this.functions.get(name) ?? 0) + hits);
  }

  result(): FileCoverage {
    const hit = (values: Iterable<number>) => [...values].filter((v) => v > 0).length;
    const s = this.summary;
    const linesFound = this.lines.size > 0 ? this.lines.size : (s.lf ?? 0);
    const linesHit = this.lines.size > 0 ? hit(this.lines.values()) : Math.min(s.lh ?? 0, linesFound);
    const branchesFound = this.branches.size > 0 ? this.branches.size : (s.brf ?? 0);
    const branchesHit =
      this.branches.size > 0 ? hit(this.branches.values()) : Math.min(s.brh ?? 0, branchesFound);
    const functionsKnown = this.functions.size > 0 || s.fnf !== undefined || this.functionsReported;
    const functionsFound = this.functions.size > 0 ? this.functions.size : (s.fnf ?? 0);
    const functionsHit =
      this.functions.size > 0 ? hit(this.functions.values()) : Math.min(s.fnh ?? 0, functionsFound);
    return {
      path: this.path,
      linesFound,
      linesHit,
      branchesFound,
      branchesHit,
      ...(functionsKnown ? { functionsFound, functionsHit } : {}),
    };
  }
}

function finish(
  format: CoverageReport['format'],
  files: Map<string, FileAccumulator>,
  problems: EvidenceProblem[],
  extra: { sources?: readonly string[]; tool?: string } = {},
): CoverageReport {
  const results = [...files.values()]
    .map((f) => f.result())
    .sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const withFunctions = results.filter((f) => f.functionsFound !== undefined);
  const sum = (pick: (f: FileCoverage) => number | undefined, of = results) =>
    of.reduce((total, f) => total + (pick(f) ?? 0), 0);
  const totals: CoverageTotals = {
    files: results.length,
    linesFound: sum((f) => f.linesFound),
    linesHit: sum((f) => f.linesHit),
    branchesFound: sum((f) => f.branchesFound),
    branchesHit: sum((f) => f.branchesHit),
    ...(withFunctions.length > 0
      ? {
          functionsFound: sum((f) => f.functionsFound, withFunctions),
          functionsHit: sum((f) => f.functionsHit, withFunctions),
        }
      : {}),
  };
  return {
    format,
    files: results,
    totals,
    sources: extra.sources ?? [],
    ...(extra.tool ? { tool: extra.tool } : {}),
    problems,
  };
}

function empty(format: CoverageReport['format'], problems: EvidenceProblem[]): CoverageReport {
  return finish(format, new Map(), problems);
}

// ---------------------------------------------------------------------------------------------
// lcov (geninfo tracefile format, also written by c8/nyc/istanbul, llvm-cov export, grcov, …)

const COUNT = /^\d{1,15}$/;

/** Reads an lcov tracefile (`TN:`, `SF:`, `FN:`, `FNDA:`, `DA:`, `BRDA:`, …, `end_of_record`). */
export function readLcov(text: string): CoverageReport {
  try {
    return lcov(text);
  } catch (error) {
    return empty('lcov', [
      { severity: 'error', message: `the lcov file could not be read: ${(error as Error).message}` },
    ]);
  }
}

function lcov(text: string): CoverageReport {
  const problems: EvidenceProblem[] = [];
  const files = new Map<string, FileAccumulator>();
  let current: FileAccumulator | undefined;
  let currentStart = 0;
  let malformed = 0;
  let firstMalformed: number | undefined;
  let outside = 0;
  let firstOutside: number | undefined;
  const bad = (line: number) => {
    malformed++;
    firstMalformed ??= line;
  };
  const lines = text.split(/\r?\n|\r/);
  for (let i = 0; i < lines.length; i++) {
    const raw = lines[i] ?? '';
    const lineNumber = i + 1;
    const entry = raw.trim();
    if (entry === '' || entry.startsWith('#')) continue;
    if (entry === 'end_of_record') {
      if (!current) {
        outside++;
        firstOutside ??= lineNumber;
      }
      current = undefined;
      continue;
    }
    const colon = entry.indexOf(':');
    const tag = colon >= 0 ? entry.slice(0, colon) : entry;
    const value = colon >= 0 ? entry.slice(colon + 1) : '';
    if (tag === 'SF') {
      if (current) {
        problems.push({
          severity: 'warning',
          message: `the record for ${current.path} has no end_of_record before the next SF:`,
          line: currentStart,
        });
      }
      const path = value.trim();
      if (path === '') {
        bad(lineNumber);
        current = undefined;
        continue;
      }
      current = files.get(path) ?? new FileAccumulator(path);
      files.set(path, current);
      currentStart = lineNumber;
      continue;
    }
    if (tag === 'TN' || tag === 'VER') continue;
    if (!current) {
      if (['DA', 'BRDA', 'FN', 'FNDA', 'LF', 'LH', 'BRF', 'BRH', 'FNF', 'FNH', 'FNL', 'FNA'].includes(tag)) {
        outside++;
        firstOutside ??= lineNumber;
      } else if (tag !== '' && !/^[A-Z]{1,6}$/.test(tag)) bad(lineNumber);
      continue;
    }
    const parts = value.split(',').map((p) => p.trim());
    switch (tag) {
      case 'DA': {
        // DA:<line>,<hits>[,<checksum>]; some tools write negative or fractional hits.
        const [line, hits] = parts;
        const hitCount = Number(hits);
        if (!line || !COUNT.test(line) || hits === undefined || hits === '' || !Number.isFinite(hitCount)) {
          bad(lineNumber);
          break;
        }
        current.hitLine(Number(line), Math.max(0, hitCount));
        break;
      }
      case 'BRDA': {
        // BRDA:<line>,[<exception>]<block>,<branch>,<taken>; taken is '-' when the block never ran.
        const [line, block, branch, taken] = parts;
        if (
          !line ||
          !COUNT.test(line) ||
          block === undefined ||
          branch === undefined ||
          taken === undefined
        ) {
          bad(lineNumber);
          break;
        }
        const takenCount = taken === '-' ? 0 : Number(taken);
        if (!Number.isFinite(takenCount)) {
          bad(lineNumber);
          break;
        }
        current.hitBranch(`${line},${block},${branch}`, Math.max(0, takenCount));
        break;
      }
      case 'FN': {
        // FN:<line>[,<end line>],<name>; demangled C++ names may hold commas themselves.
        const comma = value.indexOf(',');
        const name =
          comma < 0
            ? ''
            : value
                .slice(comma + 1)
                .replace(/^\s*\d+\s*,/, '')
                .trim();
        if (!COUNT.test(value.slice(0, comma).trim()) || name === '') bad(lineNumber);
        else current.hitFunction(name, 0);
        break;
      }
      case 'FNDA': {
        // FNDA:<hits>,<name>
        const comma = value.indexOf(',');
        const hits = Number(value.slice(0, comma).trim());
        const name = value.slice(comma + 1).trim();
        if (comma < 0 || name === '' || !Number.isFinite(hits)) bad(lineNumber);
        else current.hitFunction(name, Math.max(0, hits));
        break;
      }
      case 'LF':
      case 'LH':
      case 'BRF':
      case 'BRH':
      case 'FNF':
      case 'FNH': {
        const n = parts[0];
        if (!n || !COUNT.test(n)) {
          bad(lineNumber);
          break;
        }
        const key = tag.toLowerCase() as 'lf' | 'lh' | 'brf' | 'brh' | 'fnf' | 'fnh';
        current.summary[key] = (current.summary[key] ?? 0) + Number(n);
        break;
      }
      default:
        // Other tags (FNL/FNA of lcov 2, MCDC, checksums of newer tools) carry nothing counted here.
        if (!/^[A-Z][A-Z0-9_]*$/.test(tag)) bad(lineNumber);
        break;
    }
  }
  if (current) {
    problems.push({
      severity: 'warning',
      message: `the record for ${current.path} has no end_of_record (the file may be truncated)`,
      line: currentStart,
    });
  }
  if (malformed > 0) {
    problems.push({
      severity: 'warning',
      message: `${malformed} malformed lcov line(s) were skipped`,
      ...(firstMalformed !== undefined ? { line: firstMalformed } : {}),
    });
  }
  if (outside > 0) {
    problems.push({
      severity: 'warning',
      message: `${outside} coverage line(s) stand outside any SF: record and were skipped`,
      ...(firstOutside !== undefined ? { line: firstOutside } : {}),
    });
  }
  if (files.size === 0) {
    problems.push({
      severity: 'error',
      message: 'no lcov records (SF: … end_of_record) found',
      hint: 'check that the file is an lcov tracefile (e.g. lcov --capture, c8 --reporter=lcov, llvm-cov export -format=lcov)',
    });
  }
  return finish('lcov', files, problems);
}

// ---------------------------------------------------------------------------------------------
// Cobertura XML (gcovr --cobertura, coverage.py xml, JaCoCo/Istanbul cobertura reporters, …)

const CONDITION = /\((\d+)\s*\/\s*(\d+)\)/;

/**
 * Reads a Cobertura XML report (`<coverage><packages><package><classes><class filename=…>`).
 * `maxValueBytes` bounds one attribute value or text (`limits.maxXmlValueBytes`; src/util/xml-parse.ts).
 */
export function readCobertura(text: string, options: { maxValueBytes?: number } = {}): CoverageReport {
  try {
    return cobertura(text, options);
  } catch (error) {
    return empty('Cobertura XML', [
      { severity: 'error', message: `the Cobertura report could not be read: ${(error as Error).message}` },
    ]);
  }
}

function cobertura(text: string, options: { maxValueBytes?: number }): CoverageReport {
  if (text.trim() === '') {
    return empty('Cobertura XML', [{ severity: 'error', message: 'the Cobertura report is empty' }]);
  }
  const parsed = parseXmlSafely(
    text,
    options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {},
  );
  if (!parsed.ok) {
    return empty('Cobertura XML', [
      {
        severity: 'error',
        ...xmlErrorProblem(parsed.message, parsed.line, text),
        ...(parsed.hint ? { hint: parsed.hint } : {}),
      },
    ]);
  }
  const root = rootElement(parsed.document);
  if (!root || localName(root.name) !== 'coverage') {
    return empty('Cobertura XML', [
      {
        severity: 'error',
        message: root
          ? `not a Cobertura report: the root element is <${root.name}>, expected <coverage>`
          : 'not a Cobertura report: the document has no root element',
        line: parsed.lineOf(root?.node) ?? 1,
        hint: 'write Cobertura XML (e.g. gcovr --cobertura, coverage xml) or read lcov with readLcov',
      },
    ]);
  }
  const coverage = childElements({ root: root.node }, 'root')[0] ?? {};
  const problems: EvidenceProblem[] = [];
  const files = new Map<string, FileAccumulator>();
  const sources = childElements(coverage, 'sources')
    .flatMap((s) => childElements(s, 'source'))
    .map(ownText)
    .filter((s): s is string => s !== undefined);
  let badLines = 0;
  let firstBad: number | undefined;
  const classes = childElements(coverage, 'packages')
    .flatMap((p) => childElements(p, 'package'))
    .flatMap((p) => childElements(p, 'classes'))
    .flatMap((c) => childElements(c, 'class'));
  for (const cls of classes) {
    const path = attribute(cls, 'filename');
    if (!path) {
      problems.push({
        severity: 'warning',
        message: `a <class${attribute(cls, 'name') ? ` name="${attribute(cls, 'name')}"` : ''}> has no filename and was skipped`,
        line: parsed.lineOf(cls) ?? 1,
      });
      continue;
    }
    const file = files.get(path) ?? new FileAccumulator(path);
    files.set(path, file);
    const readLine = (line: XmlElement) => {
      const number = integerAttribute(line, 'number');
      const hitsText = attribute(line, 'hits');
      const hits = hitsText === undefined ? Number.NaN : Number(hitsText);
      if (number === undefined || !Number.isFinite(hits)) {
        badLines++;
        firstBad ??= parsed.lineOf(line);
        return undefined;
      }
      file.hitLine(number, Math.max(0, hits));
      const condition = CONDITION.exec(attribute(line, 'condition-coverage') ?? '');
      if (attribute(line, 'branch') === 'true' && condition) {
        const covered = Number(condition[1]);
        const total = Number(condition[2]);
        for (let b = 0; b < total; b++) file.hitBranch(`${number},${b}`, b < covered ? 1 : 0);
      }
      return hits;
    };
    for (const line of childElements(cls, 'lines').flatMap((l) => childElements(l, 'line'))) readLine(line);
    const methods = childElements(cls, 'methods').flatMap((m) => childElements(m, 'method'));
    for (const method of methods) {
      const name = `${attribute(method, 'name') ?? ''}${attribute(method, 'signature') ?? ''}`;
      const methodLines = childElements(method, 'lines').flatMap((l) => childElements(l, 'line'));
      let hits = 0;
      for (const line of methodLines) hits += readLine(line) ?? 0;
      const rate = Number(attribute(method, 'line-rate'));
      file.hitFunction(name || `#${parsed.lineOf(method) ?? 0}`, hits > 0 || rate > 0 ? 1 : 0);
    }
  }
  if (badLines > 0) {
    problems.push({
      severity: 'warning',
      message: `${badLines} <line> element(s) without a valid number or hits were skipped`,
      ...(firstBad !== undefined ? { line: firstBad } : {}),
    });
  }
  if (classes.length === 0) {
    problems.push({
      severity: 'warning',
      message: 'the Cobertura report lists no classes (no file coverage)',
      line: parsed.lineOf(coverage) ?? 1,
    });
  }
  const tool = attribute(coverage, 'version');
  return finish('Cobertura XML', files, problems, { sources, ...(tool ? { tool } : {}) });
}
