#!/usr/bin/env node
// Deterministic synthetic Dossier project generator for the benchmark.
//
//   node bench/generate.mjs <dir> <count> [--seed N] [--untested SHARE]
//
// The same <count> and seed always produce byte-identical files (seeded PRNG, no clock, no
// Math.random). The mix of kinds and links is modelled on the OpenFastTrace / Doorstop comparison
// (≈20 % system requirements, 40 % software requirements, 40 % tests, one to three parent links
// each), with a small share of every other kind so that every rule path runs. Links point
// upstream only, so a generated project checks with 0 errors. With --untested 0.25 (the
// warnings-heavy project of bench/run.mjs) a quarter of the system and software requirements is
// verified by no test, and dossier.yaml makes requirement/untested a warning: thousands of them.

import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { starterFiles } from '../dist/init/starter.js';
import { starterPlans } from '../dist/init/starter-plans.js';

/**
 * The built CLI: the generator fingerprints its reviews with `dossier review fingerprint` and stamps
 * its links with `dossier suspect --all`.
 */
const CLI = path.join(path.dirname(fileURLToPath(import.meta.url)), '..', 'dist', 'cli', 'main.js');

/** Name of the marker file written (last) into a generated project. */
export const MARKER = '.dossier-bench.json';

/** Hash of this generator's source: a changed generator invalidates cached projects. */
export const GENERATOR_HASH = createHash('sha256')
  .update(fs.readFileSync(fileURLToPath(import.meta.url)))
  .digest('hex')
  .slice(0, 16);

// Share of each kind, in per cent of the record count (sums to 100; tests take the remainder).
const MIX = {
  'user-need': 3,
  'system-requirement': 17,
  'software-requirement': 38,
  'software-item': 4,
  'hazardous-situation': 2,
  hazard: 1,
  'risk-control': 2,
  soup: 1,
  test: 32,
};

const COLLECTION_SIZE = 200; // records per YAML collection file
const FOLDER_SIZE = 1000; // Markdown files per sub-folder

// ---------------------------------------------------------------------------------------------
// PRNG

/** mulberry32: small, fast, good enough for synthetic data; returns floats in [0, 1). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function makeRandom(seed) {
  const next = mulberry32(seed);
  const r = {
    next,
    /** Integer in [min, max]. */
    int: (min, max) => min + Math.floor(next() * (max - min + 1)),
    chance: (p) => next() < p,
    pick: (list) => list[Math.floor(next() * list.length)],
    /** Pick from [[value, weight], ...]. */
    weighted: (pairs) => {
      let total = 0;
      for (const [, w] of pairs) total += w;
      let x = next() * total;
      for (const [v, w] of pairs) {
        x -= w;
        if (x < 0) return v;
      }
      return pairs[pairs.length - 1][0];
    },
  };
  return r;
}

// ---------------------------------------------------------------------------------------------
// Word lists and prose

const SUBJECTS = {
  'user-need': [
    'The clinician',
    'The nurse',
    'The patient',
    'The biomedical technician',
    'The caregiver',
    'The pharmacist',
  ],
  'system-requirement': ['The device', 'The pump', 'The system', 'The monitor'],
  'software-requirement': ['The software', 'The control software', 'The application', 'The firmware'],
  'risk-control': [
    'The software',
    'A watchdog',
    'An independent monitor',
    'The hardware interlock',
    'The labelling',
  ],
};
const VERBS = [
  'validate',
  'record',
  'display',
  'reject',
  'compute',
  'monitor',
  'limit',
  'log',
  'encrypt',
  'verify',
  'stop',
  'report',
  'store',
  'transmit',
  'calibrate',
  'detect',
  'announce',
  'confirm',
  'restore',
  'authenticate',
];
const OBJECTS = [
  'the infusion rate',
  'the programmed volume',
  'the downstream pressure estimate',
  'the battery level',
  'the occlusion threshold',
  'the drug library entry',
  'the patient weight',
  'the dose limits',
  'the motor position',
  'the audit trail',
  'the alarm history',
  'the user credentials',
  'the network session',
  'the configuration checksum',
  'the bolus request',
  'the air-in-line sensor reading',
  'the therapy parameters',
  'the device clock',
  'the software version',
  'the maintenance schedule',
  'the event log',
  'the delivery profile',
];
const CONDITIONS = [
  'when the therapy starts',
  'after each delivered bolus',
  'while therapy is running',
  'at power-on',
  'before the first delivery',
  'whenever the user changes a parameter',
  'on every control cycle',
  'when the door is opened',
  'after a power interruption',
  'when the battery is below the warning level',
  'when communication with the hospital network is lost',
  'during the self-test',
];
const UNITS = [
  ['ms', 10, 500],
  ['s', 1, 30],
  ['min', 1, 15],
  ['%', 1, 10],
  ['mL/h', 1, 999],
  ['mmHg', 50, 900],
];
const TIME_UNITS = UNITS.slice(0, 3);
const QUALIFIERS = [
  'without loss of data',
  'with a resolution of 0.1 mL',
  'in the language selected by the user',
  'using the configured limits',
  'in a form that cannot be altered afterwards',
  'with a timestamp in UTC',
  'together with the identity of the user',
  'on the main screen and in the event log',
];
const CONSEQUENCES = [
  'Values outside the accepted range shall be rejected with a message naming the parameter.',
  'The result shall be available to the operator on the status screen.',
  'A high-priority alarm shall be raised if the check fails.',
  'The check shall not delay the next control cycle.',
  'The value shall be retained across a power cycle.',
  'Failure to complete the action shall be recorded in the event log.',
  'The operator shall be able to acknowledge the message with a single key press.',
  'The behaviour shall be identical on all supported hardware revisions.',
];
const NEED_OBJECTS = [
  'deliver the prescribed therapy',
  'see the state of the therapy at a glance',
  'be warned before the syringe runs empty',
  'program a therapy quickly and without errors',
  'trust that the device records every event',
  'clean the device without special tools',
  'change the battery during a shift',
  'keep patient data private',
];
const TITLE_OBJECTS = [
  'infusion rate',
  'volume limit',
  'pressure alarm',
  'battery warning',
  'drug library',
  'dose limits',
  'audit trail',
  'user login',
  'network session',
  'configuration checksum',
  'bolus request',
  'air-in-line detection',
  'therapy parameters',
  'clock synchronisation',
  'software update',
  'maintenance reminder',
  'event log',
  'door sensor',
  'self-test',
  'power failure',
  'occlusion detection',
  'data export',
  'alarm silence',
  'keypad lock',
];
const RC_MEASURES = [
  'interlock',
  'watchdog',
  'plausibility check',
  'limit check',
  'warning label',
  'redundant sensor',
  'confirmation step',
];
const TITLE_MODIFIERS = [
  '',
  '',
  '',
  ' on start-up',
  ' during therapy',
  ' after power loss',
  ' in standby',
  ' for bolus',
  ' on alarm',
];

