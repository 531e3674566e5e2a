/**
 * The data the package's arranging documents read: the FDA 2023 documentation elements with the
 * documents that answer them and the design file list (data/fda-2023-documentation-elements.json),
 * and the eSTAR attachment list (data/estar-attachments.json); and how a document named in them
 * resolves against the documents the registry writes for one context. Loading checks the data fit
 * the catalogs they join (the FDA elements of the gap scan, the plan types, the cybersecurity items,
 * the clauses of Table A.1) and refuses to start otherwise: an element silently skipped would read
 * as nothing asked.
 */
import { CYBERSECURITY_ITEMS, FDA_ELEMENTS, type ObligationEntry } from '../gap/catalog.js';
import { PLAN_TYPES, type PlanType } from '../model/vocabulary.js';
import { planCoverage } from '../plans/coverage.js';
import { planTypeSpec } from '../plans/plan-data.js';
import { IEC_62304_ED1_1 } from '../safety/class-scheme.js';
import { packageJson } from '../util/package-files.js';
import type { DocumentContext } from './context.js';
import type { DocumentModel } from './model.js';

/** One document of the package built for one context: built once, on first use. */
export interface PackageDocument {
  readonly key: string;
  readonly title: string;
  readonly model: () => DocumentModel;
}

/** A document named in the data: by its key, or as the plan documents of a plan type. */
export type DocumentRef = { readonly document: string } | { readonly plan: PlanType };

export type Level = 'Basic' | 'Enhanced';

export interface ElementPart {
  readonly what: string;
  readonly document?: string;
  readonly plan?: PlanType;
  readonly submittedAt?: readonly Level[];
  readonly whyNotSubmitted?: string;
  readonly alternative?: boolean;
}

export interface DocumentationElement {
  readonly key: string;
  /** What the element asks at Basic. */
  readonly basic: string;
  /** What it asks at Enhanced, when that differs from Basic. */
  readonly enhanced?: string;
  readonly parts: readonly ElementPart[];
  /** Title, reference and `submittedAt` of data/fda-software-documentation.json. */
  readonly entry: ObligationEntry;
}

export interface DesignFileDocument {
  readonly what: string;
  readonly document?: string;
  readonly plan?: PlanType;
  readonly clauses: readonly string[];
}

export interface EstarRow {
  readonly type: string;
  readonly element?: string;
  readonly documents: readonly DocumentRef[];
  readonly alternative?: DocumentRef;
  readonly files?: readonly string[];
  readonly gapItem?: string;
  readonly note?: string;
}

interface ElementsFile {
  readonly elements: readonly Omit<DocumentationElement, 'entry'>[];
  readonly designFileDocuments: readonly DesignFileDocument[];
}
interface EstarFile {
  readonly notes: readonly string[];
  readonly software: readonly EstarRow[];
  readonly cybersecurity: readonly EstarRow[];
}

const ELEMENTS_PATH = 'data/fda-2023-documentation-elements.json';
const ESTAR_PATH = 'data/estar-attachments.json';
const ELEMENTS_FILE = packageJson<ElementsFile>(ELEMENTS_PATH);
const ESTAR_FILE = packageJson<EstarFile>(ESTAR_PATH);

const CLAUSES = new Set(IEC_62304_ED1_1.applicability.map((r) => r.clause));

function checkRef(where: string, ref: { readonly document?: string; readonly plan?: string }) {
  if ((ref.document === undefined) === (ref.plan === undefined))
    throw new Error(`${where}: name either a document or a plan`);
  if (ref.plan !== undefined && !(PLAN_TYPES as readonly string[]).includes(ref.plan))
    throw new Error(`${where}: unknown plan type ${ref.plan}`);
  if (ref.document !== undefined && !/^[A-Z][A-Z0-9-]*$/.test(ref.document))
    throw new Error(`${where}: ${ref.document} is not a document key`);
}

