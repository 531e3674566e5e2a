/**
 * When `dossier serve` loads the project again after files change. A change the watcher named is
 * loaded at once looking only at the named files (a targeted load: src/load/discover.ts,
 * `rediscover`, and src/load/file-memo.ts). A watcher can drop events or name nothing, so once
 * things are quiet a full load confirms what the targeted one found, and the project is shown again
 * only when the full load found more. Changes that arrive while a load runs are gathered into the
 * next one. Loading, showing and comparing are the caller's; this holds only the order of things.
 */
import path from 'node:path';
import type { WatchedChanges } from './watch.js';

export interface ReloaderOptions<P> {
  /** The project root: named paths outside it are not the project's. */
  readonly root: string;
  /**
   * Loads the project: `changed` are the project-relative paths named (a targeted load), undefined
   * for a full load. Undefined when the project did not load (the previous one stays shown).
   */
  load(changed: readonly string[] | undefined): P | undefined;
  /** Shows a project just loaded (analyses it, refreshes the pages). */
  show(project: P, how: { readonly confirming: boolean }): void;
  /** Whether a full load found exactly what the project shown holds. */
  same(shown: P, now: P): boolean;
  /** Told when a load or showing failed; the previous project stays shown. */
  onError(error: unknown): void;
  /** How long after a targeted load, with nothing changed since, the confirming full load runs. */
  readonly confirmAfterMs: number;
}

export class Reloader<P> {
  readonly #options: ReloaderOptions<P>;
  #shown: P;
  #queued: { paths: Set<string>; named: boolean } | undefined;
  #running = false;
  #confirmTimer: NodeJS.Timeout | undefined;
  #closed = false;

  constructor(shown: P, options: ReloaderOptions<P>) {
    this.#shown = shown;
    this.#options = options;
  }

  /** A watcher's report (src/site/watch.ts). */
  changed(changes: WatchedChanges): void {
    if (this.#closed) return;
    this.#queued ??= { paths: new Set(), named: true };
    for (const p of changes.paths) this.#queued.paths.add(p);
    if (!changes.named) this.#queued.named = false;
    this.#cancelConfirmation();
    if (!this.#running) this.#run();
  }

  close(): void {
    this.#closed = true;
    this.#cancelConfirmation();
  }

  #run(): void {
    const work = this.#queued;
    this.#queued = undefined;
    this.#running = true;
    let targeted = false;
    try {
      if (work === undefined) this.#confirm();
      else {
        const changed = work.named ? relativeInside(this.#options.root, work.paths) : undefined;
        targeted = changed !== undefined;
        const project = this.#options.load(changed);
        if (project !== undefined) {
          this.#options.show(project, { confirming: false });
          this.#shown = project;
        }
      }
    } catch (error) {
      this.#options.onError(error);
    } finally {
      this.#running = false;
    }
    if (this.#closed) return;
    // Changes that came during the load go next (setImmediate: let the server answer in between).
    if (this.#queued) setImmediate(() => !this.#running && this.#queued && this.#run());
    else if (targeted) {
      this.#confirmTimer = setTimeout(() => {
        this.#confirmTimer = undefined;
        if (!this.#running && !this.#closed) this.#run();
      }, this.#options.confirmAfterMs);
      this.#confirmTimer.unref();
    }
  }

  #confirm(): void {
    const project = this.#options.load(undefined);
    if (project === undefined || this.#options.same(this.#shown, project)) return;
    this.#options.show(project, { confirming: true });
    this.#shown = project;
  }

  #cancelConfirmation(): void {
    if (this.#confirmTimer) clearTimeout(this.#confirmTimer);
    this.#confirmTimer = undefined;
  }
}

/** The paths under the project root, project-relative with forward slashes. */
export function relativeInside(root: string, paths: Iterable<string>): string[] {
  const inside: string[] = [];
  for (const p of paths) {
    const rel = path.relative(root, p);
    if (rel !== '' && rel !== '..' && !rel.startsWith(`..${path.sep}`) && !path.isAbsolute(rel))
      inside.push(rel.split(path.sep).join('/'));
  }
  return inside;
}
