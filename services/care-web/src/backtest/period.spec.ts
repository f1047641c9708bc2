import { dateInputValue, defaultDates, rangeOfDates, startOfDate } from './period';

// Local times: the browser's time zone decides the day, as in the date inputs.
const NOW = new Date(2025, 5, 15, 14, 30).getTime();

describe('periods from date inputs', () => {
  it('defaults to the last 30 days, today included', () => {
    expect(defaultDates(NOW)).toEqual({ from: '2025-05-16', to: '2025-06-15' });
  });

  it('runs from the first day\'s midnight to the end of the last day, never past now', () => {
    expect(rangeOfDates({ from: '2025-06-01', to: '2025-06-10' }, NOW)).toEqual({
      from: new Date(2025, 5, 1).toISOString(),
      to: new Date(2025, 5, 11).toISOString(),
    });
    expect(rangeOfDates({ from: '2025-06-01', to: '2025-06-15' }, NOW)).toEqual({ from: new Date(2025, 5, 1).toISOString(), to: new Date(NOW).toISOString() });
  });

  it('refuses a reversed, future or malformed period with a reason', () => {
    expect(rangeOfDates({ from: '2025-06-10', to: '2025-06-01' }, NOW)).toEqual({ error: 'The first day must not be after the last day.' });
    expect(rangeOfDates({ from: '2025-07-01', to: '2025-07-02' }, NOW)).toEqual({ error: 'The period starts in the future.' });
    expect(rangeOfDates({ from: '', to: '2025-06-01' }, NOW)).toEqual({ error: 'Enter the first day of the period.' });
    expect(startOfDate('2025-02-30')).toBeNull();
    expect(dateInputValue(new Date(2025, 0, 5).getTime())).toBe('2025-01-05');
  });
});
