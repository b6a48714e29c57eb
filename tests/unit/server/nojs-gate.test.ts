import { createNoJsGate } from '../../../server/pow/nojs-gate';

// The gate's budget is asked before a form's body is read: with none left, the source is told
// at once instead of after uploading for minutes, and the body is never read.

describe('no-JS gate: the budget before the body', () => {
  it('refuses a form before reading its body when the minute is spent, and reads it otherwise', async () => {
    const gate = createNoJsGate({ perMinute: 1, minPerMinute: 1 }, () => 0);
    let read = 0;
    const post = () =>
      gate.stream(async (slot) => {
        read += 1;
        return slot(async () => 'sealed');
      });
    await expect(post()).resolves.toBe('sealed');
    await expect(post()).rejects.toMatchObject({ code: 'PAGE_BUSY', status: 503 });
    expect(read).toBe(1);
  });

  it('gives the unit back when the body fails before its derivation', async () => {
    const gate = createNoJsGate({ perMinute: 1, minPerMinute: 1 }, () => 0);
    await expect(
      gate.stream(async () => {
        throw new Error('malformed form');
      }),
    ).rejects.toThrow('malformed form');
    await expect(gate.stream(async (slot) => slot(async () => 'sealed'))).resolves.toBe('sealed');
  });
});
