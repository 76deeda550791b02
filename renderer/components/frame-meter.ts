/**
 * A window's own frame rate and longest frame, measured with `requestAnimationFrame` and sent to
 * the engine every 2 s (`reportWindowHealth`) for the system-health gauges and the benchmark.
 */
import { useEffect } from 'react';
import type { WindowKind } from '../../shared/protocol';
import { useWorkstation } from '../workstation-context';

/** Reporting interval, ms. */
export const FRAME_REPORT_MS = 2_000;

/** Frame statistics of one interval. */
export class FrameStats {
  private frames = 0;
  private longest = 0;
  private last: number | null = null;
  private startedAt: number;

  constructor(now: number) {
    this.startedAt = now;
  }

  /** One frame drawn at `now` (ms, monotonic). */
  frame(now: number): void {
    if (this.last !== null) this.longest = Math.max(this.longest, now - this.last);
    this.last = now;
    this.frames++;
  }

  /** Frames per second and the longest frame since the last take; starts a new interval. */
  take(now: number): { fps: number; longestFrameMs: number } {
    const seconds = Math.max(0.001, (now - this.startedAt) / 1000);
    const result = { fps: Math.round((this.frames / seconds) * 10) / 10, longestFrameMs: Math.round(this.longest * 10) / 10 };
    this.frames = 0;
    this.longest = 0;
    this.startedAt = now;
    return result;
  }
}

/** Measures this window's frames and reports them to the engine while mounted. */
export function useFrameMeter(kind: WindowKind): void {
  const { client } = useWorkstation();
  useEffect(() => {
    const stats = new FrameStats(performance.now());
    let raf = requestAnimationFrame(function tick(now) {
      stats.frame(now);
      raf = requestAnimationFrame(tick);
    });
    const timer = setInterval(() => {
      const figures = stats.take(performance.now());
      void client.request({ type: 'reportWindowHealth', kind, ...figures, visible: document.visibilityState === 'visible' }).catch(() => undefined);
    }, FRAME_REPORT_MS);
    return () => {
      cancelAnimationFrame(raf);
      clearInterval(timer);
    };
  }, [client, kind]);
}
