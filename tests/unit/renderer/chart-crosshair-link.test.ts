import { afterEach, describe, expect, it, vi } from 'vitest';
import { CROSSHAIR_CHANNEL, openCrosshairLink, parseCrosshairMessage, type CrosshairLink } from '../../../renderer/windows/chart/chart-crosshair-link';

const links: CrosshairLink[] = [];
const open = (group: string, onTime: (time: number | null) => void = () => undefined): CrosshairLink => {
  const link = openCrosshairLink(group, onTime);
  links.push(link);
  return link;
};
afterEach(() => {
  for (const link of links.splice(0)) link.dispose();
  vi.unstubAllGlobals();
});

describe('crosshair messages', () => {
  it('accepts { group, time } with a time in ms or null', () => {
    expect(parseCrosshairMessage({ group: 'blue', time: 1_710_509_400_000 })).toEqual({ group: 'blue', time: 1_710_509_400_000 });
    expect(parseCrosshairMessage({ group: 'blue', time: null })).toEqual({ group: 'blue', time: null });
  });

  it('rejects anything else', () => {
    for (const data of [null, 'blue', { group: 'blue' }, { group: 3, time: 1 }, { group: 'blue', time: '1' }, { group: 'blue', time: Number.NaN }]) {
      expect(parseCrosshairMessage(data)).toBeNull();
    }
  });
});

describe('crosshair link', () => {
  it('tells the charts of the same group, not other groups, and never repeats itself', async () => {
    const blue = vi.fn();
    const red = vi.fn();
    const sender = open('blue');
    open('blue', blue);
    open('red', red);
    sender.publish(1_000);
    sender.publish(1_000);
    sender.publish(null);
    await vi.waitFor(() => expect(blue).toHaveBeenCalledTimes(2));
    expect(blue.mock.calls).toEqual([[1_000], [null]]);
    expect(red).not.toHaveBeenCalled();
  });

  it('uses the channel named crosshair and ignores foreign messages on it', async () => {
    const received = vi.fn();
    open('blue', received);
    const other = new BroadcastChannel(CROSSHAIR_CHANNEL);
    other.postMessage({ hello: 'world' });
    other.postMessage({ group: 'blue', time: 5 });
    await vi.waitFor(() => expect(received).toHaveBeenCalledWith(5));
    expect(received).toHaveBeenCalledTimes(1);
    other.close();
  });

  it('does nothing where BroadcastChannel does not exist', () => {
    vi.stubGlobal('BroadcastChannel', undefined);
    const link = open('blue');
    expect(() => link.publish(1)).not.toThrow();
  });
});
