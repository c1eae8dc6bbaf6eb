import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const script = fileURLToPath(new URL('../../demo/server.mjs', import.meta.url));

export interface DemoProcess {
  readonly url: string;
  readonly pid: number;
  /** Kills the process with `signal` (by its PID) and waits for its exit. */
  kill(signal: NodeJS.Signals): Promise<void>;
}

/**
 * Starts the demo server (demo/server.mjs) as a child process on `port` (0: any free one) with
 * `dataDir` and `env` (REDIS_URL…), and waits for its URL.
 */
export function startDemo(port: number, dataDir: string, env: Record<string, string> = {}): Promise<DemoProcess> {
  const child: ChildProcess = spawn(process.execPath, [script], {
    env: { ...process.env, PORT: String(port), DATA_DIR: dataDir, ...env },
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    child.once('exit', (code, signal) => reject(new Error(`demo/server.mjs exited (${code ?? signal}) before listening:\n${output}`)));
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      output += chunk;
      const found = /Keel chat demo:\s+(http:\/\/\S+?)\/?\s/.exec(output);
      if (found) {
        resolve({
          url: found[1]!,
          pid: child.pid!,
          kill: async (signal) => {
            if (child.exitCode === null && child.signalCode === null) child.kill(signal);
            await exited;
          },
        });
      }
    });
  });
}
