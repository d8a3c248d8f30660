-- Change notices from vtenext (bridge hook, bridge outbox, reconciliation), stored before they are acknowledged.
-- A notice is identified by what it says: the same (module, crmid, operation, modified instant) is one change, however
-- often and by whichever path it arrives.
CREATE TABLE exc_crm_changes (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  module VARCHAR(20) NOT NULL,
  crmid INT NOT NULL,
  operation VARCHAR(10) NOT NULL,
  modifiedtime VARCHAR(40) NOT NULL,
  modified_utc DATETIME(6) NOT NULL,
  acting_user INT NULL,
  source VARCHAR(20) NOT NULL,
  outbox_id INT NULL,
  received_at DATETIME(6) NOT NULL,
  processed_at DATETIME(6) NULL,
  UNIQUE KEY ux_exc_crm_changes_notice (module, crmid, operation, modified_utc),
  KEY ix_exc_crm_changes_pending (processed_at, id)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- What reconciliation last saw of each CRM calendar/contact row, to notice changes no hook reported
-- (raw-SQL deletes keep modifiedtime, so the deleted flag is compared too).
CREATE TABLE exc_crm_entity_state (
  crmid INT NOT NULL PRIMARY KEY,
  module VARCHAR(20) NOT NULL,
  modifiedtime DATETIME NOT NULL,
  deleted TINYINT(1) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Reconciliation's progress: the incremental pass resumes after (modifiedtime, crmid); the full pass runs on its own clock.
CREATE TABLE exc_crm_reconcile_watermark (
  id TINYINT NOT NULL PRIMARY KEY,
  modifiedtime DATETIME NULL,
  crmid INT NOT NULL DEFAULT 0,
  baseline_done TINYINT(1) NOT NULL DEFAULT 0,
  last_incremental_at DATETIME(6) NULL,
  last_full_at DATETIME(6) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
