-- Files of a record (issue 5). A record's files are blobs: sanitised copies (kind 'record-file',
-- under sub-keys of the record key R) and originals (kind 'original', each under a fresh key
-- sealed only to admins when held back, or only to the offline custodian).

-- The record owning a file blob. Set in the transaction that stores the record; deleting the
-- record (retention, or any other path) deletes its files, their chunks and sealed keys.
-- submission_id stays set too, so the older delete-by-submission path still finds them.
ALTER TABLE blobs ADD COLUMN record_id uuid REFERENCES records (id) ON DELETE CASCADE;
ALTER TABLE blobs ADD CONSTRAINT blobs_record_files_only
  CHECK (record_id IS NULL OR kind IN ('record-file', 'original'));
CREATE INDEX blobs_by_record ON blobs (record_id) WHERE record_id IS NOT NULL;
-- Files written by an attempt that never stored its record (a crash, a lost race): found by
-- submission and removed by the attempt that does store it.
CREATE INDEX blobs_unlinked_files ON blobs (submission_id)
  WHERE record_id IS NULL AND kind IN ('record-file', 'original');

-- The key H of a held-back original, sealed (81 bytes) to each enrolled admin: an admin can
-- release it knowingly; an everyday reviewer has no row here.
CREATE TABLE record_file_keys (
  file_id      uuid NOT NULL REFERENCES blobs (id) ON DELETE CASCADE,
  reviewer_id  uuid NOT NULL REFERENCES reviewers (id) ON DELETE CASCADE,
  wrapped_key  bytea NOT NULL CHECK (octet_length(wrapped_key) = 81),
  granted_on   date NOT NULL DEFAULT current_date,
  PRIMARY KEY (file_id, reviewer_id)
);
CREATE INDEX record_file_keys_by_reviewer ON record_file_keys (reviewer_id);

-- ORIGINALS=custodian: the key of an original sealed to the organisation's offline custodian
-- key, never to a reviewer. A table of its own so no reviewer query can ever return one.
CREATE TABLE custodian_keys (
  file_id          uuid PRIMARY KEY REFERENCES blobs (id) ON DELETE CASCADE,
  custodian_key_id text NOT NULL CHECK (custodian_key_id ~ '^k1_[A-Za-z0-9_-]{16}$'),
  wrapped_key      bytea NOT NULL CHECK (octet_length(wrapped_key) = 81),
  created_on       date NOT NULL DEFAULT current_date
);
