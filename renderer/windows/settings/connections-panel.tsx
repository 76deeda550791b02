/**
 * Data providers, broker and API keys in the Electron app, through the preload's
 * `connections` API: the choice is saved by the main process, which restarts the engine with it.
 * Live trading needs an explicit confirmation. Keys are typed into password fields that are never
 * pre-filled and are cleared once stored; the window only ever sees whether a key is stored and
 * its last four characters.
 */
import { useEffect, useId, useState, type FormEvent } from 'react';
import type { ConnectionSettings, ConnectionsApi, ConnectionsResult, ConnectionsState, KeyProvider, KeyStatus, SecretProtection } from '../../../shared/preload-api';
import { SelectField, type Choice } from './fields';

type Message = { readonly kind: 'ok' | 'error'; readonly text: string; readonly field?: string | undefined } | null;

function failure(error: unknown): Message {
  return { kind: 'error', text: error instanceof Error ? error.message : String(error) };
}

/** The connections section, once the main process has said what is configured. */
export function ConnectionsPanel({ api }: { readonly api: ConnectionsApi }) {
  const [state, setState] = useState<ConnectionsState | null>(null);
  const [loadError, setLoadError] = useState<string | null>(null);
  useEffect(() => {
    let live = true;
    api.get().then(
      (s) => live && setState(s),
      (error: unknown) => live && setLoadError(error instanceof Error ? error.message : String(error)),
    );
    return () => {
      live = false;
    };
  }, [api]);
  if (loadError) return <p className="field-error" role="alert">The connection settings could not be read: {loadError}</p>;
  if (!state) return <p className="muted">Reading the connection settings…</p>;
  return (
    <>
      <ConnectionChoices api={api} state={state} onState={setState} />
      <section className="settings-section" aria-label="API keys">
        <h2>API keys</h2>
        <ProtectionNote protection={state.protection} />
        {(['alpaca', 'polygon'] as const).map((provider) => (
          <KeyForm key={provider} api={api} provider={provider} status={state.keys.find((k) => k.provider === provider)} protection={state.protection} onState={setState} />
        ))}
      </section>
    </>
  );
}

const PRIMARY: readonly Choice<ConnectionSettings['dataPrimary']>[] = [
  { value: 'simulated', label: 'Simulated market (no keys)' },
  { value: 'alpaca', label: 'Alpaca' },
  { value: 'polygon', label: 'Polygon' },
];
const BACKUP: readonly Choice<ConnectionSettings['dataBackup']>[] = [
  { value: 'none', label: 'None' },
  { value: 'alpaca', label: 'Alpaca' },
  { value: 'polygon', label: 'Polygon' },
];
const FEEDS: readonly Choice<ConnectionSettings['alpacaFeed']>[] = [
  { value: 'iex', label: 'IEX (free)' },
  { value: 'sip', label: 'SIP (all exchanges, paid plan)' },
];
const BROKERS: readonly Choice<ConnectionSettings['broker']>[] = [
  { value: 'paper', label: 'Paper broker (built in)' },
  { value: 'alpaca', label: 'Alpaca' },
];
const ENVIRONMENTS: readonly Choice<ConnectionSettings['alpacaEnvironment']>[] = [
  { value: 'paper', label: 'Paper trading' },
  { value: 'live', label: 'Live (real money)' },
];

