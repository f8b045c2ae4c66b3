-- p2pchat registry, schema version 1: one row per registered name.
-- Applied once per database by the server's migration runner, inside one transaction, under an
-- advisory lock (see docs/registry.md). Never edit an applied file: add V2__... instead.

CREATE TABLE registration (
  -- Registration order: LISTPEER lists and pages by it. Only grows; gaps are harmless.
  position     BIGINT GENERATED ALWAYS AS IDENTITY UNIQUE,
  -- The database, not the servers, makes a name unique across every server sharing it.
  name         TEXT PRIMARY KEY,
  host         TEXT NOT NULL,
  port         INTEGER NOT NULL CHECK (port BETWEEN 1 AND 65535),
  -- The key the name is bound to (identity); NULL for a 2018 peer.
  public_key   BYTEA,
  -- When the lease runs out unless renewed; NULL for no lease (the 2018 rule).
  lease_expiry TIMESTAMPTZ
);

CREATE INDEX registration_lease_expiry ON registration (lease_expiry) WHERE lease_expiry IS NOT NULL;

-- The number of registrations, kept by a trigger so a cap is checked in O(1) and exactly: the row lock
-- taken by the update orders concurrent registrations from every server.
CREATE TABLE registration_count (
  only_row BOOLEAN PRIMARY KEY DEFAULT TRUE CHECK (only_row),
  n        BIGINT NOT NULL CHECK (n >= 0)
);
INSERT INTO registration_count (n) VALUES (0);

CREATE FUNCTION registration_count_trigger() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  IF TG_OP = 'INSERT' THEN
    UPDATE registration_count SET n = n + 1;
  ELSE
    UPDATE registration_count SET n = n - 1;
  END IF;
  RETURN NULL;
END
$$;

CREATE TRIGGER registration_counted AFTER INSERT OR DELETE ON registration
  FOR EACH ROW EXECUTE FUNCTION registration_count_trigger();

-- TRUNCATE fires no row trigger: reset the count with it.
CREATE FUNCTION registration_count_reset() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  UPDATE registration_count SET n = 0;
  RETURN NULL;
END
$$;

CREATE TRIGGER registration_truncated AFTER TRUNCATE ON registration
  FOR EACH STATEMENT EXECUTE FUNCTION registration_count_reset();
