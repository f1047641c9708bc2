/**
 * Prints a development bearer token signed with the local secret (.rpm/local.env).
 * Usage: npm run token -- --role admin|clinical_lead|nurse [--sub alice] [--care-team default]
 */
import { Role } from '@rpm/contracts';
import { loadConfig, signDevToken } from '@rpm/service-kit';
import { z } from 'zod';

function flag(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}

const { JWT_SECRET } = loadConfig(z.object({ JWT_SECRET: z.string().min(32, 'run npm run infra:up first: it generates the secret') }));
const role = Role.safeParse(flag('role') ?? 'admin');
if (!role.success) {
  console.error(`--role must be one of ${Role.options.join(', ')}`);
  process.exit(2);
}
const careTeams = flag('care-team') ? [flag('care-team') as string] : role.data === 'nurse' ? ['default'] : undefined;
console.log(signDevToken({ sub: flag('sub') ?? `dev-${role.data}`, role: role.data, ...(careTeams ? { careTeams } : {}) }, JWT_SECRET));
