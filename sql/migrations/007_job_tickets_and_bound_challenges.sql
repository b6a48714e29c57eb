-- Issue 11. Two unrelated hardenings that both needed columns.

-- 1. Job tickets. Redis (and its append-only file) keeps BullMQ's millisecond times next to
-- every job id for as long as the file is not rewritten. A job is therefore named by an opaque,
-- single-use ticket instead of the submission's (or record's) id: the ticket lives only in the
-- row still waiting to be processed and is cleared when that ends, so whatever Redis remembers
-- afterwards points at nothing that exists (core/QUEUE-AT-REST.md).
ALTER TABLE submissions ADD COLUMN job_ticket text UNIQUE
  CHECK (job_ticket ~ '^[A-Za-z0-9_-]{22}$');
ALTER TABLE record_pending_keys ADD COLUMN job_ticket text UNIQUE
  CHECK (job_ticket ~ '^[A-Za-z0-9_-]{22}$');

-- Rows already waiting get one here (a one-off: new tickets are drawn by the application
-- through crypto/). gen_random_uuid() carries 122 random bits, as unguessable as needed for a
-- name that is never a secret, only unlinkable; base64url of its 16 bytes is 22 characters.
UPDATE submissions
   SET job_ticket = rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=')
 WHERE status IN ('received', 'processing');
UPDATE record_pending_keys
   SET job_ticket = rtrim(translate(encode(uuid_send(gen_random_uuid()), 'base64'), '+/', '-_'), '=');

ALTER TABLE submissions ADD CONSTRAINT submissions_pending_has_ticket
  CHECK (status IN ('done', 'failed') OR job_ticket IS NOT NULL);
ALTER TABLE record_pending_keys ALTER COLUMN job_ticket SET NOT NULL;

-- Whatever statement ends a submission, its ticket goes with it (a record's ticket goes with
-- its record_pending_keys row).
CREATE FUNCTION spend_job_ticket() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.status IN ('done', 'failed') THEN
    NEW.job_ticket := NULL;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER submissions_spend_job_ticket BEFORE UPDATE OF status ON submissions
  FOR EACH ROW EXECUTE FUNCTION spend_job_ticket();

-- 2. Reviewer login challenges are bound to the signing key they were asked for and to the
-- listener that issued them: a nonce asked for one key cannot log in another. Challenges live
-- a minute, so those outstanding are simply dropped.
DELETE FROM auth_challenges;
ALTER TABLE auth_challenges
  ADD COLUMN sign_public_key bytea NOT NULL CHECK (octet_length(sign_public_key) = 32),
  ADD COLUMN context text NOT NULL CHECK (context ~ '^[a-z][a-z0-9-]{0,63}$');
