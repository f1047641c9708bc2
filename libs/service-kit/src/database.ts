import type { ReadinessCheck } from './health';

/** Anything that can run SQL: a TypeORM DataSource or EntityManager. */
export interface SqlRunner {
  query(sql: string, parameters?: unknown[]): Promise<unknown>;
}

export function databaseReadiness(db: SqlRunner): ReadinessCheck {
  return {
    name: 'postgres',
    check: async () => {
      try {
        await db.query('SELECT 1');
        return true;
      } catch {
        return false;
      }
    },
  };
}
