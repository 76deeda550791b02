/**
 * One line about the broker: which one, paper or live, whether its order updates are flowing,
 * when orders and positions were last reconciled with it, and orders held meanwhile.
 */
import type { BrokerHealth } from '../../shared/domain';
import { formatExchangeTime } from './format';
import { useTopics, useWorkstationState } from '../workstation-context';

/** How the trader names the broker: "Paper broker", "Alpaca paper" or "Alpaca LIVE". */
export function brokerName(broker: Pick<BrokerHealth, 'provider' | 'mode'>): string {
  return broker.provider === 'paper' ? 'Paper broker' : `Alpaca ${broker.mode === 'live' ? 'LIVE' : 'paper'}`;
}

export function BrokerStatus() {
  useTopics(['health']);
  const broker = useWorkstationState((s) => s.broker);
  if (!broker) return <span className="broker-status">Broker: connecting…</span>;
  const name = brokerName(broker);
  const flowing = broker.provider === 'paper' || (broker.state === 'connected' && broker.streamUp);
  return (
    <span className={`broker-status broker-${flowing ? 'ok' : 'down'}`} data-testid="broker-status" title={broker.detail ?? ''}>
      {name} · {broker.provider === 'paper' ? 'simulated fills' : broker.streamUp ? 'order updates live' : `order updates down (${broker.state})`}
      {broker.provider !== 'paper' && (
        <span data-testid="last-reconciled">
          {' '}
          · last reconciled {broker.lastReconciledAt === null ? 'never' : `at ${formatExchangeTime(broker.lastReconciledAt)} ET`}
        </span>
      )}
      {broker.heldOrders > 0 && <strong> · {broker.heldOrders} held</strong>}
      {broker.detail && <span role="status"> · {broker.detail}</span>}
    </span>
  );
}
