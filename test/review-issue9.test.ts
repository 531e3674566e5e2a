/**
 * Adversarial review of issue 9 ("fail closed"): false greens found after the six branches were
 * merged, each reproduced here before it was fixed.
 */
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { releaseStage } from '../src/build/release-stage.js';
import { clausesApplyAt } from '../src/evidence/release-approvals.js';
import { releaseGate } from '../src/evidence/release-gate.js';
import { loadProject } from '../src/load/project.js';
import type { HeadReader } from '../src/load/records-at-head.js';
import { classesOfClauses, IEC_62304_ED1_1 } from '../src/safety/class-scheme.js';
import { resolveBuildDate } from '../src/util/build-date.js';
import { copyDir, EXAMPLE, starterProject } from './helpers.js';

function load(dir: string, recordsAtHead?: HeadReader) {
  const result = loadProject(dir, recordsAtHead ? { recordsAtHead } : {});
  if (!result.ok) throw new Error(`config failed: ${JSON.stringify(result.findings)}`);
  return result.project;
}

describe('a record file emptied or stripped of its front matter after it was committed', () => {
  // What git says each file held at HEAD: the problem report file held PR-001.
  const head: HeadReader = (rel) =>
    rel === 'records/problems/PR-001.md' || rel === 'records/problems/reports.yaml'
      ? { known: true, count: 1, ids: ['PR-001'] }
      : { known: false, why: 'new file: not in HEAD' };

  it('a Markdown record file truncated to nothing is unloaded, not silently empty', () => {
    const project = load(starterProject({ 'records/problems/PR-001.md': '' }), head);
    expect(project.unloaded.map((u) => [u.file, u.finding.code])).toEqual([
      ['records/problems/PR-001.md', 'load/front-matter-missing'],
    ]);
  });

  it('a Markdown record file whose text no longer looks like a record is unloaded when it held records', () => {
    const project = load(starterProject({ 'records/problems/PR-001.md': 'notes\n' }), head);
    expect(project.unloaded.map((u) => u.file)).toEqual(['records/problems/PR-001.md']);
    const d = analyze(project).diagnostics;
    expect(d[0]).toMatchObject({ code: 'load/front-matter-missing', severity: 'error' });
  });

  it('a collection file truncated to nothing is unloaded when it held records', () => {
    const project = load(starterProject({ 'records/problems/reports.yaml': '' }), head);
    expect(project.unloaded.map((u) => [u.file, u.finding.code])).toEqual([
      ['records/problems/reports.yaml', 'load/not-a-collection'],
    ]);
  });

  it('a new empty file or a Markdown note that held nothing stays as before', () => {
    const project = load(
      starterProject({ 'records/problems/new.yaml': '', 'records/notes.md': 'notes\n' }),
      head,
    );
    expect(project.unloaded).toEqual([]);
  });
});

describe('SOURCE_DATE_EPOCH past the year 9999', () => {
  it('is refused: the date would not be an RFC 3339 timestamp', () => {
    const resolve = (epoch: string) =>
      resolveBuildDate({ sourceDateEpoch: epoch, commitDate: () => undefined, now: () => new Date(0) });
    expect(resolve('253402300799').timestamp).toBe('9999-12-31T23:59:59Z');
    expect(() => resolve('253402300800')).toThrow(/SOURCE_DATE_EPOCH/);
  });
});

describe('the release gate of a dated release, for SOUP removed after that date', () => {
  /** The example with SOUP-001 (FreeRTOS, in 1.1.0) marked removed after 1.1.0's release date. */
  function exampleWith(edit: (soupYaml: string) => string) {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/soup.yaml');
    fs.writeFileSync(file, edit(fs.readFileSync(file, 'utf8')));
    return releaseGate(
      analyze(
        load(dir, () => ({ known: false, why: 'test' })),
        { today: '2026-10-05' },
      ),
      '1.1.0',
    );
  }
  const removedLater = (s: string) =>
    s.replace(
      '    license: MIT\n',
      '    license: MIT\n    removed: { date: 2026-10-01, from: firmware/CMakeLists.txt }\n',
    );

  it('still checks its anomaly review: it was part of the release', () => {
    const gate = exampleWith((s) =>
      removedLater(s).replace('      date: 2026-08-18', '      date: 2020-08-18'),
    );
    expect(gate.blockers.filter((b) => b.recordId === 'SOUP-001').map((b) => b.code)).toEqual([
      'release/soup-anomaly-review',
    ]);
  });

  it('says its vulnerabilities were not checked when advisory data could match it', () => {
    const gate = exampleWith((s) =>
      removedLater(s).replace(
        'purl: pkg:github/FreeRTOS/FreeRTOS-Kernel@V11.1.0',
        'purl: pkg:npm/freertos@11.1.0',
      ),
    );
    const notChecked = gate.blockers.filter((b) => b.code === 'release/vulnerabilities-not-checked');
    expect(notChecked.map((b) => b.message).join('\n')).toMatch(/SOUP-001/);
  });

  it('leaves out SOUP removed on or before the release date', () => {
    const gate = exampleWith((s) =>
      s
        .replace(
          '    license: MIT\n',
          '    license: MIT\n    removed: { date: 2026-09-28, from: firmware/CMakeLists.txt }\n',
        )
        .replace('      date: 2026-08-18', '      date: 2020-08-18'),
    );
    expect(gate.blockers.filter((b) => b.recordId === 'SOUP-001')).toEqual([]);
  });
});

describe('one definition of where a clause applies', () => {
  it('the release approvals read clause references as the severity mechanism does (letters, groups)', () => {
    for (const refs of [
      ['5.5.5 a'],
      ['IEC 62304 5.3.6'],
      ['5.8'],
      ['7.1.5'],
      ['5.8.3'],
      ['ISO 13485 7.3.4'],
    ]) {
      for (const cls of ['A', 'B', 'C']) {
        expect(clausesApplyAt(refs, cls), `${refs.join()} at ${cls}`).toBe(
          classesOfClauses(IEC_62304_ED1_1, refs).includes(cls),
        );
      }
    }
  });
});

describe('the release stage of dossier build, when vulnerabilities were not checked for another reason', () => {
  it('does not blame advisory data that is there', () => {
    const analysis = analyze(
      load(copyDir(EXAMPLE), () => ({ known: false, why: 'test' })),
      { today: '2026-10-05' },
    );
    const real = releaseGate(analysis, '1.1.0');
    // Every ecosystem has data; only SOUP removed after the release date went unscanned.
    const gate = {
      ...real,
      blockers: [
        {
          code: 'release/vulnerabilities-not-checked',
          clauses: ['7.1.3'],
          message: '1 SOUP item of the release removed from the build after its date (SOUP-001) not scanned',
        },
      ],
      advisoryData: real.advisoryData.map((f) => ({ ...f, status: 'current' as const })),
    };
    const stage = releaseStage(analysis, { displayRoot: '.', timestamp: '2026-10-05T00:00:00Z', gate });
    expect(stage.result).toMatch(/NOT CHECKED/);
    expect(stage.result).not.toMatch(/no {2}advisory data|no advisory data/);
  });
});
