-- EWS SyncFolderItems position per mailbox folder. Saved only after the changes of a page are stored, so a crash
-- replays at most one page; a state the server refuses (ErrorInvalidSyncStateData) is replaced by a full resync.
CREATE TABLE exc_ews_sync_state (
  mailbox VARCHAR(320) NOT NULL,
  folder_key VARCHAR(255) CHARACTER SET ascii NOT NULL,
  sync_state MEDIUMTEXT CHARACTER SET ascii NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  PRIMARY KEY (mailbox, folder_key)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
