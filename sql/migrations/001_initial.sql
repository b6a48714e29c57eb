-- Sori schema v1. Ciphertext and public keys only: no column can hold plaintext testimony,
-- a client address, a user agent or a precise time of a source (days only).

CREATE TABLE intake_keys (
  id            text PRIMARY KEY,
  public_key    bytea NOT NULL UNIQUE CHECK (octet_length(public_key) = 32),
  fingerprint   text NOT NULL,
  -- 'current' is published to clients; 'accepting' is still accepted after a rotation.
  status        text NOT NULL DEFAULT 'current' CHECK (status IN ('current', 'accepting', 'retired')),
  created_on    date NOT NULL DEFAULT current_date,
  retired_on    date
);
CREATE UNIQUE INDEX intake_keys_one_current ON intake_keys ((true)) WHERE status = 'current';

CREATE TABLE submissions (
  id                 uuid PRIMARY KEY,               -- drawn by the client: retries are idempotent
  intake_key_id      text NOT NULL REFERENCES intake_keys (id),
  sealed_key         bytea CHECK (octet_length(sealed_key) = 81),
  manifest           bytea,                          -- AEAD ciphertext; NULL once processed
  envelope_sha256    bytea NOT NULL CHECK (octet_length(envelope_sha256) = 32),
  source_token_hash  bytea CHECK (octet_length(source_token_hash) = 32),
  received_on        date NOT NULL DEFAULT current_date,
  status             text NOT NULL DEFAULT 'received'
                       CHECK (status IN ('received', 'processing', 'done', 'failed')),
  queued             boolean NOT NULL DEFAULT false, -- outbox flag: set once a job was enqueued
  attempts           integer NOT NULL DEFAULT 0 CHECK (attempts >= 0),
  failure_code       text CHECK (failure_code ~ '^[A-Z0-9_]{1,64}$'),
  CHECK (status IN ('done', 'failed') OR (sealed_key IS NOT NULL AND manifest IS NOT NULL))
);
CREATE INDEX submissions_source ON submissions (source_token_hash) WHERE source_token_hash IS NOT NULL;
CREATE INDEX submissions_pending ON submissions (received_on) WHERE status IN ('received', 'processing');

-- Encrypted files (uploads, sanitised record files, sealed originals) stored in chunks.
CREATE TABLE blobs (
  id            uuid PRIMARY KEY,
  kind          text NOT NULL CHECK (kind IN ('upload', 'record-file', 'original')),
  length        bigint NOT NULL DEFAULT 0 CHECK (length >= 0),
  declared_length bigint CHECK (declared_length >= 0),
  complete      boolean NOT NULL DEFAULT false,
  sha256        bytea CHECK (octet_length(sha256) = 32),
  submission_id uuid REFERENCES submissions (id) ON DELETE SET NULL,
  created_on    date NOT NULL DEFAULT current_date,
  expires_on    date
);
CREATE TABLE blob_chunks (
  blob_id  uuid NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
  seq      integer NOT NULL CHECK (seq >= 0),
  data     bytea NOT NULL,
  PRIMARY KEY (blob_id, seq)
);

CREATE TABLE reviewers (
  id               uuid PRIMARY KEY,
  name             text NOT NULL UNIQUE CHECK (name ~ '^[a-z0-9][a-z0-9._-]{0,63}$'),
  box_public_key   bytea NOT NULL UNIQUE CHECK (octet_length(box_public_key) = 32),
  sign_public_key  bytea NOT NULL UNIQUE CHECK (octet_length(sign_public_key) = 32),
  role             text NOT NULL DEFAULT 'reviewer' CHECK (role IN ('reviewer', 'admin')),
  enrolled_on      date NOT NULL DEFAULT current_date,
  revoked_on       date
);

-- Public keys of services: the worker's custody signing key, the custodian's key.
CREATE TABLE service_keys (
  id          text PRIMARY KEY,
  purpose     text NOT NULL CHECK (purpose IN ('worker-sign', 'worker-box', 'custodian')),
  public_key  bytea NOT NULL CHECK (octet_length(public_key) = 32),
  created_on  date NOT NULL DEFAULT current_date,
  retired_on  date
);

CREATE TABLE records (
  id              uuid PRIMARY KEY,
  submission_id   uuid NOT NULL UNIQUE,             -- exactly one record per submission
  body            bytea NOT NULL,                   -- record envelope v1 body (AEAD)
  body_sha256     bytea NOT NULL CHECK (octet_length(body_sha256) = 32),
  received_on     date NOT NULL,
  created_on      date NOT NULL DEFAULT current_date,
  -- What the server may see to filter on: a language hint and workflow state.
  language        text CHECK (language ~ '^[a-z]{2,3}$|^und$'),
  translated      boolean NOT NULL DEFAULT false,
  status          text NOT NULL DEFAULT 'new'
                    CHECK (status IN ('new', 'in-review', 'verified', 'closed'))
);
CREATE INDEX records_listing ON records (received_on DESC, id DESC);