const CATEGORIES = [
  ['functional', 30],
  ['inputs-outputs', 10],
  ['interfaces', 8],
  ['alarms', 10],
  ['security', 8],
  ['user-interface', 10],
  ['data', 6],
  ['installation', 3],
  ['operation-maintenance', 4],
  ['network', 4],
  ['user-maintenance', 2],
  ['regulatory', 5],
];
const STATUSES = [
  ['draft', 25],
  ['in-review', 15],
  ['approved', 60],
];
const TAGS = ['release-1', 'release-2', 'usability', 'cybersecurity', 'performance', 'legacy', 'safety'];
const STANDARDS = [
  'IEC 60601-1-8:2006 clause 6.3',
  'IEC 60601-2-24:2012 clause 201.12',
  'IEC 62366-1:2015 clause 5.7',
  'IEC 81001-5-1:2021 clause 5.2',
  'ISO 14971:2019 clause 7.1',
  'FDA guidance on cybersecurity, section V.A',
];
const HAZARD_CATEGORIES = ['energy', 'biological', 'chemical', 'operational', 'information'];
const HARMS = [
  'Overdose of a high-alert drug',
  'Underdose leading to delayed therapy',
  'Air embolism',
  'Electric shock',
  'Burn from overheated enclosure',
  'Infection from contaminated fluid path',
  'Wrong patient receives therapy',
  'Delayed treatment due to a missed alarm',
  'Disclosure of patient data',
];
const EVENTS = [
  'A sensor reports a value outside its plausible range',
  'The user enters a wrong parameter',
  'The software misses a control deadline',
  'The battery is depleted during therapy',
  'The fluid line is occluded downstream',
  'Air enters the fluid line',
  'The network connection is interrupted',
  'The alarm is silenced and not re-armed',
  'A corrupted configuration is loaded',
  'The therapy continues unnoticed',
  'The patient is exposed to the unintended delivery',
];
const SEVERITIES = ['negligible', 'minor', 'serious', 'critical', 'catastrophic'];
const PROBABILITIES = ['improbable', 'remote', 'occasional', 'probable', 'frequent'];
const SOUP_NAMES = [
  ['FreeRTOS kernel', 'Amazon Web Services / FreeRTOS project', 'MIT', 'pkg:github/FreeRTOS/FreeRTOS-Kernel'],
  ['mbed TLS', 'Trusted Firmware project', 'Apache-2.0', 'pkg:github/Mbed-TLS/mbedtls'],
  ['lwIP TCP/IP stack', 'lwIP developers', 'BSD-3-Clause', 'pkg:github/lwip-tcpip/lwip'],
  ['SQLite', 'SQLite Consortium', 'blessing', 'pkg:generic/sqlite'],
  ['zlib', 'Jean-loup Gailly and Mark Adler', 'Zlib', 'pkg:github/madler/zlib'],
  ['LVGL graphics library', 'LVGL LLC', 'MIT', 'pkg:github/lvgl/lvgl'],
  ['cJSON', 'Dave Gamble and contributors', 'MIT', 'pkg:github/DaveGamble/cJSON'],
  [
    'STM32 HAL drivers',
    'STMicroelectronics',
    'BSD-3-Clause',
    'pkg:github/STMicroelectronics/stm32f4xx_hal_driver',
  ],
];
const SUPPORT = [
  ['actively-maintained', 70],
  ['no-longer-maintained', 15],
  ['abandoned', 5],
  ['unknown', 10],
];
const SEGREGATION_MECHANISMS = [
  'Separate MPU region with read-only access to shared data',
  'Runs on the supervisor processor and communicates only through a checked message queue',
  'Separate process with no write access to therapy parameters',
];

const cap = (s) => s.charAt(0).toUpperCase() + s.slice(1);

function measure(rnd, units = UNITS) {
  const [unit, lo, hi] = rnd.pick(units);
  return `${rnd.int(lo, hi)} ${unit}`;
}

function sentence(rnd, kind) {
  const subject = rnd.pick(SUBJECTS[kind] ?? SUBJECTS['software-requirement']);
  if (kind === 'user-need') {
    return `${subject} needs to ${rnd.pick(NEED_OBJECTS)} ${rnd.pick(CONDITIONS)}.`;
  }
  switch (rnd.int(0, 5)) {
    case 5:
      return `${cap(rnd.pick(CONDITIONS))}, ${subject.charAt(0).toLowerCase()}${subject.slice(1)} shall ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} ${rnd.pick(QUALIFIERS)} and shall ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} within ${measure(rnd, TIME_UNITS)} ${rnd.pick(CONDITIONS)}.`;
    case 0:
      return `${subject} shall ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} ${rnd.pick(CONDITIONS)}.`;
    case 1:
      return `${cap(rnd.pick(CONDITIONS))}, ${subject.charAt(0).toLowerCase()}${subject.slice(1)} shall ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} within ${measure(rnd, TIME_UNITS)}.`;
    case 2:
      return `${subject} shall ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} ${rnd.pick(QUALIFIERS)}.`;
    case 3:
      return `${cap(rnd.pick(OBJECTS))} shall not deviate from the set value by more than ${measure(rnd)}.`;
    default:
      return rnd.pick(CONSEQUENCES);
  }
}

