-- Record bodies, record entries and submission manifests are AEAD ciphertext of JSON padded to
-- 4 KiB blocks (crypto/aead.ts): every value is over the TOAST threshold and none compresses.
-- With the default storage (EXTENDED) Postgres first runs pglz over each value, for nothing,
-- then stores it out of line; EXTERNAL stores it out of line without trying, as 002 does for
-- upload chunks. On the bench machine, 2,000 rows of 8 KiB random bytes went in in 84-138 ms
-- EXTERNAL against 102-162 ms EXTENDED (four pairs in ABBA order, EXTERNAL ahead in each):
-- ~10 µs of Postgres CPU per record body, in the worker's serial record transaction.
-- SET STORAGE rewrites nothing: values already stored stay as they are and read the same.
ALTER TABLE records ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE record_entries ALTER COLUMN body SET STORAGE EXTERNAL;
ALTER TABLE submissions ALTER COLUMN manifest SET STORAGE EXTERNAL;
