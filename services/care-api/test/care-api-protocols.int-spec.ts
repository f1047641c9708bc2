import { Topics, type EffectiveProtocolResponse, type PatientProtocolVersionResponse } from '@rpm/contracts';
import { TestDatabase, TopicRecorder } from '@rpm/testing';
import { CareApiFixture } from './care-api.fixture';

/** Effective protocols and patient overrides: provenance, validation, roles, audit, and rpm.rules.config.v1. */
describe('care-api protocols', () => {
  const care = new CareApiFixture(14033);
  const db = new TestDatabase();
  let protocols: TopicRecorder<typeof Topics.rulesConfig.schema>;
  const lead = care.as(`${care.runId}-lead`, 'clinical_lead');

  beforeAll(async () => {
    protocols = await TopicRecorder.start(care.kafka, Topics.rulesConfig, `${care.runId}-protocols`);
    await care.start();
  });

  afterAll(async () => {
    await care.stop();
    await protocols?.stop();
    await db.end();
  });

  const protocolOf = async (patientId: string) => {
    const res = await care.nurse.get<EffectiveProtocolResponse>(`/api/v1/patients/${patientId}/protocol`);
    expect(res.status).toBe(200);
    return res.body;
  };

  it('shows every rule of the patient\'s protocols with programme provenance, COPD on SpO2 scale 2', async () => {
    const patient = await care.createPatient({ programs: ['heart_failure', 'copd'] });
    const protocol = await protocolOf(patient.id);
    expect(protocol).toMatchObject({ patientId: patient.id, version: 1, programs: ['heart_failure', 'copd'], spo2Scale: 2, overrides: [] });
    const hf01 = protocol.rules.find((r) => r.id === 'HF-01')!;
    expect(hf01).toMatchObject({ kind: 'trend', enabled: true, protocol: 'heart_failure', version: 'heart_failure v1' });
    expect(hf01.parameters).toEqual([
      { parameter: 'changes.0', description: 'weight change > 1.36 kg', value: 1.36, unit: 'kg', defaultValue: 1.36, code: '29463-7', provenance: { source: 'programme', protocol: 'heart_failure', version: 1 } },
    ]);
    // A COPD patient is on SpO2 scale 2: the scale-1 rules are listed, and say they do not apply.
    expect(protocol.rules.filter((r) => r.id.startsWith('SP-0') && ['SP-01', 'SP-03'].includes(r.id)).map((r) => [r.id, r.applies])).toEqual([
      ['SP-01', false],
      ['SP-03', true],
    ]);
    expect(protocol.rules.find((r) => r.id === 'AD-01')?.parameters[0]).toMatchObject({ parameter: 'cadenceHours', value: 48 });
    expect(protocol.rules.map((r) => r.id)).toEqual(expect.arrayContaining(['SP-03', 'SP-04', 'EW-01']));
  });

  it('lets a clinical lead override a threshold: a new version, attributed, published to the rules engines, audited', async () => {
    const patient = await care.createPatient({ programs: ['heart_failure'] });
    const res = await lead.put<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol/overrides`, {
      overrides: [{ ruleId: 'HF-01', parameter: 'changes.0', value: 2, unit: 'lb', reason: 'small frame' }],
      reason: 'weight alerts too late for her',
    });
    expect(res.status).toBe(200);
    expect(res.body.version).toBe(2);
    const hf01 = res.body.rules.find((r) => r.id === 'HF-01')!;
    expect(hf01.version).toBe('heart_failure v1 + patient v2');
    expect(hf01.parameters[0]).toMatchObject({
      value: expect.closeTo(0.907, 3),
      defaultValue: 1.36,
      provenance: { source: 'patient_override', protocol: 'patient', version: 2, setBy: `${care.runId}-lead`, reason: 'small frame' },
    });

    const [published] = await protocols.waitFor((p) => p.schema === 'rpm.patient-protocol.v1' && p.patientId === patient.id && p.version === 2);
    expect(published?.schema === 'rpm.patient-protocol.v1' && published.overrides).toEqual([expect.objectContaining({ ruleId: 'HF-01', parameter: 'changes.0', value: 2, unit: 'lb', setBy: `${care.runId}-lead`, version: 2 })]);

    // Unchanged overrides keep who set them and when; the new one is attributed to this change.
    const again = await care.admin.put<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol/overrides`, {
      overrides: [
        { ruleId: 'HF-01', parameter: 'changes.0', value: 2, unit: 'lb', reason: 'small frame' },
        { ruleId: 'HF-03', enabled: true, reason: 'sensitive profile' },
      ],
      reason: 'sensitive weight profile',
    });
    expect(again.status).toBe(200);
    expect(again.body.overrides.map((o) => [o.ruleId, o.version, o.setBy])).toEqual([
      ['HF-01', 2, `${care.runId}-lead`],
      ['HF-03', 3, `${care.runId}-admin`],
    ]);
    expect(again.body.rules.find((r) => r.id === 'HF-03')).toMatchObject({ enabled: true, enabledProvenance: { source: 'patient_override', version: 3 } });

    const audited = await db.query<{ action: string; outcome: number }>(`SELECT action, outcome FROM audit_log WHERE patient_id = $1 ORDER BY at`, [patient.id]);
    expect(audited.filter((a) => a.action === 'PUT /api/v1/patients/:id/protocol/overrides').map((a) => a.outcome)).toEqual([200, 200]);
  });

  it('refuses invalid overrides with field-level reasons and changes nothing', async () => {
    const patient = await care.createPatient({ programs: ['hypertension'] });
    const res = await lead.put<{ issues: { field: string; reason: string }[] }>(`/api/v1/patients/${patient.id}/protocol/overrides`, {
      overrides: [
        { ruleId: 'BP-01', parameter: 'conditions.0', value: 400 },
        { ruleId: 'SP-01', enabled: false },
        { ruleId: 'HF-01', parameter: 'changes.0', value: 1 },
      ],
      reason: 'tuning',
    });
    expect(res.status).toBe(400);
    expect(res.body.issues).toEqual([
      { field: 'overrides.0.value', reason: '400 mm[Hg] is outside the plausible range (CLINICAL.md 7.1) 40 to 300 mm[Hg]' },
      { field: 'overrides.1.reason', reason: 'SP-01 is a high-severity rule: switching it off needs a reason' },
      { field: 'overrides.2.ruleId', reason: "rule HF-01 is not in this patient's protocols (general, hypertension)" },
    ]);
    expect((await protocolOf(patient.id)).version).toBe(1);
    const malformed = await lead.put(`/api/v1/patients/${patient.id}/protocol/overrides`, { overrides: [{ ruleId: 'BP-01', value: 'high' }], reason: 'x' });
    expect(malformed.status).toBe(400);
    const noReason = await lead.put<{ issues: { field: string }[] }>(`/api/v1/patients/${patient.id}/protocol/overrides`, { overrides: [] });
    expect(noReason.body.issues.map((i) => i.field)).toEqual(['reason']);
  });

  it('does not let nurses change protocols (403), nor anyone change another team\'s patient (404)', async () => {
    const patient = await care.createPatient({ programs: ['diabetes'] });
    const body = { overrides: [{ ruleId: 'GL-03', parameter: 'conditions.0', value: 13.9, unit: 'mmol/L' }], reason: 'ketones' };
    expect((await care.nurse.put(`/api/v1/patients/${patient.id}/protocol/overrides`, body)).status).toBe(403);
    expect((await care.otherNurse.get(`/api/v1/patients/${patient.id}/protocol`)).status).toBe(404);
    expect((await protocolOf(patient.id)).version).toBe(1);
  });

  it('keeps every change of a patient\'s overrides as a version with its changes, and rolls back to any', async () => {
    const patient = await care.createPatient({ programs: ['heart_failure'] });
    const put = (overrides: unknown[], reason: string) => lead.put<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol/overrides`, { overrides, reason });
    expect((await put([{ ruleId: 'BP-04', parameter: 'conditions.0', value: 160 }], 'symptomatic at 165')).status).toBe(200);
    expect((await put([{ ruleId: 'BP-04', parameter: 'conditions.0', value: 165 }, { ruleId: 'HF-03', enabled: true }], 'less noise, sensitive weights')).status).toBe(200);

    const history = await care.nurse.get<PatientProtocolVersionResponse[]>(`/api/v1/patients/${patient.id}/protocol/versions`);
    expect(history.status).toBe(200);
    expect(history.body.map((v) => [v.version, v.reason, v.createdBy])).toEqual([
      [2, 'symptomatic at 165', `${care.runId}-lead`],
      [3, 'less noise, sensitive weights', `${care.runId}-lead`],
    ]);
    expect(history.body[1]!.changes).toEqual([
      { ruleId: 'BP-04', setting: 'conditions.0', before: { ruleId: 'BP-04', parameter: 'conditions.0', value: 160 }, after: { ruleId: 'BP-04', parameter: 'conditions.0', value: 165 } },
      { ruleId: 'HF-03', setting: 'enabled', before: null, after: { ruleId: 'HF-03', enabled: true } },
    ]);

    const rolledBack = await lead.post<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol/versions/2/rollback`, { reason: 'back to 160' });
    expect(rolledBack.status).toBe(201);
    expect(rolledBack.body.version).toBe(4);
    expect(rolledBack.body.rules.find((r) => r.id === 'BP-04')?.parameters[0]?.value).toBe(160);
    expect(rolledBack.body.rules.find((r) => r.id === 'HF-03')?.enabled).toBe(false);
    const [published] = await protocols.waitFor((p) => p.schema === 'rpm.patient-protocol.v1' && p.patientId === patient.id && p.version === 4);
    expect(published?.schema === 'rpm.patient-protocol.v1' && published.overrides.map((o) => [o.ruleId, o.value])).toEqual([['BP-04', 160]]);
    const after = (await care.nurse.get<PatientProtocolVersionResponse[]>(`/api/v1/patients/${patient.id}/protocol/versions`)).body;
    expect(after.at(-1)).toMatchObject({ version: 4, rolledBackFrom: 2, reason: 'back to 160' });

    expect((await care.nurse.post(`/api/v1/patients/${patient.id}/protocol/versions/1/rollback`, { reason: 'x' })).status).toBe(403);
    expect((await lead.post(`/api/v1/patients/${patient.id}/protocol/versions/9/rollback`, { reason: 'x' })).status).toBe(404);
    expect((await lead.post(`/api/v1/patients/${patient.id}/protocol/versions/1/rollback`, { reason: 'start over' })).status).toBe(201);
    expect((await care.nurse.get<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol`)).body.overrides).toEqual([]);
  });
});