/** 1–4 sentences, 100–600 characters. */
function prose(rnd, kind) {
  const target = rnd.weighted([
    [1, 20],
    [2, 30],
    [3, 30],
    [4, 20],
  ]);
  const sentences = [];
  for (let i = 0; i < target; i++) sentences.push(sentence(rnd, kind));
  let text = sentences.join(' ');
  while (text.length < 100) {
    sentences.push(sentence(rnd, kind));
    text = sentences.join(' ');
  }
  while (text.length > 600 && sentences.length > 1) {
    sentences.pop();
    text = sentences.join(' ');
  }
  return text;
}

function title(rnd) {
  return `${cap(rnd.pick(VERBS))} ${rnd.pick(TITLE_OBJECTS)}${rnd.pick(TITLE_MODIFIERS)}`;
}

// ---------------------------------------------------------------------------------------------
// YAML emission (just enough for our data)

const PLAIN = /^[A-Za-z][A-Za-z0-9 ,.()/'+-]*$/;
const RESERVED = /^(true|false|yes|no|on|off|null|y|n)$/i;

function scalar(value) {
  if (typeof value === 'boolean' || typeof value === 'number') return String(value);
  const s = String(value);
  if (PLAIN.test(s) && !RESERVED.test(s) && !s.endsWith(' ') && !s.includes(' #')) return s;
  return JSON.stringify(s); // a JSON string is a valid YAML double-quoted scalar
}

function flowList(ids) {
  return `[${ids.join(', ')}]`;
}

/** Lines `key: value` for one record; `indent` is the indentation of continuation lines. */
function fieldLines(fields, indent) {
  const lines = [];
  for (const [key, value] of Object.entries(fields)) {
    if (value === undefined) continue;
    if (Array.isArray(value)) {
      if (value.length === 0) continue;
      if (value.every((v) => /^[A-Z][A-Z0-9]*-\d+$/.test(v))) {
        lines.push(`${key}: ${flowList(value)}`);
      } else if (value.every((v) => v !== null && typeof v === 'object')) {
        // A list of mappings (software item causes): `- key: value` blocks.
        lines.push(`${key}:`);
        for (const v of value) {
          Object.entries(v)
            .filter(([, x]) => x !== undefined)
            .forEach(([k, x], j) => {
              const rendered = Array.isArray(x) ? flowList(x) : scalar(x);
              lines.push(`${indent}  ${j === 0 ? '- ' : '  '}${k}: ${rendered}`);
            });
        }
      } else {
        lines.push(`${key}:`);
        for (const v of value) lines.push(`${indent}  - ${scalar(v)}`);
      }
    } else if (value !== null && typeof value === 'object') {
      lines.push(`${key}:`);
      for (const [k, v] of Object.entries(value))
        lines.push(`${indent}  ${k}: ${Array.isArray(v) ? `[${v.map(scalar).join(', ')}]` : scalar(v)}`);
    } else {
      lines.push(`${key}: ${scalar(value)}`);
    }
  }
  return lines;
}

function markdownRecord(fields, text) {
  const paragraphs = text.length > 300 ? splitParagraphs(text) : text;
  return `---\n${fieldLines(fields, '').join('\n')}\n---\n${paragraphs}\n`;
}

function splitParagraphs(text) {
  const mid = text.indexOf('. ', Math.floor(text.length / 2));
  return mid < 0 ? text : `${text.slice(0, mid + 1)}\n\n${text.slice(mid + 2)}`;
}

function collectionFile(kind, records) {
  const out = [`kind: ${kind}`, 'records:'];
  for (const fields of records) {
    const lines = fieldLines(fields, '    ');
    out.push(`  - ${lines[0]}`);
    for (let i = 1; i < lines.length; i++)
      out.push(lines[i].startsWith('    ') ? lines[i] : `    ${lines[i]}`);
  }
  return `${out.join('\n')}\n`;
}

// ---------------------------------------------------------------------------------------------
// Link helpers

/** Even spread ("Bresenham"): true for exactly `hits` of the `total` indices 0..total-1. */
const spread = (i, hits, total) => Math.floor(((i + 1) * hits) / total) > Math.floor((i * hits) / total);
/** The target index the spread assigns at position i (valid when spread(i, ...) is true). */
const spreadIndex = (i, hits, total) => Math.floor((i * hits) / total);

/** 1..k distinct indices in [0, n) near `centre` (requirements cluster by feature). */
function nearby(rnd, n, centre, k, window = 8) {
  const picked = new Set([Math.min(n - 1, Math.max(0, centre))]);
  let guard = 0;
  while (picked.size < Math.min(k, n) && guard++ < 50) {
    const j = Math.min(n - 1, Math.max(0, centre + rnd.int(-window, window)));
    picked.add(j);
  }
  return [...picked].sort((a, b) => a - b);
}

// ---------------------------------------------------------------------------------------------
// The project

/** The configuration `dossier init` writes (same risk policy), pointed at the generated system item. */
const CONFIG = (system, untested) => {
  const config = starterFiles({
    name: 'Synthetic benchmark device',
    manufacturer: 'Benchmark Manufacturer',
    safetyClass: 'C',
  })['dossier.yaml'].replace('system: SI-001', `system: ${system}`);
  // The warnings-heavy project: its untested requirements are warnings, as in the tools compared.
  return untested > 0
    ? `${config.trimEnd()}\nrules:\n  requirement/untested:\n    severity: warning\n    reason: 'benchmark: untested requirements as warnings, as the tools compared report them'\n`
    : config;
};

function counts(total) {
  const c = {};
  let used = 0;
  for (const [kind, pct] of Object.entries(MIX)) {
    if (kind === 'test') continue;
    c[kind] = Math.max(kind === 'software-item' ? 3 : 1, Math.round((total * pct) / 100));
    used += c[kind];
  }
  c.test = Math.max(1, total - used);
  return c;
}

const PREFIX = {
  'user-need': 'UN',
  'system-requirement': 'SYS',
  'software-requirement': 'SRS',
  'software-item': 'SI',
  hazard: 'HAZ',
  'hazardous-situation': 'HS',
  'risk-control': 'RC',
  soup: 'SOUP',
  test: 'TC',
};

/**
 * Writes a synthetic project of about `recordCount` records into `dir` (created if needed).
 * Refuses to write into a non-empty directory that is not a previously generated project.
 * @returns {{ records: number, files: number, counts: Record<string, number> }}
 */
export function generateProject(dir, recordCount, { seed = 1, untested = 0 } = {}) {
  if (!Number.isInteger(recordCount) || recordCount < 20)
    throw new Error('record count must be an integer ≥ 20');
  if (!(untested >= 0 && untested < 1)) throw new Error('untested must be a share in [0, 1)');
  if (fs.existsSync(dir)) {
    const entries = fs.readdirSync(dir);
    if (entries.length > 0 && !entries.includes(MARKER)) {
      throw new Error(`${dir} is not empty and is not a generated benchmark project; refusing to overwrite`);
    }
    fs.rmSync(path.join(dir, MARKER), { force: true });
    fs.rmSync(path.join(dir, 'records'), { recursive: true, force: true });
    fs.rmSync(path.join(dir, 'dossier.yaml'), { force: true });
  }
  fs.mkdirSync(dir, { recursive: true });

  const rnd = makeRandom(seed);
  const n = counts(recordCount);
  const ids = {};
  for (const [kind, count] of Object.entries(n)) {
    const width = Math.max(3, String(count).length);
    ids[kind] = Array.from(
      { length: count },
      (_, i) => `${PREFIX[kind]}-${String(i + 1).padStart(width, '0')}`,
    );
  }
  const status = () => rnd.weighted(STATUSES);
  const tags = () =>
    rnd.chance(0.3)
      ? [rnd.pick(TAGS)]
      : rnd.chance(0.1)
        ? [rnd.pick(TAGS), rnd.pick(TAGS)].filter((t, i, a) => a.indexOf(t) === i)
        : undefined;

  let files = 0;
  const madeDirs = new Set();
  const write = (rel, content) => {
    const full = path.join(dir, rel);
    const parent = path.dirname(full);
    if (!madeDirs.has(parent)) {
      fs.mkdirSync(parent, { recursive: true });
      madeDirs.add(parent);
    }
    fs.writeFileSync(full, content);
    files++;
  };
  const folder = (i) => String(Math.floor(i / FOLDER_SIZE)).padStart(3, '0');
  const writeCollections = (base, kind, records) => {
    for (let start = 0, part = 1; start < records.length; start += COLLECTION_SIZE, part++) {
      write(
        `${base}-${String(part).padStart(3, '0')}.yaml`,
        collectionFile(kind, records.slice(start, start + COLLECTION_SIZE)),
      );
    }
  };

  // -- Hazards and hazardous situations (collections) ------------------------------------------
  const nHaz = n.hazard;
  const nHs = n['hazardous-situation'];
  const hazards = ids.hazard.map((id) => ({
    id,
    title: `${cap(rnd.pick(HAZARD_CATEGORIES))} hazard: ${rnd.pick(TITLE_OBJECTS)}`,
    status: status(),
    category: rnd.pick(HAZARD_CATEGORIES),
  }));
  writeCollections('records/risk/hazards', 'hazard', hazards);

  const situations = ids['hazardous-situation'].map((id, i) => {
    // Every hazard gets at least one situation; some situations arise from two hazards.
    const first = spread(i, nHaz, nHs) || nHs <= nHaz ? spreadIndex(i, nHaz, nHs) : rnd.int(0, nHaz - 1);
    const arisesFrom = [ids.hazard[first]];
    if (rnd.chance(0.1) && nHaz > 1) {
      const other = ids.hazard[rnd.int(0, nHaz - 1)];
      if (!arisesFrom.includes(other)) arisesFrom.push(other);
    }
    const events = [];
    for (let k = rnd.int(2, 4); k > 0; k--) events.push(rnd.pick(EVENTS));
    const sev = rnd.int(0, 4);
    const record = {
      id,
      title: `${rnd.pick(HARMS)} after ${rnd.pick(TITLE_OBJECTS)} failure`,
      status: status(),
      arisesFrom,
      sequenceOfEvents: events,
      harm: rnd.pick(HARMS),
      severity: SEVERITIES[sev],
    };
    if (rnd.chance(0.8)) {
      record.p1 = rnd.pick(PROBABILITIES);
      record.p2 = rnd.pick(PROBABILITIES);
    } else {
      record.probability = rnd.pick(PROBABILITIES);
    }
    // Every situation has controls, so every residual risk is evaluated and made acceptable
    // (with the starter matrix, only "improbable" is acceptable for catastrophic harm).
    const residualSev = Math.max(0, sev - rnd.int(0, 1));
    record.residualSeverity = SEVERITIES[residualSev];
    record.residualProbability = residualSev === 4 ? 'improbable' : rnd.pick(['improbable', 'remote']);
    return record;
  });
  writeCollections('records/risk/hazardous-situations', 'hazardous-situation', situations);

  // -- Risk controls (Markdown) ------------------------------------------------------------------
  const nRc = n['risk-control'];
  const rcSoftware = []; // indices of software risk controls
  const rcOther = []; // indices of risk controls implemented elsewhere (need a direct test)
  const controlsOf = {}; // hazardous situation id → risk control ids (for the causes of items)
  for (let i = 0; i < nRc; i++) {
    const implementedIn =
      i === 0
        ? 'software'
        : rnd.weighted([
            ['software', 70],
            ['hardware', 10],
            ['external-software', 5],
            ['process', 7],
            ['labeling', 8],
          ]);
    (implementedIn === 'software' ? rcSoftware : rcOther).push(i);
    const mitigates = [ids['hazardous-situation'][spreadIndex(i, nHs, nRc)]];
    const noteControl = () => {
      for (const hs of mitigates) {
        controlsOf[hs] = controlsOf[hs] ?? [];
        controlsOf[hs].push(ids['risk-control'][i]);
      }
    };
    // Extra mitigated situations so every situation has a control.
    for (let j = spreadIndex(i, nHs, nRc) + 1; j < spreadIndex(i + 1, nHs, nRc); j++)
      mitigates.push(ids['hazardous-situation'][j]);
    if (rnd.chance(0.15)) {
      const other = ids['hazardous-situation'][rnd.int(0, nHs - 1)];
      if (!mitigates.includes(other)) mitigates.push(other);
    }
    noteControl();
    const fields = {
      id: ids['risk-control'][i],
      title: `${cap(rnd.pick(TITLE_OBJECTS))} ${rnd.pick(RC_MEASURES)}`,
      status: status(),
      tags: tags(),
      option:
        implementedIn === 'labeling'
          ? 'information-for-safety'
          : rnd.weighted([
              ['inherent-safety', 20],
              ['protective-measure', 70],
              ['information-for-safety', 10],
            ]),
      implementedIn,
      mitigates,
    };
    write(
      `records/risk/controls/${folder(i)}/${fields.id}.md`,
      markdownRecord(fields, prose(rnd, 'risk-control')),
    );
  }

  // -- SOUP (collection) -------------------------------------------------------------------------
  const soups = ids.soup.map((id, i) => {
    const [name, manufacturer, license, purl] = SOUP_NAMES[i % SOUP_NAMES.length];
    const version = `${rnd.int(1, 12)}.${rnd.int(0, 20)}.${rnd.int(0, 9)}`;
    const record = {
      id,
      title: i < SOUP_NAMES.length ? name : `${name} (variant ${Math.floor(i / SOUP_NAMES.length) + 1})`,
      status: status(),
      manufacturer,
      version,
      purl: `${purl}@${version}`,
      license,
      requirements: prose(rnd, 'software-requirement'),
      systemRequirements: `ARM Cortex-M${rnd.pick([4, 7, 33])}, ${rnd.pick([16, 32, 64, 128])} KB RAM.`,
    };
    // SOUP is used by class B and C items, so 7.1.3 needs the anomaly review of every item.
    // Reviewed in the six months before the 0.1.0 release (2026-11-01), covering vulnerabilities too,
    // as SOUP no advisory database can match (pkg:generic, pkg:github) needs (7.1.3).
    record.anomalyReview = {
      date: `2026-${String(rnd.int(7, 10)).padStart(2, '0')}-${String(rnd.int(1, 28)).padStart(2, '0')}`,
      reviewer: rnd.pick(['J. Ortiz', 'A. Weber', 'M. Rossi', 'K. Tanaka']),
      conclusion: 'No listed anomaly or published vulnerability affects the features we use.',
      coversVulnerabilities: true,
      sources: [
        'Supplier issue tracker and release notes',
        'NVD keyword search',
        'GitHub security advisories',
      ],
    };
    record.supportLevel = rnd.weighted(SUPPORT);
    if (rnd.chance(0.5)) record.endOfSupport = `${rnd.int(2026, 2032)}-12-31`;
    return record;
  });
  writeCollections('records/soup/soup', 'soup', soups);

  // -- User needs (Markdown) ---------------------------------------------------------------------
  ids['user-need'].forEach((id, i) => {
    const fields = { id, title: cap(rnd.pick(NEED_OBJECTS)), status: status(), tags: tags() };
    if (rnd.chance(0.4)) fields.source = `Clinical workshop 20${rnd.int(22, 25)}-0${rnd.int(1, 9)}`;
    write(`records/user-needs/${folder(i)}/${id}.md`, markdownRecord(fields, prose(rnd, 'user-need')));
  });

  // -- System requirements (Markdown): derive from 1–2 user needs, some from an earlier SYS ------
  const nUn = n['user-need'];
  const nSys = n['system-requirement'];
  ids['system-requirement'].forEach((id, i) => {
    const centre = spreadIndex(i, nUn, nSys);
    const derivesFrom = nearby(
      rnd,
      nUn,
      centre,
      rnd.weighted([
        [1, 60],
        [2, 40],
      ]),
      2,
    ).map((j) => ids['user-need'][j]);
    if (i > 0 && rnd.chance(0.05))
      derivesFrom.push(ids['system-requirement'][rnd.int(Math.max(0, i - 20), i - 1)]);
    const fields = { id, title: title(rnd), status: status(), tags: tags(), derivesFrom };
    write(`records/system/${folder(i)}/${id}.md`, markdownRecord(fields, prose(rnd, 'system-requirement')));
  });

  // -- Software requirements (Markdown) ----------------------------------------------------------
  const nSrs = n['software-requirement'];
  const nRcSrs = Math.max(rcSoftware.length, Math.round(nSrs * 0.08)); // SRS implementing a software RC
  const untestedSrs = new Set();
  ids['software-requirement'].forEach((id, i) => {
    const fields = {
      id,
      title: title(rnd),
      status: 'draft',
      tags: tags(),
      category: rnd.weighted(CATEGORIES),
    };
    let implementsRc;
    if (rcSoftware.length > 0 && spread(i, nRcSrs, nSrs)) {
      const k = spreadIndex(i, nRcSrs, nSrs);
      implementsRc = [ids['risk-control'][rcSoftware[k % rcSoftware.length]]];
      if (rnd.chance(0.1) && rcSoftware.length > 1) {
        const other = ids['risk-control'][rnd.pick(rcSoftware)];
        if (!implementsRc.includes(other)) implementsRc.push(other);
      }
    }
    // Obsolete only where nothing depends on the record for coverage.
    fields.status = !implementsRc && rnd.chance(0.01) ? 'obsolete' : status();
    if (implementsRc) {
      fields.riskControl = true;
    } else if (rnd.chance(0.2)) {
      fields.riskControl = false;
    }
    if (!implementsRc && rnd.chance(0.03)) {
      // Derived from another source than a system requirement (5.2.6 f).
      fields.category = 'regulatory';
      fields.source = rnd.pick(STANDARDS);
    } else {
      const centre = spreadIndex(i, nSys, nSrs);
      const k = rnd.weighted([
        [1, 50],
        [2, 35],
        [3, 15],
      ]);
      const derivesFrom = nearby(rnd, nSys, centre, k, 6).map((j) => ids['system-requirement'][j]);
      if (i > 0 && rnd.chance(0.05))
        derivesFrom.push(ids['software-requirement'][rnd.int(Math.max(0, i - 30), i - 1)]);
      fields.derivesFrom = derivesFrom;
    }
    fields.implements = implementsRc;
    // The warnings-heavy project leaves a share of the requirements untested (never a risk control's).
    if (untested > 0 && !implementsRc && spread(i, Math.round(nSrs * untested), nSrs)) untestedSrs.add(i);
    write(
      `records/software/${folder(i)}/${id}.md`,
      markdownRecord(fields, prose(rnd, 'software-requirement')),
    );
  });

  // -- Software items (Markdown): one system, items, units ---------------------------------------
  const nSi = n['software-item'];
  const nItems = Math.max(1, Math.round((nSi - 1) * 0.2));
  const nUnits = nSi - 1 - nItems;
  const itemClass = [];
  ids['software-item'].forEach((id, i) => {
    let fields;
    if (i === 0) {
      fields = {
        id,
        title: 'Device software system',
        status: 'approved',
        itemType: 'system',
        safetyClass: 'C',
      };
      fields.interfaces = 'Motor driver, pressure sensors, display, keypad, hospital network (HL7 over TLS).';
    } else if (i <= nItems) {
      // One item in five is segregated; its class is left to the classification (not declared).
      const segregated = rnd.chance(0.2);
      itemClass[i] = segregated ? undefined : 'C';
      fields = {
        id,
        title: `${cap(rnd.pick(TITLE_OBJECTS))} ${rnd.pick(['manager', 'service', 'controller', 'module'])}`,
        status: status(),
        itemType: 'item',
        safetyClass: itemClass[i],
      };
      if (segregated)
        fields.segregation = {
          rationale: 'The item cannot affect therapy delivery.',
          mechanism: rnd.pick(SEGREGATION_MECHANISMS),
        };
      fields.interfaces = `Receives ${rnd.pick(OBJECTS)} from the control loop; publishes ${rnd.pick(OBJECTS)}.`;
      fields.partOf = ids['software-item'][0];
      fields.implements = nearby(rnd, nSrs, rnd.int(0, nSrs - 1), rnd.int(1, 3), 10).map(
        (j) => ids['software-requirement'][j],
      );
    } else {
      const u = i - nItems - 1;
      const parent = 1 + spreadIndex(u, nItems, nUnits);
      fields = {
        id,
        title: `${cap(rnd.pick(TITLE_OBJECTS))} ${rnd.pick(['unit', 'driver', 'parser', 'filter', 'handler'])}`,
        status: status(),
        itemType: 'unit',
      };
      if (rnd.chance(0.3) && itemClass[parent]) fields.safetyClass = itemClass[parent];
      fields.partOf = ids['software-item'][parent];
      // Class C units describe their interfaces (5.4.3); no random draw, so the rest stays the same.
      fields.interfaces = `Called by ${ids['software-item'][parent]}; returns its results to it.`;
      // Class C units have a detailed design (5.4.2); no random draw either.
      fields.design = `Checks each input from ${ids['software-item'][parent]} against its range, computes in fixed point with saturation, and returns an error code instead of a result it cannot compute; no dynamic memory.`;
      // Units partition the software requirements between them.
      const from = Math.floor((u * nSrs) / nUnits);
      const to = Math.floor(((u + 1) * nSrs) / nUnits);
      fields.implements = ids['software-requirement'].slice(from, Math.max(from + 1, to));
    }
    if (i > 0 && rnd.chance(0.3)) {
      fields.contributesTo = nearby(rnd, nHs, rnd.int(0, nHs - 1), rnd.int(1, 2), 3).map(
        (j) => ids['hazardous-situation'][j],
      );
      // IEC 62304 7.1.2: one cause per contribution, addressed by the situation's controls.
      fields.causes = fields.contributesTo.map((situation) => ({
        situation,
        category: rnd.pick(['specification', 'defect', 'hardware', 'misuse']),
        description: `${cap(rnd.pick(CONDITIONS))}, ${rnd.pick(TITLE_OBJECTS)} ${rnd.pick(CONSEQUENCES)}`,
        controls: (controlsOf[situation] ?? []).slice(0, 2),
      }));
    } else if (i > nItems) {
      // IEC 62304 4.3 a: a unit that cannot contribute says why (items answer through their units).
      // No random draw here, so the rest of the project stays as it was.
      fields.noContribution = 'Its output reaches no therapy, alarm or limit decision.';
    }
    if (i > 0 && rnd.chance(0.2))
      fields.uses = nearby(rnd, n.soup, rnd.int(0, n.soup - 1), rnd.int(1, 2), 3).map((j) => ids.soup[j]);
    fields.tags = i > 0 ? tags() : undefined;
    const text =
      i === 0
        ? 'The complete software system of the device.'
        : rnd.chance(0.9)
          ? prose(rnd, 'software-requirement').replace(/shall/g, 'will')
          : '';
    write(`records/architecture/${folder(i)}/${id}.md`, markdownRecord(fields, text));
  });

  // -- Tests (collections of ~200) ----------------------------------------------------------------
  // Coverage: a cursor over the software requirements guarantees each is verified; system
  // requirements and non-software risk controls are spread evenly over the tests.
  const nTc = n.test;
  let srsCursor = 0;
  let unCursor = 0;
  // The software and system requirements tests may verify (all of them, unless `untested`).
  const testedSrs = [...Array(nSrs).keys()].filter((i) => !untestedSrs.has(i));
  const testedSys = [...Array(nSys).keys()].filter(
    (i) => !(untested > 0 && spread(i, Math.round(nSys * untested), nSys)),
  );
  const nTestedSrs = testedSrs.length;
  const nTestedSys = testedSys.length;
  const tests = ids.test.map((id, i) => {
    const verifies = [];
    const k = rnd.weighted([
      [1, 35],
      [2, 35],
      [3, 30],
    ]);
    for (let j = 0; j < k; j++) {
      let idx;
      if (srsCursor < nTestedSrs) idx = srsCursor++;
      else idx = rnd.int(0, nTestedSrs - 1);
      const target = ids['software-requirement'][testedSrs[idx]];
      if (!verifies.includes(target)) verifies.push(target);
    }
    const systemTest = spread(i, nTestedSys, nTc) || (nTestedSys > nTc && rnd.chance(0.5));
    let level;
    if (systemTest) {
      verifies.push(
        ids['system-requirement'][
          testedSys[nTestedSys <= nTc ? spreadIndex(i, nTestedSys, nTc) : rnd.int(0, nTestedSys - 1)]
        ],
      );
      level = rnd.chance(0.9) ? 'system' : 'validation';
      // Design validation (ISO 13485 7.3.7): a cursor over the user needs validates each of them.
      if (level === 'validation')
        for (let j = 0; j < 3; j++)
          verifies.push(ids['user-need'][unCursor < nUn ? unCursor++ : rnd.int(0, nUn - 1)]);
    } else {
      level = rnd.chance(0.55) ? 'unit' : 'integration';
      if (level === 'unit' && nUnits > 0 && rnd.chance(0.5))
        verifies.push(ids['software-item'][1 + nItems + rnd.int(0, nUnits - 1)]);
      if (level === 'integration' && rnd.chance(0.3))
        verifies.push(ids['software-item'][1 + rnd.int(0, nItems - 1)]);
    }
    if (rcOther.length > 0 && spread(i, rcOther.length, nTc))
      verifies.push(ids['risk-control'][rcOther[spreadIndex(i, rcOther.length, nTc)]]);
    else if (rnd.chance(0.03)) verifies.push(ids['risk-control'][rnd.int(0, nRc - 1)]);
    // ISO 14971 7.2: every risk control gets a test of its effectiveness, spread over the tests.
    const verifiesEffectiveness = spread(i, nRc, nTc)
      ? [ids['risk-control'][spreadIndex(i, nRc, nTc)]]
      : undefined;
    const record = {
      id,
      title: `${cap(rnd.pick(TITLE_OBJECTS))} ${rnd.pick(['is verified', 'behaves as specified', 'rejects invalid input', 'recovers after fault', 'meets timing'])}`,
      status: status(),
      level,
      method: rnd.chance(0.6)
        ? undefined
        : rnd.weighted([
            ['test', 70],
            ['inspection', 15],
            ['analysis', 10],
            ['demonstration', 5],
          ]),
      verifies,
      verifiesEffectiveness,
      procedure: `${cap(rnd.pick(CONDITIONS))}, ${rnd.pick(VERBS)} ${rnd.pick(OBJECTS)} and observe the result.`,
      expectedResults: rnd.pick(CONSEQUENCES),
      // Every test states its pass/fail criteria (5.5.3, 5.6.4, 5.7.1).
      acceptanceCriteria: rnd.chance(0.7)
        ? `Pass in ${rnd.int(3, 10)} of ${10} trials within ${measure(rnd, TIME_UNITS)}.`
        : 'The observed result matches the expected result in every trial.',
      tags: tags(),
    };
    return record;
  });
  // If the tests ran out before every software requirement was covered, warnings show it.
  writeCollections('records/tests/tests', 'test', tests);

  // -- The release of 0.1.0 and its test runs -----------------------------------------------------
  // A project that is nearly ready to release, so that `release check` does the work of a real gate
  // (every verdict computed from results) rather than listing every record as unverified. Runs of
  // at most RUN_SIZE results each, one level per run, every active test passed on 0.1.0. They are
  // written by hand (`manual: true`): no report behind them for the gate to re-read.
  const RUN_SIZE = 2000;
  const byLevel = new Map();
  for (const t of tests) {
    if (t.status === 'obsolete') continue;
    byLevel.set(t.level, [...(byLevel.get(t.level) ?? []), t.id]);
  }
  let runNumber = 0;
  for (const [level, testIds] of [...byLevel].sort(([a], [b]) => (a < b ? -1 : 1))) {
    for (let start = 0; start < testIds.length; start += RUN_SIZE) {
      runNumber++;
      const id = `RUN-${String(runNumber).padStart(3, '0')}`;
      const results = testIds.slice(start, start + RUN_SIZE);
      const lines = [
        'kind: test-run',
        'records:',
        `  - id: ${id}`,
        `    title: ${cap(level)} tests on 0.1.0, part ${Math.floor(start / RUN_SIZE) + 1}`,
        '    status: approved',
        '    version: 0.1.0',
        '    date: 2026-10-20',
        `    executedBy: ${level === 'unit' || level === 'integration' ? 'CI runner bench-1' : 'V&V engineer A. Weber'}`,
        '    environment: HIL rig 1 with production hardware revision C',
        '    tools: [CTest 3.28.3, Unity 2.6.0]',
        `    level: ${level}`,
        '    manual: true',
        '    results:',
        ...results.map((test) => `      - { test: ${test}, outcome: passed }`),
      ];
      write(`records/evidence/${id}.yaml`, `${lines.join('\n')}\n`);
    }
  }
  write(
    'records/releases/REL-001.md',
    markdownRecord(
      {
        id: 'REL-001',
        title: 'Synthetic device software 0.1.0',
        status: 'approved',
        version: '0.1.0',
        date: '2026-11-01',
        approvedBy: 'Release review board (QA, RA, software lead)',
        approvedOn: '2026-10-30',
        buildProcedure:
          'Tagged commit built by the CI release pipeline; reproducible-build check on a second agent.',
        buildEnvironment: 'Container image bench-build:2026.10 (Debian 12, GCC 12.2, CMake 3.28.3).',
        archive: 'Release archive on the controlled document server, retained for 15 years.',
        delivery: 'Signed image; SHA-256 and signature checked on receipt.',
      },
      'First release of the synthetic device software.',
    ),
  );

  // The starter plans of a class C project, approved: the plans every project needs (5.1, 6.1,
  // ISO 14971 4.4), so that check finds no error and the release gate no unapproved plan.
  for (const [rel, content] of Object.entries(
    starterPlans({ name: 'Synthetic benchmark device', safetyClass: 'C' }),
  )) {
    write(rel, content.replace(/^status: draft$/m, 'status: approved'));
  }

  // -- Reviews of the design outputs (5.2.6, 5.3.6, 5.4.4) ------------------------------------------
  // Every software requirement, item and unit is reviewed before the release, in reviews of at most
  // REVIEW_SIZE records, and bound to its content by `dossier review fingerprint` (below).
  const REVIEW_SIZE = 500;
  const REVIEW_CRITERIA = {
    requirements: [
      'implementsSystemRequirements',
      'noContradiction',
      'unambiguous',
      'testable',
      'uniquelyIdentified',
      'traceable',
    ],
    architecture: ['implementsRequirements', 'supportsInterfaces', 'supportsSoup'],
    'detailed-design': ['implementsArchitecture', 'noContradiction'],
  };
  const reviewGroups = [
    ['requirements', ids['software-requirement']],
    ['architecture', ids['software-item'].slice(0, nItems + 1)],
    ['detailed-design', ids['software-item'].slice(nItems + 1)],
  ];
  const reviewIds = [];
  for (const [type, reviewedIds] of reviewGroups) {
    for (let start = 0; start < reviewedIds.length; start += REVIEW_SIZE) {
      const id = `REV-${String(reviewIds.length + 1).padStart(3, '0')}`;
      reviewIds.push(id);
      // One file per review: with its fingerprints a review of 500 records is about 45 KB.
      const lines = [
        'kind: review',
        'records:',
        `  - id: ${id}`,
        `    title: ${cap(type.replace('-', ' '))} review, part ${Math.floor(start / REVIEW_SIZE) + 1}`,
        '    status: in-review',
        `    reviewType: ${type}`,
        '    date: 2026-09-15',
        '    participants:',
        '      - { name: R. Author, role: software engineer }',
        '      - { name: V. Checker, role: V&V engineer, independent: true }',
        '    criteria:',
        ...REVIEW_CRITERIA[type].map(
          (key) => `      ${key}: { met: true, note: Checked against the review checklist. }`,
        ),
        '    outcome: passed',
        `    reviewed: [${reviewedIds.slice(start, start + REVIEW_SIZE).join(', ')}]`,
      ];
      write(`records/reviews/${id}.yaml`, `${lines.join('\n')}\n`);
    }
  }

  // -- Config and marker --------------------------------------------------------------------------
  fs.writeFileSync(path.join(dir, 'dossier.yaml'), CONFIG(ids['software-item'][0], untested));
  // The fingerprints are what the loader reads back, so the command that writes them for people
  // writes them here too.
  const fingerprinted = spawnSync(process.execPath, [CLI, 'review', 'fingerprint', ...reviewIds, '-C', dir], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
  });
  if (fingerprinted.status !== 0)
    throw new Error(
      `dossier review fingerprint failed (build first?): ${fingerprinted.stderr.trim().slice(0, 500)}`,
    );
  // Every tracked link reviewed against its target as generated (`linkReviews`, one stamp per line,
  // written by the command people use), dated by a fixed clock so the same size and seed give the
  // same files.
  const stamped = spawnSync(process.execPath, [CLI, 'suspect', dir, '--all', '--by', 'Bench Reviewer'], {
    encoding: 'utf8',
    maxBuffer: 64 * 1024 * 1024,
    env: { ...process.env, DOSSIER_TODAY: '2026-09-01' },
  });
  if (stamped.status !== 0)
    throw new Error(`dossier suspect --all failed (build first?): ${stamped.stderr.trim().slice(0, 500)}`);
  const records = Object.values(n).reduce((a, b) => a + b, 0) + reviewIds.length;
  const result = { records, files, counts: { ...n, review: reviewIds.length } };
  fs.writeFileSync(
    path.join(dir, MARKER),
    `${JSON.stringify({ count: recordCount, seed, ...(untested > 0 ? { untested } : {}), generator: GENERATOR_HASH, ...result }, null, 2)}\n`,
  );
  return result;
}

