/**
 * Notifications tab: per alert severity, a desktop notification and a sound, with a Test button;
 * and the throttle between notifications.
 */
import { useState } from 'react';
import type { AlertSeverity, NotificationSettings } from '../../../shared/domain';
import { ApplyBar, CheckboxField, NumberField, SettingsForm, bindBoolean, bindNumber } from './fields';
import { playAlertBeep, showTestNotification } from './notification-test';
import { useTabForm, type FormSpec, type TabForm } from './settings-context';

interface NotificationsDraft {
  readonly notifications: NotificationSettings;
}

const NOTIFICATIONS_FORM: FormSpec<NotificationsDraft> = {
  tab: 'notifications',
  fromSettings: (settings) => ({ notifications: settings.notifications }),
  toPatch: (draft) => ({ notifications: draft.notifications }),
  fallback: (settings) => ({ notifications: settings.notifications }),
};

const SEVERITIES: readonly AlertSeverity[] = ['info', 'warning', 'critical'];

/** The Notifications tab: desktop and sound per severity with a Test button, and the throttle. */
export function NotificationsTab() {
  const form = useTabForm(NOTIFICATIONS_FORM);
  const [testResult, setTestResult] = useState<string | null>(null);
  if (!form) return <p className="muted">Loading settings…</p>;
  const f: TabForm<unknown> = form;
  const test = async (severity: AlertSeverity): Promise<void> => {
    const shown = form.draft.notifications.desktop[severity];
    const sound = form.draft.notifications.sound[severity];
    setTestResult(`Testing ${severity}…`);
    const [outcome] = await Promise.all([showTestNotification(severity), playAlertBeep(severity)]);
    const desktop = outcome === 'shown' ? 'desktop notification shown' : outcome === 'denied' ? 'desktop notifications are blocked for the workstation' : 'no desktop notifications here';
    const off = [!shown ? 'desktop' : null, !sound ? 'sound' : null].filter(Boolean).join(' and ');
    setTestResult(`${severity}: sound played, ${desktop}${off ? ` (${off} off for ${severity} alerts)` : ''}.`);
  };
  return (
    <SettingsForm form={f} label="Notifications">
      <table className="grid notifications-table" aria-label="Notifications per severity">
        <thead>
          <tr>
            <th scope="col">Severity</th>
            <th scope="col">Desktop notification</th>
            <th scope="col">Sound</th>
            <th scope="col">
              <span className="sr-only">Test</span>
            </th>
          </tr>
        </thead>
        <tbody>
          {SEVERITIES.map((severity) => (
            <tr key={severity} data-severity={severity}>
              <th scope="row" className={`severity severity-${severity}`}>
                {severity}
              </th>
              <td>
                <CheckboxField hideLabel label={`Desktop notification for ${severity} alerts`} {...bindBoolean(f, `notifications.desktop.${severity}`)} />
              </td>
              <td>
                <CheckboxField hideLabel label={`Sound for ${severity} alerts`} {...bindBoolean(f, `notifications.sound.${severity}`)} />
              </td>
              <td>
                <button type="button" className="small" aria-label={`Test ${severity} alert`} onClick={() => void test(severity)}>
                  Test
                </button>
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <p role="status" className="muted">
        {testResult ?? ''}
      </p>
      <fieldset className="settings-grid">
        <legend>Throttle</legend>
        <NumberField
          label="Throttle (seconds between notifications)"
          hint="Alerts in between are summed up in the next notification."
          {...bindNumber(f, 'notifications.throttleSeconds')}
          min={0}
        />
      </fieldset>
      <ApplyBar form={f} note="Takes effect at once, without a restart." />
    </SettingsForm>
  );
}
