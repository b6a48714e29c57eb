import { request } from 'node:http';
import { openStoredSubmission } from '../../support/stored-submission';
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { SoriWorker } from '../../../worker/create-worker';
import { stopExiftool } from '../../../worker/sanitise/exiftool';
import { encryptedFileSizeV2, sha256Stream } from '../../../crypto';
import { insertTestIntakeKey, startTestApp, type TestApp } from '../../support/app';
import { createTestKeys, startWorker, type TestKeys } from '../../support/worker';
import { readRecordWhenDone, waitFor } from '../worker/worker-fixtures';
import { sampleMemory } from '../../support/live-memory';
import {
  enrol,
  readCleanFile,
  recordKeyFor,
  type Reviewer,
} from '../attachments/attachment-fixtures';

// The no-JS form streams files: a 100 MiB recording (over the old 64 MiB in-memory cap) is
// generated on the fly, never held by the test or the server, sealed as file format v2 on
// arrival, and the worker turns it into a clean file. Over a limit: 413, and no blob is left.

jest.setTimeout(240_000);

const MiB = 1024 * 1024;
const BOUNDARY = '----sori-streaming-test';

/** A WAV: RIFF header, a LIST/INFO chunk naming the artist (metadata to strip), then PCM. */
function wavParts(pcmBytes: number, artist: string) {
  const name = Buffer.from(`${artist}\0`);
  const info = Buffer.concat([Buffer.from('INFOIART'), u32(name.length), name]);
  const list = Buffer.concat([Buffer.from('LIST'), u32(info.length), info]);
  const fmt = Buffer.alloc(24);
  fmt.write('fmt ', 0, 'latin1');
  fmt.writeUInt32LE(16, 4);
  fmt.writeUInt16LE(1, 8); // PCM
  fmt.writeUInt16LE(2, 10); // stereo
  fmt.writeUInt32LE(44_100, 12);
  fmt.writeUInt32LE(44_100 * 4, 16);
  fmt.writeUInt16LE(4, 20);
  fmt.writeUInt16LE(16, 22);
  const dataHeader = Buffer.concat([Buffer.from('data'), u32(pcmBytes)]);
  const riffBody = 4 + fmt.length + list.length + dataHeader.length + pcmBytes;
  const head = Buffer.concat([
    Buffer.from('RIFF'),
    u32(riffBody),
    Buffer.from('WAVE'),
    fmt,
    list,
    dataHeader,
  ]);
  return { head, size: head.length + pcmBytes };
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n, 0);
  return b;
}

/** Four 1 MiB blocks of a quiet saw tone, made once: the file is these, in turn. */
const PCM_BLOCKS = [0, 1, 2, 3].map((i) => {
  const b = Buffer.alloc(MiB);
  for (let o = 0; o < MiB; o += 2) b.writeInt16LE(((o / 2) % (200 + i)) * 40 - 4000, o);
  return b;
});

