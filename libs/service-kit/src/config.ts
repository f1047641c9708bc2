import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { z } from 'zod';

/** The repository root: the nearest folder upwards holding nx.json. */
export function workspaceRoot(from = __dirname): string {
  let dir = resolve(from);
  while (!existsSync(join(dir, 'nx.json'))) {
    const parent = dirname(dir);
    if (parent === dir) return process.cwd();
    dir = parent;
  }
  return dir;
}

/** KEY=VALUE lines; blank lines and # comments ignored. */
export function parseEnvFile(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed || trimmed.startsWith('#')) continue;
    const eq = trimmed.indexOf('=');
    if (eq <= 0) continue;
    out[trimmed.slice(0, eq).trim()] = trimmed.slice(eq + 1).trim().replace(/^(['"])(.*)\1$/, '$2');
  }
  return out;
}

/**
 * The environment a service sees: the generated local secrets (.rpm/local.env, written
 * by infra/up.sh, never committed) overlaid by the real environment.
 */
export function serviceEnvironment(env: NodeJS.ProcessEnv = process.env): Record<string, string | undefined> {
  const file = env['RPM_ENV_FILE'] ?? join(workspaceRoot(), '.rpm', 'local.env');
  const local = existsSync(file) ? parseEnvFile(readFileSync(file, 'utf8')) : {};
  return { ...local, ...env };
}

/** Parses configuration once at boot; errors name the variables, never their values. */
export function loadConfig<S extends z.ZodTypeAny>(schema: S, env = serviceEnvironment()): Readonly<z.infer<S>> {
  const parsed = schema.safeParse(env);
  if (!parsed.success) {
    throw new Error(
      'Invalid environment:\n' + parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`).join('\n'),
    );
  }
  return Object.freeze(parsed.data);
}

/** The HTTP listen address of every service (loopback by default; 0.0.0.0 in containers). */
export const HttpEnv = {
  HTTP_HOST: z.string().default('127.0.0.1'),
};