function ConnectionChoices({ api, state, onState }: { api: ConnectionsApi; state: ConnectionsState; onState: (state: ConnectionsState) => void }) {
  const [draft, setDraft] = useState<ConnectionSettings | null>(null);
  const [liveConfirmed, setLiveConfirmed] = useState(false);
  const [sending, setSending] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const confirmId = useId();
  const shown = draft ?? state.settings;
  const goingLive = shown.alpacaEnvironment === 'live' && state.settings.alpacaEnvironment !== 'live';
  const canApply = draft !== null && !sending && (!goingLive || liveConfirmed);
  const set = <K extends keyof ConnectionSettings>(key: K) => (value: ConnectionSettings[K]): void => {
    setDraft({ ...shown, [key]: value });
    setMessage(null);
    if (key === 'alpacaEnvironment') setLiveConfirmed(false);
  };
  const errorOf = (field: keyof ConnectionSettings): string | undefined => (message?.kind === 'error' && message.field === field ? message.text : undefined);

  const apply = async (event: FormEvent): Promise<void> => {
    event.preventDefault();
    if (!canApply || draft === null) return;
    setSending(true);
    try {
      const result = await api.update(draft);
      if (result.ok) {
        onState(result.state);
        setDraft(null);
        setLiveConfirmed(false);
        setMessage({ kind: 'ok', text: 'Saved: the engine restarts with the new connections' });
      } else setMessage({ kind: 'error', text: result.message, field: result.field });
    } catch (error) {
      setMessage(failure(error));
    } finally {
      setSending(false);
    }
  };

  return (
    <form className="settings-form" aria-label="Data providers and broker" noValidate onSubmit={(e) => void apply(e)}>
      <fieldset className="settings-grid">
        <legend>Data providers and broker (applying restarts the engine; windows stay open)</legend>
        <SelectField label="Primary data provider" field="connections.dataPrimary" value={shown.dataPrimary} onChange={set('dataPrimary')} choices={PRIMARY} error={errorOf('dataPrimary')} />
        <SelectField
          label="Backup data provider (failover)"
          field="connections.dataBackup"
          value={shown.dataBackup}
          onChange={set('dataBackup')}
          choices={BACKUP}
          error={errorOf('dataBackup')}
        />
        <SelectField label="Alpaca data feed" field="connections.alpacaFeed" value={shown.alpacaFeed} onChange={set('alpacaFeed')} choices={FEEDS} error={errorOf('alpacaFeed')} />
        <SelectField label="Broker" field="connections.broker" value={shown.broker} onChange={set('broker')} choices={BROKERS} error={errorOf('broker')} />
        <SelectField
          label="Alpaca environment"
          field="connections.alpacaEnvironment"
          value={shown.alpacaEnvironment}
          onChange={set('alpacaEnvironment')}
          choices={ENVIRONMENTS}
          error={errorOf('alpacaEnvironment')}
        />
      </fieldset>
      {goingLive && (
        <div className="settings-warning live-warning" role="alert">
          <p>Live: orders sent through Alpaca will trade real money in your brokerage account.</p>
          <input id={confirmId} type="checkbox" checked={liveConfirmed} onChange={(e) => setLiveConfirmed(e.target.checked)} />
          <label htmlFor={confirmId}>I understand orders will use real money</label>
        </div>
      )}
      <div className="apply-bar">
        <button type="submit" className="apply" disabled={!canApply}>
          Apply
        </button>
        <button type="button" disabled={draft === null} onClick={() => (setDraft(null), setLiveConfirmed(false), setMessage(null))}>
          Revert
        </button>
        <span role="status" className={message?.kind === 'error' ? 'field-error' : 'apply-status'}>
          {sending ? 'Restarting the engine…' : message && (message.kind === 'ok' || message.field === undefined) ? message.text : ''}
        </span>
      </div>
    </form>
  );
}

function ProtectionNote({ protection }: { protection: SecretProtection }) {
  if (protection === 'os') return <p className="muted">Keys are encrypted with the operating system&apos;s keychain.</p>;
  if (protection === 'basic_text') {
    return (
      <p className="settings-warning" role="note">
        This computer has no keyring: a key would be stored with weak protection (a fixed password, barely better than plain text). Storing one
        needs your explicit consent below; environment variables are the alternative.
      </p>
    );
  }
  return (
    <p className="settings-warning" role="note">
      This computer cannot encrypt secrets, so keys cannot be stored. Set them in the environment instead (APCA_API_KEY_ID, APCA_API_SECRET_KEY,
      POLYGON_API_KEY).
    </p>
  );
}

const PROVIDER_NAMES: Readonly<Record<KeyProvider, string>> = { alpaca: 'Alpaca', polygon: 'Polygon' };

