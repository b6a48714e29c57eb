-- Cases: a source's first testimony, its follow-ups and the replies are one conversation.
-- Follow-ups arrive as new submissions carrying the same hashed receipt token, so the server
-- already knows which records share a source; case_id writes down that link and nothing more
-- (it is the id of the case's first record, never anything derived from the receipt).
-- case_seq orders a case's records (1 = the first testimony): days alone cannot, since
-- follow-ups often arrive the same day and no finer time is ever stored.
ALTER TABLE records ADD COLUMN case_id uuid, ADD COLUMN case_seq integer;

UPDATE records r SET case_id = COALESCE(
  (SELECT first.id
     FROM records first
     JOIN submissions fs ON fs.id = first.submission_id
     JOIN submissions s ON s.id = r.submission_id
    WHERE s.source_token_hash IS NOT NULL AND fs.source_token_hash = s.source_token_hash
    ORDER BY first.received_on, first.created_on, first.id
    LIMIT 1),
  r.id);

UPDATE records r SET case_seq = o.n
  FROM (SELECT id, row_number() OVER (PARTITION BY case_id ORDER BY received_on, created_on, id) AS n
          FROM records) o
 WHERE o.id = r.id;

ALTER TABLE records ALTER COLUMN case_id SET NOT NULL, ALTER COLUMN case_seq SET NOT NULL;
CREATE INDEX records_by_case ON records (case_id);

-- Set in the database, not by each writer: every path that stores a record (the worker's batch,
-- tests, future importers) links it the same way. Records are stored one transaction after
-- another under the custody lock, so the first record of a source is visible to its follow-ups.
CREATE FUNCTION records_link_case() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.case_id IS NULL THEN
    SELECT r.case_id INTO NEW.case_id
      FROM records r
      JOIN submissions rs ON rs.id = r.submission_id
      JOIN submissions s ON s.id = NEW.submission_id
     WHERE s.source_token_hash IS NOT NULL AND rs.source_token_hash = s.source_token_hash
     ORDER BY r.case_seq
     LIMIT 1;
    NEW.case_id := COALESCE(NEW.case_id, NEW.id);
  END IF;
  IF NEW.case_seq IS NULL THEN
    SELECT COALESCE(max(case_seq), 0) + 1 INTO NEW.case_seq FROM records WHERE case_id = NEW.case_id;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER records_link_case BEFORE INSERT ON records
  FOR EACH ROW EXECUTE FUNCTION records_link_case();

-- ILO forced-labour indicators coded by a reviewer (encrypted: indicator, quote, confidence).
ALTER TABLE record_entries DROP CONSTRAINT record_entries_kind_check;
ALTER TABLE record_entries ADD CONSTRAINT record_entries_kind_check
  CHECK (kind IN ('translation', 'human-translation', 'note', 'tag', 'status', 'assignment',
                  'reply', 'file', 'indicator'));
