<?php
// The stand-in vtenext root first on the include path, like vtenext's own cwd: module code that does
// require_once 'modules/Calendar/Activity.php' gets the stand-in. The module is reachable as modules/ExchangeConnector
// through a second include path entry (the php-bridge folder).
$bridge = dirname(__DIR__);
set_include_path(__DIR__ . '/vtenext' . PATH_SEPARATOR . $bridge . PATH_SEPARATOR . get_include_path());

require_once 'include/database/PearDatabase.php';
require_once 'include/events/include.inc';
require_once 'include/utils/utils.php';
require_once 'modules/SDK/SDK.php';
require_once 'modules/Users/Users.php';
require_once 'data/CRMEntity.php';
require_once $bridge . '/modules/ExchangeConnector/ExchangeConnector.php';
require_once __DIR__ . '/support/TestDatabase.php';
require_once __DIR__ . '/support/StandInConnector.php';
if (class_exists('PHPUnit\Framework\TestCase')) {
    require_once __DIR__ . '/support/BridgeTestCase.php'; // not when a benchmark borrows this bootstrap
}

TestDatabase::create();
