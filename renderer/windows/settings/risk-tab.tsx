/**
 * Risk tab: every pre-trade limit and the daily loss lock (RiskLimits), and "Lock risk settings
 * for this session" (a second click confirms; `lockRiskSettings`). Once locked (RiskStatus
 * .settingsLocked) the limits are read-only until the app restarts.
 */
import { useState } from 'react';
import type { RiskLimits } from '../../../shared/domain';
import { WorkstationRequestError } from '../../../shared/protocol';
import { useWorkstation } from '../../workstation-context';
import { ApplyBar, CheckboxField, NumberField, SelectField, SettingsForm, bindBoolean, bindField, bindNumber } from './fields';
import { useSettingsWindow, useTabForm, type FormSpec, type TabForm } from './settings-context';

interface RiskDraft {
  readonly risk: RiskLimits;
}

const RISK_FORM: FormSpec<RiskDraft> = {
  tab: 'risk',
  fromSettings: (settings) => ({ risk: settings.risk }),
  toPatch: (draft) => ({ risk: draft.risk }),
  fallback: (settings) => ({ risk: settings.risk }),
};

/** The Risk tab: RiskLimits fields, read-only while locked, and the session lock. */
export function RiskTab() {
  const { riskLocked } = useSettingsWindow();
  const form = useTabForm(RISK_FORM, { readOnly: riskLocked });
  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  return (
    <SettingsForm form={f} label="Risk limits">
      {riskLocked && (
        <p className="settings-note locked" role="note">
          Risk settings are locked for this session: they unlock when the workstation restarts.
        </p>
      )}
      <fieldset className="settings-grid">
        <legend>Pre-trade limits (each order is checked before it is sent)</legend>
        <NumberField label="Max order quantity (shares)" {...bindNumber(f, 'risk.maxOrderQuantity')} min={1} step={1} />
        <NumberField label="Max order notional (USD)" {...bindNumber(f, 'risk.maxOrderNotional')} min={0} />
        <NumberField label="Max position notional per symbol (USD)" {...bindNumber(f, 'risk.maxPositionNotional')} min={0} />
        <NumberField label="Max open positions (symbols)" {...bindNumber(f, 'risk.maxOpenPositions')} min={1} step={1} />
        <NumberField
          label="Price band through the NBBO (%)"
          hint="Limits priced further through the bid/ask are refused (fat-finger guard)."
          {...bindNumber(f, 'risk.priceBandPercent')}
          min={0}
          max={100}
        />
        <NumberField label="Max orders per minute" {...bindNumber(f, 'risk.maxOrdersPerMinute')} min={1} step={1} />
        <NumberField label="Max trades per day (fills)" {...bindNumber(f, 'risk.maxDailyTrades')} min={1} step={1} />
        <CheckboxField label="Allow short selling" {...bindBoolean(f, 'risk.allowShortSelling')} />
      </fieldset>
      <fieldset className="settings-grid">
        <legend>Daily loss lock</legend>
        <NumberField
          label="Daily loss limit (USD)"
          hint="Day P&L (realized + unrealized) at which the lock engages, as a positive amount."
          {...bindNumber(f, 'risk.dailyLossLimit')}
          min={0}
        />
        <SelectField<RiskLimits['lossLimitAction']>
          label="When the daily loss limit is hit"
          {...bindField<RiskLimits['lossLimitAction']>(f, 'risk.lossLimitAction')}
          choices={[
            { value: 'halt', label: 'Halt: no new orders' },
            { value: 'reduce', label: 'Reduce only: orders that reduce exposure' },
          ]}
        />
      </fieldset>
      <ApplyBar form={f} note="Changes take effect at once, without a restart." />
      <LockRiskSettings locked={riskLocked} />
    </SettingsForm>
  );
}

/** "Lock risk settings for this session", then "Confirm lock" (or Cancel). */
function LockRiskSettings({ locked }: { readonly locked: boolean }) {
  const { client } = useWorkstation();
  const [confirming, setConfirming] = useState(false);
  const [message, setMessage] = useState<{ readonly kind: 'ok' | 'error'; readonly text: string } | null>(null);
  if (locked) return null;
  const lock = async (): Promise<void> => {
    setConfirming(false);
    try {
      await client.request({ type: 'lockRiskSettings' });
      setMessage({ kind: 'ok', text: 'Risk settings locked until the workstation restarts.' });
    } catch (error) {
      setMessage({ kind: 'error', text: `Not locked: ${error instanceof WorkstationRequestError ? error.message : String(error)}` });
    }
  };
  return (
    <div className="lock-risk">
      {confirming ? (
        <>
          <span className="settings-warning">Lock the risk limits as they are now? They cannot be changed again until the workstation restarts.</span>
          <button type="button" className="danger" onClick={() => void lock()}>
            Confirm lock
          </button>
          <button type="button" onClick={() => setConfirming(false)}>
            Cancel
          </button>
        </>
      ) : (
        <button type="button" onClick={() => setConfirming(true)}>
          Lock risk settings for this session
        </button>
      )}
      {message && (
        <span role="status" className={message.kind === 'error' ? 'field-error' : 'level-ok'}>
          {message.text}
        </span>
      )}
    </div>
  );
}
