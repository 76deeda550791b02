import { describe, expect, it } from 'vitest';
import { SizingError, previewOrder, rSizedQuantity } from '../../../shared/order-preview';

const thresholds = { confirmAboveNotional: 50_000, priceBandPercent: 2 };

describe('R-sizing: quantity from dollar risk and stop distance', () => {
  it('risks at most the dollars given: $100 over a $0.30 stop is 333 shares risking $99.90', () => {
    expect(rSizedQuantity(100, 50.3, 50)).toEqual({ quantity: 333, riskPerShare: 0.3, riskUsd: 99.9, limitedBy: 'risk' });
  });

  it('sizes a short the same way (stop above the entry)', () => {
    expect(rSizedQuantity(250, 20, 20.5)).toMatchObject({ quantity: 500, riskUsd: 250 });
  });

  it('is exact on the cent grid: $100 over a 10-cent stop is 1 000 shares, not 999', () => {
    expect(rSizedQuantity(100, 10.1, 10)).toMatchObject({ quantity: 1000 });
  });

  it('caps by the risk limits and says which', () => {
    expect(rSizedQuantity(1_000, 10.01, 10, { maxQuantity: 5_000 })).toMatchObject({ quantity: 5_000, limitedBy: 'max_quantity' });
    expect(rSizedQuantity(1_000, 200.05, 200, { maxNotional: 100_000 })).toMatchObject({ quantity: 499, limitedBy: 'max_notional' });
  });

  it('gives 0 shares when one share risks more than the budget', () => {
    expect(rSizedQuantity(10, 100, 80)).toMatchObject({ quantity: 0, riskUsd: 0 });
  });

  it('refuses a stop equal to the entry and non-positive inputs, naming the field', () => {
    expect(() => rSizedQuantity(100, 10, 10)).toThrow(SizingError);
    expect(() => rSizedQuantity(100, 10, 10)).toThrow(/differ/);
    for (const [risk, entry, stop, field] of [[0, 10, 9, 'riskUsd'], [100, -1, 9, 'entry'], [100, 10, Number.NaN, 'stop']] as const) {
      try {
        rSizedQuantity(risk, entry, stop);
        expect.unreachable();
      } catch (error) {
        expect((error as SizingError).field).toBe(field);
      }
    }
  });
});

describe('order preview line', () => {
  const quote = { bid: 181.9, ask: 181.95, last: 181.93 };

  it('says exactly what a bracket limit buy sends, its value and its risk', () => {
    const preview = previewOrder(
      { symbol: 'IBM', side: 'buy', quantity: 300, type: 'limit', limitPrice: 181.95, timeInForce: 'day', orderClass: 'bracket', takeProfit: { limitPrice: 183 }, stopLoss: { stopPrice: 181.45 } },
      quote,
      thresholds,
    );
    expect(preview.text).toBe('Buy 300 IBM limit 181.95, day · bracket: take profit 183.00, stop loss 181.45 · $54,585.00 · risks $150.00');
    expect(preview.confirmations).toEqual(['Order value $54,585.00 is above the $50,000.00 confirmation threshold']);
  });

  it('values a market sell at the bid and needs no confirmation under the threshold', () => {
    const preview = previewOrder({ symbol: 'IBM', side: 'sell', quantity: 100, type: 'market', timeInForce: 'day' }, quote, thresholds);
    expect(preview).toMatchObject({ text: 'Sell 100 IBM market, day · $18,190.00', notional: 18_190, riskUsd: null, confirmations: [] });
  });

  it('asks to confirm a limit priced through the band', () => {
    const preview = previewOrder({ symbol: 'IBM', side: 'buy', quantity: 10, type: 'limit', limitPrice: 190, timeInForce: 'gtc' }, quote, thresholds);
    expect(preview.text).toBe('Buy 10 IBM limit 190.00, good till canceled · $1,900.00');
    expect(preview.confirmations).toEqual(['Limit 190.00 is 4.4% above the ask 181.95 (band 2%)']);
  });

  it('describes stop, stop-limit and trailing orders, and leaves out figures it cannot know', () => {
    expect(previewOrder({ symbol: 'SPY', side: 'sell', quantity: 5, type: 'stop_limit', stopPrice: 400, limitPrice: 399.5, timeInForce: 'day' }, null, thresholds).text).toBe('Sell 5 SPY stop 400.00 limit 399.50, day · $1,997.50');
    expect(previewOrder({ symbol: 'SPY', side: 'sell', quantity: 5, type: 'trailing_stop', trailPercent: 1.5, timeInForce: 'day' }, null, thresholds).text).toBe('Sell 5 SPY trailing stop 1.5%, day');
  });
});
