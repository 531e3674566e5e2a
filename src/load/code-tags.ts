/**
 * Code tags: comments in source files of any language that tie code and tests to records, so that
 * unit-to-requirement traceability lives where the code is (`// @implements SRS-012`,
 * `# @verifies SRS-012, SRS-013`). Only the tag and the ids are read; the language does not matter.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import { discoverFiles } from './discover.js';
import { describeError } from './read-text.js';

export const CODE_TAGS = ['implements', 'verifies'] as const;
export type CodeTagName = (typeof CODE_TAGS)[number];

export interface CodeTag {
  /** Project-relative, forward slashes. */
  readonly file: string;
  readonly line: number;
  readonly column: number;
  readonly tag: CodeTagName;
  readonly id: string;
}

export interface CodeTagScan {
  readonly tags: readonly CodeTag[];
  readonly files: number;
  readonly findings: readonly Finding[];
}

const TAG = /@(implements|verifies)\b[:\s]+((?:[A-Z][A-Z0-9]*-\d+)(?:[\s,]+[A-Z][A-Z0-9]*-\d+)*)/g;
const ID = /[A-Z][A-Z0-9]*-\d+/g;

/** The tags in one file's text (pure, for tests). */
export function tagsInText(file: string, text: string): CodeTag[] {
  const tags: CodeTag[] = [];
  const lines = text.split(/\r?\n/);
  lines.forEach((lineText, index) => {
    if (!lineText.includes('@')) return;
    for (const match of lineText.matchAll(TAG)) {
      const listStart = match.index + match[0].indexOf(match[2]!);
      for (const idMatch of match[2]!.matchAll(ID)) {
        tags.push({
          file,
          line: index + 1,
          column: listStart + idMatch.index + 1,
          tag: match[1] as CodeTagName,
          id: idMatch[0],
        });
      }
    }
  });
  return tags;
}

/** Scans the source files the configuration names; unreadable or oversized files are reported. */
export function scanCodeTags(
  root: string,
  sources: readonly string[],
  exclude: readonly string[],
  maxBytes: number,
): CodeTagScan {
  const discovery = discoverFiles(root, sources, exclude);
  const findings: Finding[] = [...discovery.findings];
  const tags: CodeTag[] = [];
  for (const rel of discovery.files) {
    const absolute = path.join(root, rel);
    try {
      if (fs.statSync(absolute).size > maxBytes) {
        findings.push({
          code: 'load/too-large',
          message: `source file is larger than ${maxBytes} bytes; its code tags were not read`,
          at: { file: rel, line: 1, column: 1 },
        });
        continue;
      }
      tags.push(...tagsInText(rel, fs.readFileSync(absolute, 'utf8')));
    } catch (error) {
      findings.push({
        code: 'load/unreadable',
        message: `cannot read: ${describeError(error)}`,
        at: { file: rel, line: 1, column: 1 },
      });
    }
  }
  return { tags, files: discovery.files.length, findings };
}
