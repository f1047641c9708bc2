import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import { ReadingDaysResponse, type ReadingDaysRequest } from '@rpm/contracts';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';

/**
 * Patients per request: the contract allows 1,000, but a request body must stay under the store's
 * 100 KB body limit (a patient's query is ~150 bytes): 803 patients in one request got a 413.
 */
const PATIENTS_PER_REQUEST = 200;
/** A month of many patients' raw rows is grouped by the store: give it time. */
const REQUEST_TIMEOUT_MS = 60_000;

export type ReadingDaysQuery = ReadingDaysRequest['patients'][number];

/** The vitals-store's reading days (POST /internal/v1/observations/reading-days): the only I/O for data days. */
@Injectable()
export class ReadingDaysClient {
  constructor(@Inject(CARE_API_CONFIG) private readonly config: CareApiConfig) {}

  /** The instant of each local day's first reading, per patient (every patient asked is in the map). */
  async firstReadings(queries: readonly ReadingDaysQuery[]): Promise<Map<string, string[]>> {
    const byPatient = new Map<string, string[]>(queries.map((q) => [q.patientId, []]));
    for (let i = 0; i < queries.length; i += PATIENTS_PER_REQUEST) {
      const answer = await this.post({ patients: queries.slice(i, i + PATIENTS_PER_REQUEST) });
      for (const patient of answer.patients) byPatient.set(patient.patientId, patient.days.map((d) => d.firstReadingAt));
    }
    return byPatient;
  }

  private async post(body: ReadingDaysRequest): Promise<ReadingDaysResponse> {
    let response: Response;
    try {
      response = await fetch(new URL('/internal/v1/observations/reading-days', this.config.VITALS_STORE_URL), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(body),
        signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS),
      });
    } catch {
      throw new BadGatewayException('the vitals store is unreachable');
    }
    if (!response.ok) throw new BadGatewayException(`the vitals store answered ${response.status}`);
    return ReadingDaysResponse.parse(await response.json());
  }
}
