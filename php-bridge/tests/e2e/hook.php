<?php
/**
 * A vtenext request, from the command line, for the end-to-end test against the REAL connector
 * (tests/Connector.Bridge.Tests): the stand-in vtenext with the ExchangeConnector module installed saves or deletes
 * one event as a user, which runs the module's real hook code (HTTP notice, or the outbox).
 *
 *   php hook.php save   DATABASE CONNECTOR_URL KEY USER_ID            -> {"crmid":123,"outbox":0}
 *   php hook.php delete DATABASE CONNECTOR_URL KEY USER_ID CRMID      -> {"crmid":123,"outbox":1}
 *
 * DATABASE is an existing database on the MariaDB given by CONNECTOR_DB_HOST/PORT/USER/PASSWORD (default: the private
 * one, 127.0.0.1:3407); the vtenext tables the
 * stand-in needs (shared vtenext schema + support/schema.sql) are created when missing. The server zone is Europe/Rome, like vtenext's default $default_timezone.
 */
$tests = dirname(__DIR__);
set_include_path($tests . '/vtenext' . PATH_SEPARATOR . dirname($tests) . PATH_SEPARATOR . get_include_path());
require_once 'include/database/PearDatabase.php';
require_once 'include/events/include.inc';
require_once 'include/utils/utils.php';
require_once 'modules/Users/Users.php';
require_once 'data/CRMEntity.php';
require_once dirname($tests) . '/modules/ExchangeConnector/ExchangeConnector.php';
require_once $tests . '/support/TestDatabase.php';

list(, $operation, $database, $url, $key, $userId) = $argv + array_fill(0, 6, '');
if (!in_array($operation, array('save', 'delete'), true) || $database === '' || (int)$userId <= 0) {
    fwrite(STDERR, "usage: php hook.php save|delete DATABASE CONNECTOR_URL KEY USER_ID [CRMID]\n");
    exit(2);
}
mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
date_default_timezone_set('Europe/Rome');

// The database server the calling test uses (defaults: the private MariaDB of scripts/mariadb.sh).
$host = getenv('CONNECTOR_DB_HOST') ?: '127.0.0.1';
$port = (int)(getenv('CONNECTOR_DB_PORT') ?: 3407);
$dbUser = getenv('CONNECTOR_DB_USER') ?: 'connector';
$dbPassword = getenv('CONNECTOR_DB_PASSWORD') ?: 'connector-local';
$schema = new mysqli($host, $dbUser, $dbPassword, $database, $port);
TestDatabase::applySchema($schema);
foreach (array('vte_crmentity_seq', 'vte_eventhandlers_seq', 'vte_eventhandler_module_seq', 'sdk_class_seq') as $seq) {
    $schema->query("INSERT INTO $seq (id) SELECT 100 FROM DUAL WHERE NOT EXISTS (SELECT 1 FROM $seq)");
}
$schema->query("INSERT IGNORE INTO vte_users (id, user_name, first_name, last_name, email1) VALUES ("
    . (int)$userId . ", 'user" . (int)$userId . "', 'E2E', 'User', 'e2e@example.com')");
$schema->close();

/** vtenext's $log: the module's log lines go to stderr, for the test to show when something went another way. */
class StderrLog
{
    public function info($line)
    {
        fwrite(STDERR, $line . "\n");
    }

    public function fatal($line)
    {
        fwrite(STDERR, $line . "\n");
    }
}
$GLOBALS['log'] = new StderrLog();

$adb = new PearDatabase($host, $port, $dbUser, $dbPassword, $database);
$GLOBALS['adb'] = $adb;
$GLOBALS['table_prefix'] = 'vte';
$GLOBALS['exchange_connector_url'] = $url;
$GLOBALS['exchange_connector_key'] = $key;
$GLOBALS['exchange_connector_integration_user'] = 'exchange';
$GLOBALS['current_user'] = new Users((int)$userId, 'user' . (int)$userId, false);
(new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.postinstall');

if ($operation === 'save') {
    $focus = CRMEntity::getInstance('Events');
    $focus->column_fields = array('subject' => 'End-to-end ' . date('H:i:s'), 'activitytype' => 'Meeting',
        'date_start' => '2026-03-29', 'time_start' => '10:00', 'due_date' => '2026-03-29', 'time_end' => '11:00',
        'eventstatus' => 'Planned', 'assigned_user_id' => (int)$userId);
    $focus->save('Events');
    $crmid = (int)$focus->id;
} else {
    $crmid = (int)$argv[6];
    DeleteEntity('Events', 'Events', CRMEntity::getInstance('Events'), $crmid, '');
}
$outbox = (new ExchangeConnectorOutbox($adb, ExchangeConnectorConfig::fromGlobals()))->count();
if ($adb->errors) {
    fwrite(STDERR, implode("\n", $adb->errors) . "\n");
    exit(1);
}
echo json_encode(array('crmid' => $crmid, 'outbox' => $outbox)), "\n";
