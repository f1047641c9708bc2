import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  Topics,
  programmeProtocolKey,
  type AlertBurdenResponse,
  type AlertListResponse,
  type AlertResponse,
  type BacktestResponse,
  type PatientProtocolVersionResponse,
  type PatientResponse,
  type ProgrammeProtocolResponse,
} from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { signDevToken, workspaceRoot } from '@rpm/service-kit';
import { connectDevice, pollUntil, publishReading, TestDatabase } from '@rpm/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { deviceMessage, PipelineHarness } from './pipeline-harness';

/** Apart from the other end-to-end suites' ports (13000-13003, 13100-13103), so they may run at the same time. */
const LEADS_PORTS = { 'care-api': 13300, 'ingest-gateway': 13301, 'rules-engine': 13302, 'vitals-store': 13303 };
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
/** From MQTT to the worklist API: ingest, Kafka, rules, Kafka, care-api. */
const PIPELINE_MS = 45_000;
const UI_MS = 15_000;
/** A backtest of the programme's patients in the shared test database (a few dozen) takes seconds. */
const BACKTEST_MS = 60_000;
const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const RESULTS = join(workspaceRoot(), '.data', 'test-results');

/**
 * The programme this suite drafts, backtests and publishes. Programme versions are global to the
 * shared test database and to every rules engine on the cluster, so it uses one no other suite
 * publishes (heart failure is every suite's default patient; diabetes is the protocol suite's),
 * and puts it back as it found it: its protocol_versions rows deleted and the `programme:hypertension`
 * record on rpm.rules.config.v1 tombstoned (rules engines fall back to version 1), before and after.
 */
const PROGRAMME = 'hypertension';
/** A 7-day mean of ~135/82 mmHg: BP-06 (≥ 130/80, low) fires under version 1; the draft's 150/95 would not. */
const BP_DAYS = [
  [134, 82],
  [136, 83],
  [135, 81],
] as const;
const PLAUSIBLE_SYSTOLIC = '400 mm[Hg] is outside the plausible range (CLINICAL.md 7.1) 40 to 300 mm[Hg]';

/**
 * Issue 5 section 4 in headless Chromium: a clinical lead edits the hypertension protocol, sees
 * the API's field-level refusal beside the field, saves a draft, backtests it over readings this
 * suite published through MQTT (the screen's numbers against the API's), publishes it (the API
 * has it in force), reads the alert-burden report for this run's care team (against the API's
 * rows), and changes one patient's overrides; a nurse sees none of the leads' pages.
 */
