/**
 * Watches a project folder and calls back, once things settle, after files change: fs.watch
 * (recursive) where the platform has it, else polling the record files' modification times.
 * Changes under .git, .dossier and node_modules are ignored.
 */
import fs from 'node:fs';

const IGNORED = /(^|[\\/])(\.git|\.dossier|node_modules)([\\/]|$)/;

export interface Watcher {
  close(): void;
}

export function watchProject(dir: string, onChange: () => void, settleMs = 120): Watcher {
  let timer: NodeJS.Timeout | undefined;
  const changed = (name: string | null) => {
    if (name !== null && IGNORED.test(name)) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => {
      timer = undefined;
      onChange();
    }, settleMs);
  };
  let watcher: fs.FSWatcher;
  try {
    watcher = fs.watch(dir, { recursive: true }, (_event, name) =>
      changed(name === null ? null : String(name)),
    );
  } catch {
    watcher = fs.watch(dir, (_event, name) => changed(name === null ? null : String(name)));
  }
  watcher.on('error', () => undefined);
  return {
    close() {
      if (timer) clearTimeout(timer);
      watcher.close();
    },
  };
}