function KeyForm({
  api,
  provider,
  status,
  protection,
  onState,
}: {
  api: ConnectionsApi;
  provider: KeyProvider;
  status: KeyStatus | undefined;
  protection: SecretProtection;
  onState: (state: ConnectionsState) => void;
}) {
  const name = PROVIDER_NAMES[provider];
  const [keyId, setKeyId] = useState('');
  const [secret, setSecret] = useState('');
  const [acceptWeak, setAcceptWeak] = useState(false);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<Message>(null);
  const ids = { keyId: useId(), secret: useId(), weak: useId(), error: useId() };
  const needsSecret = provider === 'alpaca';
  const filled = keyId.trim() !== '' && (!needsSecret || secret.trim() !== '');
  const canStore = filled && !busy && protection !== 'unavailable' && (protection !== 'basic_text' || acceptWeak);
  const fieldError = (field: string): string | undefined => (message?.kind === 'error' && message.field === field ? message.text : undefined);

  const run = async (action: () => Promise<ConnectionsResult>, done: string): Promise<void> => {
    setBusy(true);
    try {
      const result = await action();
      if (result.ok) {
        onState(result.state);
        setKeyId('');
        setSecret('');
        setAcceptWeak(false);
        setMessage({ kind: 'ok', text: done });
      } else setMessage({ kind: 'error', text: result.message, field: result.field });
    } catch (error) {
      setMessage(failure(error));
    } finally {
      setBusy(false);
    }
  };

  const store = (event: FormEvent): void => {
    event.preventDefault();
    if (protection === 'unavailable') {
      setMessage({ kind: 'error', text: 'Refused: this computer cannot encrypt the key. Set it in the environment instead.' });
      return;
    }
    if (!canStore) return;
    void run(() => api.storeKey(provider, keyId.trim(), needsSecret ? secret.trim() : null, protection === 'basic_text' && acceptWeak), `${name} key stored`);
  };

  return (
    <form className="settings-form key-form" aria-label={`${name} API key`} noValidate onSubmit={store} data-provider={provider}>
      <p>
        <strong>{name}</strong>{' '}
        <span data-testid={`key-status-${provider}`}>{status?.stored ? `stored ••••${status.hint ?? ''}` : 'no key stored'}</span>
      </p>
      <div className="settings-grid">
        <div className="settings-field" data-field={`${provider}.keyId`}>
          <label htmlFor={ids.keyId}>{needsSecret ? `${name} API key ID` : `${name} API key`}</label>
          <input
            id={ids.keyId}
            type="password"
            autoComplete="off"
            spellCheck={false}
            value={keyId}
            aria-invalid={fieldError('keyId') ? true : undefined}
            aria-describedby={fieldError('keyId') ? ids.error : undefined}
            onChange={(e) => setKeyId(e.target.value)}
          />
        </div>
        {needsSecret && (
          <div className="settings-field" data-field={`${provider}.secret`}>
            <label htmlFor={ids.secret}>{name} API secret key</label>
            <input
              id={ids.secret}
              type="password"
              autoComplete="off"
              spellCheck={false}
              value={secret}
              aria-invalid={fieldError('secret') ? true : undefined}
              aria-describedby={fieldError('secret') ? ids.error : undefined}
              onChange={(e) => setSecret(e.target.value)}
            />
          </div>
        )}
      </div>
      {protection === 'basic_text' && (
        <div className="settings-check">
          <input id={ids.weak} type="checkbox" checked={acceptWeak} onChange={(e) => setAcceptWeak(e.target.checked)} />
          <label htmlFor={ids.weak}>Store the {name} key with weak protection anyway</label>
        </div>
      )}
      <div className="apply-bar">
        <button type="submit" disabled={!canStore && protection !== 'unavailable'} aria-label={`Store ${name} key`}>
          Store key
        </button>
        <button type="button" disabled={!status?.stored || busy} aria-label={`Remove ${name} key`} onClick={() => void run(() => api.clearKey(provider), `${name} key removed`)}>
          Remove key
        </button>
        <span id={ids.error} role={message?.kind === 'error' ? 'alert' : 'status'} className={message?.kind === 'error' ? 'field-error' : 'apply-status'}>
          {message?.text ?? ''}
        </span>
      </div>
    </form>
  );
}
