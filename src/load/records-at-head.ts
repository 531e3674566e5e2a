/**
 * How many records a file that does not load held in its last committed version: git is asked at
 * the edge (here, during loading), and the analysis receives the answer as data.
 */
import { gitHeadState, gitShowHead } from '../util/git.js';
import { readRecordText } from './read-file.js';
import type { RecordsAtHead } from './unloaded.js';

/** Answers "what did this file hold at HEAD?" for project-relative paths. */
export type HeadReader = (rel: string) => RecordsAtHead;

const utf8 = new TextDecoder('utf-8', { fatal: true });

/** Counts the records in a committed file's content with the same readers that load the project. */
export function recordsInContent(rel: string, content: Buffer): RecordsAtHead {
  let text: string;
  try {
    text = utf8.decode(content);
  } catch {
    return { known: false, why: 'its version at HEAD does not load either' };
  }
  if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
  const read = readRecordText(rel, text);
  if (read.failure) return { known: false, why: 'its version at HEAD does not load either' };
  const ids = read.records
    .map((r) => (r.data as { id?: unknown } | null)?.id)
    .filter((id): id is string => typeof id === 'string');
  return { known: true, count: read.records.length, ids };
}

/** The git-backed reader for a project root; asks whether there is a repository once, lazily. */
export function gitHeadReader(root: string, maxBytes: number): HeadReader {
  let state: ReturnType<typeof gitHeadState> | undefined;
  return (rel) => {
    state ??= gitHeadState(root);
    if (!state.ok) return { known: false, why: state.why };
    const shown = gitShowHead(root, rel, maxBytes);
    if (shown.ok) return recordsInContent(rel, shown.content);
    switch (shown.why) {
      case 'not in HEAD':
        return { known: false, why: 'new file: not in HEAD' };
      case 'a folder at HEAD':
        return { known: false, why: 'a folder' };
      case 'over the size limit':
        return { known: false, why: 'its version at HEAD is over the size limit too' };
      default:
        return { known: false, why: shown.why };
    }
  };
}
