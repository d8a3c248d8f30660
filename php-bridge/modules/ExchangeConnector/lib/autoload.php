<?php
// The module's classes; plain require_once so it works inside vtenext (no Composer) on PHP 7.4 and 8.x.
require_once __DIR__ . '/ExchangeConnectorConfig.php';
require_once __DIR__ . '/ExchangeConnectorLog.php';
require_once __DIR__ . '/ExchangeConnectorText.php';
require_once __DIR__ . '/ExchangeConnectorHttp.php';
require_once __DIR__ . '/ExchangeConnectorChangeNotice.php';
require_once __DIR__ . '/ExchangeConnectorOutbox.php';
require_once __DIR__ . '/ExchangeConnectorNotifier.php';
require_once __DIR__ . '/ExchangeConnectorInvitationGuard.php';
require_once __DIR__ . '/ExchangeConnectorBridge.php';
require_once __DIR__ . '/ExchangeConnectorClient.php';
require_once __DIR__ . '/ExchangeConnectorInstaller.php';
