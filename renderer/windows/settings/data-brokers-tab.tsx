/**
 * Data & Brokers tab: the paper broker (starting cash, simulated latency) and what happens to new
 * orders while the broker's order-update stream is down; then the data providers, broker and API
 * keys — editable in the Electron app (`window.workstation.connections`), read-only in a browser
 * on the headless host, which takes its keys from its environment.
 */
import type { ProviderHealth, Settings } from '../../../shared/domain';
import { brokerName } from '../../components/broker-status';
import { useTopics, useWorkstationState } from '../../workstation-context';
import { ConnectionsPanel } from './connections-panel';
import { ApplyBar, NumberField, SelectField, SettingsForm, bindField, bindNumber } from './fields';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';

interface DataDraft {
  readonly paper: Settings['paper'];
  readonly broker: Settings['broker'];
}

const DATA_FORM: FormSpec<DataDraft> = {
  tab: 'data',
  fromSettings: (settings) => ({ paper: settings.paper, broker: settings.broker }),
  toPatch: (draft) => ({ paper: draft.paper, broker: draft.broker }),
  fallback: (settings) => ({ paper: settings.paper, broker: settings.broker }),
};

/** The Data & Brokers tab: paper broker and order-stream settings, then connections and keys (Electron) or what the host runs with. */
export function DataBrokersTab() {
  const form = useTabForm(DATA_FORM);
  const connections = window.workstation?.connections;
  return (
    <>
      {form ? <BrokerSettings form={form} /> : <p className="muted">Loading settings…</p>}
      {connections ? <ConnectionsPanel api={connections} /> : <HostConnections />}
    </>
  );
}

function BrokerSettings({ form }: { form: TabForm<unknown> }) {
  return (
    <SettingsForm form={form} label="Paper broker and order stream">
      <fieldset className="settings-grid">
        <legend>Paper broker (fills against the live NBBO)</legend>
        <NumberField label="Paper starting cash (USD)" {...bindNumber(form, 'paper.startingCash')} min={0} />
        <NumberField label="Paper broker latency (ms)" hint="Simulated round trip to the broker; 0 = immediate." {...bindNumber(form, 'paper.latencyMs')} min={0} step={1} />
      </fieldset>
      <fieldset className="settings-grid">
        <legend>While the broker&apos;s order-update stream is down</legend>
        <SelectField<Settings['broker']['whenStreamDown']>
          label="New orders while the order stream is down"
          {...bindField<Settings['broker']['whenStreamDown']>(form, 'broker.whenStreamDown')}
          choices={[
            { value: 'hold', label: 'Hold them until the stream is back' },
            { value: 'refuse', label: 'Refuse them' },
          ]}
        />
        <NumberField label="Cancel a held order after (seconds)" {...bindNumber(form, 'broker.maxHoldSeconds')} min={1} />
      </fieldset>
      <ApplyBar form={form} note="Takes effect at once, without a restart." />
    </SettingsForm>
  );
}

const FEED_NAMES: Readonly<Record<string, string>> = {
  simulated: 'Simulated market',
  replay: 'Replay of recorded data',
  alpaca: 'Alpaca',
  polygon: 'Polygon',
};

function providerLine(p: ProviderHealth): string {
  return `${p.label} (${p.role}${p.active ? ', live source' : ''}, ${p.state})`;
}

/** In a browser on the headless host: what the engine runs with, and where keys come from. */
function HostConnections() {
  useTopics(['health']);
  const feed = useWorkstationState((s) => s.health);
  const broker = useWorkstationState((s) => s.broker);
  const providers = feed?.providers ?? [];
  return (
    <section className="settings-section" aria-label="Data providers and broker">
      <h2>Data providers and broker</h2>
      <dl className="settings-facts">
        <dt>Market data</dt>
        <dd data-testid="current-feed">
          {feed ? (providers.length > 0 ? providers.map(providerLine).join(' · ') : `${FEED_NAMES[feed.provider] ?? feed.provider} (${feed.state})`) : 'connecting…'}
        </dd>
        <dt>Broker</dt>
        <dd data-testid="current-broker">{broker ? `${brokerName(broker)} (${broker.state})` : 'connecting…'}</dd>
      </dl>
      <p className="settings-note" role="note">
        This window is served by the headless host, which takes its data provider, broker and API keys from its command line and
        environment: <code>APCA_API_KEY_ID</code> and <code>APCA_API_SECRET_KEY</code> (Alpaca), <code>POLYGON_API_KEY</code> (Polygon) —
        see the README. Keys are never typed or stored here; in the desktop app they are set on this tab.
      </p>
    </section>
  );
}
