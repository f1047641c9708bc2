import { randomUUID } from 'node:crypto';
import type { CreatePatientRequest, PatientResponse } from '@rpm/contracts';
import { signDevToken } from '@rpm/service-kit';
import { ApiClient, localTestEnv, newRunId, startServiceUnderTest, testKafka, type ServiceProcess } from '@rpm/testing';

/**
 * care-api as a real process on rpm_test, its alert consumer group preset to the end of
 * rpm.alerts.v1, with an admin, a nurse of this run's care team and a nurse of another team.
 */
export class CareApiFixture {
  readonly runId = newRunId('int-ca');
  readonly local = localTestEnv();
  readonly kafka = testKafka(this.runId, this.local);
  readonly careTeam = `${this.runId}-team`;
  readonly anonymous: ApiClient;
  readonly admin: ApiClient;
  readonly nurse: ApiClient;
  readonly otherNurse: ApiClient;
  private service: ServiceProcess | null = null;

  /** `env`: extra or overriding environment for the care-api process (e.g. AUTH_MODE=oidc). */
  constructor(
    readonly port: number,
    private readonly env: Readonly<Record<string, string>> = {},
  ) {
    this.anonymous = new ApiClient(`http://127.0.0.1:${port}`);
    this.admin = this.as(`${this.runId}-admin`, 'admin');
    this.nurse = this.as(`${this.runId}-nurse`, 'nurse', [this.careTeam]);
    this.otherNurse = this.as(`${this.runId}-other-nurse`, 'nurse', [`${this.runId}-other-team`]);
  }

  get adminMqtt() {
    return { url: this.local.MQTT_URL, username: this.local.MQTT_ADMIN_USERNAME, password: this.local.MQTT_ADMIN_PASSWORD };
  }

  as(sub: string, role: 'admin' | 'clinical_lead' | 'nurse', careTeams?: string[]): ApiClient {
    return this.anonymous.withToken(signDevToken({ sub, role, careTeams }, this.local.JWT_SECRET));
  }

  async start(): Promise<void> {
    this.service = await startServiceUnderTest({
      name: 'care-api',
      runId: this.runId,
      port: this.port,
      kafka: this.kafka,
      // Nothing here reads observations: an address where no vitals-store listens.
      env: { VITALS_STORE_URL: 'http://127.0.0.1:14099', ...this.env },
    });
  }

  async stop(): Promise<void> {
    await this.service?.stop();
  }

  /** A valid patient request of this run's care team (unique mrn). */
  aPatientRequest(overrides: Partial<CreatePatientRequest> = {}): CreatePatientRequest {
    return {
      mrn: `${this.runId}-${randomUUID().slice(0, 8)}`,
      name: 'Integration Patient',
      timezone: 'Europe/Paris',
      programs: ['heart_failure'],
      careTeamId: this.careTeam,
      ...overrides,
    };
  }

  async createPatient(overrides: Partial<CreatePatientRequest> = {}): Promise<PatientResponse> {
    const res = await this.admin.post<PatientResponse>('/api/v1/patients', this.aPatientRequest(overrides));
    if (res.status !== 201) throw new Error(`patient not created: ${res.status} ${JSON.stringify(res.body)}`);
    return res.body;
  }
}
