import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Issue 7, sections 2 and 5: what the gateway last heard from each device (last seen, clock offset,
 * battery, signal, firmware; rpm.devices.status.v1), and device credentials that can be rotated
 * and revoked.
 */
export class DeviceStatus1764401200000 implements MigrationInterface {
  name = 'DeviceStatus1764401200000';

  async up(q: QueryRunner): Promise<void> {
    await q.query(`
      CREATE TABLE device_status (
        device_id text PRIMARY KEY,
        last_seen_at timestamptz NOT NULL,
        clock_offset_ms bigint NOT NULL,
        battery_percent double precision,
        signal_dbm double precision,
        firmware text,
        -- Status records in a row whose clock was far off: "repeatedly", not once.
        drift_streak int NOT NULL DEFAULT 0,
        updated_at timestamptz NOT NULL DEFAULT now())`);
    await q.query(`ALTER TABLE devices ADD COLUMN revoked_at timestamptz, ADD COLUMN revoked_by text, ADD COLUMN password_rotated_at timestamptz`);
  }

  async down(q: QueryRunner): Promise<void> {
    await q.query(`ALTER TABLE devices DROP COLUMN revoked_at, DROP COLUMN revoked_by, DROP COLUMN password_rotated_at`);
    await q.query(`DROP TABLE device_status`);
  }
}
