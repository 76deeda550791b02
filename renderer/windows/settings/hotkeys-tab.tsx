/**
 * Hotkeys tab: one row per binding — chord (typed, or recorded with "Record": the next key chord
 * pressed), action, shares per order, per-key size cap and price offset — with conflicts and
 * reserved chords reported on the row; the confirmation thresholds. Hotkeys are replaced whole.
 */
import { useEffect, useState } from 'react';
import { HOTKEY_ACTIONS, chordFromKeyboardEvent, normalizeChord, type HotkeyAction } from '../../../shared/hotkeys';
import { ApplyBar, NumberField, SelectField, SettingsForm, TextField, bindNumber, bindText, type Choice } from './fields';
import {
  HOTKEY_ACTION_LABELS,
  fallbackBinding,
  hotkeyConflictErrors,
  hotkeySettingsOf,
  hotkeysDraftOf,
  newBindingDraft,
  usesOffset,
  usesQuantity,
  usesSizeCap,
  withAction,
  type BindingDraft,
  type HotkeysDraft,
} from './hotkey-drafts';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';
import { setAt, valueAt } from './settings-form';

const HOTKEYS_FORM: FormSpec<HotkeysDraft> = {
  tab: 'hotkeys',
  fromSettings: (settings) => hotkeysDraftOf(settings.hotkeys),
  toPatch: (draft) => ({ hotkeys: hotkeySettingsOf(draft) }),
  fallback: (settings, draft) => ({
    hotkeys: { ...settings.hotkeys, bindings: draft.hotkeys.bindings.map((b, i) => fallbackBinding(b.action, i)) },
  }),
  extraErrors: (draft) => hotkeyConflictErrors(draft.hotkeys.bindings),
};

const ACTION_CHOICES: readonly Choice<HotkeyAction>[] = HOTKEY_ACTIONS.map((value) => ({ value, label: HOTKEY_ACTION_LABELS[value] }));

/** Keys that only modify: recording waits for the key that comes with them. */
const MODIFIER_KEYS: ReadonlySet<string> = new Set(['Control', 'Alt', 'AltGraph', 'Shift', 'Meta', 'OS', 'CapsLock', 'NumLock', 'Fn']);

/** The Hotkeys tab: the bindings table with Record, conflicts per row, and the confirmation thresholds. */
export function HotkeysTab() {
  const form = useTabForm(HOTKEYS_FORM);
  const [recording, setRecording] = useState<number | null>(null);
  const [recordNote, setRecordNote] = useState<string | null>(null);
  const edit = form?.edit;

  useEffect(() => {
    if (recording === null || !edit) return undefined;
    // Capture phase on window: the chord is taken before the window's hotkey handler can act on it.
    const onKey = (event: KeyboardEvent): void => {
      if (MODIFIER_KEYS.has(event.key) || event.repeat) return;
      event.preventDefault();
      event.stopImmediatePropagation();
      const chord = chordFromKeyboardEvent(event);
      if (chord === null) {
        setRecordNote(`${event.key} cannot be used: use a letter, a digit, F1–F24, Escape, Enter, Space, an arrow, a navigation key or a numpad key, with or without modifiers.`);
        return;
      }
      edit((draft) => setAt(draft, `hotkeys.bindings.${recording}.chord`, chord));
      setRecordNote(null);
      setRecording(null);
    };
    window.addEventListener('keydown', onKey, true);
    return () => window.removeEventListener('keydown', onKey, true);
  }, [recording, edit]);

  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  const rows = form.draft.hotkeys.bindings;
  const toggleRecording = (index: number): void => {
    setRecordNote(null);
    setRecording((current) => (current === index ? null : index));
  };
  return (
    <SettingsForm form={f} label="Hotkeys">
      <p className="muted">
        Hotkeys work in the workstation&apos;s windows only (never system-wide). The first press of a key in a session shows what it will send; the
        next press sends.
      </p>
      <table className="grid hotkeys-table" aria-label="Hotkey bindings">
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Chord</th>
            <th scope="col">Action</th>
            <th scope="col">Shares per order</th>
            <th scope="col">Size cap (shares)</th>
            <th scope="col">Offset (cents)</th>
            <th scope="col">
              <span className="sr-only">Remove</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {rows.map((row, index) => (
            <HotkeyRow
              key={index}
              form={f}
              row={row}
              index={index}
              recording={recording === index}
              onRecord={() => toggleRecording(index)}
              onStopRecording={() => setRecording((current) => (current === index ? null : current))}
              onRemove={() => {
                setRecording(null);
                form.edit((d) => ({ ...d, hotkeys: { ...d.hotkeys, bindings: d.hotkeys.bindings.filter((_, i) => i !== index) } }));
              }}
            />
          ))}
        </tbody>
      </table>
      {recording !== null && (
        <p className="settings-note" role="status">
          {recordNote ?? `Press the key chord for hotkey ${recording + 1}, e.g. F1 or Ctrl+Shift+B (click Record again to stop).`}
        </p>
      )}
      <div className="settings-inline">
        <button
          type="button"
          onClick={() => form.edit((d) => ({ ...d, hotkeys: { ...d.hotkeys, bindings: [...d.hotkeys.bindings, newBindingDraft()] } }))}
        >
          Add hotkey
        </button>
      </div>
      <fieldset className="settings-grid">
        <legend>Ask before sending</legend>
        <NumberField label="Confirm hotkey orders worth more than (USD)" {...bindNumber(f, 'hotkeys.confirmAboveNotional')} min={0} />
        <NumberField label="Confirm hotkey limits priced through the NBBO by more than (%)" {...bindNumber(f, 'hotkeys.priceBandPercent')} min={0} max={100} />
      </fieldset>
      <ApplyBar form={f} note="New bindings work at once in every window." />
    </SettingsForm>
  );
}

