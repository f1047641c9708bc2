import { fork } from 'node:child_process';
import { readFileSync } from 'node:fs';
import type { GeneratorConfig, GeneratorEvent } from './load-generator';

type Progress = Extract<GeneratorEvent, { type: 'progress' }>;

/** The forked fleet: connect every device, then start the schedule on command. */
export class GeneratorProcess {
  private readonly child = fork('scripts/run-ts.js', ['test/bench/pipeline/load-generator.ts'], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
  private readonly done: Promise<void>;
  private connectedResolve: ((event: Extract<GeneratorEvent, { type: 'connected' }>) => void) | null = null;
  lastProgress: Progress | null = null;

  constructor(private readonly config: GeneratorConfig) {
    this.done = new Promise((resolve, reject) => {
      this.child.on('message', (event: GeneratorEvent) => {
        if (event.type === 'connected') this.connectedResolve?.(event);
        else if (event.type === 'progress') this.lastProgress = event;
        else if (event.type === 'done') resolve();
      });
      this.child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`the load generator exited with ${code}`))));
    });
  }

  get pid(): number | undefined {
    return this.child.pid;
  }

  /** Connects the fleet; resolves with how many devices are connected. */
  connect(): Promise<Extract<GeneratorEvent, { type: 'connected' }>> {
    const connected = new Promise<Extract<GeneratorEvent, { type: 'connected' }>>((resolve) => (this.connectedResolve = resolve));
    this.child.send(this.config);
    return connected;
  }

  /** Starts the schedule at `startAt` and resolves with the result file's content once every message is settled. */
  async run<T>(startAt: number): Promise<T> {
    this.child.send({ type: 'start', startAt });
    await this.done;
    return JSON.parse(readFileSync(this.config.resultFile, 'utf8')) as T;
  }

  kill(): void {
    if (this.child.exitCode === null) this.child.kill('SIGKILL');
  }
}
