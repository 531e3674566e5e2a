/**
 * The bookkeeping every reader shares: objects kept once per source id (a second one is a
 * `duplicate-id` issue, not a silent overwrite), relations kept as written, and, when the batch is
 * finished, every relation whose target is not in the batch reported: a URL as `external-link`,
 * any other id as `broken-link`. The relation itself is kept either way, since the mapping may
 * resolve it against records already in the project.
 */
import type {
  AttributeValue,
  ImportBatch,
  ImportedDocument,
  ImportedObject,
  ImportedRelation,
  ImportIssue,
  ImportIssueCode,
  SourceLocation,
} from './model.js';

const URL_TARGET = /^[a-z][a-z0-9+.-]*:\/\//i;

export class BatchBuilder {
  readonly objects: ImportedObject[] = [];
  readonly relations: ImportedRelation[] = [];
  readonly documents: ImportedDocument[] = [];
  readonly issues: ImportIssue[] = [];
  private readonly ids = new Map<string, ImportedObject>();
  /** Relations the source itself marks as pointing outside (mlx `ext_*`, needs.json external needs). */
  private readonly external = new WeakSet<ImportedRelation>();

  constructor(readonly format: string) {}

  has(sourceId: string): boolean {
    return this.ids.has(sourceId);
  }

  /** Adds the object unless its id is taken; returns whether it was added. */
  addObject(object: ImportedObject): boolean {
    const first = this.ids.get(object.sourceId);
    if (first) {
      const at = first.location ? ` (first at ${where(first.location)})` : '';
      this.issue(
        'error',
        'duplicate-id',
        `"${object.sourceId}" occurs twice${at}; the second is skipped.`,
        object.location,
      );
      return false;
    }
    this.ids.set(object.sourceId, object);
    this.objects.push(object);
    return true;
  }

  addRelation(relation: ImportedRelation, external = false): void {
    this.relations.push(relation);
    if (external) this.external.add(relation);
  }

  issue(
    severity: ImportIssue['severity'],
    code: ImportIssueCode,
    message: string,
    location?: SourceLocation,
  ): void {
    this.issues.push(location ? { severity, code, message, location } : { severity, code, message });
  }

  finish(sources: readonly string[], tool?: string): ImportBatch {
    for (const relation of this.relations) {
      if (this.ids.has(relation.targetId)) continue;
      if (this.external.has(relation) || URL_TARGET.test(relation.targetId))
        this.issue(
          'info',
          'external-link',
          `${relation.sourceId} ${relation.type} ${relation.targetId}: a link outside the files read.`,
          relation.location,
        );
      else
        this.issue(
          'warning',
          'broken-link',
          `${relation.sourceId} ${relation.type} ${relation.targetId}: "${relation.targetId}" is not in the files read.`,
          relation.location,
        );
    }
    return {
      format: this.format,
      ...(tool ? { tool } : {}),
      sources: [...sources],
      objects: this.objects,
      relations: this.relations,
      attachments: [],
      documents: this.documents,
      issues: this.issues,
    };
  }
}

function where(location: SourceLocation): string {
  return location.line === undefined ? location.file : `${location.file}:${location.line}`;
}

/** A location, its line left out when unknown (optional fields stay absent, not `undefined`). */
export function at(file: string, line?: number): SourceLocation {
  return line === undefined ? { file } : { file, line };
}

/** `a, b; c` → `['a', 'b', 'c']`: the separators docs-as-code tools accept in list options. */
export function splitList(value: string, separators: RegExp = /[,;]/): string[] {
  return value
    .split(separators)
    .map((part) => part.trim())
    .filter((part) => part !== '');
}

/** Attribute values as the model holds them; objects and nested lists become JSON text. */
export function attributeValue(value: unknown): AttributeValue | undefined {
  if (value === null || value === undefined) return undefined;
  if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean') return value;
  if (Array.isArray(value) && value.every((v) => typeof v === 'string')) return value as string[];
  if (Array.isArray(value))
    return value.map((v) =>
      typeof v === 'string'
        ? v
        : typeof v === 'number' || typeof v === 'boolean'
          ? String(v)
          : JSON.stringify(v),
    );
  return JSON.stringify(value);
}
