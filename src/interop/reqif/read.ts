/**
 * `readReqif`: ReqIF 1.0/1.1/1.2 files (`.reqif`, `.reqifz`) into an {@link ImportBatch}.
 *
 * All documents of one import are resolved together: types, attribute definitions and enumeration
 * values declared in one file serve the others, and relations may point into another file of the
 * same import (the Eclipse RMF TC1700 case keeps its relations in a second file of the archive).
 *
 * How the dialects real tools write are read (the standard names the ReqIF Implementation Guide
 * recommends, which DOORS, DOORS Next, Polarion, ProR, StrictDoc and Capella all use):
 * - `foreignId` from `ReqIF.ForeignID` (DOORS absolute number, Polarion work item id), or the
 *   attribute named in `options.foreignIdAttribute`;
 * - `title` from `ReqIF.Name`, else `ReqIF.ChapterName`, else the SPEC-OBJECT's LONG-NAME
 *   (Enterprise Architect), headings preferring `ReqIF.ChapterName`;
 * - `text` from `ReqIF.Text` (XHTML → Markdown; a STRING value is taken as written), or, when the
 *   object's type has no `ReqIF.Text`, from its first XHTML attribute that is not a `ReqIF.*` one;
 * - `isHeading` when the object has a chapter name and no text (DOORS headings, StrictDoc
 *   sections) or its type is called Heading / Section / Chapter (Polarion);
 * - every other value under its attribute definition's LONG-NAME (IDENTIFIER when it has none):
 *   enumerations as their value names (`string[]` when the definition is MULTI-VALUED), integers
 *   and reals as numbers when exact, booleans as booleans, dates as written, XHTML as Markdown.
 *
 * Nothing is dropped silently: hierarchy entries naming a missing object are `broken-link` errors,
 * relations with an end outside the files read are `external-link` warnings (and left out of
 * `relations`, since nothing in the batch can carry them), relations without SOURCE or TARGET,
 * duplicate identifiers, undefined attribute definitions and XHTML kept approximately are
 * reported too. Files that cannot be read at all throw {@link ImportError} with file and line.
 */
import { lstat, readFile, realpath } from 'node:fs/promises';
import path from 'node:path';
import type { ZipLimits } from '../../soup/osv/read-zip.js';
import type {
  AttributeValue,
  ImportBatch,
  ImportedAttachment,
  ImportedDocument,
  ImportedObject,
  ImportedRelation,
  ImportIssue,
  SourceLocation,
  SourceProvenance,
} from '../model.js';
import { REQIF_CHAPTER_NAME, REQIF_FOREIGN_ID, REQIF_NAME, REQIF_TEXT } from './names.js';
import {
  parseReqifDocument,
  type ReqifAttributeDefinition,
  type ReqifDocument,
  type ReqifRawHierarchy,
  type ReqifRawObject,
  type ReqifRawValue,
  type ReqifSpecType,
} from './parse-document.js';
import { loadReqifSources, REQIFZ_LIMITS, resolveArchivePath, safeArchivePath } from './source-files.js';
import { xhtmlToMarkdown } from './xhtml-to-markdown.js';
import { textOfNodes, type XmlNode } from './xml-nodes.js';

export interface ReadReqifOptions {
  /** The attribute (definition LONG-NAME) whose value becomes `foreignId`; default `ReqIF.ForeignID`. */
  readonly foreignIdAttribute?: string;
  /** Bounds on `.reqifz` archives (default {@link REQIFZ_LIMITS}). */
  readonly zipLimits?: ZipLimits;
  /** Largest single XML value (default `limits.maxXmlValueBytes`). */
  readonly maxValueBytes?: number;
}

const HEADING_TYPE = /^(heading|chapter|section)s?$/i;
/** Attached files next to a plain `.reqif` are read only up to this size each. */
const MAX_SIDE_FILE_BYTES = 64 * 1024 * 1024;

interface Definitions {
  readonly attributes: Map<string, ReqifAttributeDefinition>;
  readonly types: Map<string, ReqifSpecType>;
  readonly enumValues: Map<string, string>;
}

interface Draft {
  object: ImportedObject;
  placed: boolean;
}

