<?php
/**
 * The module class vtenext's Module Manager calls (vtlib_handler) on install, update and uninstall.
 */
require_once __DIR__ . '/lib/autoload.php';

class ExchangeConnector
{
    public function vtlib_handler($moduleName, $eventType)
    {
        global $adb;
        $installer = new ExchangeConnectorInstaller($adb, ExchangeConnectorConfig::fromGlobals());
        if ($eventType === 'module.postinstall' || $eventType === 'module.postupdate' || $eventType === 'module.enabled') {
            $installer->install();
        } elseif ($eventType === 'module.preuninstall' || $eventType === 'module.disabled') {
            $installer->uninstall();
        }
    }
}
