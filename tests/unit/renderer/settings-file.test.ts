import { describe, expect, it } from 'vitest';
import { DEFAULT_SETTINGS, type Settings } from '../../../shared/domain';
import {
  SETTINGS_FILE_FORMAT,
  SETTINGS_FILE_VERSION,
  differingGroups,
  importPatch,
  parseSettingsFile,
  serializeSettingsFile,
} from '../../../renderer/windows/settings/settings-file';

const EXPORTED_AT = new Date('2024-05-01T13:30:00.000Z');

function fileText(overrides: Record<string, unknown>): string {
  return JSON.stringify({ format: SETTINGS_FILE_FORMAT, version: 1, exportedAt: EXPORTED_AT.toISOString(), settings: DEFAULT_SETTINGS, ...overrides });
}

describe('serializeSettingsFile', () => {
  it('writes format, version, export time and the settings, pretty-printed with 2 spaces', () => {
    const text = serializeSettingsFile(DEFAULT_SETTINGS, EXPORTED_AT);
    expect(text.startsWith('{\n  "format": "trading-workstation-settings",\n  "version": 1,\n  "exportedAt": "2024-05-01T13:30:00.000Z",\n  "settings": {\n    "watchlist"')).toBe(true);
    expect(text.endsWith('}\n')).toBe(true);
    expect(JSON.parse(text)).toEqual({ format: SETTINGS_FILE_FORMAT, version: SETTINGS_FILE_VERSION, exportedAt: EXPORTED_AT.toISOString(), settings: DEFAULT_SETTINGS });
  });

  it('round-trips: what is exported imports unchanged', () => {
    const settings: Settings = {
      ...DEFAULT_SETTINGS,
      watchlist: ['IBM', 'SPY'],
      risk: { ...DEFAULT_SETTINGS.risk, maxOrderQuantity: 500, lossLimitAction: 'reduce' },
      appearance: { theme: 'light', fontScale: 1.25 },
    };
    const result = parseSettingsFile(serializeSettingsFile(settings, EXPORTED_AT));
    expect(result).toEqual({ ok: true, file: { format: SETTINGS_FILE_FORMAT, version: 1, exportedAt: EXPORTED_AT.toISOString(), settings } });
  });

  it('never writes anything but settings (no API keys)', () => {
    const parsed = JSON.parse(serializeSettingsFile(DEFAULT_SETTINGS, EXPORTED_AT)) as Record<string, unknown>;
    expect(Object.keys(parsed).sort()).toEqual(['exportedAt', 'format', 'settings', 'version']);
    expect(JSON.stringify(parsed)).not.toMatch(/secret|apiKey|keyId/i);
  });
});

describe('parseSettingsFile', () => {
  it('accepts a file with a byte-order mark and without an export time', () => {
    const { exportedAt: _unused, ...rest } = JSON.parse(fileText({})) as Record<string, unknown>;
    const result = parseSettingsFile(`\uFEFF${JSON.stringify(rest)}`);
    expect(result.ok && result.file.exportedAt).toBe(null);
  });

  it('refuses text that is not JSON', () => {
    expect(parseSettingsFile('not json {')).toEqual({ ok: false, message: expect.stringMatching(/not JSON/) });
  });

  it('refuses a file of another format', () => {
    const result = parseSettingsFile(fileText({ format: 'some-other-app' }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/not a settings export of the workstation.*"some-other-app"/);
    expect(parseSettingsFile('[1, 2]').ok).toBe(false);
  });

  it('refuses a newer version with a message saying to update', () => {
    const result = parseSettingsFile(fileText({ version: 2 }));
    expect(result.ok).toBe(false);
    expect(!result.ok && result.message).toMatch(/version 2, written by a newer workstation; this one reads version 1\. Update the workstation/);
  });

  it('refuses a missing or non-integer version', () => {
    expect(parseSettingsFile(fileText({ version: '1' })).ok).toBe(false);
    expect(parseSettingsFile(fileText({ version: 0 })).ok).toBe(false);
  });

  it('names the invalid field', () => {
    const settings = { ...DEFAULT_SETTINGS, risk: { ...DEFAULT_SETTINGS.risk, maxOrderQuantity: 0 } };
    const result = parseSettingsFile(fileText({ settings }));
    expect(result).toEqual({ ok: false, field: 'risk.maxOrderQuantity', message: 'This settings file is invalid: risk.maxOrderQuantity must be at least 1.' });
  });

  it('names a nested invalid field in the trader\'s words', () => {
    const screeners = [{ ...DEFAULT_SETTINGS.screeners[0], maxAlertsPerDay: 0 }];
    const result = parseSettingsFile(fileText({ settings: { ...DEFAULT_SETTINGS, screeners } }));
    expect(result).toMatchObject({ ok: false, field: 'screeners.0.maxAlertsPerDay', message: expect.stringContaining('screeners.0.maxAlertsPerDay must be at least 1') });
  });

  it('names an unknown settings group and a missing one', () => {
    expect(parseSettingsFile(fileText({ settings: { ...DEFAULT_SETTINGS, apiKeys: {} } }))).toMatchObject({ ok: false, field: 'apiKeys' });
    const { hotkeys: _hotkeys, ...withoutHotkeys } = DEFAULT_SETTINGS;
    expect(parseSettingsFile(fileText({ settings: withoutHotkeys }))).toMatchObject({ ok: false, field: 'hotkeys' });
  });
});

describe('differingGroups and importPatch', () => {
  const incoming: Settings = {
    ...DEFAULT_SETTINGS,
    risk: { ...DEFAULT_SETTINGS.risk, dailyLossLimit: 1_000 },
    hotkeys: { ...DEFAULT_SETTINGS.hotkeys, confirmAboveNotional: 5_000 },
  };

  it('lists the groups that differ, ignoring key order', () => {
    expect(differingGroups(DEFAULT_SETTINGS, incoming)).toEqual(['risk', 'hotkeys']);
    const reordered = JSON.parse(JSON.stringify({ ...DEFAULT_SETTINGS, risk: Object.fromEntries(Object.entries(DEFAULT_SETTINGS.risk).reverse()) })) as Settings;
    expect(differingGroups(DEFAULT_SETTINGS, reordered)).toEqual([]);
  });

  it('sends every group, and leaves out risk when it is locked', () => {
    expect(importPatch(incoming, false)).toEqual(incoming);
    const locked = importPatch(incoming, true);
    expect(locked.risk).toBeUndefined();
    expect(Object.keys(locked)).toHaveLength(Object.keys(incoming).length - 1);
    expect(locked.hotkeys).toEqual(incoming.hotkeys);
  });
});
