/** One line saying which feed drives the workstation, its state and its clock. */
import { formatExchangeDate, formatExchangeTime } from './format';
import { useTopics, useWorkstation, useWorkstationState } from '../workstation-context';

export function FeedStatus() {
  useTopics(['health']);
  const { client } = useWorkstation();
  const health = useWorkstationState((s) => s.health);
  const recording = useWorkstationState((s) => s.recording);
  if (!health) return <span className="feed-status">Feed: connecting…</span>;
  const active = health.providers?.find((p) => p.active);
  const provider =
    health.provider === 'replay'
      ? `Replay${health.speed ? ` ${health.speed}×` : ' (max speed)'}`
      : health.provider === 'simulated'
        ? 'Simulated market'
        : `${active?.label ?? health.provider}${active?.role === 'backup' ? ' (backup)' : ''}`;
  const stale = health.staleSymbols?.length ?? 0;
  const overLimit = active?.overLimit ?? [];
  return (
    <span className={`feed-status feed-${health.state}`} title={health.detail ?? ''}>
      {provider} · {health.state}
      {health.clock ? ` · ${formatExchangeDate(health.clock)} ${formatExchangeTime(health.clock)} ET` : ''}
      {stale > 0 ? ` · ${stale} stale` : ''}
      {overLimit.length > 0 ? ` · ${overLimit.length} over the plan's symbol limit (${overLimit.slice(0, 5).join(', ')}${overLimit.length > 5 ? '…' : ''})` : ''}
      {recording ? (
        <label className="inline-toggle" title="Record every quote and trade of the live feed for replay">
          <input
            type="checkbox"
            checked={recording.enabled}
            onChange={(e) => void client.request({ type: 'updateSettings', settings: { recording: { enabled: e.target.checked } } })}
          />
          Record{recording.enabled ? ` (${(recording.bytes / 1_048_576).toFixed(1)} MB, ${recording.retentionDays} days kept)` : ''}
        </label>
      ) : null}
    </span>
  );
}
