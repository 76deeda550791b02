import { describe, expect, it } from 'vitest';
import { isTrustedSender } from '../../../electron/main/sender-check';

const RENDERER = 'file:///opt/Trading%20Workstation/out/renderer/index.html';
const known = new Set([3]);

describe('isTrustedSender', () => {
  it('trusts the main frame of a known window showing the app page, whatever its query', () => {
    expect(isTrustedSender({ webContentsId: 3, isMainFrame: true, frameUrl: `${RENDERER}?window=chart&symbol=IBM` }, known, RENDERER)).toBe(true);
  });
  it.each([
    ['an unknown window', { webContentsId: 4, isMainFrame: true, frameUrl: RENDERER }],
    ['a sub-frame', { webContentsId: 3, isMainFrame: false, frameUrl: RENDERER }],
    ['another page', { webContentsId: 3, isMainFrame: true, frameUrl: 'https://example.com/' }],
    ['another local file', { webContentsId: 3, isMainFrame: true, frameUrl: 'file:///tmp/index.html' }],
    ['a non-URL', { webContentsId: 3, isMainFrame: true, frameUrl: 'not a url' }],
  ])('refuses %s', (_name, sender) => {
    expect(isTrustedSender(sender, known, RENDERER)).toBe(false);
  });
});
