/**
 * What the tracker readers share: reading a JSON export (also `gh api --paginate` output, which is
 * several JSON arrays one after another), and collecting objects and relations into a batch with
 * duplicates and links outside the export reported.
 */
import type { ImportBatch, ImportedObject, ImportedRelation, ImportIssue, SourceLocation } from '../model.js';
import { ImportError } from '../model.js';

/**
 * The JSON values of a text holding one or more of them one after another. `gh api --paginate`
 * writes one array per page without joining them; JSON.parse alone refuses that.
 */
export function parseJsonValues(file: string, text: string, expected: string): unknown[] {
  const values: unknown[] = [];
  let start = -1;
  let depth = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (inString) {
      if (ch === '\\') i++;
      else if (ch === '"') inString = false;
      continue;
    }
    if (ch === '"') inString = true;
    else if (ch === '[' || ch === '{') {
      if (depth === 0) start = i;
      depth++;
    } else if (ch === ']' || ch === '}') {
      depth--;
      if (depth === 0) values.push(parseOne(file, text, start, i + 1, expected));
    } else if (depth === 0 && !/\s/.test(ch))
      throw new ImportError(`${file}:${lineAt(text, i)}: not JSON (${expected} was expected)`, {
        file,
        line: lineAt(text, i),
      });
  }
  if (depth !== 0 || values.length === 0)
    throw new ImportError(`${file}: incomplete or empty JSON: ${expected} was expected`, { file });
  return values;
}

function lineAt(text: string, index: number): number {
  let line = 1;
  for (let i = 0; i < index; i++) if (text.charCodeAt(i) === 10) line++;
  return line;
}

function parseOne(file: string, text: string, from: number, to: number, expected: string): unknown {
  try {
    return JSON.parse(text.slice(from, to));
  } catch (error) {
    throw new ImportError(
      `${file}:${lineAt(text, from)}: not valid JSON (${(error as Error).message}): ${expected} was expected`,
      { file, line: lineAt(text, from) },
    );
  }
}

export type Json = Record<string, unknown>;

export const isObject = (value: unknown): value is Json =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

export const str = (value: unknown): string | undefined =>
  typeof value === 'string' && value.trim() !== ''
    ? value
    : typeof value === 'number'
      ? String(value)
      : undefined;

/** `object.a.b` when every step is an object, else undefined. */
export function at(value: unknown, ...path: string[]): unknown {
  let current = value;
  for (const key of path) {
    if (!isObject(current)) return undefined;
    current = current[key];
  }
  return current;
}

export class BatchCollector {
  readonly objects: ImportedObject[] = [];
  readonly relations: ImportedRelation[] = [];
  readonly issues: ImportIssue[] = [];
  private readonly ids = new Map<string, SourceLocation | undefined>();
  private readonly relationKeys = new Set<string>();

  addObject(object: ImportedObject): void {
    if (this.ids.has(object.sourceId)) {
      const first = this.ids.get(object.sourceId);
      this.issues.push({
        severity: 'warning',
        code: 'duplicate-id',
        message: `${object.location?.file ?? ''}: ${object.sourceId} occurs again${first ? ` (first in ${first.file})` : ''}; the first one was kept`,
        ...(object.location ? { location: object.location } : {}),
      });
      return;
    }
    this.ids.set(object.sourceId, object.location);
    this.objects.push(object);
  }

  /** Adds a relation once: a link exported on both of its issues (Jira) is one relation. */
  addRelation(relation: ImportedRelation): void {
    const key = `${relation.sourceId}\u0000${relation.type}\u0000${relation.targetId}`;
    if (this.relationKeys.has(key)) return;
    this.relationKeys.add(key);
    this.relations.push(relation);
  }

  batch(format: string, sources: readonly string[], tool?: string): ImportBatch {
    for (const relation of this.relations)
      if (!this.ids.has(relation.targetId) || !this.ids.has(relation.sourceId)) {
        const missing = this.ids.has(relation.targetId) ? relation.sourceId : relation.targetId;
        this.issues.push({
          severity: 'warning',
          code: 'broken-link',
          message: `${relation.location?.file ?? ''}: ${relation.sourceId} ${relation.type} ${relation.targetId}, but ${missing} is not in the export`,
          ...(relation.location ? { location: relation.location } : {}),
        });
      }
    return {
      format,
      ...(tool ? { tool } : {}),
      sources: [...sources],
      objects: this.objects,
      relations: this.relations,
      attachments: [],
      documents: [],
      issues: this.issues,
    };
  }
}
