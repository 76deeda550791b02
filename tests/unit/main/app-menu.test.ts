import { describe, expect, it } from 'vitest';
import type { MenuItemConstructorOptions } from 'electron';
import { RESTORE_LAYOUT_LABEL, appMenuTemplate, type AppMenuActions } from '../../../electron/main/app-menu';
import { WINDOW_KINDS, WINDOW_TITLES } from '../../../shared/protocol';

function recorder() {
  const calls: string[] = [];
  const actions: AppMenuActions = {
    openWindow: (kind) => calls.push(`open ${kind}`),
    restoreLayout: () => calls.push('restore'),
    revealLogs: () => calls.push('logs'),
    openDataFolder: () => calls.push('data'),
  };
  return { calls, actions };
}

function submenu(template: MenuItemConstructorOptions[], label: string): MenuItemConstructorOptions[] {
  const menu = template.find((item) => item.label === label);
  expect(menu, label).toBeDefined();
  return menu!.submenu as MenuItemConstructorOptions[];
}

function click(item: MenuItemConstructorOptions | undefined): void {
  (item?.click as (() => void) | undefined)?.();
}

describe('appMenuTemplate', () => {
  it('Window has one item per window kind, each opening a new window of that kind', () => {
    const { calls, actions } = recorder();
    const items = submenu(appMenuTemplate({ platform: 'win32', appName: 'TW', canRestoreLayout: false }, actions), 'Window').filter((i) => i.id?.startsWith('open-'));
    expect(items.map((i) => i.label)).toEqual(WINDOW_KINDS.map((k) => WINDOW_TITLES[k]));
    for (const item of items) click(item);
    expect(calls).toEqual(WINDOW_KINDS.map((k) => `open ${k}`));
  });

  it('Layouts restores this arrangement\'s layout, enabled only when one is saved', () => {
    const { calls, actions } = recorder();
    const off = submenu(appMenuTemplate({ platform: 'linux', appName: 'TW', canRestoreLayout: false }, actions), 'Layouts');
    expect(off).toEqual([expect.objectContaining({ label: RESTORE_LAYOUT_LABEL, enabled: false })]);
    const on = submenu(appMenuTemplate({ platform: 'linux', appName: 'TW', canRestoreLayout: true }, actions), 'Layouts');
    expect(on[0]?.enabled).toBe(true);
    click(on[0]);
    expect(calls).toEqual(['restore']);
  });

  it('Help reveals the logs and opens the data folder', () => {
    const { calls, actions } = recorder();
    const help = submenu(appMenuTemplate({ platform: 'win32', appName: 'TW', canRestoreLayout: false }, actions), 'Help');
    expect(help.map((i) => i.label)).toEqual(['Reveal logs', 'Open data folder']);
    help.forEach(click);
    expect(calls).toEqual(['logs', 'data']);
  });

  it('has the app menu on macOS only, and Edit everywhere (copy/paste in fields)', () => {
    const { actions } = recorder();
    const mac = appMenuTemplate({ platform: 'darwin', appName: 'Trading Workstation', canRestoreLayout: false }, actions);
    expect(mac[0]).toEqual({ label: 'Trading Workstation', role: 'appMenu' });
    expect(mac.find((i) => i.label === 'Window')?.role).toBe('windowMenu');
    const win = appMenuTemplate({ platform: 'win32', appName: 'Trading Workstation', canRestoreLayout: false }, actions);
    expect(win.some((i) => i.role === 'appMenu')).toBe(false);
    for (const template of [mac, win]) expect(template.some((i) => i.role === 'editMenu')).toBe(true);
  });
});
