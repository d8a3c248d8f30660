-- The vtenext tables the bridge reads or writes, with vtenext's names and columns (prefix "vte"), reduced to the
-- columns used. The outbox table is not here: the module's post-install creates it. Idempotent (IF NOT EXISTS), so it
-- can also be applied over the vtenext simulator's schema, which lacks only the event-handler and SDK tables.
CREATE TABLE IF NOT EXISTS vte_crmentity (crmid INT NOT NULL PRIMARY KEY, smcreatorid INT NOT NULL DEFAULT 0, smownerid INT NOT NULL DEFAULT 0,
  modifiedby INT NOT NULL DEFAULT 0, setype VARCHAR(30) NOT NULL, description TEXT NULL, createdtime DATETIME NOT NULL,
  modifiedtime DATETIME NOT NULL, deleted INT NOT NULL DEFAULT 0) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_crmentity_seq (id INT NOT NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_activity (activityid INT NOT NULL PRIMARY KEY, subject VARCHAR(100) NOT NULL, semodule VARCHAR(20) NULL,
  activitytype VARCHAR(200) NOT NULL, date_start DATE NOT NULL, due_date DATE NULL, time_start VARCHAR(50) NULL,
  time_end VARCHAR(50) NULL, status VARCHAR(200) NULL, eventstatus VARCHAR(200) NULL, priority VARCHAR(200) NULL,
  location VARCHAR(150) NULL, visibility VARCHAR(50) NULL, is_all_day_event INT NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_invitees (activityid INT NOT NULL, inviteeid INT NOT NULL, partecipation INT NOT NULL DEFAULT 0,
  PRIMARY KEY (activityid, inviteeid)) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_activity_organizer (activityid INT NOT NULL PRIMARY KEY, userid INT NULL, contactid INT NULL,
  email VARCHAR(100) NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_users (id INT NOT NULL PRIMARY KEY, user_name VARCHAR(255) NOT NULL, first_name VARCHAR(30) NULL,
  last_name VARCHAR(30) NULL, email1 VARCHAR(100) NULL, is_admin VARCHAR(3) NULL DEFAULT 'off',
  status VARCHAR(25) NULL DEFAULT 'Active', user_timezone VARCHAR(200) NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_groups (groupid INT NOT NULL PRIMARY KEY, groupname VARCHAR(100) NOT NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_contactdetails (contactid INT NOT NULL PRIMARY KEY, firstname VARCHAR(40) NULL, lastname VARCHAR(80) NOT NULL,
  email VARCHAR(100) NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_eventhandlers (eventhandler_id INT NOT NULL PRIMARY KEY, event_name VARCHAR(100) NOT NULL,
  handler_path VARCHAR(400) NOT NULL, handler_class VARCHAR(100) NOT NULL, cond TEXT NULL, is_active INT NOT NULL,
  dependent_on VARCHAR(255) NULL DEFAULT '[]') ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_eventhandlers_seq (id INT NOT NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_eventhandler_module (eventhandler_module_id INT NOT NULL PRIMARY KEY, module_name VARCHAR(100) NULL,
  handler_class VARCHAR(100) NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS vte_eventhandler_module_seq (id INT NOT NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS sdk_class (id INT NOT NULL PRIMARY KEY, extends VARCHAR(50) NOT NULL, module VARCHAR(50) NOT NULL,
  src VARCHAR(255) NOT NULL) ENGINE=InnoDB;
CREATE TABLE IF NOT EXISTS sdk_class_seq (id INT NOT NULL) ENGINE=InnoDB;
