/** One line saying which feed drives the workstation, its state and its clock. */
import { formatExchangeDate, formatExchangeTime } from './format';
import { useTopics, useWorkstationState } from '../workstation-context';

export function FeedStatus() {
  useTopics(['health']);
  const health = useWorkstationState((s) => s.health);
  if (!health) return <span className="feed-status">Feed: connecting…</span>;
  const provider = health.provider === 'replay' ? `Replay${health.speed ? ` ${health.speed}×` : ' (max speed)'}` : 'Simulated market';
  return (
    <span className={`feed-status feed-${health.state}`} title={health.detail ?? ''}>
      {provider} · {health.state}
      {health.clock ? ` · ${formatExchangeDate(health.clock)} ${formatExchangeTime(health.clock)} ET` : ''}
    </span>
  );
}
