-- The durable job queue. Every change from either side becomes a job before it is acknowledged; workers claim jobs with
-- SELECT ... FOR UPDATE SKIP LOCKED, so several connector instances can share one database.
CREATE TABLE exc_jobs (
  id BIGINT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  kind VARCHAR(50) NOT NULL,
  payload TEXT NOT NULL,
  -- Jobs with the same ordering key run one at a time, oldest first (e.g. one CRM record, one mailbox folder).
  ordering_key VARCHAR(255) NULL,
  -- While a job waits, an identical one is folded into it (NULL once claimed: unique keys allow many NULLs).
  dedupe_key VARCHAR(255) NULL,
  state VARCHAR(10) NOT NULL,
  attempts INT NOT NULL DEFAULT 0,
  max_attempts INT NOT NULL,
  next_attempt_at DATETIME(6) NOT NULL,
  locked_by VARCHAR(100) NULL,
  locked_until DATETIME(6) NULL,
  last_error TEXT NULL,
  created_at DATETIME(6) NOT NULL,
  updated_at DATETIME(6) NOT NULL,
  UNIQUE KEY ux_exc_jobs_dedupe (dedupe_key),
  KEY ix_exc_jobs_due (state, next_attempt_at),
  KEY ix_exc_jobs_ordering (ordering_key, state)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
