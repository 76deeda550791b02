/** The window shell: connection banner, feed status, and the window kind from the URL. */
import { useEffect, useState } from 'react';
import { DEFAULT_LINK_COLOR, LINK_COLORS, WINDOW_KINDS, WINDOW_TITLES, type LinkColor, type LinkGroup, type WindowKind } from '../shared/protocol';
import { ConnectionBanner } from './components/connection-banner';
import { FeedStatus } from './components/feed-status';
import { CommandPalette } from './components/command-palette';
import { useFrameMeter } from './components/frame-meter';
import { HotkeyHandler } from './components/hotkey-handler';
import { TradingModeBanner, useTradingMode } from './components/trading-mode';
import { reportLink } from './window-state';
import { useLinkedSymbol, useTopics, useWorkstationState } from './workstation-context';
import { AlertsWindow } from './windows/alerts/alerts-window';
import { ChartWindow } from './windows/chart/chart-window';
import { HealthWindow } from './windows/health/health-window';
import { TimeAndSalesWindow } from './windows/time-and-sales/time-and-sales-window';
import { LauncherWindow } from './windows/launcher/launcher-window';
import { OrdersWindow } from './windows/orders/orders-window';
import { FillsWindow } from './windows/fills/fills-window';
import { PositionsWindow } from './windows/positions/positions-window';
import { SettingsWindow } from './windows/settings/settings-window';
import { TicketWindow } from './windows/ticket/ticket-window';
import { WatchlistWindow } from './windows/watchlist/watchlist-window';

export interface AppProps {
  readonly kind: WindowKind;
  readonly symbol: string | null;
  readonly group: LinkGroup;
}


export function App({ kind, symbol, group: initialGroup }: AppProps) {
  const known = (LINK_COLORS as readonly string[]).includes(initialGroup) || initialGroup === 'none';
  const [color, setColor] = useState<LinkColor>(known ? (initialGroup as LinkColor) : DEFAULT_LINK_COLOR);
  // `none`: a group of this window alone, so its own picks still reach its own views.
  const [solo] = useState(() => `solo-${Math.random().toString(36).slice(2, 10)}`);
  const group: LinkGroup = color === 'none' ? solo : color;
  const mode = useTradingMode();
  useAppearance();
  useFrameMeter(kind);
  return (
    <div className={`window window-${kind}${mode ? ` mode-${mode}` : ''}`}>
      <header className="window-header">
        {kind !== 'launcher' && <LinkGroupPicker color={color} onChange={setColor} />}
        <span className="window-title">{WINDOW_TITLES[kind]}</span>
        <FeedStatus />
      </header>
      <TradingModeBanner />
      <ConnectionBanner />
      <WindowHotkeys kind={kind} symbol={symbol} group={group} color={color} />
      <CommandPalette group={group} />
      <main className="window-body">
        {kind === 'launcher' && <LauncherWindow />}
        {kind === 'watchlist' && <WatchlistWindow group={group} />}
        {kind === 'chart' && <ChartWindow group={group} initialSymbol={symbol} />}
        {kind === 'ticket' && <TicketWindow group={group} initialSymbol={symbol} />}
        {kind === 'orders' && <OrdersWindow />}
        {kind === 'fills' && <FillsWindow />}
        {kind === 'positions' && <PositionsWindow />}
        {kind === 'alerts' && <AlertsWindow group={group} />}
        {kind === 'health' && <HealthWindow />}
        {kind === 'settings' && <SettingsWindow />}
        {kind === 'time-and-sales' && <TimeAndSalesWindow group={group} initialSymbol={symbol} />}
      </main>
    </div>
  );
}

/** The window's link-group colour: windows of one colour show the same symbol. */
function LinkGroupPicker({ color, onChange }: { color: LinkColor; onChange: (color: LinkColor) => void }) {
  return (
    <label className="link-group" title="Link group: windows of one colour load the same symbol">
      <span className={`link-dot link-${color}`} aria-hidden="true" />
      <select aria-label="Link group" value={color} onChange={(e) => onChange(e.target.value as LinkColor)}>
        {LINK_COLORS.map((c) => (
          <option key={c} value={c}>
            {c}
          </option>
        ))}
        <option value="none">none</option>
      </select>
    </label>
  );
}

/** Windows that show a symbol act on it; the others take only the global keys (cancel all, kill switch). */
function WindowHotkeys({ kind, symbol, group, color }: AppProps & { color: LinkColor }) {
  const linked = useLinkedSymbol(group, symbol);
  const withSymbol = kind === 'chart' || kind === 'ticket' || kind === 'watchlist' || kind === 'time-and-sales';
  useEffect(() => reportLink(withSymbol ? linked : null, color), [withSymbol, linked, color]);
  return <HotkeyHandler symbol={withSymbol ? linked : null} />;
}

/** Theme and font scale from the settings, on the document root (every window follows at once). */
function useAppearance(): void {
  useTopics(['settings']);
  const theme = useWorkstationState((s) => s.settings?.appearance.theme ?? 'dark');
  const fontScale = useWorkstationState((s) => s.settings?.appearance.fontScale ?? 1);
  useEffect(() => {
    const root = document.documentElement;
    root.dataset.theme = theme;
    root.style.setProperty('--font-scale', String(fontScale));
  }, [theme, fontScale]);
}

/** Window kind, symbol and link group from the page URL (`?window=chart&symbol=IBM&group=blue`). */
export function windowParamsFrom(search: string): AppProps {
  const params = new URLSearchParams(search);
  const requested = params.get('window');
  const kind = WINDOW_KINDS.find((k) => k === requested) ?? 'launcher';
  const symbol = params.get('symbol')?.toUpperCase() ?? null;
  return { kind, symbol: symbol && /^[A-Z][A-Z0-9.-]{0,9}$/.test(symbol) ? symbol : null, group: params.get('group') ?? DEFAULT_LINK_COLOR };
}
