import { FaultSuite, type SuiteReport } from './faults/fault-suite';
import { formatTable } from './faults/fault-table';
import { E2E_SLOT } from './faults/private-stack';

/**
 * The short version of `npm run test:faults` (issue 8, section 2), on a private Kafka,
 * Mosquitto and PostgreSQL of its own (.data/faults-e2e; the shared stack is never touched):
 * under steady load, the gateway is killed (-9), Kafka is killed (-9) and restarted, and
 * PostgreSQL is restarted with -m immediate (a crash), and Mosquitto is restarted (SIGTERM: the
 * gateway must subscribe again on its resumed sessions, which Mosquitto 2.0.11 restores without
 * their shared subscription). Against the devices' own log of
 * PUBACKed messages: every one stored exactly once, every alert that fell due during an
 * outage delivered once after it, and the consumers back at lag 0.
 */
describe('fault injection (short)', () => {
  const suite = new FaultSuite({
    slot: E2E_SLOT,
    faults: ['ingest-gateway kill -9', 'kafka kill -9 + restart', 'postgres restart -m immediate', 'mosquitto restart (SIGTERM)'],
    devices: 6,
    ratePerSecond: 30,
    downMs: 4_000,
    settleMs: 3_000,
    log: (line) => process.stdout.write(`faults: ${line}\n`),
  });
  let report: SuiteReport;

  beforeAll(async () => {
    await suite.setUp();
    report = await suite.run();
    process.stdout.write(`${formatTable(report.results)}\n`);
  }, 420_000);
  afterAll(() => suite.tearDown(), 120_000);

  it('loses no acknowledged message and stores none twice', () => {
    for (const r of report.results) {
      expect({ fault: r.fault, lost: r.lost, duplicated: r.duplicated }).toEqual({ fault: r.fault, lost: 0, duplicated: 0 });
      expect(r.acknowledged).toBeGreaterThan(0);
      expect(r.stored).toBe(r.acknowledged);
    }
    expect(report.total.lost).toBe(0);
    expect(report.total.duplicated).toBe(0);
  });

  it('delivers every alert that fell due during an outage after it, once', () => {
    for (const r of report.results) {
      expect({ fault: r.fault, due: r.alertsDue, delivered: r.alertsDelivered, duplicated: r.alertsDuplicated }).toEqual({
        fault: r.fault,
        due: 2,
        delivered: 2,
        duplicated: 0,
      });
    }
  });

  it('drains the backlog: every consumer back at lag 0, every fault recovered', () => {
    expect(Object.values(report.finalLag)).toEqual([0, 0, 0]);
    for (const r of report.results) {
      expect(r.storeRecoverySeconds).not.toBeNull();
      expect(r.drainedSeconds).not.toBeNull();
    }
  });
});