const field = (name: string, value: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="${name}"\r\n\r\n${value}\r\n`,
  );
const fileHead = (filename: string, type: string) =>
  Buffer.from(
    `--${BOUNDARY}\r\nContent-Disposition: form-data; name="files"; filename="${filename}"\r\nContent-Type: ${type}\r\n\r\n`,
  );
const CLOSE = Buffer.from(`\r\n--${BOUNDARY}--\r\n`);

interface Posted {
  status: number;
  code: string | undefined;
  html: string;
  liveGrowthMiB: number;
  rssGrowthMiB: number;
  ms: number;
}

/** POSTs a multipart body produced by `parts` as it is read, sampling this process's memory. */
async function post(
  url: string,
  parts: (memory: { sample(): void }) => AsyncGenerator<Buffer>,
): Promise<Posted> {
  const memory = sampleMemory();
  const started = Date.now();
  try {
    return await new Promise<Posted>((resolve, reject) => {
      const req = request(url, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      req.on('response', (res) => {
        const body: Buffer[] = [];
        res.on('data', (c: Buffer) => body.push(c));
        res.on('end', () =>
          resolve({
            status: res.statusCode ?? 0,
            code: res.headers['x-sori-error'] as string | undefined,
            html: Buffer.concat(body).toString('utf8'),
            ...memory.stop(),
            ms: Date.now() - started,
          }),
        );
      });
      req.on('error', reject);
      // A refusal mid-body closes the connection: the send may fail once the answer is in.
      pipeline(Readable.from(parts(memory)), req).catch(() => undefined);
    });
  } finally {
    memory.stop();
  }
}

describe('page: no-JS files stream, whatever their size', () => {
  let app: TestApp;
  let keys: TestKeys;
  let worker: SoriWorker;
  let reviewer: Reviewer;
  const artist = `CANARY-${randomUUID()}`;

  beforeAll(async () => {
    app = await startTestApp();
    keys = await createTestKeys();
    reviewer = await enrol(app.pool, 'reviewer');
    worker = await startWorker({ pool: app.pool, prefix: app.prefix, keys: keys.keys });
    // Warm-up: every no-JS post derives Argon2id (64 MiB of libsodium's WASM memory, which
    // never shrinks); measure the file's cost, not that one-off growth.
    const warm = await post(`${app.url}/submit?lang=ko`, async function* () {
      yield field('text', 'warm-up');
      yield CLOSE.subarray(2);
    });
    expect(warm.status).toBe(200);
    await app.pool.query('DELETE FROM submissions');
  });
  afterAll(async () => {
    await worker?.close();
    await app?.close();
    await stopExiftool();
  });

  it('seals a 100 MiB recording as it arrives, in flat memory, and the worker cleans it', async () => {
    const pcmBytes = 100 * MiB;
    const wav = wavParts(pcmBytes, artist);
    const wavHash = sha256Stream();
    const pcmHash = sha256Stream();
    const page = await post(`${app.url}/submit?lang=ko`, async function* (memory) {
      yield field('lang', 'ko');
      yield field('text', '녹음 파일을 보냅니다.');
      yield fileHead('녹음.wav', 'audio/wav');
      wavHash.update(wav.head);
      yield wav.head;
      for (let i = 0; i < pcmBytes / MiB; i++) {
        if (i % 16 === 0) memory.sample(); // timed samples space out on a big heap
        const block = PCM_BLOCKS[i % PCM_BLOCKS.length]!;
        wavHash.update(block);
        pcmHash.update(block);
        yield block;
      }
      yield CLOSE;
    });
    process.stdout.write(
      `no-JS POST of a ${(wav.size / MiB).toFixed(1)} MiB file: ${page.ms} ms, ` +
        `live growth ${page.liveGrowthMiB.toFixed(1)} MiB, RSS growth ` +
        `${page.rssGrowthMiB.toFixed(1)} MiB (server and client in this process)\n`,
    );
    expect(page.status).toBe(200);
    expect(page.html).toContain('id="receipt"');
    // Holding the file even once would be 100 MiB more live memory; streaming ranged 32-37 MiB
    // (chunk buffers, what is in flight, first-run code).
    expect(page.liveGrowthMiB).toBeLessThan(64);

    const { rows } = await app.pool.query('SELECT id FROM submissions');
    expect(rows).toHaveLength(1);
    const submissionId: string = rows[0].id;
    const { manifest } = await openStoredSubmission(app.pool, submissionId, keys.intake);
    const [att] = manifest.attachments ?? [];
    expect(att).toMatchObject({ name: '녹음.wav', type: 'audio/wav', size: wav.size, subkeyId: 1 });
    expect(att!.sha256).toBe(wavHash.digestHex());
    const { rows: blobs } = await app.pool.query(
      `SELECT kind, complete, length, submission_id,
              (SELECT get_byte(data, 0) FROM blob_chunks WHERE blob_id = b.id AND seq = 0) AS version
         FROM blobs b`,
    );
    expect(blobs).toEqual([
      {
        kind: 'upload',
        complete: true,
        length: String(encryptedFileSizeV2(wav.size)),
        submission_id: submissionId,
        version: 2,
      },
    ]);

    const { body, recordId } = await readRecordWhenDone(app.pool, submissionId, reviewer, 180_000);
    const [clean] = body.files;
    expect(clean).toMatchObject({ status: 'clean', extension: 'wav', subkeyId: 1 });
    const data = await readCleanFile(
      app.pool,
      await recordKeyFor(app.pool, recordId, reviewer),
      clean!,
    );
    expect(data.includes(Buffer.from(artist))).toBe(false);
    const at = data.indexOf('data');
    expect(data.readUInt32LE(at + 4)).toBe(pcmBytes);
    const cleanPcm = sha256Stream();
    cleanPcm.update(data.subarray(at + 8, at + 8 + pcmBytes));
    expect(cleanPcm.digestHex()).toBe(pcmHash.digestHex());
  });
});

describe('page: no-JS limits apply while files stream', () => {
  let app: TestApp;
  const FILE_LIMIT = 2 * MiB; // ciphertext, like MAX_UPLOAD_BYTES everywhere
  const SUBMISSION_LIMIT = 5 * MiB;

  beforeAll(async () => {
    app = await startTestApp({
      env: {
        MAX_UPLOAD_BYTES: String(FILE_LIMIT),
        MAX_SUBMISSION_UPLOAD_BYTES: String(SUBMISSION_LIMIT),
      },
    });
    await insertTestIntakeKey(app.pool);
  });
  afterAll(async () => app?.close());

  async function nothingStored(): Promise<void> {
    // The blobs go before the answer; give a cut-off connection's handler a moment too.
    await waitFor('no rows', async () => {
      const { rows } = await app.pool.query(
        `SELECT (SELECT count(*) FROM submissions)::int AS s, (SELECT count(*) FROM blobs)::int AS b,
                (SELECT count(*) FROM blob_chunks)::int AS c`,
      );
      return rows[0].s + rows[0].b + rows[0].c === 0;
    });
  }

  /** `files` files of `mib` MiB each, sent chunked (no Content-Length): only streaming sees it. */
  const body = (files: number, mib: number) =>
    async function* (): AsyncGenerator<Buffer> {
      yield field('text', 'x');
      for (let f = 0; f < files; f++) {
        yield fileHead(`f${f}.bin`, 'application/octet-stream');
        for (let left = mib * MiB; left > 0; left -= MiB)
          yield PCM_BLOCKS[0]!.subarray(0, Math.min(MiB, left));
        yield Buffer.from('\r\n');
      }
      yield CLOSE.subarray(2);
    };

  it('refuses a file over the per-file limit mid-stream: 413 FILES_TOO_LARGE, nothing kept', async () => {
    const page = await post(`${app.url}/submit?lang=en`, body(1, 40));
    expect([page.status, page.code]).toEqual([413, 'FILES_TOO_LARGE']);
    expect(page.html).toContain('Each file can be up to 1.93 MB');
    await nothingStored();
  });

  it('refuses files that fit one by one but not together: 413, nothing kept', async () => {
    const page = await post(`${app.url}/submit?lang=en`, body(4, 1.5));
    expect([page.status, page.code]).toEqual([413, 'FILES_TOO_LARGE']);
    await nothingStored();
    const fits = await post(`${app.url}/submit?lang=en`, body(2, 1.5));
    expect(fits.status).toBe(200);
    const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM blobs WHERE complete`);
    expect(rows[0].n).toBe(2);
    await app.pool.query('DELETE FROM submissions');
    await app.pool.query('DELETE FROM blobs');
  });

  it('deletes what a dropped connection had sent', async () => {
    let sent = 0;
    await new Promise<void>((resolve) => {
      const req = request(`${app.url}/submit?lang=en`, {
        method: 'POST',
        headers: { 'content-type': `multipart/form-data; boundary=${BOUNDARY}` },
      });
      req.on('error', () => resolve());
      req.on('response', () => resolve());
      req.write(field('text', 'x'));
      req.write(fileHead('cut.bin', 'application/octet-stream'));
      const more = (): void => {
        if (sent >= 1.5 * MiB) {
          // Wait until the server has stored something, then drop the connection.
          void waitFor('a blob', async () => {
            const { rows } = await app.pool.query(`SELECT count(*)::int AS n FROM blob_chunks`);
            return rows[0].n > 0;
          }).then(() => {
            req.destroy();
            resolve();
          });
          return;
        }
        sent += MiB / 4;
        if (req.write(PCM_BLOCKS[0]!.subarray(0, MiB / 4))) setImmediate(more);
        else req.once('drain', more);
      };
      more();
    });
    await nothingStored();
  });
});

