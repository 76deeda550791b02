/**
 * The Settings window: strategies, risk, data and brokers, hotkeys, notifications, appearance,
 * storage and health thresholds, one tab each (an ARIA tablist: arrow keys, Home and End move
 * between tabs), with Export / Import at the foot of every tab. Each tab validates as the trader
 * types, exactly as the engine will, and applies its own group with `updateSettings`; the engine
 * publishes the new settings on topic `settings` and every window takes them without a restart.
 */
import { useCallback, useRef, useState, type KeyboardEvent } from 'react';
import { useStore } from 'zustand';
import type { Settings } from '../../../shared/domain';
import { useTopics, useWorkstation, useWorkstationState } from '../../workstation-context';
import { AppearanceTab } from './appearance-tab';
import { DataBrokersTab } from './data-brokers-tab';
import { HealthTab } from './health-tab';
import { HotkeysTab } from './hotkeys-tab';
import { ImportExport } from './import-export';
import { NotificationsTab } from './notifications-tab';
import { RiskTab } from './risk-tab';
import { createFormsStore, SettingsWindowContext, useSettingsWindow, type SettingsTabId, type SettingsWindowState } from './settings-context';
import { StorageTab } from './storage-tab';
import { StrategiesTab } from './strategies-tab';
import './settings.css';

/** The tabs, in order, with the names the trader reads. */
export const SETTINGS_TABS: ReadonlyArray<{ readonly id: SettingsTabId; readonly name: string }> = [
  { id: 'strategies', name: 'Strategies' },
  { id: 'risk', name: 'Risk' },
  { id: 'data', name: 'Data & Brokers' },
  { id: 'hotkeys', name: 'Hotkeys' },
  { id: 'notifications', name: 'Notifications' },
  { id: 'appearance', name: 'Appearance' },
  { id: 'storage', name: 'Storage' },
  { id: 'health', name: 'Health' },
];

function TabPanel({ tab }: { readonly tab: SettingsTabId }) {
  switch (tab) {
    case 'strategies':
      return <StrategiesTab />;
    case 'risk':
      return <RiskTab />;
    case 'data':
      return <DataBrokersTab />;
    case 'hotkeys':
      return <HotkeysTab />;
    case 'notifications':
      return <NotificationsTab />;
    case 'appearance':
      return <AppearanceTab />;
    case 'storage':
      return <StorageTab />;
    case 'health':
      return <HealthTab />;
  }
}

/** The Settings window (window kind `settings`). */
export function SettingsWindow() {
  useTopics(['settings', 'risk']);
  const { store } = useWorkstation();
  const engineSettings = useWorkstationState((s) => s.settings);
  const riskLocked = useWorkstationState((s) => s.risk?.settingsLocked === true);
  const [forms] = useState(createFormsStore);
  // The reply to an Apply is shown until the engine's `settings` event replaces the settings it answered over.
  const [saved, setSaved] = useState<{ readonly settings: Settings; readonly over: Settings | null } | null>(null);
  const settings = saved !== null && saved.over === engineSettings ? saved.settings : engineSettings;
  const onSaved = useCallback((next: Settings) => setSaved({ settings: next, over: store.getState().settings }), [store]);
  const [tab, setTab] = useState<SettingsTabId>('strategies');
  const context: SettingsWindowState = { settings, riskLocked, forms, onSaved };

  return (
    <SettingsWindowContext.Provider value={context}>
      <div className="settings-window">
        <SettingsTabList selected={tab} onSelect={setTab} />
        <div className="settings-panel" role="tabpanel" id={`settings-panel-${tab}`} aria-labelledby={`settings-tab-${tab}`} tabIndex={0}>
          {settings === null ? <p className="muted">Waiting for the engine&apos;s settings…</p> : <TabPanel tab={tab} />}
        </div>
        <ImportExport />
      </div>
    </SettingsWindowContext.Provider>
  );
}

/** The tabs: one is selected and in the tab order; arrows (wrapping), Home and End select and focus another. */
function SettingsTabList({ selected, onSelect }: { readonly selected: SettingsTabId; readonly onSelect: (tab: SettingsTabId) => void }) {
  const { forms } = useSettingsWindow();
  const dirty = useStore(forms, (s) => SETTINGS_TABS.filter((t) => s[t.id]?.draft !== undefined).map((t) => t.id).join(' '));
  const buttons = useRef(new Map<SettingsTabId, HTMLButtonElement>());
  const onKeyDown = (event: KeyboardEvent<HTMLDivElement>): void => {
    const index = SETTINGS_TABS.findIndex((t) => t.id === selected);
    const last = SETTINGS_TABS.length - 1;
    const next =
      event.key === 'ArrowRight' || event.key === 'ArrowDown'
        ? index === last ? 0 : index + 1
        : event.key === 'ArrowLeft' || event.key === 'ArrowUp'
          ? index === 0 ? last : index - 1
          : event.key === 'Home'
            ? 0
            : event.key === 'End'
              ? last
              : null;
    const target = next === null ? undefined : SETTINGS_TABS[next];
    if (!target) return;
    event.preventDefault();
    onSelect(target.id);
    buttons.current.get(target.id)?.focus();
  };
  return (
    <div className="settings-tabs" role="tablist" aria-label="Settings" aria-orientation="horizontal" onKeyDown={onKeyDown}>
      {SETTINGS_TABS.map((t) => {
        const isSelected = t.id === selected;
        const isDirty = dirty.split(' ').includes(t.id);
        return (
          <button
            key={t.id}
            ref={(element) => {
              if (element) buttons.current.set(t.id, element);
              else buttons.current.delete(t.id);
            }}
            type="button"
            role="tab"
            id={`settings-tab-${t.id}`}
            aria-selected={isSelected}
            aria-controls={isSelected ? `settings-panel-${t.id}` : undefined}
            tabIndex={isSelected ? 0 : -1}
            className={`settings-tab${isDirty ? ' dirty' : ''}`}
            title={isDirty ? 'Changes not applied yet' : undefined}
            onClick={() => onSelect(t.id)}
          >
            {t.name}
          </button>
        );
      })}
    </div>
  );
}
