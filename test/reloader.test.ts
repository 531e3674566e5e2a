/**
 * The order of `dossier serve`'s reloads (src/site/reloader.ts): a named change is loaded at once
 * looking only at the named files; a full load confirms it once things are quiet and shows the
 * project again only when it found more; an event without a name, and changes during a load, are
 * never lost.
 */
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { Reloader, relativeInside } from '../src/site/reloader.js';

const ROOT = path.resolve('/project');
const at = (rel: string) => path.join(ROOT, rel);
const settle = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A project is a version number here; a load gives the version the fake disk holds now. */
function harness(options: { confirmAfterMs?: number } = {}) {
  const disk = { version: 1 };
  const loads: (readonly string[] | undefined)[] = [];
  const shown: { version: number; confirming: boolean }[] = [];
  const errors: unknown[] = [];
  let during: (() => void) | undefined;
  const reloader = new Reloader<number>(1, {
    root: ROOT,
    confirmAfterMs: options.confirmAfterMs ?? 30,
    load(changed) {
      loads.push(changed);
      const hook = during;
      during = undefined;
      hook?.();
      return disk.version;
    },
    show(project, { confirming }) {
      shown.push({ version: project, confirming });
    },
    same: (a, b) => a === b,
    onError: (error) => errors.push(error),
  });
  return { disk, loads, shown, errors, reloader, duringNextLoad: (f: () => void) => (during = f) };
}

describe('the reloader of dossier serve', () => {
  it('loads a named change at once, then confirms it with a full load that shows nothing new', async () => {
    const h = harness();
    h.disk.version = 2;
    h.reloader.changed({ paths: new Set([at('records/a.md'), '/elsewhere/b.md']), named: true });
    expect(h.loads).toEqual([['records/a.md']]);
    expect(h.shown).toEqual([{ version: 2, confirming: false }]);
    await settle(80);
    expect(h.loads).toEqual([['records/a.md'], undefined]);
    expect(h.shown).toHaveLength(1);
    h.reloader.close();
  });

  it('shows what the confirming full load found that the targeted one missed', async () => {
    const h = harness();
    h.disk.version = 2;
    h.reloader.changed({ paths: new Set([at('records/a.md')]), named: true });
    h.disk.version = 3; // a change whose event was dropped
    await settle(80);
    expect(h.shown).toEqual([
      { version: 2, confirming: false },
      { version: 3, confirming: true },
    ]);
    h.reloader.close();
  });

  it('loads everything for an event without a name, and then needs no confirmation', async () => {
    const h = harness();
    h.disk.version = 2;
    h.reloader.changed({ paths: new Set([at('records/a.md')]), named: false });
    expect(h.loads).toEqual([undefined]);
    await settle(80);
    expect(h.loads).toHaveLength(1);
    h.reloader.close();
  });

  it('gathers the changes made during a load into the next one, and waits to confirm until quiet', async () => {
    const h = harness();
    h.duringNextLoad(() => {
      h.disk.version = 3;
      h.reloader.changed({ paths: new Set([at('records/b.md'), at('records/c.md')]), named: true });
      h.reloader.changed({ paths: new Set([at('records/d.md')]), named: true });
    });
    h.disk.version = 2;
    h.reloader.changed({ paths: new Set([at('records/a.md')]), named: true });
    await settle(5);
    expect(h.loads).toEqual([['records/a.md'], ['records/b.md', 'records/c.md', 'records/d.md']]);
    expect(h.shown.map((s) => s.version)).toEqual([3, 3]);
    // A change before the confirmation is due puts it off.
    await settle(15);
    h.reloader.changed({ paths: new Set([at('records/e.md')]), named: true });
    await settle(20);
    expect(h.loads).toHaveLength(3);
    await settle(60);
    expect(h.loads).toHaveLength(4);
    expect(h.loads[3]).toBeUndefined();
    h.reloader.close();
  });

  it('keeps the project shown when a load fails, and still confirms later', async () => {
    const h = harness();
    h.duringNextLoad(() => {
      throw new Error('disk gone');
    });
    h.reloader.changed({ paths: new Set([at('records/a.md')]), named: true });
    expect(h.errors).toHaveLength(1);
    expect(h.shown).toHaveLength(0);
    h.disk.version = 2;
    await settle(80);
    expect(h.shown).toEqual([{ version: 2, confirming: true }]);
    h.reloader.close();
  });

  it('does nothing after close', async () => {
    const h = harness();
    h.reloader.changed({ paths: new Set([at('records/a.md')]), named: true });
    h.reloader.close();
    h.reloader.changed({ paths: new Set([at('records/b.md')]), named: true });
    await settle(80);
    expect(h.loads).toHaveLength(1);
  });

  it('keeps only paths inside the root, project-relative with forward slashes', () => {
    expect(
      relativeInside(ROOT, [at('records/x/a.md'), ROOT, path.resolve('/other/a.md'), at('..b/c.md')]),
    ).toEqual(['records/x/a.md', '..b/c.md']);
  });
});
