/**
 * Paper and live are unmistakable: every window of a paper account carries a coloured banner and
 * a tinted frame; a live account shows a red LIVE banner, and the first order a window sends to it
 * in a session needs a second, deliberate press.
 */
import type { BrokerHealth } from '../../shared/domain';
import { brokerName } from './broker-status';
import { useTopics, useWorkstationState } from '../workstation-context';

/** `paper` for the paper broker and Alpaca paper accounts, `live` for real money, null before the broker reports. */
export function tradingMode(broker: Pick<BrokerHealth, 'provider' | 'mode'> | null): 'paper' | 'live' | null {
  if (!broker) return null;
  return broker.provider === 'alpaca' && broker.mode === 'live' ? 'live' : 'paper';
}

/** The window's trading mode from the `health` topic. */
export function useTradingMode(): 'paper' | 'live' | null {
  useTopics(['health']);
  const provider = useWorkstationState((s) => s.broker?.provider ?? null);
  const mode = useWorkstationState((s) => s.broker?.mode ?? null);
  return provider && mode ? tradingMode({ provider, mode }) : null;
}

/** The persistent banner under the window header. */
export function TradingModeBanner() {
  useTopics(['health']);
  const broker = useWorkstationState((s) => s.broker);
  const mode = tradingMode(broker);
  if (!broker || !mode) return null;
  return mode === 'paper' ? (
    <div className="mode-banner mode-paper" data-testid="mode-banner" role="note">
      PAPER TRADING · {brokerName(broker)} · no real money
    </div>
  ) : (
    <div className="mode-banner mode-live" data-testid="mode-banner" role="note">
      LIVE TRADING · {brokerName(broker)} · real money
    </div>
  );
}

/** What the trader reads the first time an order would go to a live account; `again` says which press sends it. */
export function firstLiveOrderMessage(again = 'Press again'): string {
  return `This is the first order of the session to your LIVE account, with real money. ${again} to send it.`;
}

/** {@link firstLiveOrderMessage} as the ticket shows it. */
export const FIRST_LIVE_ORDER_MESSAGE = firstLiveOrderMessage();

/**
 * The first live order of a session needs a second press: {@link FirstLiveOrderGate.check}
 * returns {@link FIRST_LIVE_ORDER_MESSAGE} for the first order to a live account, null for the
 * same press repeated within `withinMs` (then for every later order), and null on paper.
 */
export class FirstLiveOrderGate {
  private confirmed = false;
  private askedAt: number | null = null;

  /** @param mode the window's trading mode; `now` ms (any monotonic clock). */
  check(mode: 'paper' | 'live' | null, now: number, withinMs: number): string | null {
    if (mode !== 'live' || this.confirmed) return null;
    if (this.askedAt !== null && now - this.askedAt <= withinMs) {
      this.confirmed = true;
      return null;
    }
    this.askedAt = now;
    return FIRST_LIVE_ORDER_MESSAGE;
  }
}

/** One gate per window (the ticket and the hotkeys share it): confirmed once, for the window's session. */
const windowGate = new FirstLiveOrderGate();

/** The window's first-live-order gate, with its trading mode. */
export function useLiveOrderGate(withinMs = 10_000): { check(): string | null } {
  const mode = useTradingMode();
  return { check: () => windowGate.check(mode, Date.now(), withinMs) };
}
