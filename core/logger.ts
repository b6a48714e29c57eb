import pino, { type DestinationStream, type Level } from 'pino';

// An allowlist logger. Sori must never log request bodies, headers, job data, client
// addresses or testimony, so callers pass an event name and a few fields from a closed set;
// anything else is dropped before it reaches pino.
const ALLOWED_FIELDS = [
  'submissionId',
  'recordId',
  'reviewerId',
  'uploadId',
  'intakeKeyId',
  'jobId',
  'jobName',
  'queue',
  'attempt',
  'attempts',
  'status',
  'code',
  'count',
  'durationMs',
  'port',
  'listener',
  'method',
  'route',
  'engine',
  'lang',
  'migration',
  'signal',
  'errName',
  'errCode',
] as const;

export type LogField = (typeof ALLOWED_FIELDS)[number];

/**
 * Fields that name a testimony (a submission, its record, an upload, a job's ticket). A log at
 * rest is stamped by whatever keeps it (Docker's drivers add a nanosecond time to every line),
 * so these appear on debug lines only, which production does not write (LOG_LEVEL=info, see
 * docker-compose.yml): at info and above they are dropped here, whatever the caller passes.
 */
const TESTIMONY_FIELDS: ReadonlySet<string> = new Set<LogField>([
  'submissionId',
  'recordId',
  'uploadId',
  'jobId',
]);
export type LogFields = Partial<Record<LogField, string | number | boolean | null>>;

const allowed = new Set<string>(ALLOWED_FIELDS);

export interface Logger {
  debug(event: string, fields?: LogFields): void;
  info(event: string, fields?: LogFields): void;
  warn(event: string, fields?: LogFields): void;
  error(event: string, fields?: LogFields): void;
  child(fields: LogFields): Logger;
}

function clean(fields: LogFields | undefined, withTestimonyIds: boolean): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (!fields) return out;
  for (const [key, value] of Object.entries(fields)) {
    if (!allowed.has(key)) continue;
    if (!withTestimonyIds && TESTIMONY_FIELDS.has(key)) continue;
    // Only scalars, and strings are capped: a field must never smuggle a body through.
    if (typeof value === 'string') out[key] = value.slice(0, 120);
    else if (typeof value === 'number' || typeof value === 'boolean' || value === null)
      out[key] = value;
  }
  return out;
}

/** Fields for an error: its class name and code, never its message (it may quote input). */
export function errorFields(err: unknown): LogFields {
  if (err && typeof err === 'object') {
    const e = err as { name?: unknown; code?: unknown };
    return {
      errName: typeof e.name === 'string' ? e.name : 'Error',
      errCode: typeof e.code === 'string' || typeof e.code === 'number' ? String(e.code) : null,
    };
  }
  return { errName: typeof err, errCode: null };
}

function wrap(base: pino.Logger): Logger {
  const at = (level: Level) => (event: string, fields?: LogFields) =>
    base[level]({ event, ...clean(fields, level === 'debug') });
  return {
    debug: at('debug'),
    info: at('info'),
    warn: at('warn'),
    error: at('error'),
    // A child's fields go on every line, whatever its level: never a testimony id.
    child: (fields) => wrap(base.child(clean(fields, false))),
  };
}

/**
 * Synchronous writes to fd 1. pino's default (async) destination flushes synchronously at
 * process.exit and, once stdout's reader is gone (`main | tee log` after Ctrl-C), retries the
 * EPIPE forever: the process never exits. Written synchronously, the first EPIPE turns the
 * stream into a no-op (pino's own broken-pipe filter) and nothing is left to flush at exit.
 */
function stdoutDestination(): DestinationStream {
  return pino.destination({ dest: 1, sync: true });
}

export function createLogger(
  options: { level?: string; name?: string } = {},
  destination?: DestinationStream,
): Logger {
  const base = pino(
    {
      name: options.name ?? 'sori',
      level: options.level ?? 'info',
      // No pid/hostname: nothing about the machine or its clients belongs in the log.
      base: undefined,
      // Day-level is enough to operate; precise times help correlate sources.
      timestamp: () => `,"day":"${new Date().toISOString().slice(0, 10)}"`,
      messageKey: 'msg',
    },
    destination ?? stdoutDestination(),
  );
  return wrap(base);
}

/** A logger that drops everything, for tests and tools. */
export const silentLogger: Logger = createLogger({ level: 'silent' });

/**
 * The libsodium build a process runs on (crypto's cryptoBackend()), once at start. A fallback
 * to WASM is a warning: it works, 3–4× slower. The reason itself went to stderr from crypto/.
 */
export function logCryptoBackend(
  log: Logger,
  backend: { name: string; fallbackReason?: string },
): void {
  if (backend.fallbackReason === undefined) log.info('crypto.ready', { engine: backend.name });
  else
    log.warn('crypto.native_unavailable', { engine: backend.name, code: 'CRYPTO_FALLBACK_WASM' });
}
