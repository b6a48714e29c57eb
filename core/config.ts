import { readFileSync } from 'node:fs';
import { z } from 'zod';

// One config module: process.env is parsed once, at start, into a frozen typed object.
// A bad value stops the process with a message naming the variable.

const port = z.coerce.number().int().min(0).max(65535);
const positiveInt = z.coerce.number().int().positive();
const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no'])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

const schema = z.object({
  NODE_ENV: z.enum(['development', 'test', 'production']).default('development'),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'silent']).default('info'),
  DATABASE_URL: z.string().url().default('postgres://postgres@127.0.0.1:5432/sori'),
  DATABASE_POOL_SIZE: positiveInt.default(10),
  // The server's connections for text submissions alone (server/intake/insert-batcher.ts): a
  // burst of upload chunk commits must not queue a source's 202 behind it.
  INTAKE_POOL_SIZE: positiveInt.default(4),
  REDIS_URL: z.string().url().default('redis://127.0.0.1:6379'),
  QUEUE_PREFIX: z
    .string()
    .regex(/^[a-z0-9:_-]{1,64}$/i)
    .default('sori'),
  PUBLIC_HOST: z.string().default('127.0.0.1'),
  PUBLIC_PORT: port.default(8080),
  REVIEW_HOST: z.string().default('127.0.0.1'),
  REVIEW_PORT: port.default(8081),
  BODY_LIMIT_BYTES: positiveInt.default(2 * 1024 * 1024),
  MAX_TEXT_BYTES: positiveInt.default(1024 * 1024),
  HEADERS_TIMEOUT_MS: positiveInt.default(10_000),
  // Whole-request deadline for every route but the no-JS form posts, which stream files and
  // check their own progress; NOJS_REQUEST_TIMEOUT_MS is the public listener's outer bound.
  REQUEST_TIMEOUT_MS: positiveInt.default(30_000),
  NOJS_REQUEST_TIMEOUT_MS: positiveInt.default(2 * 60 * 60 * 1000),
  SWEEP_INTERVAL_MS: positiveInt.default(15_000),
  SHUTDOWN_DEADLINE_MS: positiveInt.default(10_000),
  // The intake secret key lives with the worker only, as a file (docker secret) or env value.
  INTAKE_SECRET_KEY_FILE: z.string().optional(),
  INTAKE_SECRET_KEY: z.string().optional(),
  WORKER_KEY_FILE: z.string().optional(),
  WORKER_KEY: z.string().optional(),
  // Jobs in flight per worker process. A text-only job spends most of its time waiting for its
  // batch's commit, so many in flight make bigger batches (fewer round trips per record) and
  // keep the thread busy while a batch commits; jobs with files take turns,
  // ATTACHMENT_CONCURRENCY at a time, since each may hold a file in memory.
  WORKER_CONCURRENCY: positiveInt.default(64),
  ATTACHMENT_CONCURRENCY: positiveInt.default(2),
  // Stalled-job recovery. A killed worker's lock lapses within WORKER_LOCK_DURATION_MS; a
  // surviving worker's stalled check (every WORKER_STALLED_INTERVAL_MS) then moves the job back
  // at its next pass, so it is retried within lock + interval (40 s by default). That bound holds
  // only while the interval is at most half the lock (otherwise a job can need two checks after
  // its lock lapsed): loadConfig refuses anything else. Tests shorten both.
  WORKER_LOCK_DURATION_MS: positiveInt.default(30_000),
  WORKER_STALLED_INTERVAL_MS: positiveInt.default(10_000),
  JOB_ATTEMPTS: positiveInt.default(8),
  JOB_BACKOFF_MS: positiveInt.default(2_000),
  TRANSLATOR: z.enum(['libretranslate', 'none']).default('none'),
  LIBRETRANSLATE_URL: z.string().url().default('http://127.0.0.1:5000'),
  LIBRETRANSLATE_API_KEY_FILE: z.string().optional(),
  LIBRETRANSLATE_API_KEY: z.string().optional(),
  TRANSLATE_CHAR_LIMIT: positiveInt.default(2000),
  TRANSLATE_TIMEOUT_MS: positiveInt.default(30_000),
  TRANSLATE_RETRY_MS: positiveInt.default(60_000),
  SESSION_TTL_SECONDS: positiveInt.default(15 * 60),
  METRICS: bool.default(false),
  // Uploads (tus). Sizes are of ciphertext: 2 148 040 754 = encryptedFileSize(2 GiB), i.e. a
  // 2 GiB file with its Padmé padding and secretstream overhead (a test checks the figure).
  MAX_UPLOAD_BYTES: positiveInt.default(2_148_040_754),
  MAX_SUBMISSION_UPLOAD_BYTES: positiveInt.default(4 * 1024 ** 3),
  UPLOAD_EXPIRY_DAYS: positiveInt.max(365).default(2),
  // Bytes all unclaimed uploads together may promise (Upload-Length) before new ones wait.
  UPLOAD_QUOTA_BYTES: positiveInt.default(50 * 1024 ** 3),
  UPLOAD_CHUNK_BYTES: positiveInt
    .min(1024)
    .max(16 * 1024 * 1024)
    .default(1024 * 1024),
  // Where blob bytes live (core/blob-store): Postgres chunk rows, or an S3-compatible store
  // (MinIO, AWS) with only the bookkeeping in Postgres. S3 keys are given as files or values.
  BLOB_STORE: z.enum(['postgres', 's3']).default('postgres'),
  S3_ENDPOINT: z.string().url().optional(),
  S3_REGION: z.string().min(1).default('us-east-1'),
  S3_BUCKET: z
    .string()
    .regex(/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/)
    .optional(),
  // MinIO and most self-hosted stores want path-style URLs (endpoint/bucket/key).
  S3_FORCE_PATH_STYLE: bool.default(true),
  S3_ACCESS_KEY_ID_FILE: z.string().optional(),
  S3_ACCESS_KEY_ID: z.string().optional(),
  S3_SECRET_ACCESS_KEY_FILE: z.string().optional(),
  S3_SECRET_ACCESS_KEY: z.string().optional(),
  // Attachments (worker). A file up to this many plaintext bytes is sanitised in memory; a
  // larger MP4/MOV/M4A/3GP or MP3 is cleaned as a stream (worker/attachments/prepare-large.ts),
  // and anything else is held back unsanitised, its original streamed into an admin-sealed blob.
  SANITISE_MAX_BYTES: positiveInt.default(512 * 1024 * 1024),
  // discard: originals are dropped once sanitised; custodian: each is also kept, sealed only
  // to CUSTODIAN_PUBLIC_KEY (base64url X25519, held offline by the evidence custodian).
  // Worker: every parser of a source's file runs in a bubblewrap jail, one per submission
  // (worker/jail/). The worker refuses to start if it cannot make one, unless SANDBOX is set to
  // none-development-only: then files are parsed in the worker itself, logged at every start
  // and noted in every file's report. Never in a deployment.
  SANDBOX: z.enum(['bubblewrap', 'none-development-only']).default('bubblewrap'),
  // Jails started ahead of need; the wall-clock deadline for one file (plus a second per 4 MiB
  // of it); each jail's address-space limit.
  SANDBOX_POOL_SIZE: z.coerce.number().int().min(0).max(32).default(2),
  SANDBOX_DEADLINE_MS: positiveInt.default(120_000),
  SANDBOX_MEMORY_MB: positiveInt.min(4096).default(8192),
  ORIGINALS: z.enum(['discard', 'custodian']).default('discard'),
  CUSTODIAN_PUBLIC_KEY: z.string().optional(),
  // Worker: the Ed25519 keys (base64url, comma- or space-separated) that certify enrolments.
  // Set, records are sealed only to reviewers whose certificate chains to one of them; unset,
  // to every reviewer row in the database (worker/enrolment-trust.ts).
  ENROLMENT_ROOTS_FILE: z.string().optional(),
  ENROLMENT_ROOTS: z.string().optional(),
  // Shown on the source page: who runs this deployment, how to reach them, its .onion address
  // (so a source can come back over Tor), and where "Leave quickly" goes (an ordinary site
  // reachable where sources are: Bing answers in China and Russia alike).
  ORG_NAME: z.string().trim().min(1).max(120).optional(),
  ORG_CONTACT: z.string().trim().min(1).max(200).optional(),
  ORG_ONION: z
    .string()
    .regex(/^(https?:\/\/)?[a-z2-7]{56}\.onion\/?$/, 'a v3 .onion address (56 letters and digits)')
    .optional(),
  QUICK_EXIT_URL: z.string().url().startsWith('https://').default('https://www.bing.com/'),
  // Anti-abuse (public listener). POW_REQUIRED defaults to true when NODE_ENV=production.
  // POW_SECRET (base64url, 32 bytes) must be the same on every server instance; without it
  // each process draws its own and challenges only verify where they were issued.
  POW_REQUIRED: bool.optional(),
  POW_SECRET_FILE: z.string().optional(),
  POW_SECRET: z.string().optional(),
  POW_BASE_DIFFICULTY: z.coerce.number().int().min(0).max(32).default(16),
  POW_MAX_DIFFICULTY: z.coerce.number().int().min(0).max(32).default(22),
  POW_LOAD_THRESHOLD: positiveInt.default(60),
  POW_TTL_SECONDS: positiveInt.min(60).max(3600).default(900),
  // Per-source-token token buckets: *_PER_DAY tokens return at each UTC midnight, a bucket
  // holds at most *_BURST (default: one day's worth).
  LIMIT_SUBMISSIONS_PER_DAY: positiveInt.default(50),
  LIMIT_SUBMISSIONS_BURST: positiveInt.optional(),
  LIMIT_STATUS_PER_DAY: positiveInt.default(300),
  LIMIT_STATUS_BURST: positiveInt.optional(),
});

