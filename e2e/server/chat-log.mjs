// The chat's history on disk, so that it survives a real restart of the server process (issue 11
// #6): an append-only log, one JSON message per line, in <dataDir>/chat.log. Every message is
// appended (synchronously) before it is broadcast, so a line any user has seen is on disk even if
// the process is killed (SIGKILL) right after: the OS has it. Message numbers (seq) continue from
// the log after a restart and never go backwards, which is what the chat client relies on.
import { appendFileSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Opens (creating the folder and the file if needed) the log in `dataDir`.
 * @param {string} dataDir
 * @returns {{ file: string, messages: object[], append(message: object): void, clear(): void }}
 *   `messages`: what the log held at open, oldest first (a torn last line, from a kill in the
 *   middle of a write, is skipped).
 */
export function openChatLog(dataDir) {
  mkdirSync(dataDir, { recursive: true });
  const file = join(dataDir, 'chat.log');
  let text = '';
  try {
    text = readFileSync(file, 'utf8');
  } catch (error) {
    if (error.code !== 'ENOENT') throw error;
  }
  const messages = [];
  for (const line of text.split('\n')) {
    if (line === '') continue;
    try {
      messages.push(JSON.parse(line));
    } catch {
      // A torn line: the process died while writing it, and nobody saw that message.
    }
  }
  // A torn last line must not glue itself to the next append.
  if (text !== '' && !text.endsWith('\n')) appendFileSync(file, '\n');
  return {
    file,
    messages,
    append: (message) => appendFileSync(file, `${JSON.stringify(message)}\n`),
    clear: () => writeFileSync(file, ''),
  };
}
