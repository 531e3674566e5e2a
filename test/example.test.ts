import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { TraceGraph } from '../src/graph/graph.js';
import { loadProject } from '../src/load/project.js';
import { REQUIREMENT_CATEGORY_KEYS } from '../src/model/vocabulary.js';
import { copyDir, EXAMPLE, EXAMPLE_TRUST_ROOT, runCli } from './helpers.js';

// The example's trust root, pinned as CI pins it (docs/signatures.md).
process.env.DOSSIER_TRUST_ROOT = EXAMPLE_TRUST_ROOT;

const loaded = loadProject(EXAMPLE);
if (!loaded.ok) throw new Error('the example must load');
const project = loaded.project;
const graph = new TraceGraph(project.records);
const count = (kind: Parameters<TraceGraph['ofKind']>[0]) => graph.ofKind(kind).length;

describe('the bundled infusion pump example', () => {
  it('checks clean: no errors, and warns only that its crates.io, npm and CPE-matched SOUP need advisory data', () => {
    // The day its records were last brought up to date: anomaly-list reviews age with the calendar.
    const analysis = analyze(project, { today: '2026-12-01' });
    const shown = analysis.diagnostics.filter((d) => d.code !== 'soup/no-advisory-data');
    expect(shown.map((d) => `${d.file}:${d.line} ${d.code} ${d.message}`)).toEqual([]);
    expect(analysis.diagnostics.map((d) => `${d.severity} ${d.code} ${d.message.split(':')[0]}`)).toEqual([
      'warning soup/no-advisory-data 5 SOUP items with a CPE not scanned',
      'warning soup/no-advisory-data 29 crates.io SOUP items not scanned',
      'warning soup/no-advisory-data 3 npm SOUP items not scanned',
    ]);
  });

  it('has the size the issue asks for', () => {
    expect(count('user-need')).toBeGreaterThanOrEqual(8);
    expect(count('system-requirement')).toBeGreaterThanOrEqual(25);
    expect(count('software-requirement')).toBeGreaterThanOrEqual(60);
    expect(count('software-item')).toBeGreaterThanOrEqual(15);
    expect(count('hazard')).toBeGreaterThanOrEqual(10);
    expect(count('hazardous-situation')).toBeGreaterThanOrEqual(15);
    expect(count('risk-control')).toBeGreaterThanOrEqual(15);
    expect(count('soup')).toBeGreaterThanOrEqual(10);
    expect(count('test')).toBeGreaterThanOrEqual(80);
    expect(count('problem-report')).toBe(8);
    expect(count('release')).toBe(2);
    expect(count('test-run')).toBeGreaterThanOrEqual(8);
  });

  it('covers all twelve 5.2.2 categories and all three test levels', () => {
    const categories = new Set(graph.ofKind('software-requirement').map((r) => r.fields.category));
    expect([...categories].sort()).toEqual([...REQUIREMENT_CATEGORY_KEYS].sort());
    const levels = new Set(graph.ofKind('test').map((r) => r.fields.level));
    for (const level of ['unit', 'integration', 'system']) expect(levels).toContain(level);
  });

  it('has three architecture levels with segregated items of a lower class', () => {
    const items = graph.ofKind('software-item');
    expect(new Set(items.map((i) => i.fields.itemType))).toEqual(new Set(['system', 'item', 'unit']));
    const system = graph.get(project.config.software.system)!;
    expect(system.fields).toMatchObject({ itemType: 'system', safetyClass: 'C' });
    const segregated = items.filter((i) => i.fields.segregation !== undefined);
    expect(segregated.map((i) => i.id).sort()).toEqual(['SI-010', 'SI-030']);
    for (const item of segregated) expect(['A', 'B']).toContain(item.fields.safetyClass);
  });

  it('has risk controls outside the software and three open problem reports', () => {
    const outside = graph.ofKind('risk-control').filter((r) => r.fields.implementedIn !== 'software');
    expect(outside.map((r) => r.fields.implementedIn)).toEqual(expect.arrayContaining(['hardware']));
    const open = graph
      .ofKind('problem-report')
      .filter((r) => ['open', 'investigating'].includes(String(r.fields.state)));
    expect(open).toHaveLength(3);
  });

  it('a link changed to a missing id fails check with that id, the file and the line', () => {
    const dir = copyDir(EXAMPLE);
    const file = path.join(dir, 'records/software/SRS-012.md');
    const text = fs.readFileSync(file, 'utf8');
    fs.writeFileSync(file, text.replace('derivesFrom: [SYS-005]', 'derivesFrom: [SYS-999]'));
    const line = text.split('\n').findIndex((l) => l.startsWith('derivesFrom')) + 1;
    const r = runCli(['check', '.'], dir);
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(
      new RegExp(`^records/software/SRS-012\\.md:${line}:\\d+ error link/dangling .*SYS-999`, 'm'),
    );
  });
});