function joinElements(file: ElementsFile): DocumentationElement[] {
  const keys = file.elements.map((e) => e.key);
  if (keys.join() !== FDA_ELEMENTS.map((e) => e.key).join())
    throw new Error(
      `${ELEMENTS_PATH} must list the elements of data/fda-software-documentation.json in order`,
    );
  return file.elements.map((e, i) => {
    e.parts.forEach((p, j) => {
      checkRef(`${ELEMENTS_PATH} ${e.key} part ${j + 1}`, p);
    });
    return { ...e, entry: FDA_ELEMENTS[i]! };
  });
}

function checkDesignFile(list: readonly DesignFileDocument[]): readonly DesignFileDocument[] {
  for (const d of list) {
    checkRef(`${ELEMENTS_PATH} designFileDocuments ${d.what}`, d);
    for (const c of d.clauses)
      if (!CLAUSES.has(c)) throw new Error(`${ELEMENTS_PATH} designFileDocuments: unknown clause ${c}`);
  }
  return list;
}

function checkEstar(file: EstarFile): EstarFile {
  const items = new Set(CYBERSECURITY_ITEMS.map((i) => i.key));
  const elements = new Set(FDA_ELEMENTS.map((e) => e.key));
  for (const row of [...file.software, ...file.cybersecurity]) {
    const where = `${ESTAR_PATH} ${row.type}`;
    for (const ref of [...row.documents, ...(row.alternative ? [row.alternative] : [])]) checkRef(where, ref);
    if (row.element !== undefined && !elements.has(row.element))
      throw new Error(`${where}: unknown FDA element ${row.element}`);
    if (row.gapItem !== undefined && !items.has(row.gapItem))
      throw new Error(`${where}: unknown cybersecurity item ${row.gapItem}`);
  }
  return file;
}

export const DOCUMENTATION_ELEMENTS: readonly DocumentationElement[] = joinElements(ELEMENTS_FILE);
export const DESIGN_FILE_DOCUMENTS = checkDesignFile(ELEMENTS_FILE.designFileDocuments);
export const ESTAR: EstarFile = checkEstar(ESTAR_FILE);

/** How a named document stands in the package built for one context. */
export interface ResolvedRef {
  /**
   * present: the package holds it; missing: a plan type no plan record holds; not-written: a key
   * the registry does not write.
   */
  readonly state: 'present' | 'missing' | 'not-written';
  readonly documents: readonly PackageDocument[];
  /** The plan records that hold a plan type (by id), to cite them. */
  readonly plans: readonly string[];
  /** For people: how it is held, or what is missing. */
  readonly note: string;
}

export function resolveRef(
  ref: { readonly document?: string; readonly plan?: PlanType },
  context: DocumentContext,
  pkg: readonly PackageDocument[],
  planKeys: ReadonlyMap<string, string>,
): ResolvedRef {
  if (ref.plan !== undefined) {
    const spec = planTypeSpec(ref.plan);
    const type = planCoverage(context.analysis).types.find((t) => t.planType === ref.plan)!;
    const plans = type.holders.map((h) => h.plan.id);
    const keys = [...new Set(type.holders.map((h) => planKeys.get(h.plan.id)))];
    const documents = pkg.filter((d) => keys.includes(d.key));
    if (documents.length === 0)
      return {
        state: 'missing',
        documents: [],
        plans,
        note: `no plan record holds the ${spec.title.toLowerCase()} (planType: ${ref.plan}${spec.coveredBy ? `, or covers: [${ref.plan}] in the ${planTypeSpec(spec.coveredBy).title.toLowerCase()}` : ''})`,
      };
    return {
      state: 'present',
      documents,
      plans,
      note:
        type.status === 'covered'
          ? `held as sections of ${documents.map((d) => d.key).join(', ')} (covers)`
          : '',
    };
  }
  const key = ref.document!;
  const found = pkg.filter((d) => d.key === key);
  return found.length > 0
    ? { state: 'present', documents: found, plans: [], note: '' }
    : { state: 'not-written', documents: [], plans: [], note: `${key}: not written by Dossier yet` };
}