export async function readReqif(
  files: readonly string[],
  options: ReadReqifOptions = {},
): Promise<ImportBatch> {
  const sources = await loadReqifSources(files, options.zipLimits ?? REQIFZ_LIMITS);
  const issues: ImportIssue[] = [...sources.issues];
  const documents = sources.documents.map((source) =>
    parseReqifDocument(source.text, source.label, source.archiveFolder, {
      ...(options.maxValueBytes !== undefined ? { maxValueBytes: options.maxValueBytes } : {}),
    }),
  );
  const definitions = collectDefinitions(documents);
  const attachments = new Map<string, ImportedAttachment>(sources.attachments.map((a) => [a.path, a]));
  const sideFiles = new Map<string, { base: string; absolute: string; location: SourceLocation }>();

  const drafts = new Map<string, Draft>();
  const order: string[] = [];
  for (const document of documents) {
    const resolver = objectResolver(document, definitions, options, issues, attachments, sideFiles);
    for (const raw of document.objects) {
      const location = locate(document.label, raw.line);
      if (raw.id === '') {
        issues.push({
          severity: 'error',
          code: 'skipped',
          message: 'a SPEC-OBJECT has no IDENTIFIER; it was skipped',
          location,
        });
        continue;
      }
      if (drafts.has(raw.id)) {
        issues.push({
          severity: 'error',
          code: 'duplicate-id',
          message: `SPEC-OBJECT "${raw.id}" is defined again; the first definition was kept`,
          location,
        });
        continue;
      }
      drafts.set(raw.id, { object: resolver(raw), placed: false });
      order.push(raw.id);
    }
  }

  const importedDocuments = documents.flatMap((document) =>
    placeInSpecifications(document, drafts, definitions, issues),
  );
  const relations = resolveRelations(documents, drafts, definitions, issues);
  await readSideFiles(sideFiles, attachments, issues);

  const tools = [...new Set(documents.map((d) => d.tool).filter((t): t is string => t !== undefined))];
  return {
    format: 'reqif',
    ...(tools.length > 0 ? { tool: tools.join(', ') } : {}),
    sources: [...files],
    objects: order.map((id) => (drafts.get(id) as Draft).object),
    relations,
    attachments: [...attachments.values()],
    documents: importedDocuments,
    issues,
  };
}

function locate(file: string, line: number | undefined): SourceLocation {
  return line === undefined ? { file } : { file, line };
}

function collectDefinitions(documents: readonly ReqifDocument[]): Definitions {
  const definitions: Definitions = { attributes: new Map(), types: new Map(), enumValues: new Map() };
  for (const document of documents) {
    for (const definition of document.attributeDefinitions)
      if (!definitions.attributes.has(definition.id)) definitions.attributes.set(definition.id, definition);
    for (const type of document.types)
      if (!definitions.types.has(type.id)) definitions.types.set(type.id, type);
    for (const [id, name] of document.enumValues)
      if (!definitions.enumValues.has(id)) definitions.enumValues.set(id, name);
  }
  return definitions;
}

/** A value resolved against its definition: the name it is filed under and its JSON-like form. */
interface NamedValue {
  readonly name: string;
  readonly raw: ReqifRawValue;
  readonly definition?: ReqifAttributeDefinition;
}

