/**
 * Alerts: screener hits, market anomalies, risk and system events, newest first, coloured by
 * severity; filters by severity, source and acknowledgement; acknowledge one or all; "Trade"
 * loads the alert's symbol in the link group and fills the group's order tickets with its entry,
 * stop and target. New alerts become desktop notifications and sounds as the settings say.
 */
import { useEffect, useMemo, useRef, useState } from 'react';
import { DEFAULT_SETTINGS, type Alert, type AlertSeverity } from '../../../shared/domain';
import type { LinkGroup } from '../../../shared/protocol';
import { formatExchangeTime, formatPrice } from '../../components/format';
import { AlertNotifier, playAlertSound, showDesktopNotification } from '../../notifications/alert-notifier';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

const SEVERITIES: readonly AlertSeverity[] = ['critical', 'warning', 'info'];
const SOURCES: readonly Alert['source'][] = ['screener', 'anomaly', 'risk', 'system'];

function AlertRow({ alert, group }: { alert: Alert; group: LinkGroup }) {
  const { client } = useWorkstation();
  const s = alert.suggestion;
  const symbol = alert.symbol;
  const acknowledged = alert.acknowledgedAt !== undefined && alert.acknowledgedAt !== null;
  return (
    <tr className={`alert-${alert.severity}${acknowledged ? ' acknowledged' : ''}`} data-kind={alert.kind} data-symbol={symbol ?? ''} data-alert-id={alert.id}>
      <td>{formatExchangeTime(alert.time)}</td>
      <td className={`severity severity-${alert.severity}`}>{alert.severity}</td>
      <td className="muted">{alert.source}</td>
      <th scope="row">
        {symbol ? (
          <button type="button" className="link-button" aria-label={`Show ${symbol}`} onClick={() => void client.request({ type: 'linkSymbol', group, symbol })}>
            {alert.title}
          </button>
        ) : (
          alert.title
        )}
      </th>
      <td className="alert-message">{alert.message}</td>
      <td className="num">{s ? `${formatPrice(s.entry)} / ${formatPrice(s.stop)} / ${formatPrice(s.target)}` : ''}</td>
      <td className="alert-actions">
        {s && symbol && (
          <button
            type="button"
            className="small"
            aria-label={`Trade ${alert.title}`}
            title="Load the symbol in this link group and fill the order ticket with entry, stop, target and an R-sized quantity"
            onClick={() => void client.request({ type: 'linkSymbol', group, symbol, prefill: { side: s.side, entry: s.entry, stop: s.stop, target: s.target, alertId: alert.id } })}
          >
            Trade
          </button>
        )}
        {!acknowledged && (
          <button type="button" className="small" aria-label={`Acknowledge ${alert.title}`} onClick={() => void client.request({ type: 'acknowledgeAlerts', ids: [alert.id] })}>
            Ack
          </button>
        )}
      </td>
    </tr>
  );
}

/** Desktop notifications and sounds for alerts that arrive while the window is open. */
function useAlertNotifications(alerts: readonly Alert[]): void {
  useTopics(['settings']);
  const settings = useWorkstationState((s) => s.settings?.notifications ?? DEFAULT_SETTINGS.notifications);
  const notifier = useMemo(() => new AlertNotifier(typeof localStorage === 'undefined' ? null : localStorage), []);
  const seen = useRef<Set<string> | null>(null);
  useEffect(() => {
    // The history shown on opening is not news.
    if (seen.current === null) {
      if (alerts.length > 0) seen.current = new Set(alerts.map((a) => a.id));
      return;
    }
    const known = seen.current;
    const fresh = alerts.filter((a) => !known.has(a.id));
    for (const a of fresh) known.add(a.id);
    const plan = notifier.plan(fresh, settings);
    if (!plan) return;
    const more = plan.more > 0 ? ` (+${plan.more} more)` : '';
    if (plan.desktop) showDesktopNotification(`${plan.alert.title}${more}`, plan.alert.message);
    if (plan.sound) playAlertSound(plan.alert.severity);
  }, [alerts, notifier, settings]);
}

export function AlertsWindow({ group }: { group: LinkGroup }) {
  const { client } = useWorkstation();
  useTopics(['alerts']);
  const alerts = useWorkstationState((s) => s.alerts);
  useAlertNotifications(alerts);
  const [severities, setSeverities] = useState<ReadonlySet<AlertSeverity>>(new Set(SEVERITIES));
  const [sources, setSources] = useState<ReadonlySet<Alert['source']>>(new Set(SOURCES));
  const [unacknowledgedOnly, setUnacknowledgedOnly] = useState(false);
  const [text, setText] = useState('');
  const toggle = <T,>(set: ReadonlySet<T>, value: T): Set<T> => {
    const next = new Set(set);
    if (next.has(value)) next.delete(value);
    else next.add(value);
    return next;
  };
  const needle = text.trim().toUpperCase();
  const shown = useMemo(
    () =>
      [...alerts]
        .reverse()
        .filter(
          (a) =>
            severities.has(a.severity) &&
            sources.has(a.source) &&
            (!unacknowledgedOnly || a.acknowledgedAt === undefined || a.acknowledgedAt === null) &&
            (needle === '' || (a.symbol ?? '').includes(needle) || a.title.toUpperCase().includes(needle)),
        ),
    [alerts, severities, sources, unacknowledgedOnly, needle],
  );
  const unacknowledged = alerts.filter((a) => a.acknowledgedAt === undefined || a.acknowledgedAt === null).length;
  return (
    <div className="alerts-window">
      <div className="toolbar" role="toolbar" aria-label="Alert filters">
        {SEVERITIES.map((s) => (
          <label key={s} className={`inline-toggle severity-${s}`}>
            <input type="checkbox" checked={severities.has(s)} onChange={() => setSeverities(toggle(severities, s))} />
            {s}
          </label>
        ))}
        <span className="toolbar-gap" />
        {SOURCES.map((s) => (
          <label key={s} className="inline-toggle">
            <input type="checkbox" checked={sources.has(s)} onChange={() => setSources(toggle(sources, s))} />
            {s}
          </label>
        ))}
        <span className="toolbar-gap" />
        <label className="inline-toggle">
          <input type="checkbox" checked={unacknowledgedOnly} onChange={(e) => setUnacknowledgedOnly(e.target.checked)} />
          Unacknowledged only
        </label>
        <input className="toolbar-filter" aria-label="Filter alerts" placeholder="Symbol or title" value={text} onChange={(e) => setText(e.target.value)} />
        <button type="button" className="small" disabled={unacknowledged === 0} onClick={() => void client.request({ type: 'acknowledgeAlerts' })}>
          Acknowledge all ({unacknowledged})
        </button>
      </div>
      <table className="grid" aria-label="Alerts" data-rows={shown.length}>
        <thead>
          <tr>
            <th scope="col">Time (ET)</th>
            <th scope="col">Severity</th>
            <th scope="col">Source</th>
            <th scope="col">Alert</th>
            <th scope="col">Why</th>
            <th scope="col" className="num">Entry / stop / target</th>
            <th scope="col" />
          </tr>
        </thead>
        <tbody>
          {shown.map((alert) => (
            <AlertRow key={alert.id} alert={alert} group={group} />
          ))}
        </tbody>
      </table>
    </div>
  );
}
