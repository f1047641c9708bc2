import { randomUUID } from 'node:crypto';
import { Topics, type AlertEventV1, type AlertListResponse, type AlertRaisedV1, type AlertResponse, type CareTeamResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { anAlertRaised, pollUntil, readMetric, TestDatabase, TopicRecorder, type ApiClient } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

/**
 * The nurses' actions on an alert and what happens by itself (issue 4, section 1): assign, notes,
 * snooze (expiry, break-through, refused for high severity), escalation past the target, resolve
 * with a configured disposition. Real care-api, Kafka and PostgreSQL; high alerts are due in 2 s here.
 */
describe('care-api alert lifecycle', () => {
  const care = new CareApiFixture(14042, { CARE_API_ACKNOWLEDGE_TARGETS: 'high=2s,medium=4h,low=next-business-day', CARE_API_WORKLIST_TIMER_MS: '250' });
  const producer = new BatchingProducer(care.kafka);
  const db = new TestDatabase();
  let events: TopicRecorder<typeof Topics.alertEvents.schema>;

  beforeAll(async () => {
    await producer.connect();
    await care.start();
    events = await TopicRecorder.start(care.kafka, Topics.alertEvents, `${care.runId}-lifecycle-events`);
    // The run's care team, with an escalation contact, and the run's nurse as a member here.
    expect((await care.admin.put(`/api/v1/care-teams/${care.careTeam}`, { name: 'Lifecycle team', escalationContact: 'pager:cardio-on-call' })).status).toBe(200);
    expect((await care.admin.put(`/api/v1/care-teams/${care.careTeam}/members/${care.runId}-colleague`)).status).toBe(200);
  });

  afterAll(async () => {
    await events.stop();
    await care.stop();
    await producer.disconnect();
    await db.query(`DELETE FROM care_team_members WHERE team_id LIKE $1`, [`${care.runId}%`]);
    await db.query(`DELETE FROM care_teams WHERE id LIKE $1`, [`${care.runId}%`]);
    await db.query(`DELETE FROM dispositions WHERE code LIKE 'int_%'`);
    await db.end();
  });

  const get = async (client: ApiClient, id: string) => (await client.get<AlertResponse>(`/api/v1/alerts/${id}`)).body;
  const queue = async (client: ApiClient, query: string) => {
    const res = await client.get<AlertListResponse>(`/api/v1/alerts${query}`);
    if (res.status !== 200) throw new Error(`GET /api/v1/alerts${query}: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body.items.map((a) => a.id);
  };
  const eventsOf = (alertId: string): AlertEventV1[] => events.values((e) => e.alertId === alertId);

  /** Publishes an alert and waits until the worklist has applied it (its evidence is stored). */
  async function feed(alert: AlertRaisedV1): Promise<void> {
    await producer.publish(Topics.alerts, [{ key: alert.patientId, value: alert }]);
    await pollUntil(async () => ((await db.query(`SELECT 1 FROM alert_evidence WHERE alert_key = $1`, [alert.alertKey])).length > 0 ? true : undefined), {
      what: `alert ${alert.alertKey} applied`,
    });
  }

  /** A further breach of the same episode of HR-02 at this heart rate. */
  const heartRate = (patientId: string, value: number, episodeOpenedAt: string, breaches: number): AlertRaisedV1 => {
    const measuredAt = new Date().toISOString();
    return anAlertRaised({
      patientId,
      ruleId: 'HR-02',
      measuredAt,
      observations: [{ observationId: `int/${randomUUID()}`, code: '8867-4', value, unit: '/min', measuredAt }],
      episode: { openedAt: episodeOpenedAt, breaches },
    });
  };

  it('assigns to the caller or a member of the team, refuses others, and unassigns', async () => {
    const patient = await care.createPatient();
    const raised = anAlertRaised({ patientId: patient.id });
    await feed(raised);

    const mine = await care.nurse.post<AlertResponse>(`/api/v1/alerts/${raised.alertKey}/assign`, { assignee: 'me' });
    expect(mine.status).toBe(200);
    expect(mine.body).toEqual(expect.objectContaining({ assignedTo: `${care.runId}-nurse`, assignedAt: expect.any(String) }));
    expect(await queue(care.nurse, `?assignee=me&patientId=${patient.id}`)).toEqual([raised.alertKey]);
    expect(await queue(care.nurse, `?assignee=none&patientId=${patient.id}`)).toEqual([]);
    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/assign`, { assignee: 'me' })).status).toBe(409);

    const stranger = await care.nurse.post<{ issues: { field: string }[] }>(`/api/v1/alerts/${raised.alertKey}/assign`, { assignee: 'someone-else' });
    expect(stranger.status).toBe(400);
    expect(stranger.body.issues[0]?.field).toBe('assignee');
    const colleague = await care.nurse.post<AlertResponse>(`/api/v1/alerts/${raised.alertKey}/assign`, { assignee: `${care.runId}-colleague` });
    expect(colleague.body.assignedTo).toBe(`${care.runId}-colleague`);

    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/unassign`)).body).toEqual(expect.objectContaining({ assignedTo: null }));
    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/unassign`)).status).toBe(409);
    // Another team's nurse: the alert does not exist for her.
    expect((await care.otherNurse.post(`/api/v1/alerts/${raised.alertKey}/assign`, { assignee: 'me' })).status).toBe(404);

    const published = await events.waitFor((e) => e.alertId === raised.alertKey && e.type !== 'raised', { count: 3, what: 'assignment events' });
    expect(published.map((e) => [e.type, e.assignee ?? null, e.actor])).toEqual([
      ['assigned', `${care.runId}-nurse`, `${care.runId}-nurse`],
      ['assigned', `${care.runId}-colleague`, `${care.runId}-nurse`],
      ['unassigned', null, `${care.runId}-nurse`],
    ]);
  });

  it('keeps notes with their author, in every status, and refuses an empty one', async () => {
    const patient = await care.createPatient();
    const raised = anAlertRaised({ patientId: patient.id });
    await feed(raised);
    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/notes`, { body: 'Called, no answer; will retry at 3 pm.' })).status).toBe(201);
    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/resolve`, { disposition: 'contacted_patient' })).status).toBe(200);
    expect((await care.admin.post(`/api/v1/alerts/${raised.alertKey}/notes`, { body: 'Reviewed.' })).status).toBe(201);
    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/notes`, { body: '   ' })).status).toBe(400);
    const alert = await get(care.nurse, raised.alertKey);
    expect(alert.notes.map((n) => [n.author, n.body])).toEqual([
      [`${care.runId}-nurse`, 'Called, no answer; will retry at 3 pm.'],
      [`${care.runId}-admin`, 'Reviewed.'],
    ]);
  });

  it('validates every transition: 409 when it does not apply', async () => {
    const patient = await care.createPatient();
    const raised = anAlertRaised({ patientId: patient.id });
    await feed(raised);
    const at = (path: string, body?: unknown) => care.nurse.post(`/api/v1/alerts/${raised.alertKey}/${path}`, body);
    expect((await at('acknowledge')).status).toBe(200);
    expect((await at('acknowledge')).status).toBe(409);
    expect((await at('resolve', { disposition: 'no_action_needed' })).status).toBe(200);
    for (const [path, body] of [['resolve', { disposition: 'no_action_needed' }], ['acknowledge'], ['assign', { assignee: 'me' }], ['snooze', { minutes: 30 }]] as const) {
      expect([path, (await at(path, body)).status]).toEqual([path, 409]);
    }
    expect((await care.nurse.delete(`/api/v1/alerts/${raised.alertKey}/snooze`)).status).toBe(409);
  });

  it('snoozes (patient, rule): out of the queue, further breaches stay out, a worse value breaks through', async () => {
    const patient = await care.createPatient();
    const opened = new Date().toISOString();
    const first = heartRate(patient.id, 118, opened, 1);
    await feed(first);
    const snoozed = await care.nurse.post<AlertResponse>(`/api/v1/alerts/${first.alertKey}/snooze`, { minutes: 60, reason: 'known AF, rate control adjusted' });
    expect(snoozed.status).toBe(200);
    expect(Date.parse(snoozed.body.snoozedUntil ?? '') - Date.now()).toBeGreaterThan(59 * 60_000);
    expect(await queue(care.nurse, `?patientId=${patient.id}`)).toEqual([]);
    expect(await queue(care.nurse, `?patientId=${patient.id}&includeSnoozed=true`)).toEqual([first.alertKey]);

    // 120 /min is no worse than 118 by twice the deadband (10 /min): still snoozed.
    await feed(heartRate(patient.id, 120, opened, 2));
    expect(await queue(care.nurse, `?patientId=${patient.id}`)).toEqual([]);
    expect((await get(care.nurse, first.alertKey)).breaches).toBe(2);

    // 131 /min is: the snooze ends and the alert is back.
    await feed(heartRate(patient.id, 131, opened, 3));
    expect(await queue(care.nurse, `?patientId=${patient.id}`)).toEqual([first.alertKey]);
    expect((await get(care.nurse, first.alertKey)).snoozedUntil).toBeNull();
    const [ended] = await db.query<{ end_reason: string; ended_by: string }>(`SELECT end_reason, ended_by FROM alert_snoozes WHERE alert_id = $1`, [first.alertKey]);
    expect(ended).toEqual({ end_reason: 'worse', ended_by: 'rules-engine' });
    await events.waitFor((e) => e.alertId === first.alertKey && e.type === 'snooze_ended', { what: 'snooze_ended event' });
  });

  it('lets a snooze expire by itself, and a nurse end one early', async () => {
    const patient = await care.createPatient();
    const raised = anAlertRaised({ patientId: patient.id });
    await feed(raised);
    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/snooze`, { minutes: 30 })).status).toBe(200);
    expect(await queue(care.nurse, `?patientId=${patient.id}`)).toEqual([]);
    // Five hours pass (raised 5 h ago, due 1 h ago by its 4 h target), and the snooze ends.
    await db.query(`UPDATE alerts SET raised_at = now() - interval '5 hours', acknowledge_by = now() - interval '1 hour' WHERE id = $1`, [raised.alertKey]);
    await db.query(`UPDATE alert_snoozes SET until = now() - interval '1 second' WHERE alert_id = $1 AND ended_at IS NULL`, [raised.alertKey]);
    const back = await pollUntil(async () => {
      const alert = await get(care.nurse, raised.alertKey);
      return alert.snoozedUntil === null ? alert : undefined;
    }, { what: 'snooze expired' });
    // Back in the queue with a fresh 4 h window: not escalated the moment it reappears.
    expect(Date.parse(back.acknowledgeBy) - Date.now()).toBeGreaterThan(4 * 3_600_000 - 60_000);
    await new Promise((r) => setTimeout(r, 750)); // a few timer rounds
    expect((await get(care.nurse, raised.alertKey)).escalatedAt).toBeNull();
    expect(await queue(care.nurse, `?patientId=${patient.id}`)).toEqual([raised.alertKey]);
    const expired = await events.waitFor((e) => e.alertId === raised.alertKey && e.type === 'snooze_ended', { what: 'snooze_ended event' });
    expect(expired[0]?.actor).toBe('care-api');

    expect((await care.nurse.post(`/api/v1/alerts/${raised.alertKey}/snooze`, { minutes: 5 })).status).toBe(200);
    const woken = await care.nurse.delete<AlertResponse>(`/api/v1/alerts/${raised.alertKey}/snooze`);
    expect([woken.status, woken.body.snoozedUntil]).toEqual([200, null]);
    expect(await queue(care.nurse, `?patientId=${patient.id}`)).toEqual([raised.alertKey]);
  });

  it('refuses to snooze a high-severity rule, a recheck of one included, and a duration out of bounds', async () => {
    const patient = await care.createPatient();
    const high = anAlertRaised({ patientId: patient.id, ruleId: 'SP-01', severity: 'high' });
    const recheck = anAlertRaised({ patientId: patient.id, ruleId: 'BP-01', severity: 'medium', kind: 'recheck' });
    await feed(high);
    await feed(recheck);
    for (const alert of [high, recheck]) {
      const res = await care.nurse.post<{ message: string }>(`/api/v1/alerts/${alert.alertKey}/snooze`, { minutes: 30 });
      expect([res.status, res.body.message]).toEqual([409, expect.stringContaining('high-severity')]);
    }
    const medium = anAlertRaised({ patientId: patient.id, ruleId: 'TM-01' });
    await feed(medium);
    for (const minutes of [0, 4, 3 * 24 * 60 + 1, 1.5]) {
      expect([minutes, (await care.nurse.post(`/api/v1/alerts/${medium.alertKey}/snooze`, { minutes })).status]).toEqual([minutes, 400]);
    }
  });

  it('escalates an open alert past its target to the team contact, once; an acknowledged one never', async () => {
    const patient = await care.createPatient();
    const ignored = anAlertRaised({ patientId: patient.id, ruleId: 'SP-01', severity: 'high' });
    const seen = anAlertRaised({ patientId: patient.id, ruleId: 'HR-01', severity: 'high' });
    await feed(ignored);
    await feed(seen);
    expect((await care.nurse.post(`/api/v1/alerts/${seen.alertKey}/acknowledge`)).status).toBe(200);
    const due = await get(care.nurse, ignored.alertKey);
    expect(Date.parse(due.acknowledgeBy) - Date.parse(due.raisedAt)).toBe(2_000);

    const escalated = await pollUntil(async () => {
      const alert = await get(care.nurse, ignored.alertKey);
      return alert.escalatedAt ? alert : undefined;
    }, { what: 'escalation' });
    expect(escalated.escalatedTo).toBe('pager:cardio-on-call');
    const [event] = await events.waitFor((e) => e.alertId === ignored.alertKey && e.type === 'escalated', { what: 'escalated event' });
    expect(event).toEqual(expect.objectContaining({ escalatedTo: 'pager:cardio-on-call', status: 'open' }));
    await new Promise((r) => setTimeout(r, 1_000)); // a few timer rounds: no second escalation
    expect(eventsOf(ignored.alertKey).filter((e) => e.type === 'escalated')).toHaveLength(1);
    expect((await get(care.nurse, seen.alertKey)).escalatedAt).toBeNull();
  });

  it('resolves only with a configured, active disposition; admins change the list', async () => {
    const code = `int_${care.runId.replace(/[^a-z0-9]/g, '')}`.slice(0, 40);
    expect((await care.nurse.put(`/api/v1/dispositions/${code}`, { label: 'Referred to cardiology', category: 'clinical' })).status).toBe(403);
    expect((await care.admin.put(`/api/v1/dispositions/${code}`, { label: 'Referred to cardiology', category: 'clinical' })).status).toBe(200);
    const listed = (await care.nurse.get<{ code: string; active: boolean }[]>(`/api/v1/dispositions`)).body;
    expect(listed.map((d) => d.code)).toEqual(expect.arrayContaining(['contacted_patient', 'no_action_needed', code]));

    const patient = await care.createPatient();
    const [a, b, c] = [anAlertRaised({ patientId: patient.id, ruleId: 'HR-02' }), anAlertRaised({ patientId: patient.id, ruleId: 'TM-01' }), anAlertRaised({ patientId: patient.id, ruleId: 'RR-01' })];
    for (const alert of [a, b, c]) await feed(alert);
    const unknown = await care.nurse.post<{ issues: { field: string; reason: string }[] }>(`/api/v1/alerts/${a.alertKey}/resolve`, { disposition: 'made_up' });
    expect([unknown.status, unknown.body.issues[0]?.field]).toEqual([400, 'disposition']);
    expect((await care.nurse.post(`/api/v1/alerts/${a.alertKey}/resolve`, { disposition: code })).status).toBe(200);

    await care.admin.put(`/api/v1/dispositions/${code}`, { label: 'Referred to cardiology', category: 'clinical', active: false });
    const retired = await care.nurse.post<{ issues: { reason: string }[] }>(`/api/v1/alerts/${b.alertKey}/resolve`, { disposition: code });
    expect([retired.status, retired.body.issues[0]?.reason]).toEqual([400, 'no longer offered']);
    expect((await get(care.nurse, a.alertKey)).disposition).toBe(code);
  });

  it('scopes a nurse by her memberships here as well as her token, and audits the refusal', async () => {
    const team = `${care.runId}-members`;
    await care.admin.put(`/api/v1/care-teams/${team}`, { name: 'Members team' });
    const patient = await care.createPatient({ careTeamId: team });
    const raised = anAlertRaised({ patientId: patient.id });
    await feed(raised);
    const nurseId = `${care.runId}-member-nurse`;
    const nurse = care.as(nurseId, 'nurse');

    expect((await nurse.get(`/api/v1/alerts/${raised.alertKey}`)).status).toBe(404);
    const added = await care.admin.put<CareTeamResponse>(`/api/v1/care-teams/${team}/members/${nurseId}`);
    expect(added.body.members.map((m) => [m.userId, m.addedBy])).toEqual([[nurseId, `${care.runId}-admin`]]);
    expect((await nurse.get(`/api/v1/me`)).body).toEqual({ sub: nurseId, role: 'nurse', careTeams: [team] });
    expect((await nurse.get(`/api/v1/alerts/${raised.alertKey}`)).status).toBe(200);
    expect((await care.admin.delete(`/api/v1/care-teams/${team}/members/${nurseId}`)).status).toBe(200);
    expect((await nurse.get(`/api/v1/alerts/${raised.alertKey}`)).status).toBe(404);
    expect((await nurse.get(`/api/v1/care-teams`)).status).toBe(403);

    const trail = await care.admin.get<{ items: { actor: string; action: string; outcome: number; resourceId: string | null; sourceIp: string | null }[] }>(
      `/api/v1/audit?actor=${nurseId}&limit=10`,
    );
    expect(trail.body.items.map((e) => [e.action, e.outcome])).toEqual([
      ['GET /api/v1/care-teams', 403],
      ['GET /api/v1/alerts/:id', 404],
      ['GET /api/v1/alerts/:id', 200],
      ['GET /api/v1/me', 200],
      ['GET /api/v1/alerts/:id', 404],
    ]);
    expect(trail.body.items[1]).toEqual(expect.objectContaining({ resourceId: raised.alertKey, sourceIp: '127.0.0.1' }));
    expect((await nurse.get(`/api/v1/audit`)).status).toBe(403);
  });

  it('filters the queue by programme and status', async () => {
    const hf = await care.createPatient({ programs: ['heart_failure'] });
    const general = await care.createPatient({ programs: [] });
    const [a, b] = [anAlertRaised({ patientId: hf.id }), anAlertRaised({ patientId: general.id })];
    await feed(a);
    await feed(b);
    const mine = (ids: string[]) => ids.filter((id) => id === a.alertKey || id === b.alertKey);
    expect(mine(await queue(care.nurse, `?programme=heart_failure&limit=200`))).toEqual([a.alertKey]);
    expect(mine(await queue(care.nurse, `?programme=general&limit=200`))).toEqual([b.alertKey]);
    await care.nurse.post(`/api/v1/alerts/${b.alertKey}/resolve`, { disposition: 'no_action_needed' });
    expect(mine(await queue(care.nurse, `?status=active&limit=200`))).toEqual([a.alertKey]);
    expect((await get(care.nurse, a.alertKey)).patient).toEqual({ name: 'Integration Patient', mrn: expect.any(String), programs: ['heart_failure'] });
  });

  it('exports open alerts by severity and queue, and its consumer lag, on /metrics', async () => {
    const metrics = `http://127.0.0.1:${care.port}`;
    const open = () => readMetric(metrics, 'rpm_worklist_open_alerts', { severity: 'low', queue: 'adherence' });
    const before = await open();
    const patient = await care.createPatient();
    const silence = anAlertRaised({ patientId: patient.id, ruleId: 'AD-01', severity: 'low' });
    await feed(silence);
    expect(await open()).toBe(before + 1);
    await care.nurse.post(`/api/v1/alerts/${silence.alertKey}/resolve`, { disposition: 'no_action_needed' });
    expect(await open()).toBe(before);
    // Caught up after the batch it just applied: no record of rpm.alerts.v1 left behind on its partition.
    expect(await readMetric(metrics, 'rpm_kafka_consumer_lag', { topic: 'rpm.alerts.v1' })).toBe(0);
    expect((await (await fetch(`${metrics}/metrics`)).text()).match(/^rpm_kafka_consumer_lag\{[^}]*topic="rpm.alerts.v1"/gm)?.length).toBe(6);
  });
});