function objectResolver(
  document: ReqifDocument,
  definitions: Definitions,
  options: ReadReqifOptions,
  issues: ImportIssue[],
  attachments: Map<string, ImportedAttachment>,
  sideFiles: Map<string, { base: string; absolute: string; location: SourceLocation }>,
): (raw: ReqifRawObject) => ImportedObject {
  const foreignIdName = options.foreignIdAttribute ?? REQIF_FOREIGN_ID;
  const reportedDefinitions = new Set<string>();
  const reportedEnums = new Set<string>();

  /** Where an `<object data>` lands among the attachments (and queues a file beside a plain .reqif). */
  const resolveObject = (data: string, location: SourceLocation): string | undefined => {
    if (document.archiveFolder !== undefined) {
      const inArchive = resolveArchivePath(document.archiveFolder, data);
      if (inArchive === undefined || !attachments.has(inArchive))
        issues.push({
          severity: 'warning',
          code: 'broken-link',
          message: `embedded object "${data}" is not in the archive; its link was kept as written`,
          location,
        });
      return inArchive;
    }
    const relative = resolveArchivePath('', data);
    if (relative === undefined) {
      issues.push({
        severity: 'warning',
        code: 'external-link',
        message: `embedded object "${data}" is outside the export (a URL, an absolute path or "..") and was not read`,
        location,
      });
      return undefined;
    }
    if (!sideFiles.has(relative))
      sideFiles.set(relative, {
        base: path.dirname(document.label),
        absolute: path.join(path.dirname(document.label), relative),
        location,
      });
    return relative;
  };

  const markdownOf = (nodes: readonly XmlNode[], location: SourceLocation, approximated: Set<string>) => {
    const conversion = xhtmlToMarkdown(nodes, {
      resolveObject: (object) => resolveObject(object.data, location),
    });
    for (const construct of conversion.approximated) approximated.add(construct);
    return conversion.markdown;
  };

  return (raw) => {
    const location = locate(document.label, raw.line);
    const type = raw.typeId === undefined ? undefined : definitions.types.get(raw.typeId);
    if (raw.typeId !== undefined && !type && !reportedDefinitions.has(`type:${raw.typeId}`)) {
      reportedDefinitions.add(`type:${raw.typeId}`);
      issues.push({
        severity: 'warning',
        code: 'approximated',
        message: `SPEC-OBJECT-TYPE "${raw.typeId}" is not defined in the files read; objects of it keep the identifier as their type`,
        location,
      });
    }
    // ReqIF: an attribute of the type without a value of its own takes the definition's DEFAULT-VALUE.
    const given = new Set(raw.values.map((value) => value.definitionId));
    const defaults = (type?.attributeIds ?? [])
      .filter((id) => !given.has(id))
      .map((id) => definitions.attributes.get(id)?.defaultValue)
      .filter((value): value is ReqifRawValue => value !== undefined)
      .map((value) => ({ ...value, ...(raw.line !== undefined ? { line: raw.line } : {}) }));
    const values: NamedValue[] = [...raw.values, ...defaults].map((value) => {
      const definition =
        value.definitionId === undefined ? undefined : definitions.attributes.get(value.definitionId);
      if (!definition && !reportedDefinitions.has(value.definitionId ?? '')) {
        reportedDefinitions.add(value.definitionId ?? '');
        issues.push({
          severity: 'warning',
          code: 'approximated',
          message: `attribute definition "${value.definitionId ?? '(none)'}" is not defined in the files read; its values are kept under that identifier`,
          location: locate(document.label, value.line ?? raw.line),
        });
      }
      return {
        name: definition?.name ?? value.definitionId ?? `(unnamed ${value.kind.toLowerCase()})`,
        raw: value,
        ...(definition ? { definition } : {}),
      };
    });
    const byName = (name: string) => values.find((value) => value.name === name);
    const typeDeclares = (name: string) =>
      type?.attributeIds.some((id) => definitions.attributes.get(id)?.name === name) ?? false;

    const approximated = new Set<string>();
    const plain = (value: NamedValue | undefined): string | undefined => {
      if (!value) return undefined;
      const v = value.raw.value;
      const text = Array.isArray(v)
        ? value.raw.kind === 'XHTML'
          ? textOfNodes(v as XmlNode[])
          : (v as string[]).map((ref) => definitions.enumValues.get(ref) ?? ref).join(', ')
        : (v as string | undefined);
      const collapsed = text?.replace(/\s+/g, ' ').trim();
      return collapsed === '' ? undefined : collapsed;
    };
    const markdown = (value: NamedValue): string | undefined => {
      const v = value.raw.value;
      if (value.raw.kind === 'XHTML' && Array.isArray(v))
        return markdownOf(v as XmlNode[], location, approximated);
      return typeof v === 'string' ? v.trim() : undefined;
    };

    const foreign = byName(foreignIdName);
    const nameValue = byName(REQIF_NAME);
    const chapterValue = byName(REQIF_CHAPTER_NAME);
    let textValue = byName(REQIF_TEXT);
    if (!textValue && !typeDeclares(REQIF_TEXT))
      textValue = values.find(
        (value) =>
          value.raw.kind === 'XHTML' && !value.name.startsWith('ReqIF.') && value.name !== foreignIdName,
      );
    const text = textValue ? markdown(textValue) : undefined;
    const name = plain(nameValue);
    const chapter = plain(chapterValue);
    const typeName = type?.name ?? raw.typeId ?? 'SPEC-OBJECT';
    const isHeading = (chapter !== undefined && !text) || HEADING_TYPE.test(typeName);
    const titleValue = isHeading ? (chapter ? chapterValue : nameValue) : name ? nameValue : chapterValue;
    const title = plain(titleValue) ?? raw.longName?.trim();
    const used = new Set<NamedValue | undefined>([foreign, textValue, titleValue]);

    const attributes: Record<string, AttributeValue> = {};
    for (const value of values) {
      if (used.has(value)) continue;
      const converted = convert(value, definitions, markdown, document.label, issues, reportedEnums);
      if (converted === undefined) continue;
      const key = value.name in attributes ? `${value.name} (${value.raw.definitionId ?? '?'})` : value.name;
      attributes[key] = converted;
    }
    if (approximated.size > 0)
      issues.push({
        severity: 'info',
        code: 'approximated',
        message: `SPEC-OBJECT "${raw.id}": XHTML kept approximately in Markdown: ${[...approximated].join(', ')}`,
        location,
      });

    const provenance = provenanceOf(attributes, raw.lastChange);
    // An id keeps its inner spacing as written: only the ends are trimmed.
    const foreignId =
      foreign && typeof foreign.raw.value === 'string'
        ? foreign.raw.value.trim() || undefined
        : plain(foreign);
    return {
      sourceId: raw.id,
      ...(foreignId !== undefined ? { foreignId } : {}),
      type: typeName,
      ...(title ? { title } : {}),
      ...(text ? { text } : {}),
      attributes,
      ...(isHeading ? { isHeading: true } : {}),
      ...(provenance ? { provenance } : {}),
      location,
    };
  };
}