interface RowProps {
  readonly form: TabForm<unknown>;
  readonly row: BindingDraft;
  readonly index: number;
  readonly recording: boolean;
  readonly onRecord: () => void;
  readonly onStopRecording: () => void;
  readonly onRemove: () => void;
}

function HotkeyRow({ form, row, index, recording, onRecord, onStopRecording, onRemove }: RowProps) {
  const n = index + 1;
  const at = (key: keyof BindingDraft): string => `hotkeys.bindings.${index}.${key}`;
  const chord = bindText(form, at('chord'));
  const normalize = (): void => {
    try {
      const normalized = normalizeChord(row.chord);
      if (normalized !== row.chord) chord.onChange(normalized);
    } catch {
      // Left as typed: the error is shown next to it.
    }
  };
  const setAction = (action: HotkeyAction): void =>
    form.edit((draft) => setAt(draft, `hotkeys.bindings.${index}`, withAction(valueAt(draft, `hotkeys.bindings.${index}`) as BindingDraft, action)));
  const unused = <span className="muted">—</span>;
  return (
    <tr data-hotkey={index}>
      <td className="num">{n}</td>
      <td>
        <div className="chord-cell">
          <TextField hideLabel label={`Hotkey ${n} chord`} placeholder="e.g. Ctrl+Shift+B" {...chord} onBlur={normalize} />
          <button
            type="button"
            className="small"
            aria-pressed={recording}
            aria-label={recording ? `Stop recording hotkey ${n}` : `Record hotkey ${n}`}
            onClick={onRecord}
            onBlur={onStopRecording}
          >
            {recording ? 'Press a key…' : 'Record'}
          </button>
        </div>
      </td>
      <td>
        <SelectField<HotkeyAction> hideLabel label={`Hotkey ${n} action`} field={at('action')} value={row.action} onChange={setAction} choices={ACTION_CHOICES} error={form.errors[at('action')]} />
      </td>
      <td>{usesQuantity(row.action) ? <NumberField hideLabel label={`Hotkey ${n} shares per order`} {...bindNumber(form, at('quantity'))} optional min={1} step={1} /> : unused}</td>
      <td>
        {usesSizeCap(row.action) ? <NumberField hideLabel label={`Hotkey ${n} size cap (shares)`} {...bindNumber(form, at('maxQuantity'))} optional min={1} step={1} /> : unused}
      </td>
      <td>{usesOffset(row.action) ? <NumberField hideLabel label={`Hotkey ${n} offset (cents)`} {...bindNumber(form, at('offsetCents'))} optional step={1} /> : unused}</td>
      <td>
        <button type="button" className="small" aria-label={`Remove hotkey ${n}`} onClick={onRemove}>
          Remove
        </button>
      </td>
    </tr>
  );
}
