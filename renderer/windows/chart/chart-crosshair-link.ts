/**
 * Crosshair time shared by the charts of one link group, across windows of the same origin,
 * over a `BroadcastChannel` named `crosshair` carrying `{ group, time }` (`time`: ms since
 * epoch of the hovered bar's open, `null` when the pointer left the chart). Silent no-op where
 * `BroadcastChannel` does not exist.
 */
import type { LinkGroup } from '../../../shared/protocol';

/** Name of the channel every chart window opens. */
export const CROSSHAIR_CHANNEL = 'crosshair';

/** What a chart tells the charts of its group. */
export interface CrosshairMessage {
  readonly group: LinkGroup;
  /** Open time of the hovered bar, ms since epoch; `null` when the crosshair left the chart. */
  readonly time: number | null;
}

/** A message from another window, checked; `null` when it is not a crosshair message. */
export function parseCrosshairMessage(data: unknown): CrosshairMessage | null {
  if (typeof data !== 'object' || data === null) return null;
  const { group, time } = data as Record<string, unknown>;
  if (typeof group !== 'string') return null;
  if (time === null) return { group, time: null };
  return typeof time === 'number' && Number.isFinite(time) ? { group, time } : null;
}

/** A chart's end of the channel. */
export interface CrosshairLink {
  /** Tells the group where this chart's crosshair is; repeats of the last value are not sent. */
  publish(time: number | null): void;
  /** Closes the channel. */
  dispose(): void;
}

/**
 * Joins link group `group`: `onTime` receives the crosshair times other charts of the group
 * publish (never this link's own: a channel does not deliver to its sender).
 */
export function openCrosshairLink(group: LinkGroup, onTime: (time: number | null) => void): CrosshairLink {
  if (typeof BroadcastChannel === 'undefined') return { publish: () => undefined, dispose: () => undefined };
  const channel = new BroadcastChannel(CROSSHAIR_CHANNEL);
  let last: number | null = null;
  channel.onmessage = (event: MessageEvent<unknown>) => {
    const message = parseCrosshairMessage(event.data);
    if (message && message.group === group) onTime(message.time);
  };
  return {
    publish(time) {
      if (time === last) return;
      last = time;
      const message: CrosshairMessage = { group, time };
      channel.postMessage(message);
    },
    dispose() {
      channel.onmessage = null;
      channel.close();
    },
  };
}
