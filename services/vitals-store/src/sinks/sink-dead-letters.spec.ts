import { createHash } from 'node:crypto';
import { DeadLetterV1, ObservationV1 } from '@rpm/contracts';
import { aReading, anObservation } from '@rpm/testing';
import { toSinkDeadLetter } from './sink-dead-letters';

describe('toSinkDeadLetter', () => {
  it('is a valid rpm.ingest-dlq.v1 record whose payload is the observation itself, keyed by its ids', () => {
    const observation = anObservation({ deviceId: 'cuff-7', messageId: 'm-42', reading: aReading({ type: 'blood_pressure', systolic: 150, diastolic: 95 }) });

    const deadLetter = toSinkDeadLetter({ observation, reason: 'sink_rejected', detail: 'timestream: outside the memory store window' });

    expect(DeadLetterV1.parse(deadLetter)).toEqual(deadLetter);
    expect(deadLetter).toMatchObject({
      reason: 'sink_rejected',
      detail: 'timestream: outside the memory store window',
      deviceId: 'cuff-7',
      messageId: 'm-42',
      mqttTopic: 'rpm/devices/cuff-7/readings',
      readingIndex: null,
      receivedAt: observation.receivedAt,
    });
    const payload = Buffer.from(deadLetter.rawPayloadBase64, 'base64');
    expect(ObservationV1.parse(JSON.parse(payload.toString('utf8')))).toEqual(observation);
    expect(deadLetter.rawPayloadBytes).toBe(payload.length);
    expect(deadLetter.rawPayloadSha256).toBe(createHash('sha256').update(payload).digest('hex'));
  });
});
