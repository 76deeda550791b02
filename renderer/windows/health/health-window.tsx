/**
 * System health: per feed provider (state, connected vs fresh, message rate, latency p50/p99,
 * reconnects, drops by reason), the broker (connection, order updates, last reconciliation),
 * the engine (event-loop delay, CPU, memory) and the store (database, recording). Figures past a
 * threshold turn amber or red.
 */
import { useEffect, useRef, useState } from 'react';
import { DEFAULT_SETTINGS, type GaugeLimits, type ProviderHealth } from '../../../shared/domain';
import { brokerName } from '../../components/broker-status';
import { formatExchangeTime } from '../../components/format';
import { useTopics, useWorkstationState } from '../../workstation-context';

/**
 * The gauge colour of `value` against its limits (Settings → Health): red at or past `red`, amber
 * at or past `amber`; for gauges where lower is worse (frames per second) red is the lower limit.
 */
export function level(value: number | null | undefined, { amber, red }: GaugeLimits): string {
  if (value === null || value === undefined) return '';
  if (red < amber) return value <= red ? 'level-red' : value <= amber ? 'level-amber' : 'level-ok';
  return value >= red ? 'level-red' : value >= amber ? 'level-amber' : 'level-ok';
}

const ms = (v: number | null | undefined): string => (v === null || v === undefined ? '—' : v < 10 ? v.toFixed(2) : v.toFixed(0));
const mb = (bytes: number): string => `${(bytes / 1_048_576).toFixed(1)} MB`;

/** Messages per second of each provider, from the counts of consecutive health events. */
function useRates(providers: readonly ProviderHealth[]): Record<string, number> {
  const previous = useRef<{ at: number; counts: Record<string, number> } | null>(null);
  const [rates, setRates] = useState<Record<string, number>>({});
  useEffect(() => {
    const now = performance.now();
    const counts = Object.fromEntries(providers.map((p) => [p.name, p.messages]));
    const before = previous.current;
    if (before && now > before.at) {
      const seconds = (now - before.at) / 1000;
      setRates(Object.fromEntries(providers.map((p) => [p.name, Math.max(0, (p.messages - (before.counts[p.name] ?? p.messages)) / seconds)])));
    }
    previous.current = { at: now, counts };
  }, [providers]);
  return rates;
}

