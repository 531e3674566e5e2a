import { JSON_SCHEMA_VERSION } from '../diagnostics/report.js';
import { CLASSIFY_FORMATS } from '../report-formats.js';
import { joinChunks, LazyList, prettyJsonChunks } from '../util/json-chunks.js';
import { markdownCell } from '../util/markdown.js';
import { DOSSIER_VERSION } from '../version.js';
import { type ClassScheme, classRank, clausesFor, effectiveClasses } from './class-scheme.js';
import type { Classification } from './classify.js';
import type { SafetyAnalysis } from './safety-analysis.js';

export { CLASSIFY_FORMATS };

export type ClassifyFormat = (typeof CLASSIFY_FORMATS)[number];

function entry(c: Classification) {
  return {
    id: c.id,
    title: c.title,
    itemType: c.itemType,
    parent: c.parent ?? null,
    declaredClass: c.declaredClass ?? null,
    computedClass: c.computedClass,
    basis: c.basis,
    bases: c.bases,
    segregated: c.segregated,
    analysis: c.analysis,
    notAnalysed: c.notAnalysed,
    outsideTree: c.outsideTree,
    path: c.path,
    rationale: c.rationale,
    forcedBy: c.forcing,
  };
}

/** The `dossier classify --format json` contract (docs/json.md). */
/** The JSON report, in pieces (docs/json.md). */
export function classificationJsonChunks(safety: SafetyAnalysis): Iterable<string> {
  return prettyJsonChunks(classificationReport(safety));
}

function classificationReport(safety: SafetyAnalysis) {
  return {
    schemaVersion: JSON_SCHEMA_VERSION,
    tool: { name: 'dossier', version: DOSSIER_VERSION },
    scheme: {
      id: safety.scheme.id,
      standard: safety.scheme.standard,
      classes: safety.scheme.classes.map((c) => c.key),
    },
    system: safety.system ? entry(safety.system) : null,
    // Built one item at a time as the report is written: a large architecture gives tens of megabytes.
    items: LazyList.of(safety.items, entry),
    documentationLevel: {
      level: safety.documentationLevel.level,
      rationale: safety.documentationLevel.rationale,
      situations: safety.documentationLevel.situations,
    },
    levelOfConcern: safety.levelOfConcern ?? null,
  };
}

function status(scheme: ClassScheme, c: Classification): string {
  if (c.declaredClass === undefined) return 'not declared';
  const declared = classRank(scheme, c.declaredClass);
  const computed = classRank(scheme, c.computedClass);
  return declared === computed ? 'matches' : declared < computed ? 'TOO LOW' : 'higher than needed';
}

/**
 * "Class C items add …": the clauses that apply at the highest class and not at the one below it,
 * as Dossier applies them (uncertain rows at every class, {@link effectiveClasses}).
 */
function addedAtHighestClass(scheme: ClassScheme): string {
  const [below, top] = scheme.classes.slice(-2).map((c) => c.key);
  const added = clausesFor(scheme, top!).filter((row) => !effectiveClasses(scheme, row).includes(below!));
  return `Class ${top} items add ${added.map((row) => row.clause).join(', ')}`;
}

export function renderClassification(safety: SafetyAnalysis, format: ClassifyFormat): string {
  if (format === 'json') return joinChunks(classificationJsonChunks(safety));
  const all = [...(safety.system ? [safety.system] : []), ...safety.items];
  if (format === 'markdown') {
    const lines = [
      `## Software safety classification (${safety.scheme.standard})`,
      '',
      '| Item | Type | Parent | Declared | Computed | Basis | Status |',
      '| --- | --- | --- | --- | --- | --- | --- |',
      ...all.map(
        (c) =>
          `| **${c.id}** ${markdownCell(c.title)} | ${c.itemType} | ${c.parent ?? ''} | ${c.declaredClass ?? '–'} | ${c.computedClass} | ${c.bases.join(', ')} | ${status(safety.scheme, c)} |`,
      ),
      '',
      `Clauses that apply (Annex A, Table A.1): ${safety.scheme.classes
        .map((k) => `class ${k.key} ${clausesFor(safety.scheme, k.key).length}`)
        .join(', ')}. ${addedAtHighestClass(safety.scheme)}.`,
      '',
      `### FDA documentation level: ${safety.documentationLevel.level}`,
      '',
      markdownCell(safety.documentationLevel.rationale),
      ...(safety.levelOfConcern
        ? [
            '',
            `### Level of concern (2005 guidance): ${safety.levelOfConcern.level}`,
            '',
            markdownCell(safety.levelOfConcern.rationale),
          ]
        : []),
      '',
      '### Rationale per item',
      '',
    ];
    for (const c of all) {
      lines.push(
        `#### ${c.id} ${markdownCell(c.title)}: class ${c.computedClass} (${c.bases.join(', ')})`,
        '',
      );
      for (const step of c.path)
        lines.push(`- **${step.step}** ${markdownCell(step.question)} ${markdownCell(step.answer)}`);
      lines.push('');
    }
    return `${lines.join('\n')}\n`;
  }
  const width = Math.max(...all.map((c) => c.id.length));
  const basesWidth = Math.max(12, ...all.map((c) => c.bases.join('+').length));
  const lines = [`Software safety classification (${safety.scheme.standard})`, ''];
  for (const c of all) {
    lines.push(
      `${c.id.padEnd(width)}  ${c.itemType.padEnd(6)}  declared ${c.declaredClass ?? '-'}  computed ${c.computedClass}  ${c.bases.join('+').padEnd(basesWidth)}  ${status(safety.scheme, c)}  ${c.title}`,
    );
  }
  lines.push(
    '',
    `FDA documentation level: ${safety.documentationLevel.level}`,
    `  ${safety.documentationLevel.rationale}`,
  );
  if (safety.levelOfConcern)
    lines.push(
      `Level of concern (2005): ${safety.levelOfConcern.level}`,
      `  ${safety.levelOfConcern.rationale}`,
    );
  if (safety.system)
    lines.push(
      '',
      `Why ${safety.system.id} is class ${safety.system.computedClass}:`,
      ...safety.system.path.map((s) => `  ${s.step}: ${s.answer}`),
    );
  // Explain the items whose class their parent does not explain, and every class that is too low.
  const explained = safety.items.filter(
    (i) => !i.bases.includes('inherited') || i.basis === 'default' || status(safety.scheme, i) === 'TOO LOW',
  );
  for (const c of explained) {
    lines.push(
      '',
      `Why ${c.id} is class ${c.computedClass} (${c.bases.join(', ')}):`,
      ...c.path.map((s) => `  ${s.step}: ${s.answer}`),
    );
  }
  return `${lines.join('\n')}\n`;
}