/** The share of requirements the warnings-heavy project leaves untested (bench/run.mjs). */
export const WARNINGS_UNTESTED = 0.25;

/**
 * The project for `size` and `seed` in bench/.work/<size>/ (with `untested`, the warnings-heavy
 * variant, in bench/.work/<size>-untested/), generated unless an identical one is already there (its
 * marker shows the same size, seed, share and generator).
 */
export function cachedProject(size, seed = 1, { untested = 0 } = {}) {
  const name = untested > 0 ? `${size}-untested` : String(size);
  const dir = path.join(path.dirname(fileURLToPath(import.meta.url)), '.work', name);
  try {
    const marker = JSON.parse(fs.readFileSync(path.join(dir, MARKER), 'utf8'));
    if (
      marker.count === size &&
      marker.seed === seed &&
      (marker.untested ?? 0) === untested &&
      marker.generator === GENERATOR_HASH
    ) {
      return { dir, generated: false, generateS: null };
    }
  } catch {
    // no usable marker: generate
  }
  fs.rmSync(dir, { recursive: true, force: true }); // only ever bench/.work/<size>[-untested]
  const start = performance.now();
  generateProject(dir, size, { seed, untested });
  return { dir, generated: true, generateS: (performance.now() - start) / 1000 };
}

// ---------------------------------------------------------------------------------------------
// CLI

