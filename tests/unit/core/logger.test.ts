import { Writable } from 'node:stream';
import { createLogger, errorFields, type LogFields } from '../../../core/logger';

function capture() {
  const lines: Record<string, unknown>[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, done) {
      for (const line of chunk.toString('utf8').split('\n').filter(Boolean))
        lines.push(JSON.parse(line) as Record<string, unknown>);
      done();
    },
  });
  return { lines, log: createLogger({ level: 'debug' }, stream) };
}

describe('allowlist logger', () => {
  it('keeps allowlisted fields and drops everything else', async () => {
    const { lines, log } = capture();
    const fields = {
      submissionId: 'abc',
      code: 'X',
      body: { text: 'testimony' },
      ip: '203.0.113.9',
      headers: { 'user-agent': 'Tor' },
      text: 'secret',
    } as unknown as LogFields;
    log.debug('submission.accepted', fields);
    await new Promise((r) => setImmediate(r));
    expect(lines).toHaveLength(1);
    const line = lines[0]!;
    expect(line).toMatchObject({ event: 'submission.accepted', submissionId: 'abc', code: 'X' });
    const raw = JSON.stringify(line);
    for (const leak of ['testimony', '203.0.113.9', 'Tor', 'secret', 'pid', 'hostname'])
      expect(raw).not.toContain(leak);
  });

  it('records the day only, never a precise time', async () => {
    const { lines, log } = capture();
    log.warn('x');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]!.day).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(lines[0]!.time).toBeUndefined();
  });

  it('drops non-scalar values and caps strings', async () => {
    const { lines, log } = capture();
    log.info('x', { route: 'a'.repeat(1000), count: { n: 1 } as unknown as number });
    await new Promise((r) => setImmediate(r));
    expect((lines[0]!.route as string).length).toBe(120);
    expect(lines[0]!.count).toBeUndefined();
  });

  it('describes errors by name and code, never by message', () => {
    const err = Object.assign(new Error('value "my testimony" violates constraint'), {
      code: '23505',
    });
    expect(errorFields(err)).toEqual({ errName: 'Error', errCode: '23505' });
    expect(JSON.stringify(errorFields(err))).not.toContain('testimony');
  });

  it('child loggers are filtered too, and never bind a testimony id', async () => {
    const { lines, log } = capture();
    log
      .child({ jobId: 'j1', listener: 'public', body: 'leak' } as unknown as LogFields)
      .debug('job.done');
    await new Promise((r) => setImmediate(r));
    expect(lines[0]).toMatchObject({ listener: 'public', event: 'job.done' });
    expect(JSON.stringify(lines[0])).not.toContain('leak');
    expect(JSON.stringify(lines[0])).not.toContain('j1');
  });

  it('writes testimony ids on debug lines only: a line at rest is stamped by its keeper', async () => {
    // Issue 11: Docker stamps every line it keeps with a nanosecond time.
    const { lines, log } = capture();
    const ids: LogFields = {
      submissionId: 'sub-1',
      recordId: 'rec-1',
      uploadId: 'upl-1',
      jobId: 'job-1',
      reviewerId: 'rev-1',
      code: 'C',
    };
    log.info('a', ids);
    log.warn('b', ids);
    log.error('c', ids);
    log.debug('d', ids);
    await new Promise((r) => setImmediate(r));
    for (const line of lines.slice(0, 3)) {
      expect(line).toMatchObject({ code: 'C', reviewerId: 'rev-1' });
      for (const id of ['sub-1', 'rec-1', 'upl-1', 'job-1'])
        expect(JSON.stringify(line)).not.toContain(id);
    }
    expect(lines[3]).toMatchObject({ submissionId: 'sub-1', recordId: 'rec-1', jobId: 'job-1' });
  });
});
