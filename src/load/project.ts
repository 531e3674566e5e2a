import fs from 'node:fs';
import path from 'node:path';
import type { Finding } from '../diagnostics/diagnostic.js';
import { type DossierConfig, maxFileBytesOf } from '../model/config.js';
import { CONTINUED_IN } from '../model/continuation.js';
import type { DossierRecord } from '../model/record.js';
import { noteFileRead, noteInputFiles, tracing, untraced } from '../util/input-trace.js';
import { isPlain, patchAssembly } from './assembly.js';
import { type CodeTag, scanCodeTags } from './code-tags.js';
import { loadConfig } from './config-load.js';
import { joinContinuations } from './continuations.js';
import { type Discovery, discoverFiles, rediscover } from './discover.js';
import type { FileMemo, FileOutcome, FileOutcomeMemo } from './file-memo.js';
import { settleInterruptedWrite } from './interrupted-write.js';
import { type ParallelOptions, recordFileReader } from './parallel-read.js';
import { ParseCache } from './parse-cache.js';
import type { FileReadResult, RawContinuation } from './read-file.js';
import { gitHeadReader, type HeadReader } from './records-at-head.js';
import type { SchemaMemo } from './schema-memo.js';
import type { SourceFile } from './source.js';
import type { UnloadedFile } from './unloaded.js';
import { recordValidator } from './validate-record.js';

/** Everything read from a project folder: the input of every analysis. */
export interface Project {
  /** Absolute path of the project root. */
  readonly root: string;
  readonly config: DossierConfig;
  /** Records in file order (files sorted by path), then in the order written. */
  readonly records: readonly DossierRecord[];
  /** Every file read, by project-relative path, so that findings can be located. */
  readonly sources: ReadonlyMap<string, SourceFile>;
  /** Problems found while reading and validating files (not those of `unloaded` files). */
  readonly findings: readonly Finding[];
  /**
   * Record files matched by the `records` globs that could not be loaded, sorted by path. Non-empty
   * means the project is incomplete: its records are missing from every analysis (src/load/unloaded.ts).
   */
  readonly unloaded: readonly UnloadedFile[];
  /** `@implements` / `@verifies` tags in the configured source files (empty without `codeTags`). */
  readonly codeTags: readonly CodeTag[];
}

export type LoadResult =
  | { readonly ok: true; readonly project: Project }
  /** The configuration is missing or invalid: nothing else can be read (exit code 2). */
  | {
      readonly ok: false;
      readonly findings: readonly Finding[];
      readonly sources: ReadonlyMap<string, SourceFile>;
    };

export interface LoadOptions {
  /** Called with (files done, files total) while reading. */
  readonly onProgress?: (done: number, total: number) => void;
  /** What a file held at HEAD, asked only for files that do not load (default: git in the project root). */
  readonly recordsAtHead?: HeadReader;
  /** Told, one line each, when a write a killed command left half-done is completed or undone first. */
  readonly onNotice?: (message: string) => void;
  /** When a worker thread helps read the files (src/load/parallel-read.ts); tests set it. */
  readonly parallel?: ParallelOptions;
  /**
   * Use the parse cache in `<root>/.dossier/cache/` (src/load/parse-cache.ts): `check` and
   * `gap-scan` do unless `--no-cache` or DOSSIER_NO_CACHE; off by default.
   */
  readonly parseCache?: boolean;
  /**
   * Keep each file's outcome between loads of the same project in this process (`dossier serve`):
   * a file whose identity did not change is not read again (src/load/file-memo.ts).
   */
  readonly fileMemo?: FileMemo;
  /**
   * With `fileMemo`: the project-relative paths a file watcher says changed since the memo's last
   * load. Only they are looked at (no walk of the folders, no stat of the other files) when the
   * configuration is unchanged and each path can be judged alone (src/load/discover.ts,
   * `rediscover`); otherwise the load is a full one. A watcher can drop events: a caller that
   * gives this confirms with a full load later.
   */
  readonly changedFiles?: Iterable<string>;
}