function main(argv) {
  const positional = [];
  let seed = 1;
  let untested = 0;
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--seed') seed = Number(argv[++i]);
    else if (argv[i].startsWith('--seed=')) seed = Number(argv[i].slice(7));
    else if (argv[i] === '--untested') untested = Number(argv[++i]);
    else if (argv[i].startsWith('--untested=')) untested = Number(argv[i].slice(11));
    else positional.push(argv[i]);
  }
  const [dir, countText] = positional;
  const count = Number(countText);
  if (!dir || !Number.isInteger(count) || !Number.isInteger(seed)) {
    console.error('usage: node bench/generate.mjs <dir> <count> [--seed N] [--untested 0.25]');
    process.exit(2);
  }
  const start = performance.now();
  let result;
  try {
    result = generateProject(dir, count, { seed, untested });
  } catch (error) {
    console.error(`generate: ${error.message}`);
    process.exit(1);
  }
  const { records, files, counts: c } = result;
  const seconds = ((performance.now() - start) / 1000).toFixed(2);
  console.log(
    `Generated ${records} records in ${files} record files (+ dossier.yaml) in ${dir} (${seconds} s, seed ${seed})`,
  );
  console.log(
    Object.entries(c)
      .map(([k, v]) => `  ${k}: ${v}`)
      .join('\n'),
  );
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  main(process.argv.slice(2));
}
