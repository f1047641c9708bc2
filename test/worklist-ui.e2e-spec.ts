import { execFileSync } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { AlertListResponse, AlertResponse, DispositionResponse, PatientResponse } from '@rpm/contracts';
import { signDevToken, workspaceRoot } from '@rpm/service-kit';
import { ApiClient, connectDevice, pollUntil, publishReading } from '@rpm/testing';
import { chromium, type Browser, type Page } from 'playwright-core';
import { deviceMessage, PipelineHarness } from './pipeline-harness';

/** Apart from the other end-to-end suites' ports (13000-13003), so they may run at the same time. */
const UI_PORTS = { 'care-api': 13100, 'ingest-gateway': 13101, 'rules-engine': 13102, 'vitals-store': 13103 };
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];
/** From MQTT to the worklist API: ingest, Kafka, rules, Kafka, care-api. */
const PIPELINE_MS = 30_000;
/** From the API to the screen: the stream's 250 ms poll, the event, the re-read of the alert. */
const STREAM_MS = 10_000;
const UI_MS = 10_000;
const RESULTS = join(workspaceRoot(), '.data', 'test-results');

/** SpO2 93 % on room air: SP-02 (medium, one reading) for a patient on NEWS2 scale 1. */
const SPO2_93 = [{ type: 'spo2', value: 93, unit: '%' }];

/**
 * Issue 4 section 6 in headless Chromium: nurses sign in with dev tokens, a reading published
 * over MQTT appears in an open queue without a reload, it is acknowledged and resolved from the
 * keyboard (checked through the API too), and a nurse of another care team never sees it.
 */
