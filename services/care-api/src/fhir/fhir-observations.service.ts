import { BadRequestException, Injectable, NotFoundException } from '@nestjs/common';
import { LOCAL_CODES, LOINC } from '@rpm/vitals';
import type { AuthenticatedUser } from '../auth/authenticated-user';
import { VitalsStoreClient } from '../observations/vitals-store.client';
import { parseObservationFhirId } from './fhir-ids';
import type { FhirResource } from './fhir-types';
import { FhirRecordsService } from './fhir-records.service';
import type { TimeRange } from './fhir-search';
import { interpretationOf, mostCritical, type InterpretationCode } from './interpretation';
import { OBSERVATION_CODES, observationCodeMatches } from './observation-codes';
import { readingsOf, toFhirObservation, type StoredReading } from './observation-mapping';

/** Readings before 2000 are dead-lettered (a reset clock), so a search without a lower bound starts there. */
const EARLIEST_READING_MS = Date.UTC(2000, 0, 1);
/** Devices may be ahead of the server by up to 10 minutes (MAX_FUTURE_SKEW_MS); a day covers it. */
const FUTURE_MARGIN_MS = 24 * 3600 * 1000;
/** Rows per vitals-store call: its own maximum, far above a page of readings (at most 500, two rows each). */
const ROWS_PER_FETCH = 10_000;

/** Where the next page starts: after this reading, in (measuredAt, id) order. */
export interface ObservationCursor {
  readonly t: number;
  readonly id: string;
}

export const encodeCursor = (c: ObservationCursor): string => Buffer.from(JSON.stringify([c.t, c.id])).toString('base64url');

export function decodeCursor(raw: string): ObservationCursor {
  try {
    const [t, id] = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8')) as [unknown, unknown];
    // Within the dates JavaScript can hold, and an id of ours: anything else was not issued here.
    if (typeof t === 'number' && Number.isSafeInteger(t) && Math.abs(t) <= 8.64e15 && typeof id === 'string' && id.length <= 64) return { t, id };
  } catch {
    /* falls through to the 400 */
  }
  throw new BadRequestException('_cursor is not one this server issued: follow the Bundle next link');
}

export interface ObservationSearch {
  readonly patientId: string;
  readonly codes: readonly string[];
  readonly range: TimeRange;
  readonly cursor: ObservationCursor | null;
  readonly count: number;
}

const byTimeThenId = (a: StoredReading, b: StoredReading): number => Date.parse(a.measuredAt) - Date.parse(b.measuredAt) || (a.fhirId < b.fhirId ? -1 : a.fhirId > b.fhirId ? 1 : 0);

/** Observations from the vitals store's raw series of one patient, with the interpretation of the rules that fired on them. */
@Injectable()
export class FhirObservationsService {
  constructor(
    private readonly vitals: VitalsStoreClient,
    private readonly records: FhirRecordsService,
  ) {}

  async read(id: string, user: AuthenticatedUser): Promise<FhirResource> {
    const parts = parseObservationFhirId(id);
    if (!parts) throw new NotFoundException(`Observation/${id} is not known`);
    await this.records.visiblePatient(parts.patientId, user);
    const t = parts.measuredFrom.getTime();
    const rows = await this.fetch(parts.patientId, t, t + 1000, undefined);
    const reading = readingsOf(parts.patientId, rows.items).find((r) => r.fhirId === id);
    if (!reading) throw new NotFoundException(`Observation/${id} is not known`);
    return (await this.withInterpretation(parts.patientId, [reading]))[0]!;
  }

  /**
   * The readings with these natural keys, as Observations with their interpretation, for the EHR push
   * (no user: the push is the system's own). `missing` names the keys the vitals store does not hold (yet).
   */
  async byNaturalKeys(patientId: string, keys: readonly { pipelineId: string; measuredAt: string }[]): Promise<{ found: FhirResource[]; missing: string[]; deviceIds: string[] }> {
    const seconds = new Map<number, Set<string>>();
    for (const k of keys) {
      const t = Math.floor(Date.parse(k.measuredAt) / 1000) * 1000;
      seconds.set(t, (seconds.get(t) ?? new Set()).add(k.pipelineId));
    }
    const readings: StoredReading[] = [];
    for (const [t, wanted] of seconds) {
      const rows = await this.fetch(patientId, t, t + 1000, undefined);
      readings.push(...readingsOf(patientId, rows.items).filter((r) => wanted.has(r.pipelineId)));
    }
    const found = new Set(readings.map((r) => r.pipelineId));
    readings.sort(byTimeThenId);
    return {
      found: await this.withInterpretation(patientId, readings),
      deviceIds: [...new Set(readings.map((r) => r.deviceId))],
      missing: [...new Set(keys.map((k) => k.pipelineId))].filter((k) => !found.has(k)),
    };
  }

