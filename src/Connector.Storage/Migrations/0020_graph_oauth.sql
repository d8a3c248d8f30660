-- Microsoft 365 delegated sign-in in progress: one row per pop-up between /oauth/start and /oauth/callback.
-- The PKCE code verifier is Data Protection ciphertext; rows expire after 10 minutes (as the authorization code does).
CREATE TABLE exc_oauth_pending (
  state VARCHAR(64) NOT NULL PRIMARY KEY,
  crm_user_id INT NOT NULL,
  redirect_uri VARCHAR(2048) NOT NULL,
  code_verifier_protected TEXT NOT NULL,
  created_at DATETIME(6) NOT NULL,
  expires_at DATETIME(6) NOT NULL,
  KEY ix_exc_oauth_pending_expires (expires_at)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