export function HealthWindow() {
  useTopics(['health', 'settings']);
  const LIMITS = useWorkstationState((s) => s.settings?.healthThresholds ?? DEFAULT_SETTINGS.healthThresholds);
  const windows = useWorkstationState((s) => s.windowHealth);
  const feed = useWorkstationState((s) => s.health);
  const broker = useWorkstationState((s) => s.broker);
  const engine = useWorkstationState((s) => s.engine);
  const recording = useWorkstationState((s) => s.recording);
  const providers = feed?.providers ?? [];
  const rates = useRates(providers);
  const stale = feed?.staleSymbols ?? [];
  return (
    <div className="health-window">
      <section aria-label="Market data">
        <h2>Market data</h2>
        <p>
          {feed ? `${feed.provider} · ${feed.state}` : 'connecting…'}
          {stale.length > 0 ? <span className="level-amber"> · stale: {stale.join(', ')}</span> : <span className="level-ok"> · all symbols fresh</span>}
        </p>
        {providers.length > 0 && (
          <table className="grid" aria-label="Feed providers">
            <thead>
              <tr>
                <th scope="col">Provider</th>
                <th scope="col">State</th>
                <th scope="col" className="num">Msg/s</th>
                <th scope="col" className="num">Latency p50 / p99 ms</th>
                <th scope="col" className="num">Engine p50 / p99 ms</th>
                <th scope="col" className="num">Reconnects</th>
                <th scope="col">Dropped</th>
              </tr>
            </thead>
            <tbody>
              {providers.map((p) => (
                <tr key={p.name} data-provider={p.name}>
                  <th scope="row">
                    {p.label} ({p.role}){p.active ? ' · live source' : ''}
                  </th>
                  <td className={p.state === 'live' ? 'level-ok' : p.state === 'failed' ? 'level-red' : 'level-amber'} title={p.detail ?? ''}>
                    {p.state}
                    {p.detail ? ` — ${p.detail}` : ''}
                  </td>
                  <td className="num">{(rates[p.name] ?? 0).toFixed(0)}</td>
                  <td className={`num ${level(p.latency.receiveP99, LIMITS.feedLatencyMs)}`}>
                    {ms(p.latency.receiveP50)} / {ms(p.latency.receiveP99)}
                  </td>
                  <td className="num">
                    {ms(p.latency.engineP50)} / {ms(p.latency.engineP99)}
                  </td>
                  <td className={`num ${level(p.reconnects, LIMITS.reconnects)}`}>{p.reconnects}</td>
                  <td>
                    {Object.entries(p.dropped)
                      .map(([reason, n]) => `${reason.replaceAll('_', ' ')} ${n}`)
                      .join(', ') || 'none'}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      <section aria-label="Broker">
        <h2>Broker</h2>
        {broker ? (
          <p>
            {brokerName(broker)} ·{' '}
            <span className={broker.state === 'connected' ? 'level-ok' : broker.state === 'error' ? 'level-red' : 'level-amber'}>{broker.state}</span> · order updates{' '}
            <span className={broker.streamUp ? 'level-ok' : 'level-red'}>{broker.streamUp ? 'live' : 'down'}</span> · last reconciled{' '}
            {broker.lastReconciledAt === null ? 'never' : `${formatExchangeTime(broker.lastReconciledAt)} ET`}
            {broker.heldOrders > 0 ? <span className="level-amber"> · {broker.heldOrders} orders held</span> : null} · order round trip{' '}
            <span data-testid="order-round-trip" className={level(broker.orderRoundTrip?.p99Ms, LIMITS.orderRoundTripMs)}>
              {broker.orderRoundTrip ? `p50 ${ms(broker.orderRoundTrip.p50Ms)} / p99 ${ms(broker.orderRoundTrip.p99Ms)} ms` : 'no orders yet'}
            </span>
            {broker.detail ? ` — ${broker.detail}` : ''}
          </p>
        ) : (
          <p>connecting…</p>
        )}
      </section>
      <section aria-label="Engine">
        <h2>Engine</h2>
        {engine ? (
          <p data-testid="engine-health">
            event loop <span className={level(engine.eventLoopP99Ms, LIMITS.eventLoopMs)}>p50 {ms(engine.eventLoopP50Ms)} / p99 {ms(engine.eventLoopP99Ms)} ms</span> · CPU{' '}
            <span className={level(engine.cpuPercent, LIMITS.cpuPercent)}>{engine.cpuPercent.toFixed(0)} %</span> · memory {mb(engine.rssBytes)} (heap {mb(engine.heapUsedBytes)}) · database{' '}
            {mb(engine.databaseBytes)}, {engine.storeQueue} bars queued
            {recording?.enabled ? ` · recording ${mb(recording.bytes)}, ${recording.ticks.toLocaleString()} ticks` : ''}
          </p>
        ) : (
          <p>waiting for the first figures…</p>
        )}
      </section>
      <section aria-label="Windows">
        <h2>Windows</h2>
        <table className="grid" aria-label="Window frame rates">
          <thead>
            <tr>
              <th scope="col">Window</th>
              <th scope="col" className="num">Frames/s</th>
              <th scope="col" className="num">Longest frame ms</th>
            </tr>
          </thead>
          <tbody>
            {windows.map((w) => (
              <tr key={w.clientId} data-window={w.kind}>
                <th scope="row">
                  {w.kind}
                  {w.visible ? '' : <span className="muted"> (hidden)</span>}
                </th>
                <td className={`num ${w.visible ? level(w.fps, LIMITS.windowFps) : ''}`}>{w.fps.toFixed(0)}</td>
                <td className="num">{ms(w.longestFrameMs)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
    </div>
  );
}
