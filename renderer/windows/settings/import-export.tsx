/**
 * The footer of every tab: Export saves `workstation-settings.json` (see settings-file.ts; API
 * keys are never in it); Import reads such a file, validates it, shows which groups differ from
 * the current settings and, on "Apply import", sends them all with `updateSettings` — all but the
 * risk limits when they are locked for the session.
 */
import { useState, type ChangeEvent } from 'react';
import { WorkstationRequestError } from '../../../shared/protocol';
import { useWorkstation } from '../../workstation-context';
import { useSettingsWindow } from './settings-context';
import {
  SETTINGS_FILE_NAME,
  SETTINGS_GROUP_LABELS,
  differingGroups,
  importPatch,
  parseSettingsFile,
  serializeSettingsFile,
  type SettingsFile,
  type SettingsGroup,
} from './settings-file';

/** Larger files are not settings exports (one is a few kilobytes). */
const MAX_FILE_BYTES = 2_000_000;

interface PendingImport {
  readonly name: string;
  readonly file: SettingsFile;
}

type Message = { readonly kind: 'ok' | 'error'; readonly text: string } | null;

/** Saves text as a download named `name` (the browser's or Electron's save flow). */
function download(name: string, text: string): void {
  const url = URL.createObjectURL(new Blob([text], { type: 'application/json' }));
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.style.display = 'none';
  document.body.append(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

/** The Export / Import footer shown under every tab. */
export function ImportExport() {
  const { settings, riskLocked, forms, onSaved } = useSettingsWindow();
  const { client } = useWorkstation();
  const [pending, setPending] = useState<PendingImport | null>(null);
  const [message, setMessage] = useState<Message>(null);
  const [sending, setSending] = useState(false);

  const exportSettings = (): void => {
    if (!settings) return;
    download(SETTINGS_FILE_NAME, serializeSettingsFile(settings));
    setMessage({ kind: 'ok', text: `Exported ${SETTINGS_FILE_NAME} (API keys are never part of it).` });
  };

  const chooseFile = async (event: ChangeEvent<HTMLInputElement>): Promise<void> => {
    const file = event.target.files?.[0];
    // Cleared so choosing the same file again reads it again.
    event.target.value = '';
    if (!file) return;
    setPending(null);
    if (file.size > MAX_FILE_BYTES) {
      setMessage({ kind: 'error', text: `${file.name} is too large to be a settings export (${Math.round(file.size / 1024)} KB).` });
      return;
    }
    const result = parseSettingsFile(await file.text());
    if (!result.ok) {
      setMessage({ kind: 'error', text: `${file.name}: ${result.message}` });
      return;
    }
    setMessage(null);
    setPending({ name: file.name, file: result.file });
  };

  const groups: SettingsGroup[] = pending && settings ? differingGroups(settings, pending.file.settings) : [];
  const applicable = groups.filter((g) => !(riskLocked && g === 'risk'));
  const riskSkipped = riskLocked && groups.includes('risk');

  const applyImport = async (): Promise<void> => {
    if (!pending) return;
    setSending(true);
    try {
      const reply = await client.request({ type: 'updateSettings', settings: importPatch(pending.file.settings, riskLocked) });
      onSaved(reply.settings);
      forms.setState({}, true);
      setPending(null);
      setMessage({
        kind: 'ok',
        text: `Imported ${pending.name}: ${applicable.map((g) => SETTINGS_GROUP_LABELS[g]).join(', ')} applied.${riskSkipped ? ' Risk limits were not imported: they are locked for this session.' : ''}`,
      });
    } catch (error) {
      const field = error instanceof WorkstationRequestError && error.field ? ` (${error.field})` : '';
      setMessage({ kind: 'error', text: `Import not applied${field}: ${error instanceof Error ? error.message : String(error)}` });
    } finally {
      setSending(false);
    }
  };

  const dirtyTabs = Object.values(forms.getState()).filter((entry) => entry?.draft !== undefined).length;

  return (
    <footer className="settings-footer" aria-label="Export and import">
      <button type="button" onClick={exportSettings} disabled={!settings}>
        Export settings
      </button>
      <label className="import-file">
        <span>Import…</span>
        <input type="file" accept=".json,application/json" aria-label="Import settings file" disabled={!settings} onChange={(e) => void chooseFile(e)} />
      </label>
      {pending && (
        <div className="import-summary" role="region" aria-label="Import summary">
          <p>
            <strong>{pending.name}</strong>
            {pending.file.exportedAt ? ` (exported ${pending.file.exportedAt})` : ''}:{' '}
            {groups.length === 0 ? 'the same as the current settings.' : `differs in ${groups.map((g) => SETTINGS_GROUP_LABELS[g]).join(', ')}.`}
          </p>
          {riskSkipped && <p className="settings-warning">Risk settings are locked for this session: the imported risk limits will not be applied.</p>}
          {applicable.length > 0 && dirtyTabs > 0 && <p className="muted">Edits not yet applied on other tabs will be discarded.</p>}
          {applicable.length > 0 && (
            <button type="button" className="apply" disabled={sending} onClick={() => void applyImport()}>
              Apply import
            </button>
          )}
          <button type="button" onClick={() => setPending(null)}>
            Discard import
          </button>
        </div>
      )}
      {message && (
        <p role={message.kind === 'error' ? 'alert' : 'status'} className={message.kind === 'error' ? 'field-error' : 'level-ok'}>
          {message.text}
        </p>
      )}
    </footer>
  );
}
