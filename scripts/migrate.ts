/**
 * Runs every service's TypeORM migrations (synchronize is off everywhere).
 * Usage: npm run db:migrate [-- --database-url postgres://...]
 */
import { createCareApiDataSource } from '../services/care-api/src/database/data-source';
import { createVitalsStoreDataSource } from '../services/vitals-store/src/database/data-source';
import { serviceEnvironment } from '@rpm/service-kit';

async function main(): Promise<void> {
  const flag = process.argv.indexOf('--database-url');
  const url = (flag >= 0 ? process.argv[flag + 1] : undefined) ?? serviceEnvironment()['DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/rpm';
  for (const [service, create] of [
    ['vitals-store', createVitalsStoreDataSource],
    ['care-api', createCareApiDataSource],
  ] as const) {
    const ds = create(url);
    await ds.initialize();
    try {
      const applied = await ds.runMigrations({ transaction: 'each' });
      console.log(`${service}: ${applied.length ? applied.map((m) => m.name).join(', ') : 'up to date'}`);
    } finally {
      await ds.destroy();
    }
  }
}

main().catch((error: unknown) => {
  console.error(`migration failed: ${error instanceof Error ? error.message : String(error)}`);
  process.exit(1);
});
