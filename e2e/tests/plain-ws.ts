import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../server/plain-ws.mjs', import.meta.url));

/** What e2e/server/plain-ws.mjs printed, one JSON object per line. */
export type PlainWsEvent =
  | { listening: number }
  | { connection: number; protocol: string }
  | { message: number; data: string | number[] }
  | { close: number; code: number }
  | { http: string }
  | { refused: string };

export interface PlainWsServer {
  readonly port: number;
  /** Everything it printed so far, in order. */
  readonly events: readonly PlainWsEvent[];
  /** Date.now() when it was listening. */
  readonly upAt: number;
  /** Stops the process (SIGTERM, by its PID) and waits for its exit. */
  stop(): Promise<void>;
}

/** A port that was free a moment ago on 127.0.0.1 (for a server that must be down at first). */
export async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** Starts e2e/server/plain-ws.mjs as a child process and waits until it listens. */
export function startPlainWs(mode: 'echo' | 'quiet' | 'blocked', port = 0): Promise<PlainWsServer> {
  const child: ChildProcess = spawn(process.execPath, [script, '--mode', mode, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const events: PlainWsEvent[] = [];
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let buffered = '';
    child.once('exit', (code) => reject(new Error(`plain-ws.mjs exited (${code}) before listening`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      buffered += chunk;
      const lines = buffered.split('\n');
      buffered = lines.pop()!;
      for (const line of lines) {
        const event = JSON.parse(line) as PlainWsEvent;
        events.push(event);
        if ('listening' in event) {
          resolve({
            port: event.listening,
            events,
            upAt: Date.now(),
            stop: async () => {
              if (child.exitCode === null) child.kill('SIGTERM');
              await exited;
            },
          });
        }
      }
    });
  });
}
