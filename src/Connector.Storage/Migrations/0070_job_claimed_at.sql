-- When a job was last claimed by a worker: with created_at and the Done row's updated_at it splits a job's life into
-- waiting for a worker and running (the benchmark's latency breakdown; an admin's "why is it slow").
ALTER TABLE exc_jobs ADD COLUMN claimed_at DATETIME(6) NULL AFTER locked_until;
