<?php
/**
 * What the bridge adds to a vtenext save (design budget: under 5 ms). Saves N events through the stand-in vtenext
 * (real MariaDB on 127.0.0.1:3407) three ways and reports p50/p99 per save:
 *   without the module | with the module, connector answering 202 | with the module, connector down (outbox path).
 * "Connector up" is the real connector when CONNECTOR_URL, CONNECTOR_KEY and CONNECTOR_DB are set (bench/run.sh
 * --only hook starts one, its engine off, so a save waits for exactly what it waits for in production: the intake
 * storing the notice); otherwise php-bridge/tests/support's stand-in (PHP's built-in server), which measures the hook's
 * own cost (HTTP on loopback, JSON, two SELECTs) without the intake.
 *
 *   php bench/php-bridge/hook_latency.php [N=300]
 */
$root = dirname(__DIR__, 2);
$tests = $root . '/php-bridge/tests';
require $tests . '/bootstrap.php'; // stand-in vtenext on the include path + a throw-away database

$n = isset($argv[1]) ? max(10, (int)$argv[1]) : 300;
// Saves before each measured series, not measured: PHP's opcache and connections, InnoDB pages, and the connector's
// JIT, which only optimises the intake after it has run it a few dozen times (bench/RESULTS.md, latency).
define('WARMUP_SAVES', min(200, $n));
date_default_timezone_set('Europe/Rome');
$adb = TestDatabase::adb();
TestDatabase::reset($adb);
$GLOBALS['adb'] = $adb;
$GLOBALS['table_prefix'] = 'vte';
$GLOBALS['exchange_connector_key'] = 'bench-key-0123456789abcdef';
$GLOBALS['exchange_connector_integration_user'] = 'exchange';
$adb->pquery('INSERT INTO vte_users (id, user_name, first_name, last_name, email1) VALUES (5, ?, ?, ?, ?)', array('anna', 'Anna', 'Rossi', 'anna@example.com'));
$GLOBALS['current_user'] = new Users(5, 'anna', false);

function saveEvents($n)
{
    $times = array();
    for ($i = 0; $i < $n; $i++) {
        $focus = CRMEntity::getInstance('Events');
        $focus->column_fields = array('subject' => "Bench $i", 'activitytype' => 'Meeting', 'date_start' => '2026-05-04',
            'time_start' => '10:00', 'time_end' => '11:00', 'eventstatus' => 'Planned', 'assigned_user_id' => 5);
        $t = hrtime(true);
        $focus->save('Events');
        $times[] = (hrtime(true) - $t) / 1e6;
    }
    sort($times);
    return $times;
}

function pct(array $sorted, $p)
{
    return $sorted[min(count($sorted) - 1, (int)floor($p / 100 * count($sorted)))];
}

$module = new ExchangeConnector();
$rows = array();
saveEvents(WARMUP_SAVES);
$rows['without the module'] = saveEvents($n);

$real = getenv('CONNECTOR_URL') ? array('url' => getenv('CONNECTOR_URL'), 'key' => getenv('CONNECTOR_KEY'), 'db' => getenv('CONNECTOR_DB')) : null;
$connector = $real ? null : StandInConnector::start();
$GLOBALS['exchange_connector_url'] = $real ? $real['url'] : $connector->url;
if ($real) $GLOBALS['exchange_connector_key'] = $real['key'];
$module->vtlib_handler('ExchangeConnector', 'module.postinstall');
saveEvents(WARMUP_SAVES);
$rows['module, connector 202'] = saveEvents($n);

// Received = stored by the real connector's intake (its exc_crm_changes rows), or requests the stand-in saw.
$received = $real
    ? (int)$adb->fetchByAssoc($adb->query('SELECT COUNT(*) AS n FROM `' . str_replace('`', '', $real['db']) . '`.exc_crm_changes'))['n']
    : count($connector->requests());
$GLOBALS['exchange_connector_url'] = 'http://127.0.0.1:' . StandInConnector::freePort();
$rows['module, connector down'] = saveEvents($n);
if ($connector) $connector->stop();
$queued = (int)$adb->fetchByAssoc($adb->query('SELECT COUNT(*) AS n FROM vte_exchange_outbox'))['n'];
if ($received !== $n + WARMUP_SAVES || $queued !== $n) {
    fwrite(STDERR, "the hook did not do its job: $received notices received, $queued queued\n");
    exit(1);
}

printf("PHP %s, %d saves each (%d notices received by %s, %d queued), ms per save\n", PHP_VERSION, $n, $received,
    $real ? 'the connector' : 'the stand-in connector', $queued);
printf("%-26s %8s %8s %8s\n", '', 'p50', 'p99', 'max');
foreach ($rows as $label => $t) {
    printf("%-26s %8.2f %8.2f %8.2f\n", $label, pct($t, 50), pct($t, 99), end($t));
}
$added50 = pct($rows['module, connector 202'], 50) - pct($rows['without the module'], 50);
$added99 = pct($rows['module, connector 202'], 99) - pct($rows['without the module'], 99);
printf("added by the hook (connector up): p50 %.2f ms, p99 %.2f ms\n", $added50, $added99);
