/** Things a test opened (doubles, engines, sockets), closed after each test in reverse order. */
import { afterEach } from 'vitest';

/** Registers an `afterEach` that runs the pushed cleanups, newest first; returns the list to push to. */
export function cleanupAfterEach(): Array<() => unknown> {
  const cleanups: Array<() => unknown> = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });
  return cleanups;
}

/** A logger that drops everything (engine tests that do not look at logs). */
export const quietLogger = { info: (): void => undefined, warn: (): void => undefined, error: (): void => undefined };
