import { randomUUID } from 'node:crypto';
import { Topics, type AlertClearedV1, type AlertExplanation, type AlertListResponse, type AlertRaisedV1, type AlertResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { anAlertRaised, TestDatabase, TopicRecorder, keyOnSamePartitionAs, partitionCountOf, pollUntil, readMetric, type ApiClient } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

/** rpm.alerts.v1 (real Kafka) -> the worklist (rpm_test) -> GET /api/v1/alerts, with care-team scope. */
describe('care-api worklist', () => {
  const care = new CareApiFixture(14031);
  const producer = new BatchingProducer(care.kafka);
  const db = new TestDatabase();

  beforeAll(async () => {
    await producer.connect();
    await care.start();
  });

  afterAll(async () => {
    await care.stop();
    await producer.disconnect();
    await db.end();
  });

  const publish = (...alerts: AlertRaisedV1[]) => producer.publish(Topics.alerts, alerts.map((a) => ({ key: a.patientId, value: a })));

  const list = async (client: ApiClient, query = '') => {
    const res = await client.get<AlertListResponse>(`/api/v1/alerts${query}`);
    if (res.status !== 200) throw new Error(`GET /api/v1/alerts${query} answered ${res.status}: ${JSON.stringify(res.body)}`);
    return res.body;
  };

  /** Publishes an alert and waits until the worklist shows it (by its key, which is the new alert's id). */
  async function feed(alert: AlertRaisedV1): Promise<AlertResponse> {
    await publish(alert);
    return pollUntil(async () => (await list(care.admin, `?patientId=${alert.patientId}&limit=200`)).items.find((a) => a.id === alert.alertKey), {
      what: `alert ${alert.ruleId} in the worklist`,
    });
  }

  it('lists the most severe first, then the oldest, and pages through every alert exactly once', async () => {
    const team = `${care.runId}-paging`;
    const nurse = care.as(`${care.runId}-paging-nurse`, 'nurse', [team]);
    const [p1, p2] = [await care.createPatient({ careTeamId: team }), await care.createPatient({ careTeamId: team })];
    // Fed one by one, so that each is raised after the previous one.
    const fed = [];
    for (const [patient, ruleId, severity] of [
      [p1, 'TM-01', 'low'],
      [p2, 'HR-01', 'high'],
      [p1, 'HR-02', 'medium'],
      [p1, 'SP-01', 'high'],
      [p2, 'BP-02', 'medium'],
    ] as const) {
      fed.push(await feed(anAlertRaised({ patientId: patient.id, ruleId, severity })));
    }

    const all = (await list(nurse, '?limit=200')).items;
    expect(all.map((a) => [a.ruleId, a.severity])).toEqual([
      ['HR-01', 'high'],
      ['SP-01', 'high'],
      ['HR-02', 'medium'],
      ['BP-02', 'medium'],
      ['TM-01', 'low'],
    ]);

    const paged: string[] = [];
    let cursor: string | null = null;
    do {
      const page: AlertListResponse = await list(nurse, `?limit=2${cursor ? `&cursor=${cursor}` : ''}`);
      expect(page.items.length).toBeLessThanOrEqual(2);
      paged.push(...page.items.map((a) => a.id));
      cursor = page.nextCursor;
    } while (cursor);
    expect(paged).toEqual(all.map((a) => a.id));
    expect(new Set(paged)).toEqual(new Set(fed.map((a) => a.id)));

    // The audit trail names every patient whose alerts a page showed, not just a filter.
    const audited = await db.query<{ patient_id: string }>(
      `SELECT DISTINCT patient_id FROM audit_log WHERE actor = $1 AND action = 'GET /api/v1/alerts'`,
      [`${care.runId}-paging-nurse`],
    );
    expect(audited.map((r) => r.patient_id).sort()).toEqual([p1.id, p2.id].sort());
  });

  it('adds a new breach to the live alert, raising its severity and clearing "retrospective" once a reading arrives in time', async () => {
    const patient = await care.createPatient();
    const late = await feed(anAlertRaised({ patientId: patient.id, ruleId: 'GL-01', severity: 'medium', retrospective: true }));
    expect(late).toEqual(expect.objectContaining({ severity: 'medium', retrospective: true }));
    await publish(anAlertRaised({ patientId: patient.id, ruleId: 'GL-01', severity: 'high', retrospective: false }));
    const updated = await pollUntil(async () => {
      const items = (await list(care.admin, `?patientId=${patient.id}`)).items;
      return items.length === 1 && items[0]!.observations.length === 2 ? items[0] : undefined;
    }, { what: 'the second breach on the same alert' });
    expect(updated).toEqual(expect.objectContaining({ id: late.id, severity: 'high', retrospective: false }));
  });

  it('shows the explanation and breach count, and marks "returned to normal" once (replays change nothing) until a new breach', async () => {
    const events = await TopicRecorder.start(care.kafka, Topics.alertEvents, `${care.runId}-rtn-events`);
    try {
      const patient = await care.createPatient();
      const explanation: AlertExplanation = {
        rule: { id: 'SP-02', title: 'low SpO2', source: '[NEWS2-chart]', version: 'general v1 + patient v2' },
        thresholds: [
          { parameter: 'conditions.0', description: 'SpO2 > 89 %', value: 89, unit: '%', provenance: { source: 'patient_override', protocol: 'patient', version: 2, setBy: 'lead-1' } },
        ],
        window: { description: 'one reading', from: new Date(Date.now() - 60_000).toISOString(), to: new Date(Date.now() - 60_000).toISOString() },
      };
      const first = await feed(anAlertRaised({ patientId: patient.id, ruleId: 'SP-02', explanation, episode: { openedAt: new Date().toISOString(), breaches: 1 } }));
      expect(first).toEqual(expect.objectContaining({ explanation, breaches: 1, returnedToNormalAt: null }));
      await publish(anAlertRaised({ patientId: patient.id, ruleId: 'SP-02', explanation }));
      await pollUntil(async () => ((await list(care.admin, `?patientId=${patient.id}`)).items[0]?.breaches === 2 ? true : undefined), { what: 'the second breach counted' });

      const cleared: AlertClearedV1 = {
        schema: 'rpm.alert-cleared.v1',
        clearKey: randomUUID(),
        patientId: patient.id,
        ruleId: 'SP-02',
        reason: 'returned_to_normal',
        summary: 'Returned to normal',
        measuredAt: new Date(Date.now() - 30_000).toISOString(),
        evaluatedAt: new Date().toISOString(),
        observations: [],
      };
      await producer.publish(Topics.alerts, [cleared, cleared].map((c) => ({ key: c.patientId, value: c })));
      const returned = await pollUntil(async () => (await list(care.admin, `?patientId=${patient.id}`)).items.find((a) => a.returnedToNormalAt !== null), {
        what: 'the alert marked returned to normal',
      });
      expect(returned).toEqual(expect.objectContaining({ id: first.id, status: 'open', returnedToNormalAt: cleared.measuredAt }));
      const published = await events.waitFor((e) => e.alertId === first.id && e.type === 'returned_to_normal');
      await publish(anAlertRaised({ patientId: patient.id, ruleId: 'SP-02' }));
      const breachedAgain = await pollUntil(async () => (await list(care.admin, `?patientId=${patient.id}`)).items.find((a) => a.breaches === 3), { what: 'the third breach' });
      expect(breachedAgain.returnedToNormalAt).toBeNull();
      expect(events.values((e) => e.alertId === first.id && e.type === 'returned_to_normal')).toHaveLength(published.length);
      expect(published).toHaveLength(1);
    } finally {
      await events.stop();
    }
  });

  it('ignores a clear measured before the live alert\'s latest breach (a replayed batch of an earlier episode)', async () => {
    const patient = await care.createPatient();
    const breachAt = new Date(Date.now() - 60_000).toISOString();
    const alert = await feed(anAlertRaised({ patientId: patient.id, ruleId: 'TM-01', measuredAt: breachAt, observations: [{ observationId: `int-device/${randomUUID()}/body_temperature`, code: '8310-5', value: 38.6, unit: 'Cel', measuredAt: breachAt }] }));
    const stale: AlertClearedV1 = {
      schema: 'rpm.alert-cleared.v1',
      clearKey: randomUUID(),
      patientId: patient.id,
      ruleId: 'TM-01',
      reason: 'returned_to_normal',
      summary: 'Returned to normal',
      measuredAt: new Date(Date.parse(breachAt) - 3_600_000).toISOString(),
      evaluatedAt: new Date().toISOString(),
      observations: [],
    };
    // A barrier behind it on the same partition: once it shows, the stale clear has been applied (or not).
    await producer.publish(Topics.alerts, [{ key: patient.id, value: stale }]);
    await feed(anAlertRaised({ patientId: patient.id, ruleId: 'HR-02' }));
    expect((await list(care.admin, `?patientId=${patient.id}`)).items.find((a) => a.id === alert.id)?.returnedToNormalAt).toBeNull();
  });

  it('keeps a resolved episode quiet unless it gets worse (CLINICAL.md 4.2), and raises a new episode at once', async () => {
    const patient = await care.createPatient();
    const openedAt = new Date(Date.now() - 3_600_000).toISOString();
    const breach = (value: number, breaches: number, severity: 'medium' | 'high' = 'medium', episodeAt = openedAt) =>
      anAlertRaised({
        patientId: patient.id,
        ruleId: 'HR-02',
        severity,
        episode: { openedAt: episodeAt, breaches },
        observations: [{ observationId: `int-device/${randomUUID()}/heart_rate`, code: '8867-4', value, unit: '/min', measuredAt: new Date().toISOString() }],
      });
    const first = await feed(breach(115, 1));
    expect((await care.admin.post(`/api/v1/alerts/${first.id}/resolve`, { disposition: 'contacted_patient' })).status).toBe(200);

    const quiet = breach(118, 2); // same episode, same severity, 3 /min worse: less than twice the 5 /min deadband
    const worse = breach(126, 3); // 11 /min beyond the resolved alert's worst: back in the worklist
    await publish(quiet, worse);
    const items = await pollUntil(async () => {
      const all = (await list(care.admin, `?patientId=${patient.id}&limit=200`)).items;
      return all.length === 2 ? all : undefined;
    }, { what: 'the worse breach back in the worklist' });
    expect(items.map((a) => a.id).sort()).toEqual([first.id, worse.alertKey].sort());
    expect(items.find((a) => a.id === worse.alertKey)).toMatchObject({ status: 'open', breaches: 1 });

    // A higher severity comes back too; a new episode is a new alert whatever the history.
    expect((await care.admin.post(`/api/v1/alerts/${worse.alertKey}/resolve`, { disposition: 'contacted_patient' })).status).toBe(200);
    const escalated = breach(116, 4, 'high');
    await feed(escalated);
    expect((await care.admin.post(`/api/v1/alerts/${escalated.alertKey}/resolve`, { disposition: 'contacted_patient' })).status).toBe(200);
    await feed(breach(117, 1, 'medium', new Date().toISOString()));
    expect(await readMetric(`http://127.0.0.1:${care.port}`, 'rpm_worklist_breaches_suppressed_total', { rule: 'HR-02' })).toBeGreaterThanOrEqual(1);
  });

  it('keeps adherence items (missing data, data quality) in a queue of their own, apart from clinical alerts', async () => {
    const patient = await care.createPatient();
    const clinical = await feed(anAlertRaised({ patientId: patient.id, ruleId: 'HR-02' }));
    const silence = await feed(anAlertRaised({ patientId: patient.id, ruleId: 'AD-01', severity: 'low' }));
    expect([clinical.queue, silence.queue]).toEqual(['clinical', 'adherence']);
    expect((await list(care.admin, `?patientId=${patient.id}&queue=clinical`)).items.map((a) => a.ruleId)).toEqual(['HR-02']);
    expect((await list(care.admin, `?patientId=${patient.id}&queue=adherence`)).items.map((a) => a.ruleId)).toEqual(['AD-01']);
    expect((await care.admin.get(`/api/v1/alerts?queue=billing`)).status).toBe(400);
  });

  it('publishes each alert change to rpm.alert-events.v1 through the outbox, and empties it', async () => {
    const events = await TopicRecorder.start(care.kafka, Topics.alertEvents, `${care.runId}-alert-events`);
    try {
      const patient = await care.createPatient();
      const alert = await feed(anAlertRaised({ patientId: patient.id, ruleId: 'TM-01', severity: 'medium' }));
      expect((await care.admin.post(`/api/v1/alerts/${alert.id}/acknowledge`)).status).toBe(200);
      expect((await care.admin.post(`/api/v1/alerts/${alert.id}/resolve`, { disposition: 'no_action_needed' })).status).toBe(200);
      const published = await events.waitFor((e) => e.alertId === alert.id, { count: 3, what: 'raised, acknowledged, resolved' });
      expect(published.map((e) => [e.type, e.status])).toEqual([
        ['raised', 'open'],
        ['acknowledged', 'acknowledged'],
        ['resolved', 'resolved'],
      ]);
      expect(published[2]).toEqual(expect.objectContaining({ disposition: 'no_action_needed', actor: expect.stringContaining('admin') }));
      const left = await db.query<{ n: number }>(`SELECT count(*)::int AS n FROM alert_event_outbox WHERE event->>'alertId' = $1`, [alert.id]);
      expect(left[0]?.n).toBe(0);
    } finally {
      await events.stop();
    }
  });

  it('answers 400, not 500, to a cursor it did not issue', async () => {
    for (const forged of [[2, '2026-01-01T00:00:00Z', 'not-a-uuid'], [2, 'yesterday', randomUUID()], 'garbage']) {
      const cursor = Buffer.from(JSON.stringify(forged)).toString('base64url');
      const res = await care.admin.get(`/api/v1/alerts?cursor=${cursor}`);
      expect(res.status).toBe(400);
    }
  });

  it('keeps one alert when the same AlertRaisedV1 arrives twice', async () => {
    const patient = await care.createPatient();
    const alert = anAlertRaised({ patientId: patient.id, ruleId: 'HR-02' });
    const later = anAlertRaised({ patientId: patient.id, ruleId: 'SP-02' });

    await publish(alert, alert);
    await feed(later); // same key, same partition: applied after both copies

    const items = (await list(care.nurse, `?patientId=${patient.id}`)).items;
    expect(items.map((a) => a.ruleId).sort()).toEqual(['HR-02', 'SP-02']);
    expect(items.find((a) => a.ruleId === 'HR-02')?.observations).toHaveLength(1);
  });

  it('hides a patient and its alerts from a nurse of another care team', async () => {
    const patient = await care.createPatient();
    const alert = await feed(anAlertRaised({ patientId: patient.id }));

    expect((await list(care.nurse, `?patientId=${patient.id}`)).items.map((a) => a.id)).toEqual([alert.id]);
    expect((await list(care.otherNurse, `?patientId=${patient.id}`)).items).toEqual([]);
    expect((await list(care.otherNurse, '?limit=200')).items.map((a) => a.patientId)).not.toContain(patient.id);
    expect((await care.otherNurse.get(`/api/v1/patients/${patient.id}`)).status).toBe(404);
    expect((await care.otherNurse.post(`/api/v1/alerts/${alert.id}/acknowledge`)).status).toBe(404);
  });

  it('skips an alert for an unknown patient without blocking the alerts after it', async () => {
    const patient = await care.createPatient();
    const partitions = await partitionCountOf(care.kafka, Topics.alerts.name);
    const stranger = keyOnSamePartitionAs(patient.id, partitions, randomUUID);
    const metricsUrl = `http://127.0.0.1:${care.port}`;
    const skippedBefore = await readMetric(metricsUrl, 'rpm_worklist_alerts_unknown_patient_total');

    await publish(anAlertRaised({ patientId: stranger }));
    await feed(anAlertRaised({ patientId: patient.id }));

    // At least: a demo on the same cluster feeds alerts of patients this database does not know, too.
    await pollUntil(async () => ((await readMetric(metricsUrl, 'rpm_worklist_alerts_unknown_patient_total')) > skippedBefore ? true : undefined), {
      timeoutMs: 5_000,
      what: 'the skipped alert to be counted',
    });
    expect((await list(care.admin, `?patientId=${stranger}`)).items).toEqual([]);
  });
});
