import { Topics, programmeProtocolKey, type EffectiveProtocolResponse, type ProgrammeProtocolResponse, type ProtocolVersionResponse } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { pollUntil, TestDatabase, TopicRecorder } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

/**
 * Programme protocols as versions: drafts with field-level validation, publication to the rules
 * engines' topic, history with changes, rollback, scheduled publication, roles. Uses the diabetes
 * programme and puts it back as it was (rows and topic record) afterwards: the cluster is shared.
 */
describe('care-api programme protocols', () => {
  const care = new CareApiFixture(14037, { CARE_API_PROTOCOL_SCHEDULE_MS: '300' });
  const db = new TestDatabase();
  const producer = new BatchingProducer(care.kafka);
  const lead = care.as(`${care.runId}-lead`, 'clinical_lead');
  let config: TopicRecorder<typeof Topics.rulesConfig.schema>;

  const restore = async () => {
    await db.query(`DELETE FROM protocol_versions WHERE programme = 'diabetes'`);
    await producer.publish(Topics.rulesConfig, [{ key: programmeProtocolKey('diabetes'), value: null }]);
  };

  beforeAll(async () => {
    await producer.connect();
    await restore();
    config = await TopicRecorder.start(care.kafka, Topics.rulesConfig, `${care.runId}-config`);
    await care.start();
  });

  afterAll(async () => {
    await care.stop();
    await config?.stop();
    await restore();
    await producer.disconnect();
    await db.end();
  });

  const programme = async () => (await care.nurse.get<ProgrammeProtocolResponse>('/api/v1/protocols/diabetes')).body;

  it('starts at version 1, the library defaults, with the programme\'s own rules', async () => {
    const diabetes = await programme();
    expect(diabetes).toMatchObject({ programme: 'diabetes', publishedVersion: 1, versions: [] });
    expect(diabetes.rules.map((r) => r.id)).toEqual(['GL-01', 'GL-02', 'GL-03', 'GL-04', 'AD-01']);
  });

  it('refuses an invalid draft field by field, and nurses outright', async () => {
    const invalid = await lead.post<{ issues: { field: string; reason: string }[] }>('/api/v1/protocols/diabetes/versions', {
      reason: 'tighter hyperglycaemia follow-up',
      settings: [
        { ruleId: 'GL-03', parameter: 'conditions.0', value: 1500 },
        { ruleId: 'SP-01', parameter: 'conditions.0', value: 90 },
        { ruleId: 'GL-01', enabled: false },
      ],
    });
    expect(invalid.status).toBe(400);
    expect(invalid.body.issues).toEqual([
      { field: 'settings.0.value', reason: '1500 mg/dL is outside the plausible range (CLINICAL.md 7.1) 20 to 1000 mg/dL' },
      { field: 'settings.1.ruleId', reason: 'rule SP-01 is not in the diabetes protocol' },
      { field: 'settings.2.reason', reason: 'GL-01 is a high-severity rule: switching it off needs a reason' },
    ]);
    expect((await lead.post('/api/v1/protocols/diabetes/versions', { settings: [] })).status).toBe(400);
    expect((await care.nurse.post('/api/v1/protocols/diabetes/versions', { reason: 'x', settings: [] })).status).toBe(403);
    expect((await lead.get('/api/v1/protocols/cardiology')).status).toBe(404);
  });

  it('drafts, publishes to the rules engines, shows history with changes, and rolls back', async () => {
    const draft = await lead.post<ProtocolVersionResponse>('/api/v1/protocols/diabetes/versions', {
      reason: 'ketone check earlier',
      settings: [{ ruleId: 'GL-03', parameter: 'conditions.0', value: 12.5, unit: 'mmol/L' }],
    });
    expect(draft.status).toBe(201);
    expect(draft.body).toMatchObject({ version: 2, status: 'draft', createdBy: `${care.runId}-lead` });
    expect(draft.body.changes).toEqual([{ ruleId: 'GL-03', setting: 'conditions.0', before: null, after: { ruleId: 'GL-03', parameter: 'conditions.0', value: 12.5, unit: 'mmol/L' } }]);

    const published = await lead.post<ProtocolVersionResponse>('/api/v1/protocols/diabetes/versions/2/publish', {});
    expect(published.status).toBe(200);
    expect(published.body).toMatchObject({ status: 'published', publishedBy: `${care.runId}-lead` });
    const [record] = await config.waitFor((r) => r.schema === 'rpm.programme-protocol.v1' && r.programme === 'diabetes' && r.version === 2);
    expect(record).toMatchObject({ settings: [expect.objectContaining({ ruleId: 'GL-03', value: 12.5, unit: 'mmol/L', setBy: `${care.runId}-lead`, version: 2 })] });
    expect((await lead.post('/api/v1/protocols/diabetes/versions/2/publish', {})).status).toBe(409);

    // A patient of the programme sees the programme's value, and where it came from.
    const patient = await care.createPatient({ programs: ['diabetes'] });
    const effective = (await care.nurse.get<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol`)).body;
    expect(effective.rules.find((r) => r.id === 'GL-03')).toMatchObject({
      version: 'diabetes v2',
      parameters: [expect.objectContaining({ value: expect.closeTo(225.2, 1), defaultValue: 250, provenance: expect.objectContaining({ source: 'programme', protocol: 'diabetes', version: 2 }) })],
    });

    const rolledBack = await lead.post<ProtocolVersionResponse>('/api/v1/protocols/diabetes/versions/1/rollback', { reason: 'too many alerts' });
    expect(rolledBack.status).toBe(201);
    expect(rolledBack.body).toMatchObject({ version: 3, status: 'published', rolledBackFrom: 1, settings: [] });
    expect(rolledBack.body.changes).toEqual([{ ruleId: 'GL-03', setting: 'conditions.0', before: expect.objectContaining({ value: 12.5 }), after: null }]);
    const history = await programme();
    expect(history.publishedVersion).toBe(3);
    expect(history.versions.map((v) => [v.version, v.status, v.reason])).toEqual([
      [2, 'superseded', 'ketone check earlier'],
      [3, 'published', 'too many alerts'],
    ]);
    const audited = await db.query<{ action: string; outcome: number }>(`SELECT action, outcome FROM audit_log WHERE actor = $1 ORDER BY at`, [`${care.runId}-lead`]);
    expect(audited.map((a) => `${a.action} ${a.outcome}`)).toEqual(
      expect.arrayContaining(['POST /api/v1/protocols/:programme/versions/:version/publish 200', 'POST /api/v1/protocols/:programme/versions/:version/rollback 201']),
    );
  });

  it('publishes a version scheduled for later once its time has come', async () => {
    const draft = await lead.post<ProtocolVersionResponse>('/api/v1/protocols/diabetes/versions', {
      reason: 'from next shift',
      settings: [{ ruleId: 'AD-01', parameter: 'cadenceHours', value: 36 }],
    });
    const version = draft.body.version;
    const scheduled = await lead.post<ProtocolVersionResponse>(`/api/v1/protocols/diabetes/versions/${version}/publish`, { effectiveAt: new Date(Date.now() + 1_500).toISOString() });
    expect(scheduled.body.status).toBe('scheduled');
    expect((await programme()).publishedVersion).not.toBe(version);
    await pollUntil(async () => ((await programme()).publishedVersion === version ? true : undefined), { timeoutMs: 10_000, what: 'the scheduled version published' });
    await config.waitFor((r) => r.schema === 'rpm.programme-protocol.v1' && r.programme === 'diabetes' && r.version === version);
  });
});
