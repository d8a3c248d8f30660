-- The vtenext tables only the bridge's stand-ins need, on top of the shared vtenext schema
-- (tests/Connector.Simulators/Vtenext/schema.sql: crmentity, activity, invitees, organizer, users, contacts, ...):
-- event handler registrations and SDK class extensions. Idempotent. The outbox table is not here on purpose: the
-- module's post-install creates it (the shared schema has it too; the PHP tests drop it before each install).
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
