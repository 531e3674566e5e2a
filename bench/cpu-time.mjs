// CPU time (user + system, the process and the programs it ran, such as git) of a command, through
// /usr/bin/time: on a shared, loaded machine it says what a run costs when wall time cannot.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const cpuTimeAvailable = fs.existsSync('/usr/bin/time');

/** Seconds of CPU of `node <args…>`, or null without /usr/bin/time. */
export function cpuSeconds(args) {
  if (!cpuTimeAvailable) return null;
  const r = spawnSync('/usr/bin/time', ['-f', 'CPU %U %S', process.execPath, ...args], {
    encoding: 'utf8',
    maxBuffer: 1024 * 1024 * 1024,
  });
  const m = /CPU ([\d.]+) ([\d.]+)\s*$/.exec(r.stderr ?? '');
  return m ? Number(m[1]) + Number(m[2]) : null;
}
