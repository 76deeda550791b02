/**
 * Save and restore layouts from any window: through the Electron main process when the preload
 * API is there (real displays, BrowserWindow bounds), else through the browser desk of the
 * headless host. Either way the layouts themselves live in the engine's store.
 */
import type { Layout } from '../../shared/layouts';
import type { WorkstationClient } from '../../shared/protocol';
import { browserLayout, openBrowserLayout } from './browser-desk';

export interface LayoutActions {
  /** Saves the open windows as `name`; resolves with a message for the trader. */
  save(name: string): Promise<string>;
  /** Replaces the open windows with `layout`'s; resolves with a message for the trader. */
  restore(layout: Layout): Promise<string>;
}

export function layoutActions(client: WorkstationClient): LayoutActions {
  const desktop = typeof window !== 'undefined' ? window.workstation : undefined;
  if (desktop) {
    return {
      save: (name) => {
        desktop.saveLayout(name);
        return Promise.resolve(`Saving layout “${name}”`);
      },
      restore: (layout) => {
        desktop.applyLayout(layout.name);
        return Promise.resolve(`Restoring layout “${layout.name}”`);
      },
    };
  }
  return {
    async save(name) {
      const layout = await browserLayout(name);
      await client.request({ type: 'saveLayout', layout });
      return `Saved layout “${name}” with ${layout.windows.length} windows`;
    },
    restore(layout) {
      const opened = openBrowserLayout(layout);
      return Promise.resolve(`Restored layout “${layout.name}”: ${opened} windows`);
    },
  };
}
