-- Schema version 1 (release 0.1.0) — never edit an applied migration: add V2, V3, … instead. Idempotent on purpose:
-- a database of release 0.1.0 already has these tables and gets version 1 applied over them (see switchboard.db.Schema).
-- Read side: plain tables the HTTP API queries (never the journal). Same text on PostgreSQL and H2. Idempotent.
CREATE TABLE IF NOT EXISTS sb_calls (
  id VARCHAR(300) PRIMARY KEY,
  pbx VARCHAR(64),
  linked_id VARCHAR(128),
  caller_number VARCHAR(32),
  caller_id_raw VARCHAR(80),
  caller_not_callable VARCHAR(32),
  did VARCHAR(64),
  source VARCHAR(16),
  queue VARCHAR(128),
  status VARCHAR(16) NOT NULL,
  missed_reason VARCHAR(32),
  voicemail BOOLEAN DEFAULT FALSE NOT NULL,
  answered_by VARCHAR(128),
  inferred BOOLEAN DEFAULT FALSE NOT NULL,
  started_at TIMESTAMP WITH TIME ZONE,
  answered_at TIMESTAMP WITH TIME ZONE,
  missed_at TIMESTAMP WITH TIME ZONE,
  detected_at TIMESTAMP WITH TIME ZONE,
  ended_at TIMESTAMP WITH TIME ZONE,
  hangup_cause INTEGER,
  lead_id VARCHAR(300)
);
CREATE INDEX IF NOT EXISTS sb_calls_started_idx ON sb_calls(started_at);
CREATE INDEX IF NOT EXISTS sb_calls_status_idx ON sb_calls(status, started_at);
CREATE INDEX IF NOT EXISTS sb_calls_lead_idx ON sb_calls(lead_id);

CREATE TABLE IF NOT EXISTS sb_call_events (
  call_id VARCHAR(300) NOT NULL,
  seq_nr BIGINT NOT NULL,
  type VARCHAR(32) NOT NULL,
  at TIMESTAMP WITH TIME ZONE,
  detail VARCHAR(2000),
  PRIMARY KEY (call_id, seq_nr)
);

CREATE TABLE IF NOT EXISTS sb_leads (
  id VARCHAR(300) PRIMARY KEY,
  tenant VARCHAR(32) NOT NULL,
  phone_number VARCHAR(32),
  raw_caller_id VARCHAR(80),
  not_callable_reason VARCHAR(32),
  first_source VARCHAR(16),
  last_source VARCHAR(16),
  first_seen_at TIMESTAMP WITH TIME ZONE,
  last_call_at TIMESTAMP WITH TIME ZONE,
  missed_calls INTEGER DEFAULT 0 NOT NULL,
  answered_calls INTEGER DEFAULT 0 NOT NULL,
  recovery_id VARCHAR(320),
  recovery_status VARCHAR(16),
  recovery_reason VARCHAR(32),
  recovery_source VARCHAR(16),
  recovery_opened_at TIMESTAMP WITH TIME ZONE,
  recovery_last_miss_at TIMESTAMP WITH TIME ZONE,
  recovery_miss_count INTEGER DEFAULT 0 NOT NULL,
  recovery_voicemail BOOLEAN DEFAULT FALSE NOT NULL,
  recovery_closed_at TIMESTAMP WITH TIME ZONE
);
CREATE INDEX IF NOT EXISTS sb_leads_status_idx ON sb_leads(recovery_status, last_call_at);
CREATE INDEX IF NOT EXISTS sb_leads_phone_idx ON sb_leads(phone_number);

-- Callbacks (added with the callback governor; ADD COLUMN IF NOT EXISTS keeps existing databases in step).
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_attempts INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_in_flight VARCHAR(340);
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_last_outcome VARCHAR(32);
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_next_at TIMESTAMP WITH TIME ZONE;
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_deferred_until TIMESTAMP WITH TIME ZONE;
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_deferred_reason VARCHAR(64);
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS recovery_closed_reason VARCHAR(200);
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS time_zone VARCHAR(64);
-- When the caller (an overflow offer) or a person (the API) asked for the callback: it then outranks plain misses.
ALTER TABLE sb_leads ADD COLUMN IF NOT EXISTS callback_requested_at TIMESTAMP WITH TIME ZONE;
-- Overflow: how many times the caller was moved, and where to last.
ALTER TABLE sb_calls ADD COLUMN IF NOT EXISTS hops INTEGER DEFAULT 0 NOT NULL;
ALTER TABLE sb_calls ADD COLUMN IF NOT EXISTS rerouted_to VARCHAR(200);
