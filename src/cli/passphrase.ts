/**
 * Passphrases for signing keys: read from a file named by `--passphrase-file` (automation, tests),
 * or asked on the terminal without echo. Never taken as an option value: a value on the command
 * line is visible to every user of the machine (ps) and kept in shell history.
 */
import fs from 'node:fs';
import { UsageError } from './io.js';
import { writeErr } from './terminal.js';

/** The first line of the file (a final newline is not part of the passphrase). */
export function passphraseFromFile(file: string): string {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new UsageError(`cannot read the passphrase file ${file}: ${(error as Error).message}`);
  }
  const passphrase = text.replace(/\r?\n$/, '');
  if (passphrase.includes('\n')) throw new UsageError(`the passphrase file ${file} must hold one line`);
  if (passphrase === '') throw new UsageError(`the passphrase file ${file} is empty`);
  return passphrase;
}

/** Asks on the terminal, echoing nothing; Ctrl-C aborts. Synchronous, like the commands. */
function promptHidden(question: string): string {
  const stdin = process.stdin;
  writeErr(question);
  stdin.setRawMode(true);
  const chars: string[] = [];
  const byte = Buffer.alloc(1);
  try {
    for (;;) {
      let read = 0;
      try {
        read = fs.readSync(0, byte, 0, 1, null);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'EAGAIN') continue;
        throw error;
      }
      if (read === 0) break;
      const c = byte[0]!;
      if (c === 3) throw new UsageError('cancelled');
      if (c === 13 || c === 10) break;
      if (c === 127 || c === 8) chars.pop();
      else chars.push(String.fromCharCode(c));
    }
  } finally {
    stdin.setRawMode(false);
    writeErr('\n');
  }
  return Buffer.from(chars.join(''), 'latin1').toString('utf8');
}

/**
 * The passphrase: from `file` when given, else asked on the terminal (twice when `confirm`, for a new
 * key). Without either there is no second component, and nothing is signed.
 */
export function readPassphrase(file: string | undefined, what: string, confirm = false): string {
  if (file !== undefined) return passphraseFromFile(file);
  if (!process.stdin.isTTY) {
    throw new UsageError(
      `${what} needs a passphrase: run it in a terminal (it asks without echo) or give --passphrase-file FILE`,
    );
  }
  const first = promptHidden(`Passphrase for ${what}: `);
  if (confirm && promptHidden('Again, to confirm: ') !== first)
    throw new UsageError('the passphrases differ');
  return first;
}
