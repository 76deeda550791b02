import { describe, expect, it } from 'vitest';
import type { Alert } from '../../../shared/domain';
import { AlertNotifier } from '../../../renderer/notifications/alert-notifier';
import { FrameStats } from '../../../renderer/components/frame-meter';

const alert = (id: string, severity: Alert['severity']): Alert => ({
  id, time: 0, source: 'screener', kind: 'gap-and-go', instanceId: null, symbol: 'IBM', severity, title: `Alert ${id}`, message: '', values: {}, suggestion: null, barTime: null,
});
const settings = { desktop: { info: false, warning: true, critical: true }, sound: { info: false, warning: false, critical: true }, throttleSeconds: 10 };

class MemoryStorage {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
}

describe('alert notifications', () => {
  it('notifies per severity as set: a critical alert pops up and sounds, an info one does nothing', () => {
    const notifier = new AlertNotifier(null, () => 0);
    expect(notifier.plan([alert('a', 'info')], settings)).toBeNull();
    expect(notifier.plan([alert('b', 'critical')], settings)).toMatchObject({ alert: { id: 'b' }, desktop: true, sound: true, more: 0 });
  });

  it('throttles: alerts within the interval are counted into the next notification', () => {
    let now = 0;
    const notifier = new AlertNotifier(null, () => now);
    expect(notifier.plan([alert('a', 'warning')], settings)).toMatchObject({ sound: false });
    now = 3_000;
    expect(notifier.plan([alert('b', 'warning'), alert('c', 'critical')], settings)).toBeNull();
    now = 10_000;
    expect(notifier.plan([alert('d', 'warning')], settings)).toMatchObject({ alert: { id: 'd' }, more: 2 });
  });

  it('shows the most severe of a batch', () => {
    const notifier = new AlertNotifier(null, () => 0);
    expect(notifier.plan([alert('a', 'warning'), alert('b', 'critical'), alert('c', 'warning')], settings)).toMatchObject({ alert: { id: 'b' }, more: 2, sound: true });
  });

  it('notifies each alert once even with two alerts windows open', () => {
    const shared = new MemoryStorage();
    const first = new AlertNotifier(shared, () => 0);
    const second = new AlertNotifier(shared, () => 0);
    expect(first.plan([alert('a', 'critical')], settings)).not.toBeNull();
    expect(second.plan([alert('a', 'critical')], settings)).toBeNull();
  });
});

describe('window frame statistics', () => {
  it('counts frames per second and the longest frame of the interval, then starts over', () => {
    const stats = new FrameStats(0);
    for (let t = 16; t <= 1_000; t += 16) stats.frame(t);
    stats.frame(1_100);
    expect(stats.take(1_100)).toEqual({ fps: 57.3, longestFrameMs: 108 });
    expect(stats.take(2_100)).toEqual({ fps: 0, longestFrameMs: 0 });
  });
});
