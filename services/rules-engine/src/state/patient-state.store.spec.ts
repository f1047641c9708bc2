import { isOlderState } from './patient-state.store';

describe('isOlderState: a late write of a member that lost its partitions does not replace a newer state', () => {
  it.each([
    [{ pos: [3, 10] }, { pos: [3, 12] }, true],
    [{ pos: [3, 12] }, { pos: [3, 12] }, false], // the same position: an AD-01 sweep on top of it
    [{ pos: [3, 13] }, { pos: [3, 12] }, false],
    [{ pos: [5, 1] }, { pos: [3, 12] }, false], // another partition (repartitioned): the later record wins
    [{}, { pos: [3, 12] }, false],
    [{ pos: 'x' }, { pos: [3, 12] }, false],
  ])('%j after %j: older %s', (incoming, current, older) => {
    expect(isOlderState(incoming, current)).toBe(older);
  });
});
