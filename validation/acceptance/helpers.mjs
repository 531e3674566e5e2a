// Helpers of Dossier's acceptance suite (node:test, no dev dependency): they run the command-line
// interface under test in a child process, on temporary projects, as a user would.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package root: validation/acceptance/ is two levels below it. */
export const PACKAGE_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');

/**
 * The command-line interface under test: the package's own dist/cli/main.js, unless
 * DOSSIER_SELF_VALIDATE_CLI names another script (used to show that the suite catches a CLI that
 * always passes).
 */
export const CLI = process.env.DOSSIER_SELF_VALIDATE_CLI
  ? path.resolve(process.env.DOSSIER_SELF_VALIDATE_CLI)
  : path.join(PACKAGE_ROOT, 'dist', 'cli', 'main.js');

/** A date every project of the suite is dated by, so builds are reproducible. */
export const EPOCH = '1767225600'; // 2026-01-01T00:00:00Z

/** Runs the CLI under test; never throws on a non-zero exit. */
export function dossier(args, options = {}) {
  const result = spawnSync(process.execPath, [CLI, ...args], {
    cwd: options.cwd ?? os.tmpdir(),
    encoding: 'utf8',
    env: {
      ...process.env,
      NO_COLOR: '1',
      FORCE_COLOR: '0',
      SOURCE_DATE_EPOCH: EPOCH,
      DOSSIER_EXECUTED_BY: 'dossier acceptance suite',
      ...options.env,
    },
    maxBuffer: 64 * 1024 * 1024,
    timeout: options.timeout ?? 300_000,
  });
  return {
    status: result.status,
    stdout: result.stdout ?? '',
    stderr: result.stderr ?? '',
    output: `${result.stdout ?? ''}${result.stderr ?? ''}`,
  };
}

const made = [];

/** A new empty temporary folder, removed when the process exits. */
export function tempDir(prefix = 'dossier-acceptance-') {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  made.push(dir);
  return dir;
}

process.on('exit', () => {
  for (const dir of made) fs.rmSync(dir, { recursive: true, force: true });
});

/** `dossier init` into a new temporary folder; returns the project folder. */
export function newProject(cls = 'C') {
  const dir = path.join(tempDir(), 'project');
  const result = dossier(['init', dir, '--class', cls, '--name', 'Acceptance device']);
  if (result.status !== 0) throw new Error(`dossier init failed (exit ${result.status}):\n${result.output}`);
  return dir;
}

/** Writes a file of a project, creating its folder. */
export function write(dir, rel, text) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), text);
}

export const read = (dir, rel) => fs.readFileSync(path.join(dir, rel), 'utf8');

/** Parses JSON written by the CLI, with the output in the error when it is not JSON. */
export function json(result) {
  try {
    return JSON.parse(result.stdout);
  } catch {
    throw new Error(
      `expected JSON on standard output, got (exit ${result.status}):\n${result.output.slice(0, 4000)}`,
    );
  }
}

/** Every file under a folder, relative, sorted. */
export function listFiles(root) {
  const out = [];
  const walk = (rel) => {
    for (const entry of fs.readdirSync(path.join(root, rel), { withFileTypes: true })) {
      const child = rel ? `${rel}/${entry.name}` : entry.name;
      if (entry.isDirectory()) walk(child);
      else out.push(child);
    }
  };
  if (fs.existsSync(root)) walk('');
  return out.sort();
}

/** A release record for version 0.1.0 of a starter project. */
export const RELEASE_RECORD = `---
id: REL-001
title: Release 0.1.0
status: approved
version: 0.1.0
date: 2026-01-01
approvedBy: Acceptance suite
approvedOn: 2026-01-01
---
Release of the acceptance project.
`;
