/**
 * Watches a project folder and calls back, once things settle, after files change, with the paths
 * the events named (a hint: events can be dropped or come without a name). On Linux, one
 * inotify watch per folder (Node's recursive mode there watches every file, which a 100,000-record
 * project cannot afford); elsewhere the platform's recursive watch. Changes under .git, .dossier
 * and node_modules are ignored; a new folder is watched as soon as it appears.
 */
import fs from 'node:fs';
import path from 'node:path';

const IGNORED_DIRS = new Set(['.git', '.dossier', 'node_modules']);
const IGNORED = /(^|[\\/])(\.git|\.dossier|node_modules)([\\/]|$)/;

export interface Watcher {
  close(): void;
}

/** What the events since the last call named. */
export interface WatchedChanges {
  /** Absolute paths of the files and folders named. */
  readonly paths: ReadonlySet<string>;
  /** False when an event named nothing: anything may have changed. */
  readonly named: boolean;
}

export function watchProject(
  dir: string,
  onChange: (changes: WatchedChanges) => void,
  settleMs = 100,
): Watcher {
  let timer: NodeJS.Timeout | undefined;
  let closed = false;
  let paths = new Set<string>();
  let named = true;
  const changed = (full: string | undefined) => {
    if (closed) return;
    if (full === undefined) named = false;
    else paths.add(full);
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      const changes = { paths, named };
      paths = new Set();
      named = true;
      onChange(changes);
    }, settleMs);
  };
  const watchers = new Map<string, fs.FSWatcher>();
  const watchDir = (folder: string) => {
    if (closed || watchers.has(folder)) return;
    let w: fs.FSWatcher;
    try {
      w = fs.watch(folder, (_event, name) => {
        if (name !== null && IGNORED_DIRS.has(String(name))) return;
        let full: string | undefined;
        if (name !== null) {
          full = path.join(folder, String(name));
          // A folder that appeared is watched too; one that went away closes its watcher.
          try {
            if (fs.statSync(full).isDirectory()) walk(full);
          } catch {
            watchers.get(full)?.close();
            watchers.delete(full);
          }
        }
        changed(full);
      });
    } catch {
      return; // gone or unreadable: nothing to watch
    }
    // A watcher that failed sees nothing more: say that anything may have changed.
    w.on('error', () => changed(undefined));
    watchers.set(folder, w);
  };
  const walk = (folder: string) => {
    watchDir(folder);
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(folder, { withFileTypes: true });
    } catch {
      return;
    }
    for (const entry of entries)
      if (entry.isDirectory() && !IGNORED_DIRS.has(entry.name)) walk(path.join(folder, entry.name));
  };
  if (process.platform === 'linux') walk(dir);
  else {
    try {
      const w = fs.watch(dir, { recursive: true }, (_event, name) => {
        if (name === null) changed(undefined);
        else if (!IGNORED.test(String(name))) changed(path.join(dir, String(name)));
      });
      w.on('error', () => undefined);
      watchers.set(dir, w);
    } catch {
      walk(dir);
    }
  }
  return {
    close() {
      closed = true;
      if (timer) clearTimeout(timer);
      for (const w of watchers.values()) w.close();
      watchers.clear();
    },
  };
}
