/**
 * The table an exporter writes for the records of one kind, shared by the XLSX and CSV writers:
 * columns id, title, status, text, then each link field, then each other field, in name order.
 */

import { fieldText } from '../field-text.js';
import type { ExportRecord } from '../model.js';

export type TableValue = string | number | boolean;

export interface ExportTable {
  readonly header: readonly string[];
  readonly rows: readonly (readonly TableValue[])[];
}

/** A field value as one cell: numbers and booleans typed, the rest as {@link fieldText} writes it. */
export function fieldCell(value: unknown): TableValue {
  if (typeof value === 'boolean') return value;
  if (typeof value === 'number') return Number.isFinite(value) ? value : String(value);
  return fieldText(value) ?? '';
}

const sortedUnion = (lists: Iterable<Iterable<string>>) => {
  const all = new Set<string>();
  for (const list of lists) for (const item of list) all.add(item);
  return [...all].sort();
};

export function exportTable(records: readonly ExportRecord[]): ExportTable {
  const linkFields = sortedUnion(records.map((r) => Object.keys(r.links)));
  const fields = sortedUnion(records.map((r) => Object.keys(r.fields))).filter(
    (f) => !['id', 'title', 'status', 'text'].includes(f) && !linkFields.includes(f),
  );
  return {
    header: ['id', 'title', 'status', 'text', ...linkFields, ...fields],
    rows: records.map((r) => [
      r.id,
      r.title,
      r.status,
      r.text,
      ...linkFields.map((f) => (r.links[f] ?? []).join(', ')),
      ...fields.map((f) => fieldCell(r.fields[f])),
    ]),
  };
}

/** Records grouped by kind, kinds in name order, records in id order: the same input gives the same file. */
export function recordsByKind(records: readonly ExportRecord[]): Map<string, ExportRecord[]> {
  const byKind = new Map<string, ExportRecord[]>();
  for (const record of [...records].sort((a, b) => (a.kind < b.kind ? -1 : a.kind > b.kind ? 1 : 0))) {
    const list = byKind.get(record.kind);
    if (list) list.push(record);
    else byKind.set(record.kind, [record]);
  }
  for (const list of byKind.values()) list.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  return byKind;
}
