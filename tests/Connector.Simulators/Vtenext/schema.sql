-- vtenext tables used by the vtenext simulator, the connector's tests and the php-bridge tests.
-- Shaped after vtenext 20.04 (install/schema/DatabaseSchema.xml), trimmed to the columns the connector touches.
-- No statement raises a warning on a fresh database (MySql.Data 8.0.16 trips over MariaDB's SHOW WARNINGS answer).
-- Dates and times are SERVER-LOCAL (vtenext's $default_timezone), never UTC. Idempotent: safe to apply repeatedly.
-- The table prefix is the default "vte"; other prefixes: replace "vte_" before applying.

CREATE TABLE IF NOT EXISTS vte_ws_entity (
  id INT NOT NULL PRIMARY KEY,
  name VARCHAR(25) NOT NULL UNIQUE,
  handler_path VARCHAR(255) NOT NULL,
  handler_class VARCHAR(64) NOT NULL,
  ismodule INT NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Element-id prefixes are assigned at install time in tab order and differ between installs: clients read them from
-- describe. These values are deliberately not vtiger's (Calendar=1, Events=18, Users=19).
INSERT INTO vte_ws_entity (id, name, handler_path, handler_class, ismodule) VALUES
  (3, 'Accounts', 'include/Webservices/VtenextModuleOperation.php', 'VtenextModuleOperation', 1),
  (4, 'Contacts', 'include/Webservices/VtenextModuleOperation.php', 'VtenextModuleOperation', 1),
  (9, 'Calendar', 'include/Webservices/VtenextModuleOperation.php', 'VtenextModuleOperation', 1),
  (31, 'Events', 'include/Webservices/VtenextModuleOperation.php', 'VtenextModuleOperation', 1),
  (32, 'Users', 'include/Webservices/VtenextModuleOperation.php', 'VtenextModuleOperation', 1),
  (35, 'Groups', 'include/Webservices/VtenextActorOperation.php', 'VtenextActorOperation', 0)
ON DUPLICATE KEY UPDATE id = id;

-- Sequences (vtenext keeps one row per sequence table, incremented by getUniqueID).
CREATE TABLE IF NOT EXISTS vte_crmentity_seq (id INT NOT NULL) ENGINE=InnoDB;
INSERT INTO vte_crmentity_seq (id) SELECT 100 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM vte_crmentity_seq);
-- Users and groups share this sequence, so an owner id is a user or a group, never both.
CREATE TABLE IF NOT EXISTS vte_users_seq (id INT NOT NULL) ENGINE=InnoDB;
INSERT INTO vte_users_seq (id) SELECT 1 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM vte_users_seq);

CREATE TABLE IF NOT EXISTS vte_users (
  id INT NOT NULL PRIMARY KEY,
  user_name VARCHAR(255) NOT NULL,
  first_name VARCHAR(30) NULL,
  last_name VARCHAR(30) NOT NULL DEFAULT '',
  email1 VARCHAR(100) NULL,
  email2 VARCHAR(100) NULL,
  is_admin VARCHAR(3) NOT NULL DEFAULT 'off',
  status VARCHAR(25) NOT NULL DEFAULT 'Active',
  user_timezone VARCHAR(100) NULL,
  accesskey VARCHAR(36) NULL,
  date_format VARCHAR(200) NOT NULL DEFAULT 'dd-mm-yyyy',
  hour_format VARCHAR(30) NOT NULL DEFAULT '24',
  reminder_interval VARCHAR(100) NULL,
  deleted INT NOT NULL DEFAULT 0,
  UNIQUE KEY ux_vte_users_user_name (user_name)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_groups (
  groupid INT NOT NULL PRIMARY KEY,
  groupname VARCHAR(100) NOT NULL,
  description TEXT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_users2group (
  groupid INT NOT NULL,
  userid INT NOT NULL,
  PRIMARY KEY (groupid, userid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_crmentity (
  crmid INT NOT NULL PRIMARY KEY,
  smcreatorid INT NOT NULL DEFAULT 0,
  smownerid INT NOT NULL DEFAULT 0,
  modifiedby INT NOT NULL DEFAULT 0,
  setype VARCHAR(30) NOT NULL,
  description MEDIUMTEXT NULL,
  createdtime DATETIME NOT NULL,
  modifiedtime DATETIME NOT NULL,
  viewedtime DATETIME NULL,
  status VARCHAR(50) NULL,
  version INT NOT NULL DEFAULT 0,
  presence INT NULL DEFAULT 1,
  deleted INT NOT NULL DEFAULT 0,
  KEY crmentity_smownerid_idx (smownerid),
  KEY crmentity_setype_modifiedtime_idx (setype, modifiedtime),
  KEY crmentity_deleted_idx (deleted)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- Tasks and events share this table; tasks have activitytype 'Task'.
CREATE TABLE IF NOT EXISTS vte_activity (
  activityid INT NOT NULL PRIMARY KEY,
  subject VARCHAR(100) NOT NULL DEFAULT '',
  description MEDIUMTEXT NULL,
  semodule VARCHAR(20) NULL,
  activitytype VARCHAR(200) NOT NULL DEFAULT '',
  date_start DATE NULL,
  due_date DATE NULL,
  time_start VARCHAR(50) NULL,
  time_end VARCHAR(50) NULL,
  activity_start DATETIME NULL,
  activity_end DATETIME NULL,
  duration_hours VARCHAR(200) NULL,
  duration_minutes VARCHAR(200) NULL,
  status VARCHAR(200) NULL,
  eventstatus VARCHAR(200) NULL,
  priority VARCHAR(200) NULL,
  location VARCHAR(150) NULL,
  notime VARCHAR(3) NOT NULL DEFAULT '0',
  visibility VARCHAR(50) NOT NULL DEFAULT 'all',
  recurringtype VARCHAR(200) NULL,
  is_all_day_event INT NULL DEFAULT 0,
  exp_duration VARCHAR(100) NULL,
  ical_uuid VARCHAR(127) NULL,
  recurr_idx INT NULL DEFAULT 0,
  KEY activity_activitytype_idx (activitytype),
  KEY activity_ical_uuid_idx (ical_uuid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_activitycf (activityid INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_activity_organizer (
  activityid INT NOT NULL PRIMARY KEY,
  userid INT NULL,
  contactid INT NULL,
  email VARCHAR(100) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- reminder_time: minutes before the start.
CREATE TABLE IF NOT EXISTS vte_activity_reminder (
  activity_id INT NOT NULL,
  reminder_time INT NOT NULL,
  reminder_sent INT NOT NULL DEFAULT 0,
  recurringid INT NOT NULL DEFAULT 0,
  PRIMARY KEY (activity_id, recurringid)
) ENGINE=InnoDB;

-- partecipation (sic): 0 = no answer, 1 = declined, 2 = accepted.
CREATE TABLE IF NOT EXISTS vte_invitees (
  activityid INT NOT NULL,
  inviteeid INT NOT NULL,
  partecipation INT NOT NULL DEFAULT 0,
  PRIMARY KEY (activityid, inviteeid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_invitees_con (
  activityid INT NOT NULL,
  inviteeid INT NOT NULL,
  partecipation INT NOT NULL DEFAULT 0,
  PRIMARY KEY (activityid, inviteeid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_salesmanactivityrel (
  smid INT NOT NULL,
  activityid INT NOT NULL,
  PRIMARY KEY (smid, activityid)
) ENGINE=InnoDB;

-- "Related To" (parent_id) and "Contact Name" (contact_id) of an activity.
CREATE TABLE IF NOT EXISTS vte_seactivityrel (
  crmid INT NOT NULL,
  activityid INT NOT NULL,
  PRIMARY KEY (crmid, activityid),
  KEY seactivityrel_activityid_idx (activityid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_cntactivityrel (
  contactid INT NOT NULL,
  activityid INT NOT NULL,
  PRIMARY KEY (contactid, activityid),
  KEY cntactivityrel_activityid_idx (activityid)
) ENGINE=InnoDB;

-- One row per occurrence date of a recurring event (each occurrence is also its own vte_activity row).
CREATE TABLE IF NOT EXISTS vte_recurringevents (
  recurringid INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  activityid INT NOT NULL,
  recurringdate DATE NULL,
  recurringtype VARCHAR(30) NULL,
  recurringfreq INT NULL,
  recurringinfo VARCHAR(50) NULL,
  KEY recurringevents_activityid_idx (activityid)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

-- userid shares their calendar with sharedid; only_occ = 1: free/busy only.
CREATE TABLE IF NOT EXISTS vte_sharedcalendar (
  userid INT NOT NULL,
  sharedid INT NOT NULL,
  only_occ INT NOT NULL DEFAULT 0,
  PRIMARY KEY (userid, sharedid)
) ENGINE=InnoDB;

-- Record visibility (vtiger 5 sharing model, as in vtenext): the organisation's default sharing per module
-- (permission 0 public read only, 1 public read/write, 2 public read/write/delete, 3 private), the role hierarchy
-- (a user sees what users in roles below theirs own: parentrole "H1::H2::H5"), and the sharing rules vtenext
-- materialises per user and module (owner users / groups whose records the user may read).
CREATE TABLE IF NOT EXISTS vte_tab (
  tabid INT NOT NULL PRIMARY KEY,
  name VARCHAR(25) NOT NULL,
  UNIQUE KEY tab_name_idx (name)
) ENGINE=InnoDB;
INSERT INTO vte_tab (tabid, name) SELECT 4, 'Contacts' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM vte_tab WHERE tabid = 4);
INSERT INTO vte_tab (tabid, name) SELECT 9, 'Calendar' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM vte_tab WHERE tabid = 9);
INSERT INTO vte_tab (tabid, name) SELECT 16, 'Events' FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM vte_tab WHERE tabid = 16);

CREATE TABLE IF NOT EXISTS vte_def_org_share (
  ruleid INT NOT NULL PRIMARY KEY,
  tabid INT NOT NULL,
  permission INT NULL,
  editstatus INT NULL
) ENGINE=InnoDB;
-- vtenext installs Contacts private (3).
INSERT INTO vte_def_org_share (ruleid, tabid, permission, editstatus) SELECT 4, 4, 3, 0 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM vte_def_org_share WHERE ruleid = 4);

CREATE TABLE IF NOT EXISTS vte_role (
  roleid VARCHAR(255) NOT NULL PRIMARY KEY,
  rolename VARCHAR(200) NULL,
  parentrole VARCHAR(255) NULL,
  depth INT NULL
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_user2role (
  userid INT NOT NULL PRIMARY KEY,
  roleid VARCHAR(255) NOT NULL,
  KEY user2role_roleid_idx (roleid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_tmp_read_user_sharing_per (
  userid INT NOT NULL,
  tabid INT NOT NULL,
  shareduserid INT NOT NULL,
  PRIMARY KEY (userid, tabid, shareduserid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_tmp_read_group_sharing_per (
  userid INT NOT NULL,
  tabid INT NOT NULL,
  sharedgroupid INT NOT NULL,
  PRIMARY KEY (userid, tabid, sharedgroupid)
) ENGINE=InnoDB;

CREATE TABLE IF NOT EXISTS vte_account (
  accountid INT NOT NULL PRIMARY KEY,
  accountname VARCHAR(100) NOT NULL DEFAULT '',
  email1 VARCHAR(100) NULL,
  phone VARCHAR(30) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_contactdetails (
  contactid INT NOT NULL PRIMARY KEY,
  contact_no VARCHAR(100) NULL,
  accountid INT NULL,
  salutation VARCHAR(200) NULL,
  firstname VARCHAR(40) NULL,
  lastname VARCHAR(80) NOT NULL DEFAULT '',
  email VARCHAR(100) NULL,
  phone VARCHAR(50) NULL,
  mobile VARCHAR(50) NULL,
  title VARCHAR(50) NULL,
  department VARCHAR(30) NULL,
  fax VARCHAR(50) NULL,
  reportsto VARCHAR(30) NULL,
  otheremail VARCHAR(100) NULL,
  donotcall VARCHAR(3) NULL,
  emailoptout VARCHAR(3) NULL DEFAULT '0',
  KEY contactdetails_email_idx (email)
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_contactaddress (
  contactaddressid INT NOT NULL PRIMARY KEY,
  mailingcity VARCHAR(40) NULL,
  mailingstreet VARCHAR(250) NULL,
  mailingcountry VARCHAR(40) NULL,
  othercountry VARCHAR(30) NULL,
  mailingstate VARCHAR(30) NULL,
  mailingpobox VARCHAR(30) NULL,
  othercity VARCHAR(40) NULL,
  otherstate VARCHAR(50) NULL,
  mailingzip VARCHAR(30) NULL,
  otherzip VARCHAR(30) NULL,
  otherstreet VARCHAR(250) NULL,
  otherpobox VARCHAR(30) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_contactsubdetails (
  contactsubscriptionid INT NOT NULL PRIMARY KEY,
  homephone VARCHAR(50) NULL,
  otherphone VARCHAR(50) NULL,
  assistant VARCHAR(30) NULL,
  assistantphone VARCHAR(50) NULL,
  birthday DATE NULL,
  leadsource VARCHAR(200) NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;

CREATE TABLE IF NOT EXISTS vte_contactscf (contactid INT NOT NULL PRIMARY KEY) ENGINE=InnoDB;

-- The php-bridge's outbox (created by its post-install with the install's $table_prefix); here so tests have it.
-- Contract shared by the bridge and the connector's drain.
CREATE TABLE IF NOT EXISTS vte_exchange_outbox (
  id INT NOT NULL AUTO_INCREMENT PRIMARY KEY,
  module VARCHAR(20) NOT NULL,
  crmid INT NOT NULL,
  operation VARCHAR(10) NOT NULL,
  modifiedtime VARCHAR(40) NOT NULL,
  acting_user INT NOT NULL,
  created_at DATETIME NOT NULL
) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4;
