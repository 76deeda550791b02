/** Alerts: screener hits and market anomalies, newest first; clicking one links its symbol. */
import type { Alert } from '../../../shared/domain';
import type { LinkGroup } from '../../../shared/protocol';
import { formatExchangeTime, formatPrice } from '../../components/format';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';

function AlertRow({ alert, group }: { alert: Alert; group: LinkGroup }) {
  const { client } = useWorkstation();
  const s = alert.suggestion;
  return (
    <tr className={`alert-${alert.severity}`} data-kind={alert.kind} data-symbol={alert.symbol ?? ''}>
      <td>{formatExchangeTime(alert.time)}</td>
      <td className={`severity severity-${alert.severity}`}>{alert.severity}</td>
      <th scope="row">
        {alert.symbol ? (
          <button type="button" className="link-button" aria-label={`Show ${alert.symbol}`} onClick={() => void client.request({ type: 'linkSymbol', group, symbol: alert.symbol as string })}>
            {alert.title}
          </button>
        ) : (
          alert.title
        )}
      </th>
      <td className="alert-message">{alert.message}</td>
      <td className="num">{s ? `${formatPrice(s.entry)} / ${formatPrice(s.stop)} / ${formatPrice(s.target)}` : ''}</td>
    </tr>
  );
}

export function AlertsWindow({ group }: { group: LinkGroup }) {
  useTopics(['alerts']);
  const alerts = useWorkstationState((s) => s.alerts);
  return (
    <table className="grid" aria-label="Alerts">
      <thead>
        <tr>
          <th scope="col">Time (ET)</th>
          <th scope="col">Severity</th>
          <th scope="col">Alert</th>
          <th scope="col">Why</th>
          <th scope="col" className="num">Entry / stop / target</th>
        </tr>
      </thead>
      <tbody>
        {[...alerts].reverse().map((alert) => (
          <AlertRow key={alert.id} alert={alert} group={group} />
        ))}
      </tbody>
    </table>
  );
}
