import { CopySlices } from '../../../core/blob-store/copy-out';

// COPY ... TO STDOUT (FORMAT binary) output of (seq integer, off integer, data bytea) rows, as
// Postgres frames it: the header with the first row, then one CopyData message per row, the
// trailer alone. The parser must give the same slices however the bytes are cut into messages,
// and refuse slices that do not make whole chunk rows in order.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function header(extension = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(8);
  h.writeInt32BE(extension.length, 4);
  return Buffer.concat([SIGNATURE, h, extension]);
}

function row(seq: number, off: number, data: Buffer): Buffer {
  const h = Buffer.alloc(22);
  h.writeInt16BE(3, 0);
  h.writeInt32BE(4, 2);
  h.writeInt32BE(seq, 6);
  h.writeInt32BE(4, 10);
  h.writeInt32BE(off, 14);
  h.writeInt32BE(data.length, 18);
  return Buffer.concat([h, data]);
}

const TRAILER = Buffer.from([0xff, 0xff]);
const bytes = (n: number, seed: number): Buffer =>
  Buffer.from(Array.from({ length: n }, (_, i) => (i * 31 + seed * 7) & 0xff));

/** Chunk rows cut into slices of at most `size`, as the COPY's query cuts them. */
function sliced(rows: Array<{ seq: number; data: Buffer }>, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (const r of rows)
    for (let off = 0; off < r.data.length; off += size)
      out.push(row(r.seq, off, r.data.subarray(off, off + size)));
  return out;
}

function parse(messages: Buffer[], afterSeq = -1) {
  const got: Buffer[] = [];
  const parser = new CopySlices(afterSeq, (data) => got.push(data));
  for (const m of messages) parser.push(m);
  parser.finish();
  return { data: Buffer.concat(got), slices: got, rows: parser.rows, lastSeq: parser.lastSeq };
}

describe('CopySlices', () => {
  const rows = [0, 1, 3].map((seq) => ({ seq, data: bytes(100 + seq * 37, seq) }));
  const whole = Buffer.concat(rows.map((r) => r.data));
  const messages = [header(), ...sliced(rows, 40), TRAILER];

  it('reassembles rows sent in slices byte-identical, each slice handed on as it ends', () => {
    const got: Buffer[] = [];
    const parser = new CopySlices(-1, (data) => got.push(data));
    parser.push(Buffer.concat([messages[0]!, messages[1]!]));
    expect(got).toHaveLength(1); // before the rest of the output has arrived
    for (const m of messages.slice(2)) parser.push(m);
    parser.finish();
    expect(Buffer.concat(got).equals(whole)).toBe(true);
    expect(got.map((s) => s.length)).toEqual([40, 40, 20, 40, 40, 40, 17, 40, 40, 40, 40, 40, 11]);
    expect([parser.rows, parser.lastSeq, parser.bytes]).toEqual([3, 3, whole.length]);
  });

  it('copies each slice out of the message, which the connection reuses', () => {
    const message = Buffer.concat([header(), row(0, 0, bytes(8, 1))]);
    const got: Buffer[] = [];
    const parser = new CopySlices(-1, (data) => got.push(data));
    parser.push(message);
    message.fill(0);
    expect(got[0]).toEqual(bytes(8, 1));
  });

  it('gives the same bytes wherever the output is cut, at one or two points', () => {
    const all = Buffer.concat(messages);
    for (let a = 1; a < all.length; a += 3) {
      expect(parse([all.subarray(0, a), all.subarray(a)]).data.equals(whole)).toBe(true);
    }
    for (let a = 1; a < 60; a++) {
      const b = a + 150;
      const cut = [all.subarray(0, a), all.subarray(a, b), all.subarray(b)];
      expect(parse(cut).data.equals(whole)).toBe(true);
    }
  });

  it('skips a header extension and reads an output with no rows', () => {
    const ext = Buffer.from('future');
    const one = parse([Buffer.concat([header(ext), row(5, 0, bytes(3, 5))]), TRAILER]);
    expect([one.data, one.rows, one.lastSeq]).toEqual([bytes(3, 5), 1, 5]);
    const none = parse([Buffer.concat([header(), TRAILER])], 7);
    expect([none.data.length, none.rows, none.lastSeq]).toEqual([0, 0, 7]);
  });

  it('refuses output that is not what the query asks for', () => {
    const bad =
      (m: Buffer[], afterSeq = -1) =>
      () =>
        parse(m, afterSeq);
    const all = Buffer.concat(messages);
    expect(bad([Buffer.from('PGCOPY\nXXXXXXXXXXXXXXX')])).toThrow('unexpected COPY');
    expect(bad([all.subarray(0, all.length - 1)])).toThrow('unexpected COPY'); // no trailer
    expect(bad([all.subarray(0, 60)])).toThrow('unexpected COPY'); // cut inside a row
    expect(bad([all, Buffer.from([0])])).toThrow('unexpected COPY'); // after the trailer
    const twoFields = Buffer.concat([header(), row(0, 0, bytes(4, 0))]);
    twoFields.writeInt16BE(2, 19);
    expect(bad([twoFields, TRAILER])).toThrow('unexpected COPY');
    const empty = Buffer.concat([header(), row(0, 0, Buffer.alloc(0))]);
    expect(bad([empty, TRAILER])).toThrow('unexpected COPY');
  });

  it('refuses slices missing, repeated or out of order, and rows not after afterSeq', () => {
    const bad =
      (m: Buffer[], afterSeq = -1) =>
      () =>
        parse([header(), ...m, TRAILER], afterSeq);
    const [a, b, c] = [bytes(10, 1), bytes(10, 2), bytes(10, 3)];
    expect(parse([header(), row(2, 0, a), row(2, 10, b), row(4, 0, c), TRAILER]).rows).toBe(2);
    expect(bad([row(2, 0, a), row(2, 20, c)])).toThrow('unexpected COPY'); // a slice missing
    expect(bad([row(2, 0, a), row(2, 0, a)])).toThrow('unexpected COPY'); // repeated
    expect(bad([row(2, 10, b), row(2, 0, a)])).toThrow('unexpected COPY'); // out of order
    expect(bad([row(2, 10, b)])).toThrow('unexpected COPY'); // a row's start missing
    expect(bad([row(3, 0, a), row(2, 0, b)])).toThrow('unexpected COPY'); // seq falling
    expect(bad([row(2, 0, a), row(3, 5, b)])).toThrow('unexpected COPY'); // new row mid-way
    expect(bad([row(2, 0, a)], 2)).toThrow('unexpected COPY'); // not after afterSeq
  });
});