function convert(
  value: NamedValue,
  definitions: Definitions,
  markdown: (value: NamedValue) => string | undefined,
  file: string,
  issues: ImportIssue[],
  reportedEnums: Set<string>,
): AttributeValue | undefined {
  const v = value.raw.value;
  switch (value.raw.kind) {
    case 'XHTML':
      return markdown(value);
    case 'ENUMERATION': {
      const names = ((v as string[] | undefined) ?? []).map((ref) => {
        const name = definitions.enumValues.get(ref);
        if (name === undefined && !reportedEnums.has(ref)) {
          reportedEnums.add(ref);
          issues.push({
            severity: 'warning',
            code: 'approximated',
            message: `enumeration value "${ref}" of "${value.name}" is not defined in the files read; kept as its identifier`,
            location: locate(file, value.raw.line),
          });
        }
        return name ?? ref;
      });
      if (value.definition?.multiValued || names.length > 1) return names;
      return names[0];
    }
    case 'INTEGER': {
      if (typeof v !== 'string') return undefined;
      const n = Number(v.trim());
      return Number.isSafeInteger(n) ? n : v.trim();
    }
    case 'REAL': {
      if (typeof v !== 'string') return undefined;
      const n = Number(v.trim());
      return v.trim() !== '' && Number.isFinite(n) ? n : v.trim();
    }
    case 'BOOLEAN':
      return typeof v === 'string' ? v.trim() === 'true' || v.trim() === '1' : undefined;
    default:
      return typeof v === 'string' ? v : undefined;
  }
}

/** Status and last-change provenance, from the names DOORS, Polarion and most tools use. */
function provenanceOf(
  attributes: Record<string, AttributeValue>,
  lastChange: string | undefined,
): SourceProvenance | undefined {
  const scalar = (...names: string[]) => {
    for (const [key, value] of Object.entries(attributes))
      if (names.some((name) => name.toLowerCase() === key.toLowerCase())) {
        if (typeof value === 'string' && value !== '') return value;
        if (Array.isArray(value) && value.length === 1) return value[0];
      }
    return undefined;
  };
  const provenance: SourceProvenance = {
    ...optionalField('status', scalar('Status', 'ReqIF.Status', 'State')),
    ...optionalField('lastChangedBy', scalar('ReqIF.ForeignModifiedBy', 'ReqIF.ForeignLastModifiedBy')),
    ...optionalField(
      'lastChangedAt',
      scalar('ReqIF.ForeignModifiedOn', 'ReqIF.ForeignLastModifiedOn') ?? lastChange,
    ),
  };
  return Object.keys(provenance).length > 0 ? provenance : undefined;
}

function optionalField<K extends string>(key: K, value: string | undefined): { [P in K]?: string } {
  return (value === undefined ? {} : { [key]: value }) as { [P in K]?: string };
}

