import { createConsoleLogger } from '../../src/logging/console-logger';

describe('console logger', () => {
  it('writes JSON lines at or above the minimum level', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger('info', (line) => lines.push(line));
    logger.debug('hidden');
    logger.info('case opened', { caseId: 'RC-1' });
    expect(lines).toHaveLength(1);
    expect(JSON.parse(lines[0]!)).toMatchObject({ level: 'info', message: 'case opened', caseId: 'RC-1' });
  });

  it('redacts fields named like secrets, whatever the caller passes', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger('debug', (line) => lines.push(line));
    logger.warn('oops', { temporaryAccessPass: 'Abc123!x', password: 'P@ssw0rd!', clientSecret: 's', authorization: 'Bearer t', caseId: 'RC-2' });
    const entry = JSON.parse(lines[0]!) as Record<string, unknown>;
    expect(entry).toMatchObject({
      temporaryAccessPass: '[redacted]',
      password: '[redacted]',
      clientSecret: '[redacted]',
      authorization: '[redacted]',
      caseId: 'RC-2',
    });
    expect(lines[0]).not.toMatch(/Abc123|P@ssw0rd|Bearer t/);
  });
});

describe('console logger: which process wrote a line', () => {
  it('puts the context (a worker id and pid) on every line', () => {
    const lines: string[] = [];
    const logger = createConsoleLogger('info', (line) => lines.push(line), { worker: 2, pid: 4242 });
    logger.info('listening', { url: 'http://127.0.0.1:3978' });
    logger.error('a request failed', { reference: 'r1' });
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ message: 'listening', worker: 2, pid: 4242, url: 'http://127.0.0.1:3978' }),
      expect.objectContaining({ message: 'a request failed', worker: 2, pid: 4242, reference: 'r1' }),
    ]);
  });
});
