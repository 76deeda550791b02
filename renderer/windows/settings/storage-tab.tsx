/**
 * Storage tab: recording of live market data and how long it is kept, the watchlist's symbols,
 * and whether intraday charts show extended-hours bars.
 */
import { LOG_LEVELS, type LogLevel, type Settings } from '../../../shared/domain';
import { ApplyBar, CheckboxField, NumberField, SelectField, SettingsForm, SymbolListField, bindBoolean, bindField, bindNumber, bindSymbols } from './fields';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';

interface StorageDraft {
  readonly logging: Settings['logging'];
  readonly recording: Settings['recording'];
  readonly watchlist: Settings['watchlist'];
  readonly charts: Settings['charts'];
}

const STORAGE_FORM: FormSpec<StorageDraft> = {
  tab: 'storage',
  fromSettings: (settings) => ({ logging: settings.logging, recording: settings.recording, watchlist: settings.watchlist, charts: settings.charts }),
  toPatch: (draft) => ({ logging: draft.logging, recording: draft.recording, watchlist: draft.watchlist, charts: draft.charts }),
  fallback: (settings) => ({ logging: settings.logging, recording: settings.recording, watchlist: settings.watchlist, charts: settings.charts }),
};

/** The Storage tab: recording and retention, watchlist symbols, extended-hours bars on charts. */
export function StorageTab() {
  const form = useTabForm(STORAGE_FORM);
  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  return (
    <SettingsForm form={f} label="Storage">
      <fieldset className="settings-grid">
        <legend>Recording (live feeds only; recordings.db in the data folder, for replay)</legend>
        <CheckboxField label="Record live quotes and trades" {...bindBoolean(f, 'recording.enabled')} />
        <NumberField label="Keep recordings for (days)" {...bindNumber(f, 'recording.retentionDays')} min={1} step={1} />
      </fieldset>
      <fieldset className="settings-grid">
        <legend>Watchlist and charts</legend>
        <SymbolListField label="Watchlist symbols (comma or space separated)" {...bindSymbols(f, 'watchlist')} />
        <CheckboxField label="Show pre-market and after-hours bars on intraday charts" {...bindBoolean(f, 'charts.extendedHours')} />
      </fieldset>
      <fieldset className="settings-grid">
        <legend>Logs (logs/main.log in the data folder; Help → Reveal logs)</legend>
        <SelectField<LogLevel>
          label="Log level"
          {...bindField<LogLevel>(f, 'logging.level')}
          choices={LOG_LEVELS.map((level) => ({ value: level, label: level === 'debug' ? 'debug (verbose, for support)' : level }))}
        />
      </fieldset>
      <ApplyBar form={f} note="Takes effect at once, without a restart." />
    </SettingsForm>
  );
}