export function loadProject(dir: string, options: LoadOptions = {}): LoadResult {
  const root = path.resolve(dir);
  const sources = new Map<string, SourceFile>();
  if (!fs.existsSync(root) || !fs.statSync(root).isDirectory()) {
    return {
      ok: false,
      sources,
      findings: [
        {
          code: 'config/missing',
          message: `project folder ${dir} does not exist`,
          hint: 'pass the folder that holds dossier.yaml',
        },
      ],
    };
  }
  const pending = settleInterruptedWrite(root, options.onNotice ?? (() => {}));
  if (pending) return { ok: false, sources, findings: [pending] };
  const configLoad = loadConfig(root);
  if (configLoad.source) sources.set(configLoad.source.path, configLoad.source);
  if (!configLoad.config) return { ok: false, findings: configLoad.findings, sources };
  const config = configLoad.config;

  const maxBytes = maxFileBytesOf(config);
  const configText = configLoad.source?.yaml ?? '';
  const memo = options.fileMemo;
  const previous = options.changedFiles ? memo?.discoveryFor(configText) : undefined;
  const changed = previous && options.changedFiles ? new Set(options.changedFiles) : undefined;
  const targeted =
    previous && changed ? rediscover(root, config.records, config.exclude, previous, changed) : undefined;
  const discovery = targeted ?? discoverFiles(root, config.records, config.exclude);
  const cache = options.parseCache ? ParseCache.open(root, configText) : undefined;
  memo?.begin(root, configText, discovery, targeted ? changed : undefined);
  const reader = recordFileReader(
    root,
    memo ? memo.toRead(discovery.files) : discovery.files,
    maxBytes,
    cache ? { ...options.parallel, parse: cache.parse } : options.parallel,
  );
  let project: Project;
  try {
    project = projectFromFiles({
      root,
      config,
      sources,
      discovery,
      readFile: tracing() ? tracedRead(root, reader) : (rel) => reader.read(rel),
      atHead: options.recordsAtHead ?? gitHeadReader(root, maxBytes),
      ...(cache ? { schemaMemo: cache } : {}),
      ...(memo ? { memo } : {}),
      ...(options.onProgress ? { onProgress: options.onProgress } : {}),
    });
  } finally {
    reader.close();
  }
  cache?.save();
  if (!config.codeTags) return { ok: true, project };
  const codeTags = scanCodeTags(root, config.codeTags.sources, config.codeTags.exclude ?? [], maxBytes);
  return {
    ok: true,
    project: { ...project, codeTags: codeTags.tags, findings: [...project.findings, ...codeTags.findings] },
  };
}

/**
 * Reads record files for a traced run (src/util/input-trace.ts): the reader takes each file's
 * identity from the file it opened, before reading it (here or in the worker thread, which a trace
 * does not see), and that identity is the observation; a file it could not open is stat'ed.
 */
function tracedRead(
  root: string,
  reader: { read(rel: string): FileReadResult },
): (rel: string) => FileReadResult {
  const prefix = root + path.sep;
  return (rel) => {
    const result = untraced(() => reader.read(rel));
    if (result.identity) noteFileRead(prefix + rel, result.identity);
    else noteInputFiles([prefix + rel]);
    return result;
  };
}

/** What {@link projectFromFiles} reads a project from: the working tree, or a git revision. */
export interface ProjectFiles {
  readonly root: string;
  readonly config: DossierConfig;
  /** Files read so far (dossier.yaml); the record files are added. */
  readonly sources: Map<string, SourceFile>;
  /** The record files the configuration's globs match, and the problems finding them. */
  readonly discovery: Discovery;
  /** Reads one matched file (project-relative path) into raw records, or says why it does not load. */
  readonly readFile: (rel: string) => FileReadResult;
  /** What a file that does not load held when last committed. */
  readonly atHead: HeadReader;
  readonly onProgress?: (done: number, total: number) => void;
  /** Schema checks passed in earlier runs (the parse cache). */
  readonly schemaMemo?: SchemaMemo;
  /** Outcomes of files unchanged since an earlier load in this process; `readFile` is not asked for them. */
  readonly memo?: FileOutcomeMemo;
}

/**
 * The one path from record files to a project, wherever the files come from: each file's text is
 * read into records, validated, joined with its companion files; what did not load is collected.
 * `codeTags` is left empty for the caller to fill.
 */
