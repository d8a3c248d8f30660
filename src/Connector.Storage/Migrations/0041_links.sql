-- The sync engine's state (DESIGN.md §3). One link per (CRM record, mailbox): the Exchange item, its version, the
-- meeting's iCalUId and the fingerprint of what each side held when we last wrote or read it (echo suppression).
CREATE TABLE exc_links (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(10) NOT NULL,
  crm_id BIGINT NOT NULL,
  mailbox VARCHAR(255) NOT NULL,
  item_id VARCHAR(512) NOT NULL,
  change_key VARCHAR(255) NULL,
  ical_uid VARCHAR(512) NULL,
  crm_fingerprint CHAR(64) NOT NULL,
  exchange_fingerprint CHAR(64) NOT NULL,
  role VARCHAR(10) NOT NULL,
  series_uid VARCHAR(512) NULL,
  series_master TINYINT(1) NOT NULL DEFAULT 0,
  occurrence_index INT NULL,
  original_date DATE NULL,
  synced_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_exc_links_record_mailbox (kind, crm_id, mailbox),
  KEY ix_exc_links_item (mailbox(120), item_id(250)),
  KEY ix_exc_links_ical (ical_uid(250))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Where each mailbox folder's change feed stands (Graph delta link, EWS SyncState). Advanced only after the changes
-- it covers are queued as jobs.
CREATE TABLE exc_sync_cursors (
  mailbox VARCHAR(255) NOT NULL,
  folder VARCHAR(20) NOT NULL,
  cursor_value MEDIUMTEXT NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (mailbox, folder)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Which connector instance runs a mailbox's change channel (DESIGN.md §5): renewed while alive, taken over once lapsed.
CREATE TABLE exc_channel_leases (
  mailbox VARCHAR(255) NOT NULL PRIMARY KEY,
  owner VARCHAR(100) NOT NULL,
  expires_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- User initialisation runs and their work items: progress = done items / items, counted idempotently.
CREATE TABLE exc_init_runs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  crm_user_id INT NOT NULL,
  state VARCHAR(10) NOT NULL,
  started_at DATETIME(6) NOT NULL,
  planned_at DATETIME(6) NULL,
  finished_at DATETIME(6) NULL,
  last_error TEXT NULL,
  KEY ix_exc_init_runs_user (crm_user_id, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE exc_init_items (
  run_id BIGINT NOT NULL,
  item_key VARCHAR(600) NOT NULL,
  kind VARCHAR(10) NOT NULL,
  done TINYINT(1) NOT NULL DEFAULT 0,
  error TEXT NULL,
  PRIMARY KEY (run_id, item_key(250))
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What the engine did, for admins and tests: conflicts, refusals, writes (one row per executed write).
CREATE TABLE exc_sync_log (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  at DATETIME(6) NOT NULL,
  kind VARCHAR(10) NOT NULL,
  crm_id BIGINT NULL,
  mailbox VARCHAR(255) NULL,
  action VARCHAR(20) NOT NULL,
  side VARCHAR(10) NOT NULL,
  reason VARCHAR(40) NOT NULL,
  detail TEXT NULL,
  KEY ix_exc_sync_log_record (kind, crm_id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
