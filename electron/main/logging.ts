/**
 * Main's log (electron-log): a file in the user-data `logs/` folder, rotated at
 * {@link LOG_MAX_BYTES} (the full file is kept as `main.old.log`, electron-log's own rotation),
 * at the level of the environment variable {@link LOG_LEVEL_ENV} (default `info`). Engine log
 * lines arrive through the supervisor's `log` and are written here with an `[engine]` prefix.
 */
import { join } from 'node:path';

/** Environment variable that sets the log level: `error`, `warn`, `info`, `verbose`, `debug` or `silly`. */
export const LOG_LEVEL_ENV = 'WORKSTATION_LOG_LEVEL';

/** Size at which the log file is archived and a new one started, bytes (5 MB). */
export const LOG_MAX_BYTES = 5 * 1024 * 1024;

/** File name of main's log inside `logs/`. */
export const LOG_FILE = 'main.log';

const LEVELS = ['error', 'warn', 'info', 'verbose', 'debug', 'silly'] as const;

/** An electron-log level. */
export type MainLogLevel = (typeof LEVELS)[number];

/** The part of electron-log's main logger that {@link configureLogging} sets. */
export interface ConfigurableLog {
  readonly transports: {
    readonly file: { resolvePathFn: (...args: never[]) => string; maxSize: number; level: MainLogLevel | false };
    readonly console: { level: MainLogLevel | false };
  };
}

/** The log level named by {@link LOG_LEVEL_ENV} (any case), else `info`. */
export function logLevelFromEnv(env: Readonly<Record<string, string | undefined>>): MainLogLevel {
  const wanted = env[LOG_LEVEL_ENV]?.trim().toLowerCase();
  return LEVELS.find((level) => level === wanted) ?? 'info';
}

/**
 * Sets the level of the file and console transports from the trader's setting (Settings →
 * Storage → Log level), unless {@link LOG_LEVEL_ENV} is set: the environment wins, so support can
 * turn on debug logs without touching settings. Engine lines are filtered here too (they are
 * written through this log). Returns the level in force.
 */
export function applyLogLevelSetting(log: ConfigurableLog, level: MainLogLevel, env: Readonly<Record<string, string | undefined>>): MainLogLevel {
  const effective = env[LOG_LEVEL_ENV]?.trim() ? logLevelFromEnv(env) : level;
  log.transports.file.level = effective;
  log.transports.console.level = effective;
  return effective;
}

/**
 * Points the file transport at `<userDataDir>/logs/main.log` with rotation, and sets the level
 * of the file and console transports from `env`.
 * @returns the path of the log file.
 */
export function configureLogging(log: ConfigurableLog, userDataDir: string, env: Readonly<Record<string, string | undefined>>): string {
  const path = join(userDataDir, 'logs', LOG_FILE);
  const level = logLevelFromEnv(env);
  log.transports.file.resolvePathFn = () => path;
  log.transports.file.maxSize = LOG_MAX_BYTES;
  log.transports.file.level = level;
  log.transports.console.level = level;
  return path;
}