describe('clinical leads UI in headless Chromium', () => {
  const harness = new PipelineHarness({}, { ports: LEADS_PORTS });
  const db = new TestDatabase();
  const producer = new BatchingProducer(harness.kafka);
  const leadSub = `e2e-lead-${harness.runId}`;
  const lead = harness.as(leadSub, 'clinical_lead');
  let browser: Browser;
  const pages: Page[] = [];

  /** The programme as the library defines it: no versions of ours, no published record for the engines. */
  const restoreProgramme = async () => {
    await db.query(`DELETE FROM protocol_versions WHERE programme = $1`, [PROGRAMME]);
    await producer.publish(Topics.rulesConfig, [{ key: programmeProtocolKey(PROGRAMME), value: null }]);
  };

  beforeAll(async () => {
    execFileSync('bash', [join(workspaceRoot(), 'scripts', 'build-web.sh')], { stdio: 'inherit' });
    await producer.connect();
    await restoreProgramme();
    await harness.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harness.stop();
    await restoreProgramme();
    await db.query(`DELETE FROM backtests WHERE created_by = $1`, [leadSub]);
    await producer.disconnect();
    await db.end();
  }, 60_000);

  async function signIn(sub: string, role: 'clinical_lead' | 'nurse', width = 1280): Promise<Page> {
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${harness.apiUrl}/`);
    await page.getByLabel('Development token').fill(signDevToken({ sub, role, careTeams: [harness.careTeam] }, harness.local.JWT_SECRET));
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Clinical', selected: true }).waitFor({ timeout: UI_MS });
    return page;
  }

  /** A hypertension patient of this run whose cuff sent five days of readings over MQTT, and the BP-06 alert the pipeline raised. */
  async function patientWithBp06() {
    const created = await harness.admin.post<PatientResponse>('/api/v1/patients', {
      mrn: `MRN-LEADS-${harness.runId}`,
      name: 'Lead Test Patient',
      timezone: 'Europe/London',
      programs: [PROGRAMME],
      careTeamId: harness.careTeam,
    });
    expect(created.status).toBe(201);
    const patient = created.body;
    const registration = await harness.registerDevice(patient.id, 'bp_cuff');
    const client = await connectDevice(registration.mqtt);
    harness.clients.push(client);
    // Days 5 to 1 before today at 10:00, 12:00 and 14:00 UTC (one local day each in London); the
    // first day is the start of home monitoring, which the mean leaves out: 12 readings on 4 days.
    const today = new Date();
    today.setUTCHours(10, 0, 0, 0);
    for (let day = 5; day >= 1; day--) {
      for (const [i, [systolic, diastolic]] of BP_DAYS.entries()) {
        const measuredAt = new Date(today.getTime() - day * DAY_MS + i * 2 * HOUR_MS);
        expect(await publishReading(client, registration.mqtt.topic, deviceMessage([{ type: 'blood_pressure', systolic, diastolic, unit: 'mmHg' }], measuredAt))).toBe(0);
      }
    }
    const alert = await pollUntil(
      async () => (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${patient.id}&status=active`)).body.items.find((a) => a.ruleId === 'BP-06'),
      { timeoutMs: PIPELINE_MS, what: 'BP-06 raised by the pipeline from the MQTT readings' },
    );
    await pollUntil(async () => ((await harness.nurse.get<{ items: unknown[] }>(`/api/v1/patients/${patient.id}/observations?limit=100`)).body.items.length === 30 ? true : undefined), {
      timeoutMs: PIPELINE_MS,
      what: 'the 15 readings (30 components) stored by vitals-store',
    });
    return { patient, alert };
  }

  async function withScreenshots(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      mkdirSync(RESULTS, { recursive: true });
      await Promise.all(pages.map((p, i) => p.screenshot({ path: join(RESULTS, `${name}-${i}.png`), fullPage: true }).catch(() => undefined)));
      throw error;
    }
  }

  /** A rate as the screen writes it (whole from 100, two decimals from 0.1, else three digits): within half a percent, or 0.005. */
  const expectRate = (shown: string | null | undefined, value: number) => expect(Math.abs(Number(shown) - value)).toBeLessThanOrEqual(Math.max(0.005, Math.abs(value) * 0.005));
  const programme = async () => (await lead.get<ProgrammeProtocolResponse>(`/api/v1/protocols/${PROGRAMME}`)).body;
  const texts = async (page: Page, selector: string) => (await page.locator(selector).allTextContents()).map((t) => t.trim());

  it('edits, backtests and publishes a protocol, reads the burden report, and changes a patient\'s overrides; nurses see none of it', () =>
    withScreenshots('leads-ui', async () => {
      const { patient, alert } = await patientWithBp06();
      // The nurse's verdict on it: clinical, so a draft that hides it must say so.
      expect((await harness.nurse.post<AlertResponse>(`/api/v1/alerts/${alert.id}/acknowledge`)).status).toBe(200);
      expect((await harness.nurse.post<AlertResponse>(`/api/v1/alerts/${alert.id}/resolve`, { disposition: 'contacted_patient' })).status).toBe(200);

      const page = await signIn(leadSub, 'clinical_lead');
      const nav = page.getByRole('navigation', { name: 'Main' });
      await nav.getByRole('link', { name: 'Protocols' }).click();
      await page.locator(`tr[data-programme="${PROGRAMME}"]`).getByRole('link', { name: 'Hypertension' }).click();
      await page.getByRole('heading', { level: 1, name: 'Hypertension protocol' }).waitFor({ timeout: UI_MS });
      await page.locator('.in-force[data-published-version="1"]').waitFor({ timeout: UI_MS });
      expect(await texts(page, '.programme-rules tbody tr th')).toEqual((await programme()).rules.map((r) => expect.stringContaining(r.id)));

      // An implausible value: the API refuses it, and says why beside the field.
      await page.getByRole('button', { name: 'Start a draft from version 1' }).click();
      const systolic = page.getByLabel('BP-06 systolic ≥', { exact: true });
      const diastolic = page.getByLabel('BP-06 diastolic ≥', { exact: true });
      await systolic.fill('400');
      await page.getByLabel('Why this change').fill('follow the 2017 stage-1 range at home');
      await page.getByRole('button', { name: 'Save as a new draft' }).click();
      const systolicRow = page.locator('[data-setting="BP-06/systolic"]');
      await systolicRow.locator('.field-error').waitFor({ timeout: UI_MS });
      const refused = await lead.post<{ issues: { field: string; reason: string }[] }>(`/api/v1/protocols/${PROGRAMME}/versions`, {
        reason: 'the same request as the screen',
        settings: [{ ruleId: 'BP-06', parameter: 'systolic', value: 400 }],
      });
      expect([refused.status, refused.body.issues]).toEqual([400, [{ field: 'settings.0.value', reason: PLAUSIBLE_SYSTOLIC }]]);
      expect(await systolicRow.locator('.field-error').textContent()).toBe(PLAUSIBLE_SYSTOLIC);
      expect(await systolic.getAttribute('aria-invalid')).toBe('true');
      // Focus went to the field the API named.
      expect(await systolic.evaluate((el) => el === el.ownerDocument.activeElement)).toBe(true);
      expect((await programme()).versions).toEqual([]);

      // Fixed: saved as draft version 2, with the diff the API computed.
      await systolic.fill('150');
      await diastolic.fill('95');
      expect(await systolicRow.locator('.field-error').count()).toBe(0);
      await page.getByRole('button', { name: 'Save as a new draft' }).click();
      await page.getByText(`Saved draft version 2 of Hypertension.`).waitFor({ timeout: UI_MS });
      const drafted = await programme();
      expect(drafted.versions.map((v) => [v.version, v.status, v.reason])).toEqual([[2, 'draft', 'follow the 2017 stage-1 range at home']]);
      expect(drafted.versions[0]?.settings.map((s) => [s.ruleId, s.parameter, s.value])).toEqual([
        ['BP-06', 'systolic', 150],
        ['BP-06', 'diastolic', 95],
      ]);
      const draftChanges = page.locator('.draft-panel table.changes tbody tr');
      // The panel shows the draft's changes once it has fetched them, after the "Saved" message.
      await draftChanges.nth(1).waitFor({ timeout: UI_MS });
      // In the API's order (by rule and setting).
      expect(await draftChanges.allTextContents()).toEqual([expect.stringMatching(/BP-06.*diastolic ≥.*library default.*95 mmHg/), expect.stringMatching(/BP-06.*systolic ≥.*library default.*150 mmHg/)]);

      // The backtest over the last 30 days: progress, then the comparison, number for number the API's.
      await page.getByRole('button', { name: 'Start backtest' }).click();
      const result = page.locator('.backtest-result');
      await result.waitFor({ timeout: BACKTEST_MS });
      const backtestId = await result.getAttribute('data-backtest-id');
      const job = (await lead.get<BacktestResponse>(`/api/v1/backtests/${backtestId}`)).body;
      expect(job).toMatchObject({ status: 'done', programme: PROGRAMME, version: 2, createdBy: leadSub });
      const comparison = job.result!;
      const bp06 = comparison.perRule.find((r) => r.ruleId === 'BP-06');
      expect(bp06?.current).toBeGreaterThanOrEqual(1);
      expect(bp06!.draft).toBeLessThan(bp06!.current);
      const shownPerRule = await page.locator('table.per-rule tbody tr').evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-rule'), r.getAttribute('data-severity'), r.querySelector('[data-side="current"]')?.textContent, r.querySelector('[data-side="draft"]')?.textContent]),
      );
      expect(shownPerRule).toEqual(comparison.perRule.map((r) => [r.ruleId, r.severity, String(r.current), String(r.draft)]));
      const svgBars = await result.locator('svg g[data-key="BP-06/low"] .bar-value').allTextContents();
      expect(svgBars).toEqual([String(bp06!.current), String(bp06!.draft)]);
      expect(await result.locator('[data-tile="no-longer-alerted"] dd').textContent()).toBe(String(comparison.patientsNoLongerAlerted.length));
      expect(await result.locator('[data-tile="newly-alerted"] dd').textContent()).toBe(String(comparison.patientsNewlyAlerted.length));
      const [perDayBefore, perDayAfter] = await texts(page, '.backtest-result [data-tile="alerts-per-patient-day"] [data-side]');
      expectRate(perDayBefore, comparison.alertsPerPatientDay.current);
      expectRate(perDayAfter, comparison.alertsPerPatientDay.draft);
      // The two lists: this patient's BP-06 would go, flagged because the nurse acted on it clinically.
      // By its key: the replay takes the readings in the engine's order (observations.arrival), so it
      // raises BP-06 on the reading the engine did (ordered by received_at, one CI run raised it on another).
      const gone = comparison.disappearing.find((a) => a.alertKey === alert.id);
      expect(gone).toMatchObject({ patientId: patient.id, ruleId: 'BP-06', disposition: 'contacted_patient', clinical: true });
      const goneRow = page.locator(`.alert-list tr[data-alert-key="${alert.id}"]`);
      expect(await goneRow.getAttribute('data-clinical')).toBe('true');
      expect(await goneRow.textContent()).toMatch(/BP-06.*Contacted patient.*Acted on clinically/);
      expect(await page.getByRole('heading', { name: `Would no longer be raised (${comparison.disappearing.length})` }).count()).toBe(1);
      expect(await page.getByRole('heading', { name: `Would newly be raised (${comparison.appearing.length})` }).count()).toBe(1);

      // Published now: the API has version 2 in force, and the page says so.
      await page.getByRole('button', { name: 'Publish…' }).click();
      const publish = page.getByRole('dialog', { name: 'Publish version 2 of Hypertension' });
      await publish.getByRole('button', { name: 'Publish now' }).click();
      await page.getByText('Version 2 is in force now.').waitFor({ timeout: UI_MS });
      const published = await programme();
      expect(published.publishedVersion).toBe(2);
      expect(published.versions[0]).toMatchObject({ version: 2, status: 'published', publishedBy: leadSub });
      expect(published.rules.find((r) => r.id === 'BP-06')?.parameters.map((p) => p.value)).toEqual([150, 95]);
      await page.locator('.in-force[data-published-version="2"]').waitFor({ timeout: UI_MS });
      expect(await page.locator('li.version[data-version="2"] .chip').textContent()).toBe('in force');
      expect(await page.locator('.programme-rules tr[data-rule="BP-06"] .param-value').allTextContents()).toEqual(['150 mmHg', '95 mmHg']);

      // The burden report for this run's care team: the screen's rows are the API's, for the same query.
      await nav.getByRole('link', { name: 'Alert burden' }).click();
      await page.getByRole('heading', { level: 1, name: 'Alert burden' }).waitFor({ timeout: UI_MS });
      // The fields by their <label>: getByLabel('Programme') also finds the burden charts, whose
      // accessible names ("… per programme") hold the word once a shared database has data to chart.
      await page.locator('label', { hasText: /^\s*Programme/ }).locator('select').selectOption(PROGRAMME);
      await page.locator('label', { hasText: /^\s*Care team/ }).locator('input').fill(harness.careTeam);
      const [response] = await Promise.all([page.waitForResponse((r) => r.url().includes('/api/v1/reports/alert-burden') && r.url().includes('careTeamId')), page.getByRole('button', { name: 'Show' }).click()]);
      const query = new URL(response.url());
      const report = (await lead.get<AlertBurdenResponse>(`${query.pathname}${query.search}`)).body;
      // Every row the API has is on the screen with its numbers; this suite's BP-06 alert among them.
      await page.locator('table.burden-table tbody tr').first().waitFor({ timeout: UI_MS });
      const shownRows = await page.locator('table.burden-table tbody tr').evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-programme'), r.getAttribute('data-rule'), r.querySelector('[data-col="alerts"]')?.textContent, r.querySelector('[data-col="per-patient-day"]')?.textContent]),
      );
      expect(shownRows.map(([p, rule, alerts]) => [p, rule, alerts])).toEqual(report.rows.map((r) => [r.programme, r.ruleId, String(r.alerts)]));
      shownRows.forEach(([, , , rate], i) => expectRate(rate, report.rows[i]!.alertsPerPatientDay));
      const row = report.rows.find((r) => r.ruleId === 'BP-06');
      expect(row).toMatchObject({ programme: PROGRAMME, alerts: 1, acknowledged: 1, resolved: 1, dispositions: expect.objectContaining({ contacted_patient: 1 }), measurementErrorOrNoActionShare: 0 });
      const shown = page.locator(`table.burden-table tr[data-programme="${PROGRAMME}"][data-rule="BP-06"]`);
      expect(await shown.locator('[data-col="within-target"]').textContent()).toBe(`${Math.round(row!.acknowledgedWithinTargetShare * 100)} %`);
      expect(await shown.locator('[data-col="low-value"]').textContent()).toBe('0 %');
      expect(await shown.locator('[data-col="dispositions"]').textContent()).toBe('Contacted patient: 1');
      // The three charts' bars for it: per patient-day, within target, low value.
      const [rateBar, targetBar, lowValueBar] = await page.locator('svg g[data-key="hypertension/BP-06"] .bar-value').allTextContents();
      expectRate(rateBar, row!.alertsPerPatientDay);
      expect([targetBar, lowValueBar]).toEqual([`${Math.round(row!.acknowledgedWithinTargetShare * 100)} %`, '0 %']);

      // The patient's overrides: refused inline, saved with a reason, backtested, in the history with its diff, rolled back.
      await page.goto(`${harness.apiUrl}/patients/${patient.id}`);
      const overrides = page.getByRole('region', { name: 'Overrides' });
      await overrides.waitFor({ timeout: UI_MS });
      const patientSystolic = overrides.getByLabel('BP-06 systolic ≥', { exact: true });
      expect(await patientSystolic.inputValue()).toBe('150'); // the programme's value now in force
      await patientSystolic.fill('20');
      await overrides.getByLabel('Why this change').fill('white-coat effect at home');
      await overrides.getByRole('button', { name: 'Save overrides' }).click();
      await overrides.locator('[data-setting="BP-06/systolic"] .field-error').waitFor({ timeout: UI_MS });
      expect(await overrides.locator('[data-setting="BP-06/systolic"] .field-error').textContent()).toMatch(/^20 mm\[Hg\] is outside the plausible range/);
      await patientSystolic.fill('140');
      await overrides.getByRole('button', { name: 'Start backtest' }).click();
      const patientResult = overrides.locator('.backtest-result');
      await patientResult.waitFor({ timeout: BACKTEST_MS });
      const patientJob = (await lead.get<BacktestResponse>(`/api/v1/backtests/${await patientResult.getAttribute('data-backtest-id')}`)).body;
      expect(patientJob).toMatchObject({ status: 'done', patientId: patient.id, programme: null });
      expect(
        await overrides.locator('table.per-rule tbody tr').evaluateAll((rows) => rows.map((r) => [r.getAttribute('data-rule'), r.querySelector('[data-side="current"]')?.textContent, r.querySelector('[data-side="draft"]')?.textContent])),
      ).toEqual(patientJob.result!.perRule.map((r) => [r.ruleId, String(r.current), String(r.draft)]));
      await overrides.getByRole('button', { name: 'Save overrides' }).click();
      await page.getByText(`Saved the overrides: the patient's protocol is version 2.`).waitFor({ timeout: UI_MS });
      const history = (await lead.get<PatientProtocolVersionResponse[]>(`/api/v1/patients/${patient.id}/protocol/versions`)).body;
      expect(history.map((v) => [v.version, v.reason, v.createdBy])).toEqual([[2, 'white-coat effect at home', leadSub]]);
      const v2 = overrides.locator('li.version[data-version="2"]');
      // The history reloads after the save: wait for version 2's changes to be on screen before reading them.
      await v2.locator('table.changes tbody tr').first().waitFor({ timeout: UI_MS });
      expect(await v2.locator('table.changes tbody tr').allTextContents()).toEqual([expect.stringMatching(/BP-06.*systolic ≥.*programme value.*140 mmHg/)]);
      await overrides.getByRole('button', { name: 'Roll back to version 1…' }).click();
      const rollback = page.getByRole('dialog', { name: 'Roll back the overrides to version 1' });
      await rollback.getByLabel('Reason').fill('back to the programme');
      await rollback.getByRole('button', { name: 'Roll back' }).click();
      await overrides.locator('li.version[data-version="3"]').waitFor({ timeout: UI_MS });
      expect((await lead.get<{ version: number; overrides: unknown[] }>(`/api/v1/patients/${patient.id}/protocol`)).body).toMatchObject({ version: 3, overrides: [] });

      // A nurse: no leads' navigation, no overrides, and the leads' pages refused in words (the report by the API's 403).
      const nurse = await signIn('e2e-leads-nurse', 'nurse', 900);
      expect(await nurse.getByRole('navigation', { name: 'Main' }).count()).toBe(0);
      const [refusedReport] = await Promise.all([
        nurse.waitForResponse((r) => r.url().includes('/api/v1/reports/alert-burden')),
        nurse.goto(`${harness.apiUrl}/reports/alert-burden`),
      ]);
      expect(refusedReport.status()).toBe(403);
      const forbidden = nurse.getByRole('alert').filter({ hasText: 'The alert-burden report is for clinical leads and admins' });
      await forbidden.waitFor({ timeout: UI_MS });
      expect(await forbidden.textContent()).toContain('You are signed in as nurse');
      await nurse.goto(`${harness.apiUrl}/protocols/${PROGRAMME}`);
      await nurse.getByText('Changing protocols is for clinical leads and admins').waitFor({ timeout: UI_MS });
      expect((await harness.nurse.post(`/api/v1/protocols/${PROGRAMME}/versions`, { reason: 'x', settings: [] })).status).toBe(403);
      await nurse.goto(`${harness.apiUrl}/patients/${patient.id}`);
      await nurse.getByRole('heading', { level: 1, name: 'Lead Test Patient' }).waitFor({ timeout: UI_MS });
      await nurse.getByRole('heading', { name: 'Effective protocol' }).waitFor({ timeout: UI_MS });
      expect(await nurse.getByRole('region', { name: 'Overrides' }).count()).toBe(0);
    }));
});
