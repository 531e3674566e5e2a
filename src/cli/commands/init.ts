import fs from 'node:fs';
import path from 'node:path';
import { starterFiles } from '../../init/starter.js';
import { configFileRefusal, recordFileRefusal } from '../../load/would-load.js';
import { CONFIG_FILE_NAME, DEFAULT_MAX_FILE_BYTES } from '../../model/config.js';
import { jsonSchemas } from '../../model/json-schemas.js';
import { PROFILES, SAFETY_CLASSES } from '../../model/vocabulary.js';
import { createFileExclusive } from '../../util/atomic-write.js';
import { displayRoot, EXIT, oneOf, UsageError } from '../io.js';
import { writeOut } from '../terminal.js';
import { writeSchemaFiles } from './schemas.js';

export interface InitOptions {
  name: string;
  manufacturer: string;
  class: string;
  /** `--cyber-device` / `--no-cyber-device`; undefined when neither was given. */
  cyberDevice?: boolean;
  profile?: string;
}

const CYBER_QUESTION = `Is the device a cyber device (FD&C 524B(c)): does it include software and can it connect to
the internet, directly or through another device (phone, gateway, hospital network; Wi-Fi,
Bluetooth, USB and network ports can count)? [y/n] `;

/**
 * The cyber-device declaration: the option, else the answer of a person at a terminal, else
 * undefined (no one to ask: the starter writes false and a comment asking them to decide).
 */
async function cyberDeviceAnswer(option: boolean | undefined): Promise<boolean | undefined> {
  if (option !== undefined) return option;
  if (!process.stdin.isTTY || !process.stdout.isTTY) return undefined;
  const { createInterface } = await import('node:readline');
  const terminal = createInterface({ input: process.stdin, output: process.stdout });
  try {
    writeOut(CYBER_QUESTION);
    // Lines are read as a stream, so that an answer typed ahead is not lost.
    for await (const line of terminal) {
      const answer = line.trim().toLowerCase();
      if (answer === 'y' || answer === 'yes') return true;
      if (answer === 'n' || answer === 'no') return false;
      writeOut(`  answer y or n (or give --cyber-device / --no-cyber-device)\n${CYBER_QUESTION}`);
    }
  } finally {
    terminal.close();
  }
  throw new UsageError(
    'no answer to whether the device is a cyber device: run init again and answer, or give --cyber-device or --no-cyber-device; nothing was written',
  );
}

export async function runInit(dir: string, options: InitOptions): Promise<number> {
  const safetyClass = oneOf(options.class, SAFETY_CLASSES, '--class');
  const profile = oneOf(options.profile ?? 'device', PROFILES, '--profile');
  const root = path.resolve(dir);
  if (fs.existsSync(path.join(root, 'dossier.yaml'))) {
    throw new UsageError(`${displayRoot(dir)}/dossier.yaml already exists; init never overwrites a project`);
  }
  // Production software is not a device: there is no cyber-device question to ask.
  const cyberDevice = profile === 'device' ? await cyberDeviceAnswer(options.cyberDevice) : undefined;
  const files = starterFiles({
    name: options.name,
    manufacturer: options.manufacturer,
    safetyClass,
    ...(cyberDevice !== undefined ? { cyberDevice } : {}),
    profile,
  });
  // Nothing is written that the loader would refuse (an empty --name makes dossier.yaml invalid).
  for (const [rel, content] of Object.entries(files)) {
    if (!/\.(ya?ml|md)$/.test(rel)) continue; // .gitignore: not read by the loader
    const refusal =
      rel === CONFIG_FILE_NAME
        ? configFileRefusal(content)
        : recordFileRefusal(rel, content, DEFAULT_MAX_FILE_BYTES);
    if (refusal) {
      throw new UsageError(`${refusal}; check --name and --manufacturer. Nothing was written`);
    }
  }
  const written: string[] = [];
  const skipped: string[] = [];
  for (const [rel, content] of Object.entries(files)) {
    (createFileExclusive(path.join(root, rel), content) ? written : skipped).push(rel);
  }
  // The schemas the modelines point at, so that editors validate the files from the start.
  const schemaDir = path.join(root, 'schemas');
  if (!fs.existsSync(schemaDir)) writeSchemaFiles(schemaDir, jsonSchemas());
  const shown = displayRoot(dir);
  writeOut(
    `Created a Dossier project in ${shown}/ (${written.length} files, and JSON Schemas in schemas/)\n`,
  );
  for (const rel of skipped) writeOut(`  kept your existing ${rel}\n`);
  writeOut(cyberDeviceNote(cyberDevice));
  writeOut(
    `\nNext:\n  dossier check ${shown}\n  dossier build ${shown} --out ${shown === '.' ? '' : `${shown}/`}out\n`,
  );
  return EXIT.ok;
}

/** What the declaration written means for the user, and what they still have to do. */
function cyberDeviceNote(cyberDevice: boolean | undefined): string {
  if (cyberDevice === undefined)
    return 'dossier.yaml says cyberDevice: false without anyone having decided it: if the device can connect to the internet, directly or indirectly, it is a cyber device (FD&C 524B); set device.cyberDevice: true (or run init with --cyber-device)\n';
  if (cyberDevice)
    return 'A cyber device (FD&C 524B): check asks for a threat model, a cybersecurity plan and security labeling (docs/format.md, security records)\n';
  return 'Not a cyber device (device.cyberDevice: false in dossier.yaml)\n';
}
