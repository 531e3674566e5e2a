/**
 * An undeclared `device.cyberDevice` is never silent (issue 16): check warns at the `device:` line,
 * documents and the gap scan say "not declared" (never "no"), and `dossier init` always writes the
 * declaration, so the starter project still checks clean.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyze } from '../src/analyze.js';
import { documentContext } from '../src/docs/context.js';
import { documentsFor } from '../src/docs/registry.js';
import { renderMarkdown } from '../src/docs/render-markdown.js';
import { gapScan } from '../src/gap/scan.js';
import { DOC_DATE } from './document-helpers.js';
import { CLI, CONFIG, check, loadOk, runCli, starterProject, withCyberDevice } from './helpers.js';

const RULE = 'config/cyber-device-undeclared';

describe('config/cyber-device-undeclared', () => {
  it('warns at the device: line of dossier.yaml when device.cyberDevice is missing, citing 524B', () => {
    const config = withCyberDevice(CONFIG, 'undeclared');
    const dir = starterProject({ 'dossier.yaml': config });
    const found = check(dir).filter((d) => d.code === RULE);
    const deviceLine = config.split('\n').indexOf('device:') + 1;
    expect(deviceLine).toBeGreaterThan(0);
    expect(found).toMatchObject([{ severity: 'warning', file: 'dossier.yaml', line: deviceLine }]);
    expect(found[0]!.message).toContain('FD&C 524B');
    expect(found[0]!.message).toContain('security/threat-model-missing');
    expect(found[0]!.hint).toContain('cyberDevice: true');
  });

  it('is quiet when the device is declared a cyber device or not', () => {
    for (const value of [true, false]) {
      const dir = starterProject({ 'dossier.yaml': withCyberDevice(CONFIG, value) });
      expect(
        check(dir).map((d) => d.code),
        String(value),
      ).not.toContain(RULE);
    }
  });

  it('is shown by dossier check at dossier.yaml:line, a warning that does not fail the check', () => {
    const config = withCyberDevice(CONFIG, 'undeclared');
    const dir = starterProject({ 'dossier.yaml': config });
    const r = runCli(['check', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    const line = config.split('\n').indexOf('device:') + 1;
    expect(r.stdout + r.stderr).toMatch(new RegExp(`dossier\\.yaml:${line}:\\d+ warning ${RULE} `));
  });
});

describe('dossier init declares the cyber device', () => {
  const init = (...args: string[]) => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cyber-')), 'p');
    const r = runCli(['init', dir, ...args]);
    expect(r.code, r.stderr).toBe(0);
    return { dir, stdout: r.stdout, config: fs.readFileSync(path.join(dir, 'dossier.yaml'), 'utf8') };
  };

  it('without a terminal or an option: false, with a comment and a note asking to decide; checks clean', () => {
    const { dir, stdout, config } = init();
    expect(loadOk(dir).config.device.cyberDevice).toBe(false);
    expect(config).toMatch(/# dossier init wrote false without asking: decide.*\n {2}cyberDevice: false\n/);
    expect(config).toContain('FD&C 524B(c)');
    expect(stdout).toContain('without anyone having decided it');
    const r = runCli(['check', dir]);
    expect(r.code, r.stdout + r.stderr).toBe(0);
    expect(r.stdout + r.stderr).not.toContain(RULE);
  });

  it('--cyber-device and --no-cyber-device write what the user declared', () => {
    const yes = init('--cyber-device');
    expect(loadOk(yes.dir).config.device.cyberDevice).toBe(true);
    expect(yes.config).not.toContain('without asking');
    expect(yes.stdout).toContain('A cyber device (FD&C 524B)');
    // A declared cyber device is held to the cyber-device rules from the start.
    expect(check(yes.dir).map((d) => d.code)).toContain('security/threat-model-missing');
    const no = init('--no-cyber-device');
    expect(loadOk(no.dir).config.device.cyberDevice).toBe(false);
    expect(no.config).not.toContain('without asking');
    expect(check(no.dir).map((d) => d.code)).not.toContain(RULE);
  });
});

describe('dossier init at a terminal asks', () => {
  /** Runs init in a pseudo-terminal (util-linux `script`), typing `keys`. */
  const initAtTerminal = (keys: string) => {
    const dir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'dossier-cyber-tty-')), 'p');
    const r = spawnSync('script', ['-qec', `"${process.execPath}" "${CLI}" init "${dir}"`, '/dev/null'], {
      input: keys,
      encoding: 'utf8',
      timeout: 60_000,
      env: { ...process.env, NO_COLOR: '1' },
    });
    return { dir, code: r.status, out: `${r.stdout}${r.stderr}` };
  };

  it('asks again on an unclear answer and writes what was answered', () => {
    const yes = initAtTerminal('maybe\ny\n');
    expect(yes.code, yes.out).toBe(0);
    expect(yes.out).toContain('Is the device a cyber device (FD&C 524B(c))');
    expect(yes.out).toContain('answer y or n');
    expect(loadOk(yes.dir).config.device.cyberDevice).toBe(true);
    const no = initAtTerminal('no\n');
    expect(no.code, no.out).toBe(0);
    expect(loadOk(no.dir).config.device.cyberDevice).toBe(false);
    expect(fs.readFileSync(path.join(no.dir, 'dossier.yaml'), 'utf8')).not.toContain('without asking');
  });

  it('writes nothing when the question gets no answer (Ctrl-D)', () => {
    const r = initAtTerminal('\u0004');
    expect(r.code, r.out).toBe(2);
    expect(r.out).toContain('give --cyber-device or --no-cyber-device; nothing was written');
    expect(fs.existsSync(r.dir)).toBe(false);
  });
});

describe('an undeclared cyber device reads "not declared", never "no"', () => {
  const documents = (config: string) => {
    const analysis = analyze(loadOk(starterProject({ 'dossier.yaml': config })), { today: DOC_DATE });
    const pkg = documentsFor(documentContext(analysis, { date: DOC_DATE }));
    const md = (key: string) => renderMarkdown(pkg.find((d) => d.key === key)!.model());
    return { analysis, description: md('DESCRIPTION'), level: md('DLE') };
  };
  const row = (markdown: string, label: string) => markdown.split('\n').find((l) => l.includes(label));

  it('in the software description, the documentation level evaluation and the gap scan', () => {
    const undeclared = documents(withCyberDevice(CONFIG, 'undeclared'));
    expect(row(undeclared.description, 'Cyber device (FD&amp;C 524B)')).toContain('**not declared**');
    expect(row(undeclared.level, 'Cyber device')).toContain('**not declared**');
    const scan = gapScan(undeclared.analysis);
    expect(scan.cybersecurity.applies).toBe(true);
    expect(scan.cybersecurity.because).toContain('not declared');

    const declared = documents(withCyberDevice(CONFIG, false));
    expect(row(declared.description, 'Cyber device (FD&amp;C 524B)')).toMatch(/\| no \|/);
    expect(row(declared.level, 'Cyber device')).toMatch(/\| no \|/);
    expect(gapScan(declared.analysis).cybersecurity.applies).toBe(false);
  });
});
