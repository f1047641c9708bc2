import { Topics, type AlertBurdenResponse, type AlertRaisedV1, type AlertResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { anAlertRaised, pollUntil, TestDatabase } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

/** The alert-burden report, on worklist rows whose times are set by hand so the figures can be worked out. */
describe('care-api alert-burden report', () => {
  const care = new CareApiFixture(14035);
  const producer = new BatchingProducer(care.kafka);
  const db = new TestDatabase();
  const lead = care.as(`${care.runId}-lead`, 'clinical_lead');
  const team = `${care.runId}-burden`;

  beforeAll(async () => {
    await producer.connect();
    await care.start();
  });

  afterAll(async () => {
    await care.stop();
    await producer.disconnect();
    await db.end();
  });

  async function feed(alert: AlertRaisedV1): Promise<AlertResponse> {
    await producer.publish(Topics.alerts, [{ key: alert.patientId, value: alert }]);
    return pollUntil(async () => (await care.admin.get<{ items: AlertResponse[] }>(`/api/v1/alerts?patientId=${alert.patientId}&limit=200`)).body.items.find((a) => a.id === alert.alertKey), {
      what: `${alert.ruleId} in the worklist`,
    });
  }

  it('reports alerts per patient-day, acknowledgement within target, median time to acknowledge and dispositions, per rule and programme', async () => {
    const hf = await care.createPatient({ careTeamId: team, programs: ['heart_failure'] });
    const general = await care.createPatient({ careTeamId: team, programs: [] });
    // Both enrolled ten days ago.
    await db.query(`UPDATE patients SET created_at = now() - interval '10 days' WHERE id = ANY($1::uuid[])`, [[hf.id, general.id]]);
    const a1 = await feed(anAlertRaised({ patientId: hf.id, ruleId: 'HR-02', severity: 'medium' }));
    const a2 = await feed(anAlertRaised({ patientId: hf.id, ruleId: 'SP-01', severity: 'high', kind: 'alert' }));
    await feed(anAlertRaised({ patientId: general.id, ruleId: 'HR-02', severity: 'medium' }));
    for (const [alert, disposition] of [[a1, 'no_action_needed'], [a2, 'contacted_patient']] as const) {
      expect((await care.admin.post(`/api/v1/alerts/${alert.id}/acknowledge`)).status).toBe(200);
      expect((await care.admin.post(`/api/v1/alerts/${alert.id}/resolve`, { disposition })).status).toBe(200);
    }
    // Medium acknowledged after 60 min (target 4 h: in time); high after 45 min (target 30 min: late).
    await db.query(`UPDATE alerts SET acknowledged_at = raised_at + interval '60 minutes' WHERE id = $1`, [a1.id]);
    await db.query(`UPDATE alerts SET acknowledged_at = raised_at + interval '45 minutes' WHERE id = $1`, [a2.id]);

    const to = new Date(Date.now() + 60_000).toISOString();
    const from = new Date(Date.now() - 30 * 86_400_000).toISOString();
    const res = await lead.get<AlertBurdenResponse>(`/api/v1/reports/alert-burden?careTeamId=${team}&from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}`);
    expect(res.status).toBe(200);
    const rows = res.body.rows.map((r) => ({ ...r, patientDays: Math.round(r.patientDays * 100) / 100, alertsPerPatientDay: Math.round(r.alertsPerPatientDay * 1000) / 1000 }));
    const none = { contacted_patient: 0, advised_ed_or_911: 0, medication_adjusted_per_protocol: 0, measurement_or_device_error: 0, no_action_needed: 0 };
    expect(rows).toEqual([
      { programme: 'general', ruleId: 'HR-02', alerts: 1, patientDays: 10, alertsPerPatientDay: 0.1, acknowledged: 0, acknowledgedWithinTargetShare: 0, medianMinutesToAcknowledge: null, resolved: 0, dispositions: none, measurementErrorOrNoActionShare: null },
      { programme: 'heart_failure', ruleId: 'HR-02', alerts: 1, patientDays: 10, alertsPerPatientDay: 0.1, acknowledged: 1, acknowledgedWithinTargetShare: 1, medianMinutesToAcknowledge: 60, resolved: 1, dispositions: { ...none, no_action_needed: 1 }, measurementErrorOrNoActionShare: 1 },
      { programme: 'heart_failure', ruleId: 'SP-01', alerts: 1, patientDays: 10, alertsPerPatientDay: 0.1, acknowledged: 1, acknowledgedWithinTargetShare: 0, medianMinutesToAcknowledge: 45, resolved: 1, dispositions: { ...none, contacted_patient: 1 }, measurementErrorOrNoActionShare: 0 },
    ]);

    const generalOnly = await lead.get<AlertBurdenResponse>(`/api/v1/reports/alert-burden?careTeamId=${team}&programme=general`);
    expect(generalOnly.body.rows.map((r) => [r.programme, r.ruleId])).toEqual([['general', 'HR-02']]);
  });

  it('is for clinical leads and admins only, and refuses a bad period with a reason', async () => {
    expect((await care.nurse.get('/api/v1/reports/alert-burden')).status).toBe(403);
    const bad = await lead.get<{ issues: { field: string }[] }>('/api/v1/reports/alert-burden?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z');
    expect(bad.status).toBe(400);
    expect(bad.body.issues.map((i) => i.field)).toEqual(['from']);
    expect((await lead.get('/api/v1/reports/alert-burden?programme=cardiology')).status).toBe(400);
  });
});
