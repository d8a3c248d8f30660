-- Recurring series (issue 7): one row per (mailbox, series). The Exchange master, the CRM series uid (vtenext
-- ical_uuid shared by its occurrence records), what each side's series looked like when we last wrote or read it
-- (echo suppression), and the dates the CRM records were materialised from (the sync window's start when the series was
-- first synced: a series begun long ago does not become years of past records) and up to (a schedule extends series
-- without end).
-- The occurrence records keep their own rows in exc_links (series_uid, occurrence_index, original_date).
CREATE TABLE exc_series_links (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  mailbox VARCHAR(255) NOT NULL,
  crm_uid VARCHAR(255) NOT NULL,
  master_id VARCHAR(512) NOT NULL,
  change_key VARCHAR(255) NULL,
  ical_uid VARCHAR(512) NULL,
  crm_user_id INT NOT NULL,
  crm_fingerprint CHAR(64) NOT NULL,
  exchange_fingerprint CHAR(64) NOT NULL,
  materialised_from DATE NOT NULL,
  materialised_until DATE NOT NULL,
  synced_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_exc_series_links_uid (crm_uid, mailbox),
  KEY ix_exc_series_links_master (mailbox(120), master_id(250)),
  KEY ix_exc_series_links_until (materialised_until)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