describe('worklist UI in headless Chromium', () => {
  const harness = new PipelineHarness({}, { ports: UI_PORTS });
  const otherTeam = `${harness.careTeam}-other`;
  let browser: Browser;
  const pages: Page[] = [];

  beforeAll(async () => {
    // Up to date after npm test's build; a lone run of this file builds it here.
    execFileSync('bash', [join(workspaceRoot(), 'scripts', 'build-web.sh')], { stdio: 'inherit' });
    await harness.start();
    browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: CHROMIUM_ARGS });
  }, 180_000);

  afterAll(async () => {
    await browser?.close();
    await harness.stop();
  }, 60_000);

  /** A fresh browser context (its own storage) signed in through the sign-in page. */
  async function signIn(sub: string, careTeam: string): Promise<Page> {
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const page = await context.newPage();
    pages.push(page);
    await page.goto(`${harness.apiUrl}/`);
    const token = signDevToken({ sub, role: 'nurse', careTeams: [careTeam] }, harness.local.JWT_SECRET);
    await page.getByLabel('Development token').fill(token);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('tab', { name: 'Clinical', selected: true }).waitFor({ timeout: UI_MS });
    await page.getByText('Live', { exact: true }).waitFor({ timeout: UI_MS });
    return page;
  }

  /** A patient of `careTeam` with a connected pulse oximeter. */
  async function enrolledOximeter(careTeam: string) {
    const created = await harness.admin.post<PatientResponse>('/api/v1/patients', {
      mrn: `MRN-UI-${harness.runId}-${careTeam.endsWith('-other') ? 'B' : 'A'}`,
      name: careTeam.endsWith('-other') ? 'Other Team Patient' : 'Queue Patient',
      timezone: 'Europe/London',
      programs: [],
      careTeamId: careTeam,
    });
    expect(created.status).toBe(201);
    const registration = await harness.registerDevice(created.body.id, 'pulse_oximeter');
    const client = await connectDevice(registration.mqtt);
    harness.clients.push(client);
    const send = async () => expect(await publishReading(client, registration.mqtt.topic, deviceMessage(SPO2_93, new Date(Date.now() - 60_000)))).toBe(0);
    return { patient: created.body, send };
  }

  const rowOf = (page: Page, mrn: string) => page.locator('li.alert-row', { hasText: mrn });

  /** Screenshots of every open page when the test fails, into .data/test-results/. */
  async function withScreenshots(name: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (error) {
      mkdirSync(RESULTS, { recursive: true });
      await Promise.all(pages.map((p, i) => p.screenshot({ path: join(RESULTS, `${name}-${i}.png`), fullPage: true }).catch(() => undefined)));
      throw error;
    }
  }

  it('shows a reading from MQTT live, acknowledges and resolves it from the keyboard, and keeps it from another team', () =>
    withScreenshots('worklist-ui', async () => {
      const mine = await enrolledOximeter(harness.careTeam);
      const theirs = await enrolledOximeter(otherTeam);

      const nurse = await signIn('e2e-ui-nurse', harness.careTeam);
      const otherNurse = await signIn('e2e-ui-other', otherTeam);
      // Both queues are open and empty: each care team of this run is new.
      await nurse.getByText('No clinical alerts').waitFor({ timeout: UI_MS });
      await otherNurse.getByText('No clinical alerts').waitFor({ timeout: UI_MS });

      // A mark a reload would erase, and a watch on the other team's screen for this patient's MRN.
      // (In-page scripts are strings: this file is type-checked without the DOM library.)
      await nurse.evaluate('window.sameDocument = true');
      await otherNurse.evaluate(`window.sawMrn = false;
        new MutationObserver(() => { if (document.body.innerText.includes(${JSON.stringify(mine.patient.mrn)})) window.sawMrn = true; })
          .observe(document.body, { subtree: true, childList: true, characterData: true });`);

      await mine.send();
      await theirs.send();

      // The pipeline raises it (waited for apart, so a failure says which side stalled) ...
      const raised = await pollUntil(
        async () => (await harness.nurse.get<AlertListResponse>(`/api/v1/alerts?patientId=${mine.patient.id}`)).body.items[0],
        { timeoutMs: PIPELINE_MS, what: 'SP-02 in the worklist API' },
      );
      expect(raised).toMatchObject({ ruleId: 'SP-02', severity: 'medium', status: 'open' });
      const alertId = raised.id;
      // ... and it appears in the open queue, in the same document: no reload.
      const row = rowOf(nurse, mine.patient.mrn);
      await row.waitFor({ timeout: STREAM_MS }).catch((error: unknown) => {
        throw new Error(`alert ${alertId} is in the API but not on the screen after ${STREAM_MS} ms: the alert stream did not deliver it (${String(error)})`);
      });
      expect(await nurse.evaluate('window.sameDocument')).toBe(true);
      expect(await row.getAttribute('data-alert-id')).toBe(alertId);
      expect(await row.textContent()).toContain('SP-02');
      expect(await row.getAttribute('aria-current')).toBe('true');

      // a: acknowledged, on the screen and in the API.
      await nurse.keyboard.press('a');
      await nurse.locator(`li.alert-row[data-alert-id="${alertId}"][data-status="acknowledged"]`).waitFor({ timeout: UI_MS });
      const acknowledged = await harness.nurse.get<AlertResponse>(`/api/v1/alerts/${alertId}`);
      expect(acknowledged.body).toMatchObject({ status: 'acknowledged', acknowledgedBy: 'e2e-ui-nurse' });

      // Enter: the patient page, with the SpO2 chart against the patient's bands and the explanation.
      await nurse.keyboard.press('Enter');
      await nurse.getByRole('heading', { level: 1, name: 'Queue Patient' }).waitFor({ timeout: UI_MS });
      const spo2 = nurse.locator('section[data-vital="spo2"]');
      await spo2.locator('svg[role="img"] circle.triggering').waitFor({ timeout: UI_MS });
      expect(await spo2.getByRole('list', { name: 'SpO2 thresholds' }).textContent()).toMatch(/SP-01.*≤ 91 %.*general protocol v\d+.*SP-02/s);
      const card = nurse.locator(`article[data-alert-id="${alertId}"]`);
      expect(await card.textContent()).toMatch(/Triggering readings.*93 %.*SP-02/s);
      await nurse.goBack();
      await row.waitFor({ timeout: UI_MS });

      // r: the resolve dialog, a disposition chosen and confirmed with the keyboard.
      const [disposition] = (await harness.nurse.get<DispositionResponse[]>('/api/v1/dispositions')).body.filter((d) => d.active).sort((a, b) => a.sortOrder - b.sortOrder);
      if (!disposition) throw new Error('no active disposition to resolve with');
      await nurse.keyboard.press('r');
      const dialog = nurse.getByRole('dialog', { name: `Resolve SP-02 for Queue Patient` });
      await dialog.waitFor({ timeout: UI_MS });
      await dialog.getByRole('radio', { name: disposition.label }).focus();
      await nurse.keyboard.press('Space');
      await nurse.keyboard.press('Tab'); // the note
      await nurse.keyboard.type('Rechecked on the phone: 96 % at rest.');
      await nurse.keyboard.press('Tab'); // Cancel
      await nurse.keyboard.press('Tab'); // Resolve
      await nurse.keyboard.press('Enter');
      await dialog.waitFor({ state: 'detached', timeout: UI_MS });
      await row.waitFor({ state: 'detached', timeout: UI_MS });
      const resolved = await harness.nurse.get<AlertResponse>(`/api/v1/alerts/${alertId}`);
      expect(resolved.body).toMatchObject({ status: 'resolved', resolvedBy: 'e2e-ui-nurse', disposition: disposition.code, note: 'Rechecked on the phone: 96 % at rest.' });

      // The other team's nurse saw their own patient's alert live, and never this one.
      await rowOf(otherNurse, theirs.patient.mrn).waitFor({ timeout: STREAM_MS });
      expect(await otherNurse.evaluate('window.sawMrn')).toBe(false);
      expect(await rowOf(otherNurse, mine.patient.mrn).count()).toBe(0);
      expect(await rowOf(nurse, theirs.patient.mrn).count()).toBe(0);
      const otherApi = new ApiClient(harness.apiUrl, signDevToken({ sub: 'e2e-ui-other', role: 'nurse', careTeams: [otherTeam] }, harness.local.JWT_SECRET));
      expect([403, 404]).toContain((await otherApi.get(`/api/v1/alerts/${alertId}`)).status);
    }));
});
