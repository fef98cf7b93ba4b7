-- Schema version 1 (release 0.1.0) — never edit an applied migration: add V2, V3, … instead. Idempotent on purpose:
-- a database of release 0.1.0 already has these tables and gets version 1 applied over them (see switchboard.db.Schema).
-- Pekko Projection JDBC 1.0.0's offset and management tables (h2-dialect; lower-case names, as the URL has DATABASE_TO_UPPER=false), as the library's
-- createTablesIfNotExists made them in release 0.1.0; now the migrations own them.
CREATE TABLE IF NOT EXISTS pekko_projection_offset_store (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  current_offset VARCHAR(255) NOT NULL,
  manifest VARCHAR(4) NOT NULL,
  mergeable BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);
CREATE INDEX IF NOT EXISTS projection_name_index ON pekko_projection_offset_store (projection_name);
CREATE TABLE IF NOT EXISTS pekko_projection_management (
  projection_name VARCHAR(255) NOT NULL,
  projection_key VARCHAR(255) NOT NULL,
  paused BOOLEAN NOT NULL,
  last_updated BIGINT NOT NULL,
  PRIMARY KEY(projection_name, projection_key)
);
