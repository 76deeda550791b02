import { beforeEach, describe, expect, it, vi } from 'vitest';
import { handleFromWindows, handleInvokeFromWindows, type TrustContext } from '../../../electron/main/ipc';
import { IPC_CHANNELS, IPC_INVOKE_CHANNELS } from '../../../shared/ipc-channels';
import { MockWebContents, emitIpc, invokeIpc, ipcMain, resetElectronMock } from '../../support/electron-mock';

vi.mock('electron', async () => (await import('../../support/electron-mock')).electronMock);

const RENDERER = 'file:///app/out/renderer/index.html';

function trusted(): { contents: MockWebContents; trust: TrustContext; warnings: string[] } {
  const contents = new MockWebContents();
  contents.mainFrame.url = `${RENDERER}?window=settings`;
  const warnings: string[] = [];
  return { contents, warnings, trust: { knownWindowIds: () => new Set([contents.id]), rendererUrl: RENDERER, warn: (m) => warnings.push(m) } };
}

describe('IPC handlers from windows', () => {
  beforeEach(() => void resetElectronMock());

  it('handleFromWindows runs only for the main frame of a known window on the app page, and can be removed', () => {
    const { contents, trust, warnings } = trusted();
    const seen: unknown[] = [];
    const remove = handleFromWindows(IPC_CHANNELS.saveLayout, trust, (_sender, payload) => seen.push(payload));
    emitIpc(IPC_CHANNELS.saveLayout, contents, 'ok');
    emitIpc(IPC_CHANNELS.saveLayout, contents, 'sub-frame', { url: `${RENDERER}?window=settings` });
    emitIpc(IPC_CHANNELS.saveLayout, contents, 'navigated', { url: 'https://evil.example/' });
    emitIpc(IPC_CHANNELS.saveLayout, new MockWebContents(), 'unknown window');
    expect(seen).toEqual(['ok']);
    expect(warnings).toHaveLength(3);
    remove();
    expect(ipcMain.listenerCount(IPC_CHANNELS.saveLayout)).toBe(0);
  });

  it('handleInvokeFromWindows answers trusted senders and rejects the others without running the handler', async () => {
    const { contents, trust, warnings } = trusted();
    let runs = 0;
    const remove = handleInvokeFromWindows(IPC_INVOKE_CHANNELS.connectionsGet, trust, (_sender, payload) => {
      runs++;
      return Promise.resolve({ echo: payload });
    });
    await expect(invokeIpc(IPC_INVOKE_CHANNELS.connectionsGet, contents, 1)).resolves.toEqual({ echo: 1 });
    await expect(invokeIpc(IPC_INVOKE_CHANNELS.connectionsGet, contents, 2, { url: `${RENDERER}` })).rejects.toThrow('Refused');
    await expect(invokeIpc(IPC_INVOKE_CHANNELS.connectionsGet, new MockWebContents(), 3)).rejects.toThrow('Refused');
    expect(runs).toBe(1);
    expect(warnings.every((w) => w.includes(IPC_INVOKE_CHANNELS.connectionsGet))).toBe(true);
    remove();
    expect(ipcMain.handlers.has(IPC_INVOKE_CHANNELS.connectionsGet)).toBe(false);
  });
});