/** Documents from SPECIFICATIONs, and each object's section path from the headings above it. */
function placeInSpecifications(
  document: ReqifDocument,
  drafts: Map<string, Draft>,
  definitions: Definitions,
  issues: ImportIssue[],
): ImportedDocument[] {
  return document.specifications.map((specification) => {
    const objectIds: string[] = [];
    const walk = (nodes: readonly ReqifRawHierarchy[], headings: readonly string[]) => {
      for (const node of nodes) {
        const location = locate(document.label, node.line);
        const draft = node.objectId === undefined ? undefined : drafts.get(node.objectId);
        if (!draft) {
          issues.push({
            severity: 'error',
            code: 'broken-link',
            message:
              node.objectId === undefined
                ? `a SPEC-HIERARCHY entry of specification "${specification.longName ?? specification.id}" names no SPEC-OBJECT`
                : `specification "${specification.longName ?? specification.id}" places SPEC-OBJECT "${node.objectId}", which is not in the files read`,
            location,
          });
          walk(node.children, headings);
          continue;
        }
        objectIds.push(draft.object.sourceId);
        if (!draft.placed) {
          draft.placed = true;
          if (headings.length > 0) draft.object = { ...draft.object, section: [...headings] };
        }
        const title = draft.object.title;
        walk(node.children, draft.object.isHeading && title ? [...headings, title] : headings);
      }
    };
    walk(specification.children, []);
    const titleValue = specification.values.find(
      (value) =>
        value.definitionId !== undefined &&
        definitions.attributes.get(value.definitionId)?.name === REQIF_NAME,
    );
    const valueTitle =
      titleValue === undefined
        ? undefined
        : Array.isArray(titleValue.value)
          ? textOfNodes(titleValue.value as XmlNode[])
          : (titleValue.value as string | undefined);
    const title = (specification.longName ?? valueTitle)?.replace(/\s+/g, ' ').trim();
    return { sourceId: specification.id, ...(title ? { title } : {}), objectIds };
  });
}

function resolveRelations(
  documents: readonly ReqifDocument[],
  drafts: Map<string, Draft>,
  definitions: Definitions,
  issues: ImportIssue[],
): ImportedRelation[] {
  const relations: ImportedRelation[] = [];
  for (const document of documents)
    for (const raw of document.relations) {
      const location = locate(document.label, raw.line);
      const name = raw.id ?? '(no IDENTIFIER)';
      const type =
        (raw.typeId === undefined ? undefined : definitions.types.get(raw.typeId)?.name) ??
        raw.typeId ??
        'relation';
      if (raw.sourceId === undefined || raw.targetId === undefined) {
        issues.push({
          severity: 'error',
          code: 'skipped',
          message: `SPEC-RELATION "${name}" has no ${raw.sourceId === undefined ? 'SOURCE' : 'TARGET'} object; it was skipped`,
          location,
        });
        continue;
      }
      const missing = [raw.sourceId, raw.targetId].filter((id) => !drafts.has(id));
      if (missing.length > 0) {
        issues.push({
          severity: 'warning',
          code: 'external-link',
          message: `SPEC-RELATION "${name}" (${type}) from "${raw.sourceId}" to "${raw.targetId}": ${missing.map((id) => `"${id}"`).join(' and ')} ${missing.length > 1 ? 'are' : 'is'} not in the files read (in another ReqIF file, or deleted); import the files together to keep it`,
          location,
        });
        continue;
      }
      relations.push({ sourceId: raw.sourceId, targetId: raw.targetId, type, location });
    }
  return relations;
}

/** Files a plain `.reqif` embeds by relative path, read from beside it. */
async function readSideFiles(
  sideFiles: Map<string, { base: string; absolute: string; location: SourceLocation }>,
  attachments: Map<string, ImportedAttachment>,
  issues: ImportIssue[],
): Promise<void> {
  for (const [relative, { base, absolute, location }] of sideFiles) {
    if (attachments.has(relative) || safeArchivePath(relative) === undefined) continue;
    try {
      // Only a regular file inside the ReqIF file's folder: a symbolic link, of the file or of a
      // folder on the way (an unpacked archive can carry them), could point anywhere on the disk.
      const [real, root] = await Promise.all([realpath(absolute), realpath(base)]);
      if (!real.startsWith(root + path.sep))
        throw new Error('a link that leaves the folder of the ReqIF file');
      const info = await lstat(absolute);
      if (!info.isFile() || info.size > MAX_SIDE_FILE_BYTES)
        throw new Error(
          info.isSymbolicLink() ? 'a symbolic link' : info.isFile() ? 'too large' : 'not a file',
        );
      attachments.set(relative, { path: relative, bytes: new Uint8Array(await readFile(absolute)) });
    } catch (error) {
      issues.push({
        severity: 'warning',
        code: 'broken-link',
        message: `embedded object "${relative}" could not be read beside the ReqIF file (${(error as NodeJS.ErrnoException).code ?? (error as Error).message}); its link was kept`,
        location,
      });
    }
  }
}
