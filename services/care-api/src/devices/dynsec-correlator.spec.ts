import { DynsecCorrelator } from './dynsec-correlator';

const commandsOf = (payload: string) => (JSON.parse(payload) as { commands: { command: string; correlationData: string }[] }).commands;
const answer = (...responses: object[]) => Buffer.from(JSON.stringify({ responses }));

describe('DynsecCorrelator', () => {
  afterEach(() => jest.useRealTimers());

  it('resolves each command with its own response, in command order, whatever order they arrive in', async () => {
    const correlator = new DynsecCorrelator(1_000);
    const { payload, answers } = correlator.prepare([{ command: 'createRole' }, { command: 'createClient' }]);
    const [role, client] = commandsOf(payload);
    correlator.receive(answer({ command: 'createClient', correlationData: client!.correlationData, error: 'Client already exists' }));
    correlator.receive(answer({ command: 'createRole', correlationData: role!.correlationData }));
    await expect(answers).resolves.toEqual([
      expect.objectContaining({ command: 'createRole' }),
      expect.objectContaining({ command: 'createClient', error: 'Client already exists' }),
    ]);
    expect(correlator.pending).toBe(0);
  });

  it('ignores responses to other admin clients and malformed messages', async () => {
    const correlator = new DynsecCorrelator(1_000);
    const { payload, answers } = correlator.prepare([{ command: 'deleteClient' }]);
    correlator.receive('not json');
    correlator.receive(answer({ command: 'deleteClient', correlationData: 'someone-else' }, { command: 'deleteClient' }));
    expect(correlator.pending).toBe(1);
    correlator.receive(answer({ command: 'deleteClient', correlationData: commandsOf(payload)[0]!.correlationData }));
    await expect(answers).resolves.toHaveLength(1);
  });

  it('rejects once when several commands time out, leaving no unhandled rejection and nothing pending', async () => {
    jest.useFakeTimers();
    const unhandled = jest.fn();
    process.on('unhandledRejection', unhandled);
    const correlator = new DynsecCorrelator(5_000);
    const { answers } = correlator.prepare([{ command: 'createRole' }, { command: 'createClient' }]);
    // As in execute(): the publish is still in flight when the broker's answers time out.
    jest.advanceTimersByTime(5_001);
    jest.useRealTimers();
    await new Promise((r) => setTimeout(r, 20));
    await expect(answers).rejects.toThrow('dynamic-security createRole timed out');
    process.off('unhandledRejection', unhandled);
    expect(unhandled).not.toHaveBeenCalled();
    expect(correlator.pending).toBe(0);
  });
});
