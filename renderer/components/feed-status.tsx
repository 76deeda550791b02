/** One line saying which feed drives the workstation, its state and its clock. */
import { formatExchangeDate, formatExchangeTime } from './format';
import { useTopics, useWorkstationState } from '../workstation-context';

export function FeedStatus() {
  useTopics(['health']);
  const health = useWorkstationState((s) => s.health);
  if (!health) return <span className="feed-status">Feed: connecting…</span>;
  const active = health.providers?.find((p) => p.active);
  const provider =
    health.provider === 'replay'
      ? `Replay${health.speed ? ` ${health.speed}×` : ' (max speed)'}`
      : health.provider === 'simulated'
        ? 'Simulated market'
        : `${active?.label ?? health.provider}${active?.role === 'backup' ? ' (backup)' : ''}`;
  const stale = health.staleSymbols?.length ?? 0;
  return (
    <span className={`feed-status feed-${health.state}`} title={health.detail ?? ''}>
      {provider} · {health.state}
      {health.clock ? ` · ${formatExchangeDate(health.clock)} ${formatExchangeTime(health.clock)} ET` : ''}
      {stale > 0 ? ` · ${stale} stale` : ''}
    </span>
  );
}
