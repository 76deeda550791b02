import { describe, expect, it } from 'vitest';
import { FIRST_LIVE_ORDER_MESSAGE, FirstLiveOrderGate, tradingMode } from '../../../renderer/components/trading-mode';

describe('paper or live', () => {
  it('names the mode from the broker: the paper broker and Alpaca paper are paper, Alpaca live is live', () => {
    expect(tradingMode({ provider: 'paper', mode: 'paper' })).toBe('paper');
    expect(tradingMode({ provider: 'alpaca', mode: 'paper' })).toBe('paper');
    expect(tradingMode({ provider: 'alpaca', mode: 'live' })).toBe('live');
    expect(tradingMode(null)).toBeNull();
  });

  it('asks once for the first live order of the session; a second press within the window sends, later orders send at once', () => {
    const gate = new FirstLiveOrderGate();
    expect(gate.check('paper', 0, 10_000)).toBeNull();
    expect(gate.check('live', 1_000, 10_000)).toBe(FIRST_LIVE_ORDER_MESSAGE);
    // Too late: asked again.
    expect(gate.check('live', 12_000, 10_000)).toBe(FIRST_LIVE_ORDER_MESSAGE);
    expect(gate.check('live', 13_000, 10_000)).toBeNull();
    expect(gate.check('live', 60_000, 10_000)).toBeNull();
  });
});
