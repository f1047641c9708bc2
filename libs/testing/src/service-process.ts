import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { workspaceRoot } from '@rpm/service-kit';

export const SERVICE_NAMES = ['care-api', 'ingest-gateway', 'rules-engine', 'vitals-store'] as const;
export type ServiceName = (typeof SERVICE_NAMES)[number];

/**
 * Node flags every service runs with, here and in its image (the CMD of its Dockerfile under docker/). A 64 MiB
 * semi-space (16 by default): the services allocate a short-lived object graph per record, and a
 * young generation four times larger lets most of it die before a scavenge copies it (at 4,000
 * messages/s offered: garbage collection per message halved, at 100-200 MiB more RSS per service;
 * docs/performance.md).
 */
export const SERVICE_NODE_FLAGS = ['--max-semi-space-size=64'];

/** A service running as its own process, exactly as in production (no in-process shortcuts). */
export class ServiceProcess {
  private child: ChildProcess | null = null;
  private exitCode: number | null = null;

  constructor(
    readonly name: ServiceName | 'device-simulator',
    readonly port: number | null,
    private readonly env: Record<string, string>,
    private readonly args: string[] = [],
    private readonly logFile = join(workspaceRoot(), '.data', 'logs', `${name}.log`),
  ) {}

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get exited(): boolean {
    return this.exitCode !== null;
  }

  async start({ waitReady = true, timeoutMs = 60_000 } = {}): Promise<void> {
    const root = workspaceRoot();
    // The log may go elsewhere (a suite's own directory under .data/logs): make its directory on a fresh clone.
    mkdirSync(dirname(this.logFile), { recursive: true });
    const log = createWriteStream(this.logFile, { flags: 'a' });
    this.exitCode = null;
    const child = spawn(process.execPath, [...SERVICE_NODE_FLAGS, join(root, 'scripts', 'run-ts.js'), join(root, 'services', this.name, 'src', 'main.ts'), ...this.args], {
      cwd: root,
      env: { ...process.env, ...this.env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    child.on('exit', (code, signal) => {
      this.exitCode = code ?? (signal ? 128 : 0);
    });
    this.child = child;
    if (waitReady && this.port !== null) await this.waitReady(timeoutMs);
  }

  async waitReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (this.exited) throw new Error(`${this.name} exited with ${this.exitCode} before it was ready; see ${this.logFile}`);
      const res = await fetch(`http://127.0.0.1:${this.port}/readyz`).catch(() => null);
      if (res?.ok) return;
      if (Date.now() > deadline) throw new Error(`${this.name} not ready after ${timeoutMs} ms; see ${this.logFile}`);
      await new Promise((r) => setTimeout(r, 250));
    }
  }

  /** Resolves with the exit code once the process has ended (a one-shot tool such as the simulator). */
  async waitForExit(): Promise<number> {
    const child = this.child;
    if (!child || this.exitCode !== null) return this.exitCode ?? 0;
    await new Promise<void>((resolve) => child.once('exit', () => resolve()));
    return this.exitCode ?? 0;
  }

  /** SIGTERM (graceful: in-flight work finishes) or SIGKILL (a crash). */
  async stop(signal: NodeJS.Signals = 'SIGTERM', timeoutMs = 30_000): Promise<void> {
    const child = this.child;
    if (!child || this.exited) return;
    const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
    child.kill(signal);
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  }
}
