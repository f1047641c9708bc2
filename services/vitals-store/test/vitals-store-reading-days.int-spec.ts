import { randomUUID } from 'node:crypto';
import { ReadingDaysResponse, Topics, type ObservationV1 } from '@rpm/contracts';
import { BatchingProducer } from '@rpm/kafka';
import { ApiClient, aReading, anObservation, newRunId, pollUntil, startServiceUnderTest, testKafka, type ServiceProcess } from '@rpm/testing';

const PORT = 14073;

/** POST /internal/v1/observations/reading-days: each patient's readings dated in that patient's own zone, DST included. */
describe('vitals-store reading days', () => {
  const runId = newRunId('int-vsd');
  const kafka = testKafka(runId);
  const producer = new BatchingProducer(kafka);
  const api = new ApiClient(`http://127.0.0.1:${PORT}`);
  let service: ServiceProcess;

  beforeAll(async () => {
    await producer.connect();
    service = await startServiceUnderTest({ name: 'vitals-store', runId, port: PORT, kafka });
  });

  afterAll(async () => {
    await service?.stop();
    await producer.disconnect();
  });

  const publish = (observations: ObservationV1[]) => producer.publish(Topics.observations, observations.map((o) => ({ key: o.patientId, value: o })));
  const readingDays = async (body: unknown) => api.post<ReadingDaysResponse>('/internal/v1/observations/reading-days', body);

  it('dates readings by local midnight in New York across fall-back and in Kolkata, a panel counted once', async () => {
    const newYork = randomUUID();
    const kolkata = randomUUID();
    let pulse = 60;
    // A new value each time: the same value from the same device within 60 s would be dropped as a resend (DQ-03).
    const at = (iso: string, patientId: string, type: 'heart_rate' | 'blood_pressure' = 'heart_rate') =>
      anObservation({ patientId, reading: type === 'heart_rate' ? aReading({ type, value: (pulse += 1) }) : aReading({ type, systolic: 120, diastolic: 80 }), measuredAt: new Date(iso) });
    await publish([
      at('2026-11-01T04:30:00Z', newYork, 'blood_pressure'), // Nov 1, 00:30 EDT (a panel: two rows, one reading)
      at('2026-11-01T06:30:00Z', newYork), // Nov 1, 01:30 EST (the hour repeated)
      at('2026-11-02T04:59:00Z', newYork), // Nov 1, 23:59 EST: still the 25-hour Nov 1
      at('2026-11-02T05:00:00Z', newYork), // Nov 2, 00:00 EST
      at('2026-11-01T18:29:00Z', kolkata), // Nov 1, 23:59 IST
      at('2026-11-01T18:30:00Z', kolkata), // Nov 2, 00:00 IST
    ]);
    const body = {
      patients: [
        { patientId: newYork, timeZone: 'America/New_York', from: '2026-11-01T04:00:00Z', to: '2026-11-03T05:00:00Z' },
        { patientId: kolkata, timeZone: 'Asia/Kolkata', from: '2026-10-31T18:30:00Z', to: '2026-11-02T18:30:00Z' },
      ],
    };
    const answer = await pollUntil(async () => {
      const res = await readingDays(body);
      const total = res.body.patients?.flatMap((p) => p.days).reduce((n, d) => n + d.readings, 0);
      return total === 6 ? res : undefined;
    }, { what: 'the six readings stored' });
    expect(answer.status).toBe(200);
    expect(ReadingDaysResponse.parse(answer.body).patients).toEqual([
      {
        patientId: newYork,
        days: [
          { date: '2026-11-01', firstReadingAt: '2026-11-01T04:30:00.000Z', readings: 3 },
          { date: '2026-11-02', firstReadingAt: '2026-11-02T05:00:00.000Z', readings: 1 },
        ],
      },
      {
        patientId: kolkata,
        days: [
          { date: '2026-11-01', firstReadingAt: '2026-11-01T18:29:00.000Z', readings: 1 },
          { date: '2026-11-02', firstReadingAt: '2026-11-01T18:30:00.000Z', readings: 1 },
        ],
      },
    ]);

    // [from, to) is half-open; a patient with nothing stored is listed with no days.
    const narrowed = await readingDays({
      patients: [
        { patientId: newYork, timeZone: 'America/New_York', from: '2026-11-01T04:30:00.001Z', to: '2026-11-02T05:00:00Z' },
        { patientId: randomUUID(), timeZone: 'Pacific/Chatham', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' },
      ],
    });
    expect(narrowed.body.patients.map((p) => p.days.map((d) => [d.date, d.readings]))).toEqual([[['2026-11-01', 2]], []]);
  });

  it('refuses an unknown time zone and an empty list, naming the field', async () => {
    const unknownZone = await readingDays({ patients: [{ patientId: randomUUID(), timeZone: 'Mars/Olympus', from: '2026-11-01T00:00:00Z', to: '2026-11-02T00:00:00Z' }] });
    expect(unknownZone.status).toBe(400);
    expect(JSON.stringify(unknownZone.body)).toContain('patients.0.timeZone');
    expect((await readingDays({ patients: [] })).status).toBe(400);
  });
});
