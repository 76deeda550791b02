/**
 * Which alerts become a desktop notification and a sound: per severity as the settings say, at
 * most one notification per throttle interval (alerts held back meanwhile are counted into the
 * next one), each alert once even with several alerts windows open (a claim in `localStorage`,
 * shared by every window of the app).
 */
import type { Alert, AlertSeverity, NotificationSettings } from '../../shared/domain';

/** What to show and play for a batch of new alerts. */
export interface NotificationPlan {
  /** The most severe alert of the batch (ties: the newest). */
  readonly alert: Alert;
  /** Alerts summed into this notification besides `alert` (held back by the throttle, or in the same batch). */
  readonly more: number;
  readonly desktop: boolean;
  readonly sound: boolean;
}

const RANK: Readonly<Record<AlertSeverity, number>> = { info: 0, warning: 1, critical: 2 };

/** Where alerts already notified by some window are recorded. */
export interface ClaimStore {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
}

export class AlertNotifier {
  private lastAt = -Infinity;
  private heldBack = 0;

  constructor(
    private readonly claims: ClaimStore | null,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * The notification for `alerts` (new ones, in arrival order), or null when none is due: no
   * alert asks for a notification or sound, every one was already claimed by another window, or
   * the throttle holds it back (it is then counted into the next).
   */
  plan(alerts: readonly Alert[], settings: NotificationSettings): NotificationPlan | null {
    const wanted = alerts.filter((a) => (settings.desktop[a.severity] || settings.sound[a.severity]) && this.claim(a.id));
    if (wanted.length === 0) return null;
    const now = this.now();
    if (now - this.lastAt < settings.throttleSeconds * 1000) {
      this.heldBack += wanted.length;
      return null;
    }
    let top = wanted[0] as Alert;
    for (const a of wanted) if (RANK[a.severity] >= RANK[top.severity]) top = a;
    const more = wanted.length - 1 + this.heldBack;
    this.heldBack = 0;
    this.lastAt = now;
    return { alert: top, more, desktop: settings.desktop[top.severity], sound: settings.sound[top.severity] };
  }

  /** `true` the first time any window asks for `id`. */
  private claim(id: string): boolean {
    if (!this.claims) return true;
    const key = `notified-alert:${id}`;
    try {
      if (this.claims.getItem(key) !== null) return false;
      this.claims.setItem(key, '1');
    } catch {
      // Storage unavailable (private mode, quota): notify rather than miss an alert.
    }
    return true;
  }
}

/** Tone of each severity, Hz: higher is more urgent. */
const TONES: Readonly<Record<AlertSeverity, readonly number[]>> = { info: [660], warning: [880, 660], critical: [1320, 990, 1320] };

let audio: AudioContext | null = null;

/** Plays the severity's short beep pattern with WebAudio (no sound files). */
export function playAlertSound(severity: AlertSeverity): void {
  if (typeof AudioContext === 'undefined') return;
  audio ??= new AudioContext();
  const context = audio;
  TONES[severity].forEach((frequency, i) => {
    const oscillator = context.createOscillator();
    const gain = context.createGain();
    oscillator.frequency.value = frequency;
    gain.gain.value = 0.08;
    oscillator.connect(gain).connect(context.destination);
    const start = context.currentTime + i * 0.16;
    oscillator.start(start);
    oscillator.stop(start + 0.12);
  });
}

/** Shows a desktop notification when the platform allows it (asks for permission once). */
export function showDesktopNotification(title: string, body: string): void {
  if (typeof Notification === 'undefined') return;
  const show = (): void => void new Notification(title, { body, silent: true });
  if (Notification.permission === 'granted') show();
  else if (Notification.permission === 'default') void Notification.requestPermission().then((p) => (p === 'granted' ? show() : undefined));
}
