/** Start/stop `bitunicom serve` (the built headless shell) for e2e scenarios. */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

/** The built CLI; BITUNICOM_CLI points the scenarios at another build. */
const CLI = process.env.BITUNICOM_CLI ?? fileURLToPath(new URL('../../out/main/cli.js', import.meta.url));

export type Served = { proc: ChildProcess; url: string; dataDir: string; stop(): Promise<void>; output: string[] };

export async function serve(dataDir: string, extraEnv: Record<string, string> = {}, extraArgs: string[] = []): Promise<Served> {
  const proc = spawn(process.execPath, [CLI, 'serve', '--data', dataDir, '--listen', '127.0.0.1:0', '--ui-port', '0', ...extraArgs], {
    env: { ...process.env, BITUNICOM_PASSWORD: '', ...extraEnv },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const output: string[] = [];
  proc.stderr!.on('data', (d) => output.push(String(d)));
  const exited = new Promise<void>((r) => proc.once('exit', () => r()));
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`serve did not print its UI link: ${output.join('')}`)), 30_000);
    createInterface({ input: proc.stdout! }).on('line', (line) => {
      output.push(line);
      const m = /^UI: (http:\/\/127\.0\.0\.1:\d+\/\?token=\S+)$/.exec(line.trim());
      if (m) {
        clearTimeout(timer);
        resolve(m[1]!);
      }
    });
    void exited.then(() => reject(new Error(`serve exited: ${output.join('')}`)));
  });
  return {
    proc,
    url,
    dataDir,
    output,
    async stop() {
      if (proc.exitCode === null) proc.kill('SIGTERM');
      await exited;
    },
  };
}