  /** One page in (measuredAt, id) order, and the cursor of the next page when there is one. */
  async search(search: ObservationSearch): Promise<{ resources: FhirResource[]; next: ObservationCursor | null }> {
    const storedCodes = Object.keys(OBSERVATION_CODES).filter((stored) => search.codes.some((c) => observationCodeMatches(stored, c)));
    if (search.codes.length > 0 && storedCodes.length === 0) return { resources: [], next: null };
    const from = Math.max(search.range.from ?? EARLIEST_READING_MS, search.cursor?.t ?? -Infinity);
    const to = search.range.to ?? Date.now() + FUTURE_MARGIN_MS;
    if (from >= to) return { resources: [], next: null };
    // One stored code with one row per reading can be filtered by the store; BP (two rows) and oxygen (answer and flow) here.
    const single = storedCodes.length === 1 && storedCodes[0] !== LOINC.bloodPressurePanel && storedCodes[0] !== LOCAL_CODES.supplementalOxygen ? storedCodes[0] : undefined;
    const { items, limitHit } = await this.fetch(search.patientId, from, to, single);
    let readings = readingsOf(search.patientId, items).filter((r) => storedCodes.length === 0 || storedCodes.includes(r.panelCode));
    const cursor = search.cursor;
    if (cursor) readings = readings.filter((r) => Date.parse(r.measuredAt) > cursor.t || (Date.parse(r.measuredAt) === cursor.t && r.fhirId > cursor.id));
    // At the fetch limit the last instant may be cut between a reading's rows: it comes whole on the next page.
    const lastInstant = items.length > 0 ? Date.parse(items[items.length - 1]!.measuredAt) : null;
    if (limitHit && lastInstant !== null) readings = readings.filter((r) => Date.parse(r.measuredAt) < lastInstant);
    readings.sort(byTimeThenId);
    const page = readings.slice(0, search.count);
    const last = page[page.length - 1];
    const more = readings.length > search.count || limitHit;
    return {
      resources: await this.withInterpretation(search.patientId, page),
      next: more && last ? { t: Date.parse(last.measuredAt), id: last.fhirId } : null,
    };
  }

  private async fetch(patientId: string, from: number, to: number, code: string | undefined) {
    const query: Record<string, string> = { resolution: 'raw', limit: String(ROWS_PER_FETCH), from: new Date(from).toISOString(), to: new Date(to).toISOString() };
    if (code) query['code'] = code;
    const series = await this.vitals.series(patientId, query);
    return { items: series.items, limitHit: series.items.length >= ROWS_PER_FETCH };
  }

  private async withInterpretation(patientId: string, readings: readonly StoredReading[]): Promise<FhirResource[]> {
    const firings = await this.records.firingsOn(
      patientId,
      readings.map((r) => r.pipelineId),
    );
    const byReading = new Map<string, Map<string, InterpretationCode>>();
    for (const f of firings) {
      const code = interpretationOf({
        ruleId: f.ruleId,
        severity: f.severity,
        alertMeasuredAt: new Date(f.alertMeasuredAt).toISOString(),
        explanation: f.explanation,
        code: f.code,
        value: Number(f.value),
        measuredAt: new Date(f.measuredAt).toISOString(),
      });
      if (!code) continue;
      const codes = byReading.get(f.observationId) ?? new Map<string, InterpretationCode>();
      codes.set(f.code, mostCritical([codes.get(f.code) ?? null, code])!);
      byReading.set(f.observationId, codes);
    }
    return readings.map((r) => toFhirObservation(r, byReading.get(r.pipelineId) ?? new Map()));
  }
}
