/**
 * The application menu, as a pure template (Electron's `Menu.buildFromTemplate` input): Window
 * (one item per window kind), Layouts (restore the layout saved for this monitor arrangement),
 * Help (reveal the log file, open the data folder), plus the platform's standard menus (the app
 * menu on macOS, File, Edit: copy and paste in text fields need it on macOS).
 */
import type { MenuItemConstructorOptions } from 'electron';
import { WINDOW_KINDS, WINDOW_TITLES, type WindowKind } from '../../shared/protocol';

/** What the menu items do. */
export interface AppMenuActions {
  /** Opens a new window of `kind`. */
  openWindow(kind: WindowKind): void;
  /** Replaces the open windows with the layout saved for this monitor arrangement. */
  restoreLayout(): void;
  /** Shows main's log file in the file manager. */
  revealLogs(): void;
  /** Opens the user-data folder (database, settings, logs). */
  openDataFolder(): void;
}

/** What the menu shows, beside its actions. */
export interface AppMenuOptions {
  /** `process.platform`. */
  readonly platform: NodeJS.Platform;
  /** Name shown as the macOS app menu. */
  readonly appName: string;
  /** A layout is saved, so "Restore layout" has something to restore. */
  readonly canRestoreLayout: boolean;
}

/** Label of the Layouts menu item that restores this arrangement's layout. */
export const RESTORE_LAYOUT_LABEL = 'Restore layout for this arrangement';

/** The application menu template. */
export function appMenuTemplate(options: AppMenuOptions, actions: AppMenuActions): MenuItemConstructorOptions[] {
  const mac = options.platform === 'darwin';
  const windowItems: MenuItemConstructorOptions[] = WINDOW_KINDS.map((kind) => ({
    id: `open-${kind}`,
    label: WINDOW_TITLES[kind],
    click: () => actions.openWindow(kind),
  }));
  return [
    ...(mac ? [{ label: options.appName, role: 'appMenu' } satisfies MenuItemConstructorOptions] : []),
    { role: 'fileMenu' },
    { role: 'editMenu' },
    {
      label: 'Window',
      ...(mac ? { role: 'windowMenu' as const } : {}),
      submenu: [...windowItems, { type: 'separator' }, { role: 'minimize' }, ...(mac ? [{ role: 'zoom' } as const] : [])],
    },
    {
      label: 'Layouts',
      submenu: [{ id: 'restore-layout', label: RESTORE_LAYOUT_LABEL, enabled: options.canRestoreLayout, click: () => actions.restoreLayout() }],
    },
    {
      label: 'Help',
      role: 'help',
      submenu: [
        { id: 'reveal-logs', label: 'Reveal logs', click: () => actions.revealLogs() },
        { id: 'open-data-folder', label: 'Open data folder', click: () => actions.openDataFolder() },
      ],
    },
  ];
}
