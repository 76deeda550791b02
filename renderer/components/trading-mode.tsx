/**
 * Paper and live are unmistakable: every window of a paper account carries a coloured banner and
 * a tinted frame; a live account shows a red LIVE banner, and the first order a window sends to it
 * in a session needs a second, deliberate press.
 */
import { useRef } from 'react';
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

/** Live orders this window has been allowed to send (after the first confirmation). */
let liveConfirmed = false;

/**
 * The first-live-order gate of a window: `check()` returns a message asking for a second press
 * the first time an order would go to a live account this session, and null once confirmed (the
 * second press within `withinMs`) or when the account is paper.
 */
export function useLiveOrderGate(withinMs = 10_000): { check(): string | null } {
  const mode = useTradingMode();
  const asked = useRef<number | null>(null);
  return {
    check() {
      if (mode !== 'live' || liveConfirmed) return null;
      const now = Date.now();
      if (asked.current !== null && now - asked.current <= withinMs) {
        liveConfirmed = true;
        return null;
      }
      asked.current = now;
      return 'This is the first order of the session to your LIVE account, with real money. Press again to send it.';
    },
  };
}
