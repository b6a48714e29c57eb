-- The worker deletes a submission's uploads in the statement that stores its record
-- (storeRecordsAndComplete): `kind = 'upload' AND submission_id IN (...)`. No index served it,
-- so every record batch read the whole blobs table, which grows with every stored file. Only
-- claimed uploads are indexed: unclaimed ones have no submission yet (blobs_unclaimed_uploads).
CREATE INDEX blobs_claimed_uploads ON blobs (submission_id)
  WHERE kind = 'upload' AND submission_id IS NOT NULL;
