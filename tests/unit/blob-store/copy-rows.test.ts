import { CopyRows } from '../../../core/blob-store/copy-out';

// COPY ... TO STDOUT (FORMAT binary) output of (seq integer, data bytea) rows, as Postgres
// frames it: the header with the first row, then one CopyData message per row, the trailer
// alone. The parser must give the same rows however the bytes are cut into messages.

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');

function header(extension = Buffer.alloc(0)): Buffer {
  const h = Buffer.alloc(8);
  h.writeInt32BE(extension.length, 4);
  return Buffer.concat([SIGNATURE, h, extension]);
}

function row(seq: number, data: Buffer): Buffer {
  const h = Buffer.alloc(14);
  h.writeInt16BE(2, 0);
  h.writeInt32BE(4, 2);
  h.writeInt32BE(seq, 6);
  h.writeInt32BE(data.length, 10);
  return Buffer.concat([h, data]);
}

const TRAILER = Buffer.from([0xff, 0xff]);
const data = (seq: number, n: number): Buffer => Buffer.alloc(n, seq + 1);

function parse(messages: Buffer[]) {
  const rows = new CopyRows();
  for (const m of messages) rows.push(Buffer.from(m));
  return rows.finish().map((r) => ({ seq: r.seq, data: Buffer.from(r.data) }));
}

describe('CopyRows', () => {
  const rows = [0, 1, 2].map((seq) => ({ seq, data: data(seq, 100 + seq * 37) }));
  const whole = Buffer.concat([header(), ...rows.map((r) => row(r.seq, r.data)), TRAILER]);

  it('reads rows framed as Postgres sends them, each a view of its own message', () => {
    const first = Buffer.concat([header(), row(0, rows[0]!.data)]);
    const parser = new CopyRows();
    const message = Buffer.from(first);
    parser.push(message);
    for (const r of rows.slice(1)) parser.push(row(r.seq, r.data));
    parser.push(Buffer.from(TRAILER));
    const out = parser.finish();
    expect(out.map((r) => r.seq)).toEqual([0, 1, 2]);
    expect(out[0]!.data.buffer).toBe(message.buffer); // no copy of the row
    expect(out.map((r) => r.data)).toEqual(rows.map((r) => r.data));
  });

  it('gives the same rows wherever the output is cut, at one or two points', () => {
    for (let a = 1; a < whole.length; a += 3) {
      expect(parse([whole.subarray(0, a), whole.subarray(a)])).toEqual(rows);
    }
    for (let a = 1; a < 60; a++) {
      const b = a + 150;
      expect(parse([whole.subarray(0, a), whole.subarray(a, b), whole.subarray(b)])).toEqual(rows);
    }
  });

  it('skips a header extension and reads an output with no rows', () => {
    const ext = Buffer.from('future');
    expect(parse([Buffer.concat([header(ext), row(5, data(5, 3))]), TRAILER])).toEqual([
      { seq: 5, data: data(5, 3) },
    ]);
    expect(parse([Buffer.concat([header(), TRAILER])])).toEqual([]);
  });

  it('refuses output that is not what the query asks for', () => {
    const bad = (messages: Buffer[]) => () => parse(messages);
    expect(bad([Buffer.from('PGCOPY\nXXXXXXXXXXXXXXX')])).toThrow('unexpected COPY');
    expect(bad([whole.subarray(0, whole.length - 1)])).toThrow('unexpected COPY'); // no trailer
    expect(bad([whole.subarray(0, 60)])).toThrow('unexpected COPY'); // cut inside a row
    expect(bad([whole, Buffer.from([0])])).toThrow('unexpected COPY'); // after the trailer
    const threeFields = Buffer.concat([header(), row(0, data(0, 4))]);
    threeFields.writeInt16BE(3, 19);
    expect(bad([threeFields, TRAILER])).toThrow('unexpected COPY');
  });
});
