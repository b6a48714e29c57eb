-- A case's order is the order in which the source sent its submissions, not the order in which
-- the worker finished them. 006 numbered a case's records as they were stored, so a follow-up
-- processed before its first testimony (a retry, a large attachment, two workers) became the
-- case's record 1 and gave the case its id.
--
-- source_seq counts one source's submissions (1 = the first under its receipt) as the intake
-- stores them. It is an ordinal within one source only, never a time and never a position among
-- other sources' submissions: it tells nothing case_seq does not already show.
ALTER TABLE submissions ADD COLUMN source_seq integer CHECK (source_seq >= 1);

-- Existing rows: the day first, then the order 006 gave (the best that is known of them).
UPDATE submissions s SET source_seq = o.n
  FROM (SELECT s2.id,
               row_number() OVER (PARTITION BY s2.source_token_hash
                                  ORDER BY s2.received_on, r.case_seq NULLS LAST, s2.id) AS n
          FROM submissions s2 LEFT JOIN records r ON r.submission_id = s2.id
         WHERE s2.source_token_hash IS NOT NULL) o
 WHERE o.id = s.id;

-- A row trigger sees the rows an earlier row of the same INSERT wrote, so the intake's batched
-- inserts number a source's submissions in statement order too. Two submissions from one source
-- committed at the very same moment may share a number; they are then ordered by id, which is
-- as true as any order of two simultaneous sends.
CREATE FUNCTION submissions_number_for_source() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF NEW.source_token_hash IS NOT NULL AND NEW.source_seq IS NULL THEN
    SELECT COALESCE(max(source_seq), 0) + 1 INTO NEW.source_seq
      FROM submissions WHERE source_token_hash = NEW.source_token_hash;
  END IF;
  RETURN NEW;
END $$;
CREATE TRIGGER submissions_number_for_source BEFORE INSERT ON submissions
  FOR EACH ROW EXECUTE FUNCTION submissions_number_for_source();

-- A new record takes its place in its source's order; when it comes before records already
-- stored (its follow-ups finished first), they move after it and the case takes its id, so
-- case_id stays "the id of the case's first record" and case_seq 1 the first testimony.
-- Records are stored one transaction after another under the custody lock (006), so no two
-- of these renumberings interleave.
CREATE OR REPLACE FUNCTION records_link_case() RETURNS trigger LANGUAGE plpgsql AS $$
DECLARE
  token bytea;
  first_id uuid;
  i integer := 0;
  m record;
BEGIN
  IF NEW.case_id IS NOT NULL AND NEW.case_seq IS NOT NULL THEN
    RETURN NEW;
  END IF;
  SELECT source_token_hash INTO token FROM submissions WHERE id = NEW.submission_id;
  IF token IS NULL THEN
    NEW.case_id := COALESCE(NEW.case_id, NEW.id);
    NEW.case_seq := COALESCE(NEW.case_seq, 1);
    RETURN NEW;
  END IF;
  FOR m IN
    SELECT x.id
      FROM (SELECT r.id, s.source_seq, s.received_on, s.id AS sid
              FROM records r JOIN submissions s ON s.id = r.submission_id
             WHERE s.source_token_hash = token AND r.id <> NEW.id
            UNION ALL
            SELECT NEW.id, s.source_seq, s.received_on, s.id
              FROM submissions s WHERE s.id = NEW.submission_id) x
     ORDER BY x.source_seq NULLS LAST, x.received_on, x.sid
  LOOP
    i := i + 1;
    IF i = 1 THEN
      first_id := m.id;
    END IF;
    IF m.id = NEW.id THEN
      NEW.case_seq := i;
    ELSE
      UPDATE records SET case_id = first_id, case_seq = i
       WHERE id = m.id AND (case_id, case_seq) IS DISTINCT FROM (first_id, i);
    END IF;
  END LOOP;
  NEW.case_id := first_id;
  RETURN NEW;
END $$;
