/** Starts the built headless host (`node out/host/cli.cjs`) as a child process for end-to-end tests. */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { REPO_ROOT } from './shared-data';

export interface HostProcess {
  readonly url: string;
  readonly dataDir: string;
  readonly child: ChildProcess;
  /** Page URL for a window kind, e.g. `windowUrl('chart', 'IBM')`. */
  windowUrl(kind: string, symbol?: string): string;
  stop(): Promise<void>;
}

const LISTENING = /Workstation host listening at (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)/;

/** `env`: extra environment variables (keys and URLs of local doubles). */
export function startHostProcess(args: readonly string[], timeoutMs = 60_000, env: Readonly<Record<string, string>> = {}): Promise<HostProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'tw-e2e-'));
  const child = spawn(process.execPath, [join(REPO_ROOT, 'out', 'host', 'cli.cjs'), ...args, '--data-dir', dataDir], { cwd: REPO_ROOT, env: { ...process.env, ...env } });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`host did not start in ${timeoutMs} ms:\n${output}`));
    }, timeoutMs);
    child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
    child.stdout?.on('data', (d: Buffer) => {
      output += d.toString();
      const match = LISTENING.exec(output);
      if (!match) return;
      clearTimeout(timer);
      const url = match[1] as string;
      resolve({
        url,
        dataDir,
        child,
        windowUrl: (kind, symbol) => `${url}&window=${kind}${symbol ? `&symbol=${symbol}` : ''}`,
        stop: () =>
          new Promise<void>((done) => {
            if (child.exitCode !== null) return done();
            const killer = setTimeout(() => child.kill('SIGKILL'), 5_000);
            child.once('exit', () => {
              clearTimeout(killer);
              done();
            });
            child.kill('SIGTERM');
          }),
      });
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`host exited with ${code}:\n${output}`));
    });
  });
}
