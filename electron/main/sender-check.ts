/**
 * Whether an IPC message may be trusted: it must come from the main frame of a window this app
 * created, showing the app's own renderer page (never a navigated-away or embedded page).
 */

/** What main knows about the sender of an IPC message. */
export interface IpcSender {
  /** `webContents.id` of the sender. */
  readonly webContentsId: number;
  /** `true` when the sending frame is the window's main frame. */
  readonly isMainFrame: boolean;
  /** URL of the sending frame. */
  readonly frameUrl: string;
}

/**
 * @param knownWindowIds `webContents.id` of every window the window manager created.
 * @param rendererUrl URL of the renderer's index page (`app://workstation/index.html`).
 */
export function isTrustedSender(sender: IpcSender, knownWindowIds: ReadonlySet<number>, rendererUrl: string): boolean {
  if (!knownWindowIds.has(sender.webContentsId) || !sender.isMainFrame) return false;
  const page = pageOf(sender.frameUrl);
  return page !== null && page === pageOf(rendererUrl);
}

/** URL without query and fragment, or null when it is not a URL. */
function pageOf(text: string): string | null {
  try {
    const url = new URL(text);
    return `${url.protocol}//${url.host}${url.pathname}`;
  } catch {
    return null;
  }
}