-- The record key sealed to each reviewer who may read it.
CREATE TABLE record_keys (
  record_id    uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  reviewer_id  uuid NOT NULL REFERENCES reviewers (id) ON DELETE CASCADE,
  wrapped_key  bytea NOT NULL CHECK (octet_length(wrapped_key) = 81),
  granted_on   date NOT NULL DEFAULT current_date,
  PRIMARY KEY (record_id, reviewer_id)
);

-- The record key sealed to the worker while a machine translation is still owed.
CREATE TABLE record_pending_keys (
  record_id    uuid PRIMARY KEY REFERENCES records (id) ON DELETE CASCADE,
  wrapped_key  bytea NOT NULL CHECK (octet_length(wrapped_key) = 81),
  attempts     integer NOT NULL DEFAULT 0
);

CREATE TABLE record_entries (
  id          uuid PRIMARY KEY,
  record_id   uuid NOT NULL REFERENCES records (id) ON DELETE CASCADE,
  seq         bigserial NOT NULL,
  kind        text NOT NULL CHECK (kind IN ('translation', 'human-translation', 'note', 'tag',
                                            'status', 'assignment', 'reply', 'file')),
  author_id   uuid REFERENCES reviewers (id) ON DELETE SET NULL,  -- NULL: the worker
  body        bytea NOT NULL,
  created_on  date NOT NULL DEFAULT current_date
);
CREATE INDEX record_entries_by_record ON record_entries (record_id, seq);

-- Replies between reviewers and a source, sealed to the source's public key.
CREATE TABLE replies (
  id                 uuid PRIMARY KEY,
  record_id          uuid REFERENCES records (id) ON DELETE CASCADE,
  source_token_hash  bytea NOT NULL CHECK (octet_length(source_token_hash) = 32),
  direction          text NOT NULL CHECK (direction IN ('to-source', 'from-source')),
  sealed             bytea NOT NULL,
  created_on         date NOT NULL DEFAULT current_date
);
CREATE INDEX replies_by_source ON replies (source_token_hash);

-- Hash-chained, signed chain of custody. Only hashes: it outlives deleted records.
CREATE TABLE custody_log (
  seq          bigint PRIMARY KEY CHECK (seq >= 1),
  record_id    uuid,
  event        text NOT NULL CHECK (event ~ '^[a-z][a-z0-9-]{0,63}$'),
  payload      jsonb NOT NULL,                      -- hashes and ids only
  prev_hash    bytea NOT NULL CHECK (octet_length(prev_hash) = 32),
  entry_hash   bytea NOT NULL UNIQUE CHECK (octet_length(entry_hash) = 32),
  signer_id    text NOT NULL,
  signature    bytea NOT NULL CHECK (octet_length(signature) = 64),
  created_on   date NOT NULL DEFAULT current_date
);
CREATE INDEX custody_log_by_record ON custody_log (record_id);

CREATE FUNCTION refuse_change() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'table % is append-only', TG_TABLE_NAME USING ERRCODE = 'insufficient_privilege';
END $$;
CREATE TRIGGER custody_log_append_only BEFORE UPDATE OR DELETE ON custody_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

CREATE TABLE audit_log (
  id           bigserial PRIMARY KEY,
  reviewer_id  uuid REFERENCES reviewers (id),
  action       text NOT NULL CHECK (action ~ '^[a-z][a-z0-9.-]{0,63}$'),
  record_id    uuid,
  on_day       date NOT NULL DEFAULT current_date
);
CREATE TRIGGER audit_log_append_only BEFORE UPDATE OR DELETE ON audit_log
  FOR EACH ROW EXECUTE FUNCTION refuse_change();

-- Reviewer login: one-time challenges and short-lived sessions, both stored hashed.
CREATE TABLE auth_challenges (
  nonce_hash   bytea PRIMARY KEY CHECK (octet_length(nonce_hash) = 32),
  expires_at   timestamptz NOT NULL,
  used         boolean NOT NULL DEFAULT false
);
CREATE TABLE sessions (
  token_hash   bytea PRIMARY KEY CHECK (octet_length(token_hash) = 32),
  reviewer_id  uuid NOT NULL REFERENCES reviewers (id) ON DELETE CASCADE,
  expires_at   timestamptz NOT NULL,
  revoked      boolean NOT NULL DEFAULT false
);

CREATE TABLE retention_policies (
  status  text PRIMARY KEY CHECK (status IN ('new', 'in-review', 'verified', 'closed')),
  days    integer NOT NULL CHECK (days > 0)
);
