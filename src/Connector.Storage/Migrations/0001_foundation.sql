-- Settings edited in the control panel: one row. Secrets are Data Protection ciphertext, never plaintext.
CREATE TABLE exc_settings (
  id TINYINT NOT NULL PRIMARY KEY,
  exchange_kind VARCHAR(20) NOT NULL,
  ews_url VARCHAR(2048) NULL,
  graph_base_url VARCHAR(2048) NOT NULL,
  authority_host VARCHAR(2048) NOT NULL,
  tenant_id VARCHAR(255) NULL,
  client_id VARCHAR(255) NULL,
  client_secret_protected TEXT NULL,
  notification_url VARCHAR(2048) NULL,
  vtenext_url VARCHAR(2048) NULL,
  vtenext_user VARCHAR(255) NULL,
  vtenext_access_key_protected TEXT NULL,
  feature_calendar TINYINT(1) NOT NULL,
  feature_tasks TINYINT(1) NOT NULL,
  feature_contacts TINYINT(1) NOT NULL,
  contact_sync_mode VARCHAR(20) NOT NULL,
  conflict_policy VARCHAR(20) NOT NULL,
  error_check_schedule VARCHAR(100) NOT NULL,
  user_init_schedule VARCHAR(100) NOT NULL,
  recurrence_horizon_months INT NOT NULL,
  updated_at DATETIME(6) NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- One row per CRM user who has connector preferences.
CREATE TABLE exc_users (
  crm_user_id INT NOT NULL PRIMARY KEY,
  enabled TINYINT(1) NOT NULL,
  mailbox VARCHAR(320) NULL,
  auth_method VARCHAR(20) NOT NULL,
  username VARCHAR(255) NULL,
  password_protected TEXT NULL,
  feature_calendar TINYINT(1) NOT NULL,
  feature_tasks TINYINT(1) NOT NULL,
  feature_contacts TINYINT(1) NOT NULL,
  state VARCHAR(20) NOT NULL,
  state_reason VARCHAR(1000) NULL,
  token_cache_protected MEDIUMTEXT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_exc_users_mailbox (mailbox)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
