import { aReading, anObservation } from '@rpm/testing';
import type { ObservationRepository } from './observation.repository';
import { PostgresSink } from './postgres-sink';

describe('PostgresSink', () => {
  it('writes the batch through the repository and reports new rows and rows already stored, one per component', async () => {
    const batches: unknown[] = [];
    const repository = {
      insertBatch: async (observations: readonly unknown[]) => {
        batches.push(observations);
        return { stored: 2, resent: 1 };
      },
    } as unknown as ObservationRepository;
    const batch = [anObservation({ reading: aReading({ type: 'blood_pressure', systolic: 120, diastolic: 80 }) }), anObservation(), anObservation()];

    const result = await new PostgresSink(repository).write(batch);

    expect(batches).toEqual([batch]);
    // 4 rows (two components, then one each): 2 stored, 1 resent under a new messageId, 1 already stored.
    expect(result).toEqual({ written: 2, duplicates: 2, deadLettered: 0 });
  });
});
