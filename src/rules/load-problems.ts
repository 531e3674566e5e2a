import { loaderRule } from './rule.js';

/**
 * Problems reading files. Each is reported once per file and the run continues with the others. A
 * record file that cannot be loaded at all is always an error, whatever the class and whatever
 * `rules:` says: analyze() reports it from `project.unloaded`; these entries give the codes their
 * clauses and hints (and report the same problems in code-tag source files).
 */
export const loadProblemRules = [
  loaderRule({
    code: 'config/missing',
    severity: 'error',
    clauses: ['5.1.1'],
    summary: 'The folder has no dossier.yaml, so it is not a Dossier project.',
    hint: 'run `dossier init` to create one',
  }),
  loaderRule({
    code: 'config/invalid',
    severity: 'error',
    clauses: ['5.1.1'],
    summary: 'dossier.yaml is not valid; nothing else can be checked until it is.',
    hint: 'fix the setting shown; docs/config.md describes every setting',
  }),
  loaderRule({
    code: 'load/yaml-syntax',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A record file or front matter is not valid YAML.',
    hint: 'fix the YAML at the position shown',
  }),
  loaderRule({
    code: 'load/not-utf8',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A record file is not UTF-8 text.',
    hint: 're-save the file as UTF-8',
  }),
  loaderRule({
    code: 'load/too-large',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A record file is larger than the configured limit.',
    hint: 'split the file, or raise `limits.maxFileBytes`',
  }),
  loaderRule({
    code: 'load/symlink-loop',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A symbolic link leads back into a folder above it.',
    hint: 'remove the link or point it elsewhere',
  }),
  loaderRule({
    code: 'load/outside-root',
    severity: 'warning',
    clauses: ['8.1.1'],
    summary: 'A symbolic link or glob leads outside the project root; Dossier does not read there.',
    hint: 'keep records inside the project folder',
  }),
  loaderRule({
    code: 'load/write-pending',
    severity: 'error',
    clauses: ['8.1.1'],
    summary:
      'Another Dossier command is writing the project, or left a write half-done that could not be settled; the records were not read.',
    hint: 'run again when the other command has finished; for a damaged .dossier/journal.json, compare the project with git, then delete it',
  }),
  loaderRule({
    code: 'load/unreadable',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A file or folder could not be read.',
    hint: 'check the file permissions',
  }),
  loaderRule({
    code: 'load/no-front-matter',
    severity: 'warning',
    clauses: ['8.1.1'],
    summary:
      'A Markdown file matched by the records globs has no YAML front matter and does not look like a record (notes, a README).',
    hint: 'add front matter, or leave the file out with `exclude:`',
  }),
  loaderRule({
    code: 'load/front-matter-missing',
    severity: 'error',
    clauses: ['8.1.1'],
    summary:
      'A Markdown file has no YAML front matter but looks like a record (an `id:` line, or a first heading that starts with an id).',
    hint: 'start the file with a line `---`, the record fields and another `---`; or leave it out with `exclude:`',
  }),
  loaderRule({
    code: 'load/front-matter-unclosed',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A Markdown record starts a YAML front matter with `---` but no line `---` ends it.',
    hint: 'end the front matter with a line `---` before the record text',
  }),
  loaderRule({
    code: 'load/continuation-missing',
    severity: 'error',
    clauses: ['8.1.1', '5.7.5'],
    summary:
      'An evidence record names a companion file (`continuedIn`) that is missing, did not load, or continues another record: its results are incomplete, so the record does not load.',
    hint: 'restore the companion file from the history of the records, or import the report again',
  }),
  loaderRule({
    code: 'load/continuation-unclaimed',
    severity: 'error',
    clauses: ['8.1.1', '5.7.5'],
    summary:
      'A companion file (`continues: <id>`) is not named in `continuedIn` of the record it continues: its results would count for nothing.',
    hint: 'restore `continuedIn` in the record from history; delete a companion only with its record',
  }),
  loaderRule({
    code: 'load/not-a-collection',
    severity: 'error',
    clauses: ['8.1.1'],
    summary: 'A YAML file matched by the records globs is not a collection of records.',
    hint: 'give it a top-level `records:` list, or leave it out with `exclude:`',
  }),
];