describe('page: no-JS files count against the upload quota', () => {
  let app: TestApp;
  beforeAll(async () => {
    // Unclaimed uploads may hold 8 MiB in all: a 24 MiB file crosses it while it streams.
    app = await startTestApp({ env: { UPLOAD_QUOTA_BYTES: String(8 * MiB) } });
    await insertTestIntakeKey(app.pool);
  });
  afterAll(async () => app?.close());

  it('stops a file that fills the quota mid-stream: 503 UPLOADS_FULL, nothing kept', async () => {
    const page = await post(`${app.url}/submit?lang=en`, async function* () {
      yield field('text', 'x');
      yield fileHead('big.bin', 'application/octet-stream');
      for (let i = 0; i < 24; i++) yield PCM_BLOCKS[i % 4]!;
      yield CLOSE;
    });
    expect([page.status, page.code]).toEqual([503, 'UPLOADS_FULL']);
    await waitFor('no rows', async () => {
      const { rows } = await app.pool.query(
        `SELECT (SELECT count(*) FROM submissions)::int + (SELECT count(*) FROM blobs)::int AS n`,
      );
      return rows[0].n === 0;
    });
    // Under the quota, a post goes through.
    const small = await post(`${app.url}/submit?lang=en`, async function* () {
      yield field('text', 'x');
      yield fileHead('small.bin', 'application/octet-stream');
      yield PCM_BLOCKS[0]!;
      yield CLOSE;
    });
    expect(small.status).toBe(200);
  });
});
