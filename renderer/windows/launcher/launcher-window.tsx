/** Launcher: opens any window kind (each can be opened several times). */
import type { WindowKind } from '../../../shared/protocol';
import { useWorkstation } from '../../workstation-context';

const ENTRIES: ReadonlyArray<{ kind: WindowKind; label: string }> = [
  { kind: 'watchlist', label: 'Watchlist' },
  { kind: 'chart', label: 'Chart' },
  { kind: 'time-and-sales', label: 'Time & sales' },
  { kind: 'ticket', label: 'Order ticket' },
  { kind: 'orders', label: 'Orders & positions' },
  { kind: 'alerts', label: 'Alerts' },
  { kind: 'health', label: 'System health' },
];

export function LauncherWindow() {
  const { client } = useWorkstation();
  return (
    <nav className="launcher" aria-label="Open a window">
      <h1>Trading Workstation</h1>
      {ENTRIES.map((e) => (
        <button key={e.kind} type="button" onClick={() => client.openWindow({ kind: e.kind })}>
          Open {e.label}
        </button>
      ))}
    </nav>
  );
}
