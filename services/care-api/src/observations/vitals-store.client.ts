import { BadGatewayException, Inject, Injectable } from '@nestjs/common';
import { ObservationHistoryResponse, ObservationSeriesResponse, type ObservationV1 } from '@rpm/contracts';
import { CARE_API_CONFIG, type CareApiConfig } from '../config/care-api.config';

/** The vitals-store's internal query API (HTTP contract in libs/contracts). */
@Injectable()
export class VitalsStoreClient {
  constructor(@Inject(CARE_API_CONFIG) private readonly config: CareApiConfig) {}

  async series(patientId: string, query: Record<string, string>): Promise<ObservationSeriesResponse> {
    const url = new URL(`/internal/v1/patients/${encodeURIComponent(patientId)}/observations`, this.config.VITALS_STORE_URL);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    let response: Response;
    try {
      response = await fetch(url, { signal: AbortSignal.timeout(5_000) });
    } catch {
      throw new BadGatewayException('the vitals store is unreachable');
    }
    if (!response.ok) throw new BadGatewayException(`the vitals store answered ${response.status}`);
    const parsed = ObservationSeriesResponse.safeParse(await response.json());
    // An answer we cannot read (another version of the store) is the store's failure, not ours.
    if (!parsed.success) throw new BadGatewayException('the vitals store answered in a shape this care-api does not read');
    return parsed.data;
  }

  /** Many patients' stored readings over a period, as observations (for backtests). */
  async history(patientIds: readonly string[], from: Date, to: Date): Promise<ObservationV1[]> {
    let response: Response;
    try {
      response = await fetch(new URL('/internal/v1/observations/history', this.config.VITALS_STORE_URL), {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ patientIds, from: from.toISOString(), to: to.toISOString() }),
        signal: AbortSignal.timeout(60_000),
      });
    } catch {
      throw new BadGatewayException('the vitals store is unreachable');
    }
    if (!response.ok) throw new BadGatewayException(`the vitals store answered ${response.status}`);
    return ObservationHistoryResponse.parse(await response.json()).observations;
  }
}
