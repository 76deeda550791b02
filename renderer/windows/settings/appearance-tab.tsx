/**
 * Appearance tab: theme and text size of every window, and the order ticket's defaults (size
 * presets, risk per trade for R-sizing).
 */
import { useId } from 'react';
import type { AppearanceSettings, TicketSettings } from '../../../shared/domain';
import { ApplyBar, NumberField, NumberListField, SelectField, SettingsForm, bindField, bindNumber, bindNumbers } from './fields';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';

interface AppearanceDraft {
  readonly appearance: AppearanceSettings;
  readonly ticket: TicketSettings;
}

const APPEARANCE_FORM: FormSpec<AppearanceDraft> = {
  tab: 'appearance',
  fromSettings: (settings) => ({ appearance: settings.appearance, ticket: settings.ticket }),
  toPatch: (draft) => ({ appearance: draft.appearance, ticket: draft.ticket }),
  fallback: (settings) => ({ appearance: settings.appearance, ticket: settings.ticket }),
};

/** Smallest and largest text size multiplier (the settings schema's range). */
const FONT_SCALE = { min: 0.8, max: 1.6, step: 0.05 } as const;

/** The Appearance tab: theme, font scale (slider and number), ticket size presets and risk per trade. */
export function AppearanceTab() {
  const form = useTabForm(APPEARANCE_FORM);
  const sliderId = useId();
  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  const scale = bindNumber(f, 'appearance.fontScale');
  const sliderValue = scale.value !== null && Number.isFinite(scale.value) ? Math.min(FONT_SCALE.max, Math.max(FONT_SCALE.min, scale.value)) : 1;
  return (
    <SettingsForm form={f} label="Appearance">
      <fieldset className="settings-grid">
        <legend>Windows</legend>
        <SelectField<AppearanceSettings['theme']>
          label="Theme"
          {...bindField<AppearanceSettings['theme']>(f, 'appearance.theme')}
          choices={[
            { value: 'dark', label: 'Dark' },
            { value: 'light', label: 'Light' },
          ]}
        />
        <div className="font-scale">
          <NumberField label="Font scale (× of 12 px, 0.8–1.6)" {...scale} min={FONT_SCALE.min} max={FONT_SCALE.max} step={FONT_SCALE.step} />
          <label htmlFor={sliderId} className="sr-only">
            Text size slider (×)
          </label>
          <input
            id={sliderId}
            type="range"
            min={FONT_SCALE.min}
            max={FONT_SCALE.max}
            step={FONT_SCALE.step}
            value={sliderValue}
            onChange={(e) => scale.onChange(Number(e.target.value))}
          />
        </div>
      </fieldset>
      <fieldset className="settings-grid">
        <legend>Order ticket</legend>
        <NumberListField
          label="Ticket size presets (shares, comma separated)"
          hint="One-click quantities on the ticket, 1 to 8 of them."
          {...bindNumbers(f, 'ticket.sizePresets')}
        />
        <NumberField
          label="Risk per trade (USD)"
          hint="R-sizing: quantity = risk ÷ |entry − stop|, rounded down."
          {...bindNumber(f, 'ticket.riskPerTradeUsd')}
          min={0}
        />
      </fieldset>
      <ApplyBar form={f} note="Takes effect at once in every window." />
    </SettingsForm>
  );
}
