-- Graph change-notification subscriptions the connector holds, one per user and resource. The clientState is a
-- secret shared with Graph: only its SHA-256 is stored, enough to check incoming notifications.
CREATE TABLE exc_graph_subscriptions (
  subscription_id VARCHAR(64) NOT NULL PRIMARY KEY,
  crm_user_id INT NOT NULL,
  mailbox VARCHAR(320) NOT NULL,
  resource VARCHAR(1024) NOT NULL,
  client_state_sha256 CHAR(64) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  KEY ix_exc_graph_subscriptions_user (crm_user_id),
  KEY ix_exc_graph_subscriptions_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
