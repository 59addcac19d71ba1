import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { appLoggerOf, LogLevelError, logLevelFrom, powertoolsLogger } from '../../functions/app/logger.js';

/** What Powertools writes to stdout and stderr, one parsed object per line. */
function captured() {
  const lines = { stdout: [] as Array<Record<string, unknown>>, stderr: [] as Array<Record<string, unknown>> };
  for (const stream of ['stdout', 'stderr'] as const) {
    vi.spyOn(process[stream], 'write').mockImplementation((chunk: string | Uint8Array) => {
      // Only Powertools' lines: the test runner may write to the same streams.
      for (const line of String(chunk).split('\n')) if (line.startsWith('{"level"')) lines[stream].push(JSON.parse(line));
      return true;
    });
  }
  return lines;
}

describe('FOGHORN_LOG_LEVEL', () => {
  it('is info when absent or empty, and any case of debug, info, warn or error', () => {
    expect(logLevelFrom({})).toBe('info');
    expect(logLevelFrom({ FOGHORN_LOG_LEVEL: '' })).toBe('info');
    expect(logLevelFrom({ FOGHORN_LOG_LEVEL: 'DEBUG' })).toBe('debug');
    expect(logLevelFrom({ FOGHORN_LOG_LEVEL: ' warn ' })).toBe('warn');
    expect(logLevelFrom({ FOGHORN_LOG_LEVEL: 'error' })).toBe('error');
  });

  it('refuses anything else, naming the levels', () => {
    expect(() => logLevelFrom({ FOGHORN_LOG_LEVEL: 'verbose' })).toThrow(LogLevelError);
    expect(() => logLevelFrom({ FOGHORN_LOG_LEVEL: 'verbose' })).toThrow(
      "FOGHORN_LOG_LEVEL must be one of debug, info, warn, error, got 'verbose'",
    );
  });
});

describe('the JSON logger (Powertools Logger, both runtimes)', () => {
  let lines: ReturnType<typeof captured>;
  beforeEach(() => {
    lines = captured();
  });
  afterEach(() => {
    vi.restoreAllMocks();
  });

  it('writes one JSON object a line: level, message, timestamp, service, then the detail', () => {
    const logger = appLoggerOf(powertoolsLogger('info'));

    logger.info('rules loaded', { dir: 'rules', rules: 3 });

    expect(lines.stdout).toEqual([
      {
        level: 'INFO',
        message: 'rules loaded',
        timestamp: expect.stringMatching(/^\d{4}-\d\d-\d\dT/),
        service: 'foghorn',
        sampling_rate: 0,
        dir: 'rules',
        rules: 3,
      },
    ]);
  });

  it('writes warnings and errors to stderr, an error with its name and message', () => {
    const logger = appLoggerOf(powertoolsLogger('info'));

    logger.warn('careful');
    logger.error('act failed', { messageId: 'm-1', error: new TypeError('no such target') });

    expect(lines.stdout).toEqual([]);
    expect(lines.stderr.map((line) => line.level)).toEqual(['WARN', 'ERROR']);
    expect(lines.stderr[1]).toMatchObject({
      message: 'act failed',
      messageId: 'm-1',
      error: { name: 'TypeError', message: 'no such target' },
    });
  });

  it('drops lines under its level; debug exists only at debug level', () => {
    const atInfo = appLoggerOf(powertoolsLogger('info'));
    const atWarn = appLoggerOf(powertoolsLogger('warn'));
    const atDebug = appLoggerOf(powertoolsLogger('debug'));

    expect(atInfo.debug).toBeUndefined();
    atWarn.info('not shown');
    atWarn.warn('shown');
    atDebug.debug?.('event evaluated', { id: 'generic:1' });
    appLoggerOf(powertoolsLogger('error')).warn('not shown either');

    expect([...lines.stdout, ...lines.stderr].map((line) => [line.level, line.message])).toEqual([
      ['DEBUG', 'event evaluated'],
      ['WARN', 'shown'],
    ]);
  });
});
