-- Resumable uploads (tus) in blob_chunks. Chunks are ciphertext, which never compresses:
-- store them out of line without trying (pglz would scan every chunk for nothing).
ALTER TABLE blob_chunks ALTER COLUMN data SET STORAGE EXTERNAL;

-- The cleanup finds expired, unclaimed uploads by day without scanning every blob.
CREATE INDEX blobs_unclaimed_uploads ON blobs (expires_on)
  WHERE kind = 'upload' AND submission_id IS NULL;