export function projectFromFiles(input: ProjectFiles): Project {
  const { root, config, sources, discovery, atHead } = input;
  const validator = recordValidator(config, input.schemaMemo);
  const outcomeOf = (rel: string): FileOutcome => {
    let outcome = input.memo?.get(rel);
    if (!outcome) {
      const result = input.readFile(rel);
      const validated = result.records.map((raw) => validator.validate(raw));
      const continued = validated.some((v) => v.record?.fields[CONTINUED_IN] !== undefined);
      outcome = { result, validated, continued };
      input.memo?.set(rel, outcome);
    }
    return outcome;
  };
  const patched = patchedProject(input, outcomeOf);
  if (patched) return patched;
  const unloaded: UnloadedFile[] = [];
  const findings: Finding[] = [];
  for (const f of discovery.findings) {
    // A folder or link that cannot be read hides whatever records are below it.
    if (f.code === 'load/unreadable' && f.at?.file) {
      unloaded.push({ file: f.at.file, finding: f, atHead: atHead(f.at.file), idsInText: [] });
    } else findings.push(f);
  }
  let records: DossierRecord[] = [];
  const continuations: RawContinuation[] = [];
  let anyContinued = false;
  let allPlain = true;
  const total = discovery.files.length;
  const starts = new Int32Array(total + 1);
  let done = 0;
  for (const rel of discovery.files) {
    const outcome = outcomeOf(rel);
    starts[done] = records.length;
    const { result } = outcome;
    if (result.source) sources.set(rel, result.source);
    // Empty, or no front matter: only git knows whether records were lost from it.
    const held = result.failureIfItHeldRecords ? atHead(rel) : undefined;
    if (result.failureIfItHeldRecords && held?.known && held.count > 0) {
      unloaded.push({ file: rel, finding: result.failureIfItHeldRecords, atHead: held, idsInText: [] });
    } else for (const f of result.findings) findings.push(f);
    if (result.failure) {
      unloaded.push({
        file: rel,
        finding: result.failure.finding,
        atHead: atHead(rel),
        idsInText: result.failure.idsInText,
      });
    }
    if (result.continuation) continuations.push(result.continuation);
    if (outcome.continued) anyContinued = true;
    // A file that is not plain (one that holds no records asks git what it held) is not patched over.
    if (allPlain && input.memo && !isPlain(outcome)) allPlain = false;
    for (const validated of outcome.validated) {
      if (validated.record) records.push(validated.record);
      for (const f of validated.findings) findings.push(f);
    }
    done++;
    if (input.onProgress && (done % 2000 === 0 || done === total)) input.onProgress(done, total);
  }
  // Companion files join the records they continue; an incomplete record's file does not load.
  const joined = joinContinuations(
    records,
    continuations,
    new Set(unloaded.map((u) => u.file)),
    atHead,
    anyContinued,
  );
  records = joined.records;
  unloaded.push(...joined.unloaded);
  if (joined.droppedFiles.size > 0) {
    // Findings about the records left out go with them (the file's load error says why).
    let kept = 0;
    for (const f of findings)
      if (f.at?.file === undefined || !joined.droppedFiles.has(f.at.file)) findings[kept++] = f;
    findings.length = kept;
  }
  for (const f of joined.findings) findings.push(f);
  unloaded.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : 0));
  starts[total] = records.length;
  // The plain case is kept for the next targeted load to patch (src/load/assembly.ts).
  // (Every file plain means no companions either; the findings here also hold the discovery's.)
  const plain = allPlain && findings.length === 0 && unloaded.length === 0;
  input.memo?.keepAssembly(plain ? { files: discovery.files, records, sources, starts } : undefined);
  return { root, config, records, sources, findings, unloaded, codeTags: [] };
}

/**
 * The project of a targeted load patched from the last one (src/load/assembly.ts), or undefined
 * when it must be put together in full. The edited files are read either way.
 */
function patchedProject(input: ProjectFiles, outcomeOf: (rel: string) => FileOutcome): Project | undefined {
  const memo = input.memo;
  const assembly = memo?.assembly();
  const edited = memo?.editedFiles(input.discovery.files);
  if (!assembly || !edited || input.discovery.findings.length > 0) return undefined;
  const outcomes = new Map(edited.map((rel) => [rel, outcomeOf(rel)] as const));
  const patched = patchAssembly(assembly, input.discovery.files, outcomes, input.sources);
  if (!patched) return undefined;
  memo!.keepAssembly(patched);
  memo!.countReused(input.discovery.files.length - edited.length);
  input.onProgress?.(input.discovery.files.length, input.discovery.files.length);
  const { root, config } = input;
  return {
    root,
    config,
    records: patched.records,
    sources: patched.sources,
    findings: [],
    unloaded: [],
    codeTags: [],
  };
}
