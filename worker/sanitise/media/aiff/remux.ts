import { LimitExceeded, MAX_MEDIA_SECONDS } from '../../limits';
import { refusal, Refused, type Remuxed } from '../remux';
import { extended, readForm, type Chunk } from './chunks';

// Native AIFF / AIFF-C cleaning of a file held in memory: COMM, SSND (and FVER for AIFF-C)
// kept, every other chunk dropped, the sound data copied as it is. The SSND must hold the
// sample frames COMM announces and nothing else (no offset, no bytes after them), and an
// AIFF-C compression name (free text) is written empty. What this declines goes to ffmpeg.

/** What each dropped chunk is called in the report (never its contents). */
const DROPPED: Record<string, string> = {
  NAME: 'name',
  AUTH: 'author',
  '(c) ': 'copyright',
  ANNO: 'annotation',
  COMT: 'comments',
  'ID3 ': 'ID3 tag',
  'id3 ': 'ID3 tag',
  APPL: 'application data',
  MARK: 'markers',
  INST: 'instrument',
  MIDI: 'MIDI data',
  AESD: 'AES channel status',
};

/** Bytes per sample of the AIFF-C encodings whose sound data length COMM determines. */
const SAMPLE_BYTES: Record<string, number | 'bits'> = {
  NONE: 'bits',
  twos: 'bits',
  sowt: 'bits',
  fl32: 4,
  FL32: 4,
  fl64: 8,
  FL64: 8,
  ulaw: 1,
  ULAW: 1,
  alaw: 1,
  ALAW: 1,
};

function chunk(id: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.write(id, 0, 'latin1');
  head.writeUInt32BE(body.length, 4);
  return Buffer.concat([head, body, Buffer.alloc(body.length & 1)]);
}

function only(chunks: Chunk[], id: string): Chunk | undefined {
  const found = chunks.filter((c) => c.id === id);
  if (found.length > 1) throw new Refused(`more than one AIFF ${id.trim()} chunk`);
  return found[0];
}

/** COMM as it is written out, and the length its SSND's sound data must have. */
function readComm(
  b: Buffer,
  comm: Chunk,
  aifc: boolean,
): { body: Buffer; soundBytes: number; renamed: boolean } {
  const size = comm.end - comm.start;
  if (size < (aifc ? 23 : 18)) throw new Refused('short AIFF COMM chunk');
  const channels = b.readUInt16BE(comm.start);
  const frames = b.readUInt32BE(comm.start + 2);
  const bits = b.readUInt16BE(comm.start + 6);
  const rate = extended(b, comm.start + 8);
  if (channels === 0 || !(rate > 0) || bits === 0 || bits > 32)
    throw new Refused('AIFF COMM out of range');
  if (frames / rate > MAX_MEDIA_SECONDS) throw new LimitExceeded('MEDIA_TOO_LONG');
  const encoding = aifc ? b.toString('latin1', comm.start + 18, comm.start + 22) : 'NONE';
  const per = SAMPLE_BYTES[encoding];
  if (per === undefined) throw new Refused('AIFF-C compression type not handled natively');
  const soundBytes = frames * channels * (per === 'bits' ? Math.ceil(bits / 8) : per);
  if (!aifc) return { body: b.subarray(comm.start, comm.end), soundBytes, renamed: false };
  // AIFF-C adds the compression type and a Pascal string naming it: free text, written empty.
  const body = Buffer.alloc(23);
  b.copy(body, 0, comm.start, comm.start + 22);
  return { body, soundBytes, renamed: b[comm.start + 22] !== 0 || size > 24 };
}

function remux(b: Buffer): Remuxed {
  const { aifc, chunks } = readForm(b);
  const comm = only(chunks, 'COMM');
  const ssnd = only(chunks, 'SSND');
  const fver = aifc ? only(chunks, 'FVER') : undefined;
  if (comm === undefined || ssnd === undefined) throw new Refused('AIFF without COMM and SSND');
  const { body, soundBytes, renamed } = readComm(b, comm, aifc);
  if (ssnd.end - ssnd.start < 8 || b.readUInt32BE(ssnd.start) !== 0) {
    throw new Refused('AIFF SSND with an offset');
  }
  if (ssnd.end - ssnd.start - 8 !== soundBytes)
    throw new Refused('AIFF SSND longer or shorter than COMM says');
  if (fver !== undefined && fver.end - fver.start !== 4) throw new Refused('malformed AIFF-C FVER');
  const removed: string[] = [];
  for (const c of chunks) {
    if (c === comm || c === ssnd || c === fver) continue;
    const name = DROPPED[c.id] ?? 'unknown chunk';
    if (!removed.includes(name)) removed.push(name);
  }
  if (renamed) removed.push('compression name');
  const out = [
    ...(fver === undefined ? [] : [chunk('FVER', b.subarray(fver.start, fver.end))]),
    chunk('COMM', body),
    chunk('SSND', b.subarray(ssnd.start, ssnd.end)),
  ];
  const head = Buffer.alloc(12);
  head.write('FORM', 0, 'latin1');
  head.writeUInt32BE(4 + out.reduce((n, c) => n + c.length, 0), 4);
  head.write(aifc ? 'AIFC' : 'AIFF', 8, 'latin1');
  return { ok: true, data: Buffer.concat([head, ...out]), removed };
}

export function remuxAiff(b: Buffer): Remuxed {
  try {
    return remux(b);
  } catch (e) {
    return refusal(e);
  }
}
