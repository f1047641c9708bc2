import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..');
export const DOCKER_DIR = join(ROOT, 'docker');
export const COMPOSE_FILE = join(DOCKER_DIR, 'compose.yaml');

export interface Stage {
  readonly image: string;
  readonly name: string | null;
  readonly instructions: readonly { readonly op: string; readonly args: string }[];
}

export interface Dockerfile {
  readonly stages: readonly Stage[];
  /** The last stage: what the image is. */
  readonly final: Stage;
}

/** Instructions one per entry (continuations joined, comments dropped), FROM images with ARG defaults filled in. */
export function readDockerfile(path: string): Dockerfile {
  const text = readFileSync(path, 'utf8').replace(/\\\n/g, ' ');
  const args = new Map<string, string>();
  const stages: { image: string; name: string | null; instructions: { op: string; args: string }[] }[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const [, op = '', rest = ''] = /^(\w+)\s*(.*)$/.exec(trimmed) ?? [];
    const instruction = { op: op.toUpperCase(), args: rest.trim() };
    if (instruction.op === 'ARG' && stages.length === 0) {
      const [name, value = ''] = instruction.args.split('=');
      args.set(name!, value);
    } else if (instruction.op === 'FROM') {
      const [image = '', , name = null] = instruction.args.split(/\s+/);
      stages.push({ image: image.replace(/\$\{(\w+)\}/g, (_m, a: string) => args.get(a) ?? ''), name, instructions: [] });
    } else {
      stages.at(-1)?.instructions.push(instruction);
    }
  }
  if (stages.length === 0) throw new Error(`${path}: no FROM`);
  return { stages, final: stages.at(-1)! };
}

export const instructionsOf = (stage: Stage, op: string): string[] => stage.instructions.filter((i) => i.op === op).map((i) => i.args);

/** ENV of a stage: `ENV A=1 B=2` lines (the only form our Dockerfiles use). */
export function envOf(stage: Stage): Record<string, string> {
  const env: Record<string, string> = {};
  for (const args of instructionsOf(stage, 'ENV')) {
    for (const pair of args.split(/\s+/)) {
      const eq = pair.indexOf('=');
      if (eq > 0) env[pair.slice(0, eq)] = pair.slice(eq + 1);
    }
  }
  return env;
}

/** A public image reference pinned to a version: a tag with a digit, never `latest`. */
export const isPinnedImage = (image: string): boolean => /^[a-z0-9./_-]+:[A-Za-z0-9._-]*\d[A-Za-z0-9._-]*$/.test(image) && !image.endsWith(':latest');

export interface ComposeService {
  readonly image?: string;
  readonly build?: { readonly context: string; readonly dockerfile: string };
  readonly environment?: Readonly<Record<string, string | number | null>>;
  readonly ports?: readonly (string | { readonly published: number | string; readonly target: number; readonly host_ip?: string })[];
  readonly volumes?: readonly (string | { readonly source: string; readonly target: string; readonly type: string })[];
  readonly profiles?: readonly string[];
}

export interface ComposeModel {
  readonly services: Readonly<Record<string, ComposeService>>;
}

/**
 * `docker-compose config`: Compose itself validates the file, fills in ${VARIABLES} from the
 * env file, merges anchors and resolves paths. No engine is needed. The YAML it prints is
 * read through Python's yaml module, which Debian's docker-compose depends on.
 */
export function composeConfig(envFile: string): ComposeModel {
  const yaml = execFileSync('docker-compose', ['-f', COMPOSE_FILE, '--env-file', envFile, 'config'], {
    cwd: ROOT,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    // Only the env file fills in ${VARIABLES}: nothing from the test process's environment.
    env: { PATH: process.env['PATH'] ?? '/usr/bin:/bin', HOME: process.env['HOME'] ?? '/tmp' },
  });
  return JSON.parse(yamlToJson(yaml)) as ComposeModel;
}

export function yamlToJson(yaml: string): string {
  return execFileSync('python3', ['-c', 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'], { input: yaml, encoding: 'utf8' });
}

/** Bind mounts and volumes as source and target, from 1.29's "src:dst:mode" or Compose v2's long form. */
export function mountsOf(service: ComposeService): { source: string; target: string }[] {
  return (service.volumes ?? []).map((v) => {
    if (typeof v !== 'string') return { source: v.source, target: v.target };
    const [source = '', target = ''] = v.split(':');
    return { source, target };
  });
}

/** "127.0.0.1:3000:3000/tcp" (1.29's short form) or the long form of Compose v2, as numbers. */
export function publishedPorts(service: ComposeService): { host: number; container: number; address: string | null }[] {
  return (service.ports ?? []).map((p) => {
    if (typeof p !== 'string') return { host: Number(p.published), container: p.target, address: p.host_ip ?? null };
    const parts = p.replace(/\/(tcp|udp)$/, '').split(':');
    const container = Number(parts.at(-1));
    const host = Number(parts.at(-2) ?? container);
    return { host, container, address: parts.length === 3 ? parts[0]! : null };
  });
}
