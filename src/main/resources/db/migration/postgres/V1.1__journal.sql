-- Schema version 1 (release 0.1.0) — never edit an applied migration: add V2, V3, … instead. Idempotent on purpose:
-- a database of release 0.1.0 already has these tables and gets version 1 applied over them (see switchboard.db.Schema).
-- On a release 0.1.0 database every statement of version 1 finds its object there: keep PostgreSQL's notices
-- ("already exists, skipping") out of the log. V1.3 sets it back.
SET client_min_messages = warning;
-- Pekko Persistence JDBC 1.1.1 journal for PostgreSQL. Our own copy of the shipped script: every statement is
-- idempotent (IF NOT EXISTS) and none needs to run outside a transaction (no CREATE INDEX CONCURRENTLY).
CREATE TABLE IF NOT EXISTS event_journal(
  ordering BIGSERIAL,
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  deleted BOOLEAN DEFAULT FALSE NOT NULL,
  writer VARCHAR(255) NOT NULL,
  write_timestamp BIGINT,
  adapter_manifest VARCHAR(255),
  event_ser_id INTEGER NOT NULL,
  event_ser_manifest VARCHAR(255) NOT NULL,
  event_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  PRIMARY KEY(persistence_id, sequence_number)
);
CREATE UNIQUE INDEX IF NOT EXISTS event_journal_ordering_idx ON event_journal(ordering);
CREATE TABLE IF NOT EXISTS event_tag(
  event_id BIGINT,
  tag VARCHAR(256),
  PRIMARY KEY(event_id, tag),
  CONSTRAINT fk_event_journal FOREIGN KEY(event_id) REFERENCES event_journal(ordering) ON DELETE CASCADE
);
-- eventsByTag filters on tag and walks ordering; the primary key leads with event_id, so index the tag.
CREATE INDEX IF NOT EXISTS event_tag_tag_idx ON event_tag(tag, event_id);
CREATE TABLE IF NOT EXISTS snapshot(
  persistence_id VARCHAR(255) NOT NULL,
  sequence_number BIGINT NOT NULL,
  created BIGINT NOT NULL,
  snapshot_ser_id INTEGER NOT NULL,
  snapshot_ser_manifest VARCHAR(255) NOT NULL,
  snapshot_payload BYTEA NOT NULL,
  meta_ser_id INTEGER,
  meta_ser_manifest VARCHAR(255),
  meta_payload BYTEA,
  PRIMARY KEY(persistence_id, sequence_number)
);
-- The read side's eventsByTag query plans well only with fresh statistics (hash join over everything
-- otherwise: ~95 ms instead of ~1 ms per poll at 30k events). Let autovacuum analyze these often.
ALTER TABLE event_journal SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
ALTER TABLE event_tag SET (autovacuum_analyze_scale_factor = 0.02, autovacuum_analyze_threshold = 1000);
