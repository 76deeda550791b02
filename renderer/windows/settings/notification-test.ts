/**
 * "Test" of the Notifications tab: the alert sound of a severity (a WebAudio beep: higher and
 * repeated for critical) and a desktop notification when the browser or OS allows it.
 */
import type { AlertSeverity } from '../../../shared/domain';

/** Beep pitch (Hz), length (s) and count per severity: the worse, the higher and more insistent. */
export const BEEPS: Readonly<Record<AlertSeverity, { readonly hz: number; readonly seconds: number; readonly count: number }>> = {
  info: { hz: 520, seconds: 0.12, count: 1 },
  warning: { hz: 780, seconds: 0.15, count: 2 },
  critical: { hz: 1_180, seconds: 0.15, count: 3 },
};

/**
 * Plays the severity's beep through WebAudio; resolves when it has played (the audio context is
 * closed then). Resolves at once when the page has no WebAudio.
 */
export async function playAlertBeep(severity: AlertSeverity): Promise<void> {
  const AudioContextClass = globalThis.AudioContext as typeof AudioContext | undefined;
  if (!AudioContextClass) return;
  const context = new AudioContextClass();
  try {
    const { hz, seconds, count } = BEEPS[severity];
    const gap = 0.08;
    const start = context.currentTime + 0.02;
    for (let i = 0; i < count; i++) {
      const at = start + i * (seconds + gap);
      const oscillator = context.createOscillator();
      const gain = context.createGain();
      oscillator.type = 'sine';
      oscillator.frequency.value = hz;
      // Short ramps avoid clicks at the start and end of each beep.
      gain.gain.setValueAtTime(0, at);
      gain.gain.linearRampToValueAtTime(0.25, at + 0.01);
      gain.gain.setValueAtTime(0.25, at + seconds - 0.02);
      gain.gain.linearRampToValueAtTime(0, at + seconds);
      oscillator.connect(gain).connect(context.destination);
      oscillator.start(at);
      oscillator.stop(at + seconds);
    }
    const totalMs = ((count * (seconds + gap)) + 0.05) * 1000;
    await new Promise((resolve) => setTimeout(resolve, totalMs));
  } finally {
    await context.close().catch(() => undefined);
  }
}

/** What became of a test notification, in words for the trader. */
export type NotificationOutcome = 'shown' | 'denied' | 'unsupported';

/**
 * Shows a test desktop notification of the severity. Asks for permission first when it has not
 * been given or refused yet (call it from a click). Returns whether it was shown.
 */
export async function showTestNotification(severity: AlertSeverity): Promise<NotificationOutcome> {
  if (typeof Notification === 'undefined') return 'unsupported';
  let permission = Notification.permission;
  if (permission === 'default') permission = await Notification.requestPermission();
  if (permission !== 'granted') return 'denied';
  new Notification(`Test ${severity} alert`, {
    body: `This is how a ${severity} alert of the workstation is announced.`,
    tag: `workstation-test-${severity}`,
    requireInteraction: false,
  });
  return 'shown';
}
