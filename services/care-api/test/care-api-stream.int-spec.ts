import { Topics, type AlertEventV1, type AlertRaisedV1, type AlertResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { randomUUID } from 'node:crypto';
import { Client } from 'pg';
import { anAlertRaised, pollUntil, readMetric, TEST_DATABASE_URL } from '@rpm/testing';
import { signDevToken } from '@rpm/service-kit';
import { CareApiFixture } from './care-api.fixture';

interface SseEvent {
  id: string;
  event: string;
  data: AlertEventV1;
}

/** A screen following GET /api/v1/alerts/stream: the events it got so far. */
class Screen {
  readonly events: SseEvent[] = [];
  private buffer = '';

  private constructor(
    readonly status: number,
    private readonly abort: AbortController,
  ) {}

  static async open(url: string, token: string, lastEventId?: string): Promise<Screen> {
    const abort = new AbortController();
    const response = await fetch(url, { headers: { authorization: `Bearer ${token}`, ...(lastEventId ? { 'last-event-id': lastEventId } : {}) }, signal: abort.signal });
    const screen = new Screen(response.status, abort);
    if (response.ok && response.body) void screen.read(response.body.getReader());
    return screen;
  }

  private async read(reader: ReadableStreamDefaultReader<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) return;
        this.buffer += decoder.decode(value, { stream: true });
        let end: number;
        while ((end = this.buffer.indexOf('\n\n')) >= 0) {
          const block = this.buffer.slice(0, end);
          this.buffer = this.buffer.slice(end + 2);
          const fields = Object.fromEntries(block.split('\n').filter((l) => !l.startsWith(':')).map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
          if (fields['id']) this.events.push({ id: fields['id'], event: fields['event'] ?? '', data: JSON.parse(fields['data'] ?? '{}') as AlertEventV1 });
        }
      }
    } catch {
      /* closed */
    }
  }

  waitFor(match: (e: SseEvent) => boolean, what: string): Promise<SseEvent> {
    return pollUntil(async () => this.events.find(match), { intervalMs: 20, timeoutMs: 10_000, what });
  }

  close(): void {
    this.abort.abort();
  }
}

/** Server-sent events of the worklist: in real time, scoped by care team, resumable from Last-Event-ID. */
describe('care-api alert stream', () => {
  const care = new CareApiFixture(14041);
  const producer = new BatchingProducer(care.kafka);
  const url = `http://127.0.0.1:14041/api/v1/alerts/stream`;
  const nurseToken = () => signDevToken({ sub: `${care.runId}-nurse`, role: 'nurse', careTeams: [care.careTeam] }, care.local.JWT_SECRET);

  beforeAll(async () => {
    await producer.connect();
    await care.start();
  });

  afterAll(async () => {
    await care.stop();
    await producer.disconnect();
  });

  const publish = (alert: AlertRaisedV1) => producer.publish(Topics.alerts, [{ key: alert.patientId, value: alert }]);

  it('pushes the changes of the nurse\'s patients as they happen, not other teams\', and resumes after a reconnect', async () => {
    const mine = await care.createPatient();
    const theirs = await care.createPatient({ careTeamId: `${care.runId}-other-team` });
    const screen = await Screen.open(url, nurseToken());
    expect(screen.status).toBe(200);

    const sentAt = Date.now();
    const other = anAlertRaised({ patientId: theirs.id, ruleId: 'HR-02' });
    const alert = anAlertRaised({ patientId: mine.id, ruleId: 'TM-01' });
    await publish(other);
    await publish(alert);
    const raised = await screen.waitFor((e) => e.data.alertId === alert.alertKey && e.data.type === 'raised', 'the raised event');
    console.log(`stream: alert published to Kafka -> event on the screen in ${Date.now() - sentAt} ms`);
    expect(raised).toMatchObject({ event: 'alert', data: { patientId: mine.id, status: 'open' } });
    expect(screen.events.some((e) => e.data.patientId === theirs.id)).toBe(false);

    // The screen goes away; the alert is acknowledged meanwhile; it comes back with the last id it saw.
    screen.close();
    expect((await care.nurse.post<AlertResponse>(`/api/v1/alerts/${alert.alertKey}/acknowledge`)).status).toBe(200);
    const back = await Screen.open(url, nurseToken(), raised.id);
    const missed = await back.waitFor((e) => e.data.alertId === alert.alertKey && e.data.type === 'acknowledged', 'the missed acknowledgement');
    expect(back.events.indexOf(missed)).toBe(0);
    expect(await readMetric('http://127.0.0.1:14041', 'rpm_worklist_connected_screens')).toBeGreaterThanOrEqual(1);
    back.close();
  });

  it('delivers an event committed late by an older transaction after the others, never skipping it', async () => {
    const mine = await care.createPatient();
    const screen = await Screen.open(url, nurseToken());
    // An older transaction writes an event and stays open (a slow worklist transaction).
    const slow = new Client({ connectionString: TEST_DATABASE_URL });
    await slow.connect();
    try {
      await slow.query('BEGIN');
      const early: AlertEventV1 = { schema: 'rpm.alert-event.v1', eventId: randomUUID(), alertId: randomUUID(), patientId: mine.id, type: 'raised', status: 'open', at: new Date().toISOString(), actor: 'rules-engine', disposition: null };
      await slow.query(`INSERT INTO alert_stream (patient_id, care_team_id, event) VALUES ($1, $2, $3)`, [mine.id, care.careTeam, JSON.stringify(early)]);
      // A later transaction commits first: its event is not held back by the open one.
      const later = anAlertRaised({ patientId: mine.id, ruleId: 'RR-02' });
      await publish(later);
      await screen.waitFor((e) => e.data.alertId === later.alertKey, 'the later event, while the older transaction is still open');
      await slow.query('COMMIT');
      const delivered = await screen.waitFor((e) => e.data.alertId === early.alertId, 'the older event once committed');
      expect(screen.events.filter((e) => e.data.patientId === mine.id).map((e) => e.data.alertId)).toEqual([later.alertKey, early.alertId]);
      const laterId = screen.events.find((e) => e.data.alertId === later.alertKey)?.id ?? '0';
      expect(BigInt(delivered.id) > BigInt(laterId)).toBe(true);
    } finally {
      await slow.end();
      screen.close();
    }
  });

  it('is not held back by a long transaction elsewhere in the cluster (a report in another database)', async () => {
    const mine = await care.createPatient();
    const screen = await Screen.open(url, nurseToken());
    const report = new Client({ connectionString: TEST_DATABASE_URL.replace(/\/rpm_test$/, '/postgres') });
    await report.connect();
    try {
      await report.query('BEGIN');
      await report.query('SELECT pg_current_xact_id()'); // holds a transaction id, as a long write would
      const alert = anAlertRaised({ patientId: mine.id, ruleId: 'TM-01' });
      await publish(alert);
      await screen.waitFor((e) => e.data.alertId === alert.alertKey, 'the event while the other transaction is open');
    } finally {
      await report.query('ROLLBACK');
      await report.end();
      screen.close();
    }
  });

  it('refuses a malformed Last-Event-ID and anonymous screens', async () => {
    expect((await Screen.open(url, nurseToken(), 'yesterday')).status).toBe(400);
    expect((await fetch(url)).status).toBe(401);
  });
});
