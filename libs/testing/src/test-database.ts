import { Pool } from 'pg';
import { TEST_DATABASE_URL } from './local-env';

/** Direct SQL on the test database, for asserting what a service stored. */
export class TestDatabase {
  private readonly pool = new Pool({ connectionString: TEST_DATABASE_URL, max: 2 });

  async query<T>(sql: string, params: unknown[] = []): Promise<T[]> {
    return (await this.pool.query(sql, params)).rows as T[];
  }

  end(): Promise<void> {
    return this.pool.end();
  }
}
