import { initCrypto, randomBytes, sha256Hex } from '../../../crypto';
import { createUploadHashes } from '../../../server/uploads/upload-hashes';

// The running ciphertext hash handed from one PATCH to the next: only ever continued at the
// exact offset it covers, so a stale or foreign one is dropped, never extended.

describe('upload hashes across PATCHes', () => {
  beforeAll(() => initCrypto());

  it('continues a hash at the offset it covers and matches a one-shot hash', () => {
    const hashes = createUploadHashes();
    const data = Buffer.from(randomBytes(300_000));
    const first = hashes.take('u', 0)!;
    first.update(data.subarray(0, 120_000));
    hashes.keep('u', first, 120_000);
    const second = hashes.take('u', 120_000)!;
    expect(second).toBe(first);
    second.update(data.subarray(120_000));
    expect(second.digestHex()).toBe(sha256Hex(data));
    expect(hashes.size).toBe(0);
  });

  it('drops a hash that does not cover exactly [0, offset)', () => {
    const hashes = createUploadHashes();
    const h = hashes.take('u', 0)!;
    h.update(Buffer.alloc(10));
    hashes.keep('u', h, 10);
    expect(hashes.take('u', 20)).toBeNull(); // bytes 10..20 came by another path
    expect(hashes.take('u', 10)).toBeNull(); // and it is gone for good
    expect(hashes.take('v', 5)).toBeNull(); // never seen: the read-back does it
    expect(hashes.take('v', 0)).not.toBeNull(); // a fresh start needs no history
  });

  it('keeps at most `max`, dropping the oldest, and forgets a terminated upload', () => {
    const hashes = createUploadHashes(2);
    for (const id of ['a', 'b', 'c']) hashes.keep(id, hashes.take(id, 0)!, 0);
    expect(hashes.size).toBe(2);
    expect(hashes.take('a', 0)).not.toBeNull(); // a fresh one: the kept 'a' was evicted
    hashes.drop('b');
    expect(hashes.take('b', 0)).not.toBeNull();
    expect(hashes.size).toBe(1); // only 'c'
  });
});