export type Config = Readonly<z.infer<typeof schema>>;

/** Every variable the config reads (the README's table documents each one: a test checks). */
export const CONFIG_KEYS: readonly string[] = Object.freeze(Object.keys(schema.shape));

export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const input: Record<string, string | undefined> = {};
  for (const key of Object.keys(schema.shape)) {
    const value = env[key];
    if (value !== undefined && value !== '') input[key] = value;
  }
  const parsed = schema.safeParse(input);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const name = issue?.path.join('.') ?? 'environment';
    throw new ConfigError(`Invalid configuration: ${name}: ${issue?.message ?? 'invalid'}`);
  }
  if (parsed.data.WORKER_STALLED_INTERVAL_MS * 2 > parsed.data.WORKER_LOCK_DURATION_MS)
    throw new ConfigError(
      'Invalid configuration: WORKER_STALLED_INTERVAL_MS: at most half of WORKER_LOCK_DURATION_MS',
    );
  return Object.freeze(parsed.data);
}

/** How long after a worker is killed its job is retried at the latest (by a running worker). */
export const stalledRecoveryBoundMs = (
  c: Pick<Config, 'WORKER_LOCK_DURATION_MS' | 'WORKER_STALLED_INTERVAL_MS'>,
): number => c.WORKER_LOCK_DURATION_MS + c.WORKER_STALLED_INTERVAL_MS;

/** A secret given either inline or as a file path (docker secrets); the file wins. */
export function readSecret(
  config: Config,
  fileKey: keyof Config,
  valueKey: keyof Config,
): string | undefined {
  const file = config[fileKey];
  if (typeof file === 'string') {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      throw new ConfigError(`Invalid configuration: ${String(fileKey)}: cannot read file`);
    }
  }
  const value = config[valueKey];
  return typeof value === 'string' ? value.trim() : undefined;
}
