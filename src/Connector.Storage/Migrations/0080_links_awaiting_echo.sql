-- An item the connector created that its mailbox's change feed has not reported back yet. EWS (as Exchange's ICS does)
-- reports nothing for an item created and deleted between two reads of the feed, so a person deleting what the
-- connector just wrote would go unseen: once the feed has read past such an item, the connector looks at it itself.
ALTER TABLE exc_links ADD COLUMN awaiting_echo TINYINT(1) NOT NULL DEFAULT 0;
CREATE INDEX ix_exc_links_awaiting ON exc_links (awaiting_echo, mailbox(120), kind);
