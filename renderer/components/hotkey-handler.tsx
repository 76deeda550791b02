/**
 * Hotkeys of a window (local to the app, never OS-global): the key's binding from the settings
 * becomes the order or command it stands for (`orderForHotkey`) for the window's symbol.
 * - The first press of a key in a session shows what it would send; the next press sends.
 * - Above the notional threshold or outside the price band, a second press within 5 s confirms.
 * - Plain character keys are left to text fields that have the focus.
 * The outcome is shown in one line under the window header.
 */
import { useEffect, useRef, useState } from 'react';
import { FirstUseTracker, chordFromKeyboardEvent, orderForHotkey } from '../../shared/hotkeys';
import { WorkstationRequestError, type Command } from '../../shared/protocol';
import { useTopics, useWorkstation, useWorkstationState } from '../workstation-context';
import { firstLiveOrderMessage, useLiveOrderGate } from './trading-mode';

/** One tracker per window: a key previews once per session (the window's lifetime). */
const firstUse = new FirstUseTracker();
const CONFIRM_WITHIN_MS = 5_000;

function isTextEntry(target: EventTarget | null): boolean {
  if (!(target instanceof HTMLElement)) return false;
  const tag = target.tagName;
  return tag === 'INPUT' || tag === 'TEXTAREA' || tag === 'SELECT' || target.isContentEditable;
}

export function HotkeyHandler({ symbol }: { symbol: string | null }) {
  const { client, store } = useWorkstation();
  useTopics(symbol ? ['settings', 'positions', `quotes:${symbol}`] : ['settings', 'positions']);
  const hasSettings = useWorkstationState((s) => s.settings !== null);
  const [message, setMessage] = useState<{ text: string; kind: 'info' | 'warning' | 'error' } | null>(null);
  const pending = useRef<{ chord: string; until: number } | null>(null);
  const liveGate = useLiveOrderGate(CONFIRM_WITHIN_MS);
  // The gate reads the trading mode at render; the key listener reads the latest gate.
  const gate = useRef(liveGate);
  gate.current = liveGate;

  useEffect(() => {
    if (!hasSettings) return undefined;
    const onKey = (event: KeyboardEvent): void => {
      const chord = chordFromKeyboardEvent(event);
      if (!chord) return;
      // A plain character belongs to the text field being typed in.
      if (isTextEntry(event.target) && chord.length === 1) return;
      const state = store.getState();
      const settings = state.settings;
      const binding = settings?.hotkeys.bindings.find((b) => b.chord === chord);
      if (!settings || !binding) return;
      event.preventDefault();
      const ticker = symbol ? (state.tickers[symbol] ?? null) : null;
      const outcome = orderForHotkey(
        binding,
        { symbol: symbol ?? '', ticker: ticker ? { bid: ticker.bid, ask: ticker.ask, last: ticker.last } : null, positionQuantity: symbol ? (state.positions[symbol]?.quantity ?? 0) : 0 },
        settings.hotkeys,
      );
      if (outcome.kind === 'refused' || outcome.kind === 'none') {
        setMessage({ text: `${chord}: ${outcome.reason}`, kind: outcome.kind === 'refused' ? 'error' : 'info' });
        return;
      }
      if (firstUse.shouldPreview(chord)) {
        firstUse.markPreviewed(chord);
        setMessage({ text: `${chord} sends: ${outcome.describe}. Press ${chord} again to send.`, kind: 'info' });
        return;
      }
      const now = Date.now();
      if (outcome.needsConfirmation && !(pending.current?.chord === chord && now <= pending.current.until)) {
        pending.current = { chord, until: now + CONFIRM_WITHIN_MS };
        setMessage({ text: `${outcome.describe} — ${outcome.confirmationReason ?? 'please confirm'}. Press ${chord} again within 5 s to send.`, kind: 'warning' });
        return;
      }
      if (outcome.kind === 'order') {
        if (gate.current.check()) {
          setMessage({ text: `${outcome.describe} — ${firstLiveOrderMessage(`Press ${chord} again`)}`, kind: 'warning' });
          return;
        }
      }
      pending.current = null;
      const command: Command = outcome.command;
      client.request(command).then(
        () => setMessage({ text: `${chord}: sent ${outcome.describe}`, kind: 'info' }),
        (error: unknown) => setMessage({ text: `${chord}: ${error instanceof WorkstationRequestError ? error.message : String(error)}`, kind: 'error' }),
      );
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, [client, store, symbol, hasSettings]);

  if (!message) return null;
  return (
    <div className={`hotkey-status hotkey-${message.kind}`} aria-live="polite" data-testid="hotkey-status">
      {message.text}
    </div>
  );
}
