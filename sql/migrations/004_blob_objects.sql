-- Blobs whose bytes live in an S3-compatible object store (BLOB_STORE=s3, issue 5). The blobs
-- row stays the single source of truth for length (the tus offset), completeness and expiry;
-- the object store only ever holds ciphertext segments that a committed row points to.

-- Where a blob's bytes are. Existing blobs are Postgres chunk rows.
ALTER TABLE blobs ADD COLUMN store text NOT NULL DEFAULT 'postgres'
  CHECK (store IN ('postgres', 's3'));

-- One row per committed segment object, in write order. A segment is written to the object
-- store first and recorded here in the transaction that advances blobs.length, so an object
-- without a row (a crash, a lost race) is never read and is removed with its blob's prefix.
CREATE TABLE blob_segments (
  blob_id     uuid NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
  seq         integer NOT NULL CHECK (seq >= 0),
  byte_offset bigint NOT NULL CHECK (byte_offset >= 0),
  length      integer NOT NULL CHECK (length > 0),
  object_key  text NOT NULL,
  PRIMARY KEY (blob_id, seq)
);

-- Blobs are deleted by plain SQL in many places (expiry, tus termination, claimed uploads once
-- processed, records cascading to their files). Whatever the path, a deleted S3 blob leaves a
-- row here, and the store's sweep removes its objects, then the row.
CREATE TABLE blob_object_gc (
  blob_id    uuid PRIMARY KEY,
  deleted_on date NOT NULL DEFAULT current_date
);

CREATE FUNCTION blobs_queue_object_gc() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO blob_object_gc (blob_id) VALUES (OLD.id) ON CONFLICT DO NOTHING;
  RETURN NULL;
END;
$$;

CREATE TRIGGER blobs_object_gc AFTER DELETE ON blobs
  FOR EACH ROW WHEN (OLD.store = 's3') EXECUTE FUNCTION blobs_queue_object_gc();
