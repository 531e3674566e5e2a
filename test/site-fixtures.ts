import { type Analysis, analyze } from '../src/analyze.js';
import { type SiteData, siteData } from '../src/site/data.js';
import { loadOk, starterProject } from './helpers.js';

/** A title and a text that would run code if anything rendered them as HTML or followed the link. */
export const HOSTILE_TITLE = '"><img src=x onerror=alert(1)>';
export const HOSTILE_TEXT = [
  'Click [here](javascript:alert(1)) or <script>alert(2)</script> <img src=x onerror=alert(3)>.',
  '',
  '[data](data:text/html;base64,PHNjcmlwdD5hbGVydCg0KTwvc2NyaXB0Pg==) and [fine](https://example.com/).',
  '',
].join('\n');

export function hostileRecord(title = HOSTILE_TITLE): string {
  return `---
id: SRS-002
title: '${title.replace(/'/g, "''")}'
status: draft
category: inputs-outputs
derivesFrom: [SYS-001]
---
${HOSTILE_TEXT}`;
}

/** The starter project with SRS-002 replaced by a hostile record. */
export function hostileProject(): string {
  return starterProject({ 'records/software/SRS-002.md': hostileRecord() });
}

export function analysisOf(dir: string): Analysis {
  return analyze(loadOk(dir), { today: '2026-12-01' });
}

export function dataOf(dir: string): SiteData {
  return siteData(analysisOf(dir), { displayRoot: '.' });
}
