import { changeLines, describeSetting } from './changes';

describe('describeSetting', () => {
  it('writes values in the setting\'s unit or the parameter\'s, on and off, and the default', () => {
    expect(describeSetting({ ruleId: 'GL-03', parameter: 'conditions.0', value: 12.5, unit: 'mmol/L' }, 'mg/dL')).toBe('12.5 mmol/L');
    expect(describeSetting({ ruleId: 'BP-06', parameter: 'systolic', value: 140 }, 'mm[Hg]')).toBe('140 mmHg');
    expect(describeSetting({ ruleId: 'BP-06', parameter: 'systolic', value: 0.1 + 0.2 })).toBe('0.3');
    expect(describeSetting({ ruleId: 'BP-06', enabled: false, reason: 'x' })).toBe('off');
    expect(describeSetting({ ruleId: 'HF-03', enabled: true })).toBe('on');
    expect(describeSetting(null, 'mm[Hg]', 'library default')).toBe('library default');
  });
});

describe('changeLines', () => {
  it('renders added, changed and removed settings with the rule\'s labels and the reason', () => {
    const labels = new Map([['BP-06/systolic', { label: 'systolic ≥', unit: 'mm[Hg]' }]]);
    const lines = changeLines(
      [
        { ruleId: 'BP-06', setting: 'systolic', before: null, after: { ruleId: 'BP-06', parameter: 'systolic', value: 150, reason: 'stage-1 at home' } },
        { ruleId: 'BP-06', setting: 'diastolic', before: { ruleId: 'BP-06', parameter: 'diastolic', value: 85 }, after: { ruleId: 'BP-06', parameter: 'diastolic', value: 95 } },
        { ruleId: 'HF-03', setting: 'enabled', before: { ruleId: 'HF-03', enabled: true }, after: null },
      ],
      labels,
      'library default',
    );
    expect(lines).toEqual([
      { ruleId: 'BP-06', setting: 'systolic ≥', kind: 'added', before: 'library default', after: '150 mmHg', reason: 'stage-1 at home' },
      { ruleId: 'BP-06', setting: 'diastolic', kind: 'changed', before: '85', after: '95', reason: null },
      { ruleId: 'HF-03', setting: 'on/off', kind: 'removed', before: 'on', after: 'library default', reason: null },
    ]);
  });
});
