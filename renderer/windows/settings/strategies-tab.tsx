/**
 * Strategies tab: the screener instances (Gap & Go, VWAP reclaim) with their symbols, alert
 * limits and parameters; adding an instance of either kind (its id derived from the name) and
 * removing one; and the market-anomaly detector.
 */
import { useState } from 'react';
import type { AnomalySettings, ScreenerConfig, ScreenerKind } from '../../../shared/domain';
import { ApplyBar, CheckboxField, NumberField, SettingsForm, SymbolListField, TextField, bindBoolean, bindNumber, bindSymbols, bindText } from './fields';
import { fallbackScreener, newScreener, SCREENER_KIND_LABELS } from './screener-drafts';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';

interface StrategiesDraft {
  readonly screeners: readonly ScreenerConfig[];
  readonly anomaly: AnomalySettings;
}

const STRATEGIES_FORM: FormSpec<StrategiesDraft> = {
  tab: 'strategies',
  fromSettings: (settings) => ({ screeners: settings.screeners, anomaly: settings.anomaly }),
  toPatch: (draft) => ({ screeners: draft.screeners, anomaly: draft.anomaly }),
  fallback: (settings, draft) => ({ screeners: draft.screeners.map(fallbackScreener), anomaly: settings.anomaly }),
};

/** The Strategies tab: screener instances (edit, add, remove) and the anomaly detector. */
export function StrategiesTab() {
  const form = useTabForm(STRATEGIES_FORM);
  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  const { screeners } = form.draft;
  const remove = (index: number): void => form.edit((d) => ({ ...d, screeners: d.screeners.filter((_, i) => i !== index) }));
  const add = (kind: ScreenerKind, name: string): void => form.edit((d) => ({ ...d, screeners: [...d.screeners, newScreener(kind, name, d.screeners)] }));
  return (
    <SettingsForm form={f} label="Strategies">
      <h2>Screeners</h2>
      {screeners.length === 0 && <p className="muted">No screener is configured: add one below.</p>}
      {screeners.map((screener, index) => (
        <ScreenerFields key={screener.id} form={f} screener={screener} index={index} onRemove={() => remove(index)} />
      ))}
      <AddScreener onAdd={add} />
      <AnomalyFields form={f} />
      <ApplyBar form={f} note="Screeners pick up changes at once, without a restart." />
    </SettingsForm>
  );
}

function ScreenerFields({ form, screener, index, onRemove }: { form: TabForm<unknown>; screener: ScreenerConfig; index: number; onRemove: () => void }) {
  const at = (key: string): string => `screeners.${index}.${key}`;
  const title = screener.name.trim() || SCREENER_KIND_LABELS[screener.kind];
  return (
    <fieldset className="settings-grid screener" data-screener={screener.id}>
      <legend>
        {title}{' '}
        <span className="muted">
          · {title === SCREENER_KIND_LABELS[screener.kind] ? '' : `${SCREENER_KIND_LABELS[screener.kind]} · `}id {screener.id}
        </span>
      </legend>
      <CheckboxField label="Enabled" {...bindBoolean(form, at('enabled'))} />
      <TextField label="Name" {...bindText(form, at('name'))} />
      <SymbolListField label="Symbols (comma or space separated; empty = all)" placeholder="all symbols of the feed" {...bindSymbols(form, at('symbols'))} />
      <NumberField label="Max alerts per symbol per day" {...bindNumber(form, at('maxAlertsPerDay'))} min={1} step={1} />
      <NumberField label="Cooldown between alerts of a symbol (minutes)" {...bindNumber(form, at('cooldownMinutes'))} min={0} />
      {screener.kind === 'gap-and-go' ? (
        <>
          <NumberField label="Min gap from previous close (%)" {...bindNumber(form, at('params.minGapPercent'))} min={0} />
          <NumberField
            label="Min relative volume (×)"
            hint="Session volume so far ÷ usual volume by this time of day."
            {...bindNumber(form, at('params.minRelativeVolume'))}
            min={0}
          />
          <NumberField label="Stop below VWAP (%)" {...bindNumber(form, at('params.stopBelowVwapPercent'))} min={0} />
          <NumberField label="Reward:risk (×)" {...bindNumber(form, at('params.rewardRisk'))} min={0} />
        </>
      ) : (
        <>
          <NumberField label="Min bars below VWAP" {...bindNumber(form, at('params.minBarsBelow'))} min={1} step={1} />
          <NumberField
            label="Min volume ratio (×)"
            hint="Reclaim bar volume ÷ average volume of the bars below VWAP."
            {...bindNumber(form, at('params.minVolumeRatio'))}
            min={0}
          />
          <NumberField label="Stop buffer under the reclaim bar low (USD)" {...bindNumber(form, at('params.stopBufferUsd'))} min={0} step={0.01} />
          <NumberField label="Reward:risk (×)" {...bindNumber(form, at('params.rewardRisk'))} min={0} />
        </>
      )}
      <div className="screener-actions">
        <button type="button" className="small" aria-label={`Remove screener ${title}`} onClick={onRemove}>
          Remove
        </button>
      </div>
    </fieldset>
  );
}

function AddScreener({ onAdd }: { onAdd: (kind: ScreenerKind, name: string) => void }) {
  const [kind, setKind] = useState<ScreenerKind>('gap-and-go');
  const [name, setName] = useState('');
  return (
    <fieldset className="settings-inline add-screener">
      <legend>Add a screener</legend>
      <label>
        Kind
        <select value={kind} onChange={(e) => setKind(e.target.value as ScreenerKind)}>
          {(Object.keys(SCREENER_KIND_LABELS) as ScreenerKind[]).map((k) => (
            <option key={k} value={k}>
              {SCREENER_KIND_LABELS[k]}
            </option>
          ))}
        </select>
      </label>
      <label>
        New screener name
        <input value={name} placeholder={SCREENER_KIND_LABELS[kind]} autoComplete="off" onChange={(e) => setName(e.target.value)} />
      </label>
      <button
        type="button"
        onClick={() => {
          onAdd(kind, name);
          setName('');
        }}
      >
        Add screener
      </button>
    </fieldset>
  );
}

function AnomalyFields({ form }: { form: TabForm<unknown> }) {
  return (
    <fieldset className="settings-grid">
      <legend>Market anomaly detector (price spike, volume spike, spread blow-out, stale symbol)</legend>
      <CheckboxField label="Anomaly detector enabled" {...bindBoolean(form, 'anomaly.enabled')} />
      <NumberField label="Statistics window (1-minute bars)" {...bindNumber(form, 'anomaly.windowBars')} min={5} step={1} />
      <NumberField label="Price spike (|z-score| of a 1-minute return)" {...bindNumber(form, 'anomaly.priceSpikeZ')} min={0} />
      <NumberField label="Volume spike (× average bar volume)" {...bindNumber(form, 'anomaly.volumeSpikeMultiple')} min={1} />
      <NumberField label="Spread blow-out (× normal spread)" {...bindNumber(form, 'anomaly.spreadMultiple')} min={1} />
      <NumberField label="Stale after (seconds without data)" {...bindNumber(form, 'anomaly.staleSeconds')} min={0} />
      <NumberField label="Anomaly alert cooldown (minutes)" {...bindNumber(form, 'anomaly.cooldownMinutes')} min={0} />
    </fieldset>
  );
}
