import type { AlertListResponse, AlertResponse, EffectiveProtocolResponse } from '@rpm/contracts';
import { ApiClient, pollUntil, publishReading } from '@rpm/testing';
import { deviceMessage, PipelineHarness, PORTS } from './pipeline-harness';

const HOUR_MS = 3_600_000;

/**
 * Issue 3 through the whole pipeline: a device publishes over MQTT, the rules engine judges
 * with state (trends, confirmation, NEWS2, silence), and the nurse sees explained alerts.
 * The rules engine runs on a manual clock, so a 48 h silence takes a request, not two days.
 */
describe('clinical rules end to end', () => {
  const harness = new PipelineHarness({ RULES_ENGINE_MANUAL_CLOCK: 'true' });
  const rulesEngine = new ApiClient(`http://127.0.0.1:${PORTS['rules-engine']}`);

  beforeAll(() => harness.start(), 120_000);
  afterAll(() => harness.stop(), 60_000);

  async function enrolledDevice(programs: string[], kind: string) {
    const { patient, client, topic } = await harness.enrolledDevice(programs, kind);
    const send = async (readings: unknown[], measuredAt = new Date()) => expect(await publishReading(client, topic, deviceMessage(readings, measuredAt))).toBe(0);
    return { patient, send };
  }

  const alertsOf = async (patientId: string): Promise<AlertResponse[]> =>
    (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patientId}`)).body.items;

  const alertOf = (patientId: string, ruleId: string, accept: (a: AlertResponse) => boolean = () => true) =>
    pollUntil(async () => (await alertsOf(patientId)).find((a) => a.ruleId === ruleId && accept(a)), { timeoutMs: 20_000, what: `${ruleId} in the worklist` });

  /** This morning at 08:00 New York time (13:00 UTC) or, before that, yesterday's. */
  function morning(daysBefore: number): Date {
    const day = new Date();
    day.setUTCHours(13, 0, 0, 0);
    if (day.getTime() > Date.now()) day.setTime(day.getTime() - 24 * HOUR_MS);
    return new Date(day.getTime() - daysBefore * 24 * HOUR_MS);
  }

  it('a heart-failure patient gaining 3.5 lb overnight raises HF-01, explained with its threshold and where it came from', async () => {
    const { patient, send } = await enrolledDevice(['heart_failure'], 'scale');
    await send([{ type: 'body_weight', value: 180, unit: 'lb' }], morning(1));
    await send([{ type: 'body_weight', value: 183.5, unit: 'lb' }], morning(0));

    const hf01 = await alertOf(patient.id, 'HF-01');
    expect(hf01).toMatchObject({ severity: 'medium', kind: 'alert', status: 'open', breaches: 1 });
    expect(hf01.observations.map((o) => o.value)).toEqual([expect.closeTo(81.65, 2), expect.closeTo(83.23, 2)]);
    // Today's reading as the scale sent it; yesterday's comes from the engine's trend state, in kg only.
    expect(hf01.observations[1]).toMatchObject({ unit: 'kg', originalValue: 183.5, originalUnit: 'lb' });
    expect(hf01.explanation).toMatchObject({
      rule: { id: 'HF-01', version: 'heart_failure v1' },
      thresholds: [{ parameter: 'changes.0', value: 1.36, unit: 'kg', provenance: { source: 'programme', protocol: 'heart_failure', version: 1 } }],
      window: { description: 'first morning weights compared (local days)' },
    });
  });

  it('a COPD patient at 89 % SpO2 raises nothing, at 87 % raises SP-03', async () => {
    const { patient, send } = await enrolledDevice(['copd'], 'pulse_oximeter');
    await send([{ type: 'spo2', value: 89, unit: '%' }], new Date(Date.now() - 10 * 60_000));
    await send([{ type: 'spo2', value: 87, unit: '%' }], new Date(Date.now() - 5 * 60_000));
    const sp03 = await alertOf(patient.id, 'SP-03');
    expect(sp03).toMatchObject({ kind: 'recheck', severity: 'low', observations: [expect.objectContaining({ value: 87 })] });
    // In order on one partition: the 89 % before it was judged, and raised nothing.
    expect((await alertsOf(patient.id)).map((a) => a.ruleId)).toEqual(['SP-03']);
  });

  it('SpO2 91 % once raises a recheck; a second 91 % within the window raises SP-01 high on the same alert', async () => {
    const { patient, send } = await enrolledDevice([], 'pulse_oximeter');
    await send([{ type: 'spo2', value: 91, unit: '%' }], new Date(Date.now() - 4 * 60_000));
    const recheck = await alertOf(patient.id, 'SP-01');
    expect(recheck).toMatchObject({ kind: 'recheck', severity: 'medium' });
    expect(recheck.summary).toContain('recheck requested');

    await send([{ type: 'spo2', value: 91, unit: '%' }], new Date(Date.now() - 2 * 60_000));
    const confirmed = await alertOf(patient.id, 'SP-01', (a) => a.severity === 'high');
    expect(confirmed).toMatchObject({ id: recheck.id, kind: 'alert', severity: 'high', breaches: 2 });
    expect(confirmed.explanation?.window?.description).toBe('two readings 2 min apart (confirmation: 1–30 min)');
  });

  it('a silent device raises AD-01 after its cadence on the engine clock, and the next reading marks it returned to normal', async () => {
    const { patient, send } = await enrolledDevice(['heart_failure'], 'scale');
    await send([{ type: 'body_weight', value: 82, unit: 'kg' }], new Date(Date.now() - 60_000));
    // Advance only once the engine has the weight in its state.
    await harness.waitForRulesEngine();
    let ad01: AlertResponse | undefined;
    await rulesEngine.post('/test/clock/advance', { ms: 49 * HOUR_MS });
    ad01 = await alertOf(patient.id, 'AD-01');
    expect(ad01).toMatchObject({ severity: 'low', kind: 'alert', returnedToNormalAt: null });
    expect(ad01.explanation?.thresholds[0]).toMatchObject({ parameter: 'cadenceHours', value: 48, unit: 'h' });

    await send([{ type: 'body_weight', value: 82.3, unit: 'kg' }]);
    ad01 = await alertOf(patient.id, 'AD-01', (a) => a.returnedToNormalAt !== null);
    expect(ad01.status).toBe('open');
  });

  it('a restart of the rules engine in the middle of a weight trend still completes it', async () => {
    const { patient, send } = await enrolledDevice(['heart_failure'], 'scale');
    await send([{ type: 'body_weight', value: 80, unit: 'kg' }], morning(1));
    await pollUntil(async () => ((await harness.nurse.get<{ items: unknown[] }>(`/api/v1/patients/${patient.id}/observations`)).body.items.length === 1 ? true : undefined));
    // Stored is not yet evaluated: wait for the engine's group to have no lag before the restart.
    await harness.waitForRulesEngine();

    await harness.services['rules-engine'].stop();
    await harness.services['rules-engine'].start();

    await send([{ type: 'body_weight', value: 81.6, unit: 'kg' }], morning(0));
    const hf01 = await alertOf(patient.id, 'HF-01');
    expect(hf01.observations.map((o) => o.value)).toEqual([80, 81.6]);
  });

  it('scores NEWS2 from a hub set with consciousness and supplemental oxygen, with its sub-scores', async () => {
    const { patient, send } = await enrolledDevice([], 'hub');
    await send([
      { type: 'respiratory_rate', value: 24, unit: '/min' },
      { type: 'spo2', value: 95, unit: '%' },
      { type: 'blood_pressure', systolic: 100, diastolic: 70, unit: 'mmHg' },
      { type: 'heart_rate', value: 112, unit: '/min' },
      { type: 'body_temperature', value: 38.5, unit: 'Cel' },
      { type: 'consciousness', value: 'alert' },
      { type: 'supplemental_oxygen', value: true, flow: 2 },
    ], new Date(Date.now() - 60_000));
    const ew01 = await alertOf(patient.id, 'EW-01');
    expect(ew01.explanation?.news2).toEqual({
      aggregate: 10,
      scale: 1,
      subScores: { respiratoryRate: 2, spo2: 1, supplementalOxygen: 2, systolicBp: 2, pulse: 2, consciousness: 0, temperature: 1 },
    });
    const stored = await pollUntil(async () => {
      const items = (await harness.nurse.get<{ items: { code: string; value: number }[] }>(`/api/v1/patients/${patient.id}/observations`)).body.items;
      return items.length === 9 ? items : undefined;
    }, { what: 'nine stored components (blood pressure and oxygen carry two)' });
    expect(stored.filter((o) => ['67775-7', 'rpm-supplemental-oxygen', '3151-8'].includes(o.code)).map((o) => [o.code, o.value]).sort()).toEqual([
      ['3151-8', 2],
      ['67775-7', 0],
      ['rpm-supplemental-oxygen', 1],
    ]);
  });

  it('a clinical lead\'s override applies to the next reading: SP-01 lowered to 89 % turns 91 % into SP-02', async () => {
    const { patient, send } = await enrolledDevice([], 'pulse_oximeter');
    const lead = harness.as('e2e-lead', 'clinical_lead');
    const res = await lead.put<EffectiveProtocolResponse>(`/api/v1/patients/${patient.id}/protocol/overrides`, {
      overrides: [
        { ruleId: 'SP-01', parameter: 'conditions.0', value: 89, reason: 'chronic lung disease, baseline 90-92' },
        { ruleId: 'SP-02', parameter: 'conditions.0', value: 89, reason: 'chronic lung disease, baseline 90-92' },
      ],
      reason: 'baseline SpO2 90-92 on room air',
    });
    expect(res.status).toBe(200);
    await send([{ type: 'spo2', value: 91, unit: '%' }], new Date(Date.now() - 60_000));
    const sp02 = await alertOf(patient.id, 'SP-02');
    expect(sp02.explanation?.rule.version).toBe('general v1 + patient v2');
    expect(sp02.explanation?.thresholds[0]).toMatchObject({ value: 89, provenance: { source: 'patient_override', setBy: 'e2e-lead' } });
    expect((await alertsOf(patient.id)).map((a) => a.ruleId)).toEqual(['SP-02']);
  });
});
