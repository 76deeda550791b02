import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { LOG_LEVEL_ENV, LOG_MAX_BYTES, applyLogLevelSetting, configureLogging, logLevelFromEnv, type ConfigurableLog } from '../../../electron/main/logging';

describe('logging', () => {
  it('takes the level from the environment, default info', () => {
    expect(logLevelFromEnv({})).toBe('info');
    expect(logLevelFromEnv({ [LOG_LEVEL_ENV]: ' DEBUG ' })).toBe('debug');
    expect(logLevelFromEnv({ [LOG_LEVEL_ENV]: 'loud' })).toBe('info');
  });

  it('writes to <userData>/logs/main.log, rotating at 5 MB', () => {
    const log: ConfigurableLog = { transports: { file: { resolvePathFn: () => '', maxSize: 0, level: 'silly' }, console: { level: 'silly' } } };
    const path = configureLogging(log, '/home/t/.config/TW', { [LOG_LEVEL_ENV]: 'warn' });
    expect(path).toBe(join('/home/t/.config/TW', 'logs', 'main.log'));
    expect(log.transports.file.resolvePathFn()).toBe(path);
    expect(log.transports.file.maxSize).toBe(LOG_MAX_BYTES);
    expect(LOG_MAX_BYTES).toBe(5 * 1024 * 1024);
    expect([log.transports.file.level, log.transports.console.level]).toEqual(['warn', 'warn']);
  });

  it('follows the trader’s log level setting, unless the environment sets one', () => {
    const log: ConfigurableLog = { transports: { file: { resolvePathFn: () => '', maxSize: 0, level: 'info' }, console: { level: 'info' } } };
    expect(applyLogLevelSetting(log, 'debug', {})).toBe('debug');
    expect([log.transports.file.level, log.transports.console.level]).toEqual(['debug', 'debug']);
    expect(applyLogLevelSetting(log, 'debug', { [LOG_LEVEL_ENV]: 'error' })).toBe('error');
    expect(log.transports.file.level).toBe('error');
  });
});
