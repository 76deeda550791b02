/**
 * Derives the NBBO (national best bid and offer) of one symbol from per-exchange top-of-book
 * updates, as the SIP does: the best bid is the highest bid of any exchange, the best ask the
 * lowest ask; the size at each is the total shown at that price across exchanges.
 *
 * Staleness rule: an exchange's update on one side evicts the other exchanges' quotes that are
 * better than it on that side. Recorded feeds (Lean tick quotes) publish each exchange's update
 * only when it is at the consolidated top, so a better quote left behind is one that was
 * withdrawn without a message. Measured on IBM 2013-10-07: without this rule 95 % of derived
 * NBBOs are crossed; with it 0.09 % (46 of 50 126 NBBO changes), as in a real SIP feed.
 */
import type { Quote, Symbol } from '../../../shared/domain';

const SLOTS = 26; // participant codes are the letters A–Z

function slotOf(exchange: string): number {
  const slot = exchange.charCodeAt(0) - 65;
  return slot >= 0 && slot < SLOTS ? slot : -1;
}

export class NbboBook {
  private readonly bidPrice = new Float64Array(SLOTS);
  private readonly bidSize = new Float64Array(SLOTS);
  private readonly askPrice = new Float64Array(SLOTS);
  private readonly askSize = new Float64Array(SLOTS);
  private last: Quote | null = null;

  constructor(readonly symbol: Symbol) {}

  /** Current NBBO, or null until both sides have been quoted. */
  get quote(): Quote | null {
    return this.last;
  }

  /**
   * Applies one exchange's update of its bid and/or ask (a price of 0 leaves that side as it was;
   * a positive price with size 0 withdraws it). Returns the new NBBO when it changed, else null.
   * An exchange letter outside A–Z is ignored (returns null).
   */
  apply(exchange: string, bid: number, bidSize: number, ask: number, askSize: number, time: number): Quote | null {
    const slot = slotOf(exchange);
    if (slot < 0) return null;
    if (bid > 0) {
      for (let i = 0; i < SLOTS; i++) if ((this.bidPrice[i] as number) > bid) this.bidPrice[i] = 0;
      this.bidPrice[slot] = bidSize > 0 ? bid : 0;
      this.bidSize[slot] = bidSize;
    }
    if (ask > 0) {
      for (let i = 0; i < SLOTS; i++) if ((this.askPrice[i] as number) > 0 && (this.askPrice[i] as number) < ask) this.askPrice[i] = 0;
      this.askPrice[slot] = askSize > 0 ? ask : 0;
      this.askSize[slot] = askSize;
    }
    return this.recompute(time);
  }

  private recompute(time: number): Quote | null {
    let bestBid = 0;
    let bestBidSize = 0;
    let bestBidSlot = -1;
    let bestAsk = Infinity;
    let bestAskSize = 0;
    let bestAskSlot = -1;
    for (let i = 0; i < SLOTS; i++) {
      const b = this.bidPrice[i] as number;
      if (b > 0) {
        if (b > bestBid) {
          bestBid = b;
          bestBidSize = this.bidSize[i] as number;
          bestBidSlot = i;
        } else if (b === bestBid) {
          bestBidSize += this.bidSize[i] as number;
        }
      }
      const a = this.askPrice[i] as number;
      if (a > 0) {
        if (a < bestAsk) {
          bestAsk = a;
          bestAskSize = this.askSize[i] as number;
          bestAskSlot = i;
        } else if (a === bestAsk) {
          bestAskSize += this.askSize[i] as number;
        }
      }
    }
    if (bestBidSlot < 0 || bestAskSlot < 0) return null;
    const prev = this.last;
    if (prev && prev.bid === bestBid && prev.ask === bestAsk && prev.bidSize === bestBidSize && prev.askSize === bestAskSize) {
      return null;
    }
    this.last = {
      symbol: this.symbol,
      bid: bestBid,
      bidSize: bestBidSize,
      bidExchange: String.fromCharCode(65 + bestBidSlot),
      ask: bestAsk,
      askSize: bestAskSize,
      askExchange: String.fromCharCode(65 + bestAskSlot),
      time,
    };
    return this.last;
  }
}
