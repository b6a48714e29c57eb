import { readFileSync } from 'node:fs';
import { S3Client } from '@aws-sdk/client-s3';
import { ConfigError, type Config } from '../config';

// The object store a BLOB_STORE=s3 deployment writes to, built once per config object (every
// store constructed from the same config shares one client and its sockets).

export type S3Config = Partial<
  Pick<
    Config,
    | 'S3_ENDPOINT'
    | 'S3_REGION'
    | 'S3_BUCKET'
    | 'S3_FORCE_PATH_STYLE'
    | 'S3_ACCESS_KEY_ID_FILE'
    | 'S3_ACCESS_KEY_ID'
    | 'S3_SECRET_ACCESS_KEY_FILE'
    | 'S3_SECRET_ACCESS_KEY'
  >
>;

export interface S3Target {
  client: S3Client;
  bucket: string;
}

const invalid = (name: string, why: string): never => {
  throw new ConfigError(`Invalid configuration: ${name}: ${why}`);
};

/** A secret from its file (docker secret) or its value; the file wins. Never logged. */
function secret(file: string | undefined, value: string | undefined, name: string) {
  if (file !== undefined) {
    try {
      return readFileSync(file, 'utf8').trim();
    } catch {
      return invalid(`${name}_FILE`, 'cannot read file');
    }
  }
  return value?.trim();
}

const clients = new WeakMap<S3Config, S3Target>();

export function s3Target(config: S3Config): S3Target {
  const cached = clients.get(config);
  if (cached) return cached;
  const bucket = config.S3_BUCKET ?? invalid('S3_BUCKET', 'required with BLOB_STORE=s3');
  const accessKeyId = secret(
    config.S3_ACCESS_KEY_ID_FILE,
    config.S3_ACCESS_KEY_ID,
    'S3_ACCESS_KEY_ID',
  );
  const secretAccessKey = secret(
    config.S3_SECRET_ACCESS_KEY_FILE,
    config.S3_SECRET_ACCESS_KEY,
    'S3_SECRET_ACCESS_KEY',
  );
  if (Boolean(accessKeyId) !== Boolean(secretAccessKey)) {
    invalid('S3_SECRET_ACCESS_KEY', 'give both S3 keys, or neither (instance credentials)');
  }
  const client = new S3Client({
    endpoint: config.S3_ENDPOINT,
    region: config.S3_REGION ?? 'us-east-1',
    forcePathStyle: config.S3_FORCE_PATH_STYLE ?? true,
    credentials: accessKeyId && secretAccessKey ? { accessKeyId, secretAccessKey } : undefined,
    // Checksums only where the API demands them (DeleteObjects). The SDK's default adds a CRC32
    // of every body, computed in JavaScript on the server's event loop, for integrity the
    // ciphertext already has (every 64 KiB frame is authenticated; a changed byte fails
    // decryption). Some S3-compatible stores also mishandle the newer checksum headers; s3rver
    // accepts both settings (tried).
    requestChecksumCalculation: 'WHEN_REQUIRED',
    responseChecksumValidation: 'WHEN_REQUIRED',
    maxAttempts: 3,
    // A store that stops answering must fail the request, not hold it (and the no-JS gate's
    // places, a worker job) forever. Segments are one upload chunk each, so a minute is ample.
    requestHandler: {
      connectionTimeout: 5_000,
      requestTimeout: 60_000,
      throwOnRequestTimeout: true,
    },
  });
  const target = { client, bucket };
  clients.set(config, target);
  return target;
}
