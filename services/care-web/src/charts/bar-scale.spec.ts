import { barLength, barTicks, formatRate, formatShare, formatTick, niceMax } from './bar-scale';

describe('bar scales', () => {
  it.each([
    [0, 1],
    [1, 1],
    [3, 5],
    [7, 10],
    [12, 20],
    [0.034, 0.05],
    [1, 1],
    [250, 500],
  ])('niceMax(%p) = %p', (max, nice) => expect(niceMax(max)).toBe(nice));

  it('draws bars from zero, clamped to the axis', () => {
    expect(barLength(5, 10, 200)).toBe(100);
    expect(barLength(0, 10, 200)).toBe(0);
    expect(barLength(12, 10, 200)).toBe(200);
    expect(barLength(3, 0, 200)).toBe(0);
  });

  it('ticks the axis at round steps up to the round maximum', () => {
    expect(barTicks(7)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(barTicks(1)).toEqual([0, 0.2, 0.4, 0.6, 0.8, 1]);
  });

  it('formats shares and rates', () => {
    expect(formatShare(0.425)).toBe('43 %');
    expect(formatShare(null)).toBe('–');
    expect(formatRate(0.0333333)).toBe('0.0333');
    expect(formatRate(1.5)).toBe('1.50');
    expect(formatRate(0)).toBe('0');
    expect(formatRate(18805.24)).toBe('18805');
    expect(formatTick(0.1 + 0.2)).toBe('0.3');
    expect(formatTick(5000)).toBe('5000');
  });
});
