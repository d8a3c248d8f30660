<?php
class InstallTest extends BridgeTestCase
{
    public function testPostInstallCreatesTheOutboxTableWithTheSharedContract()
    {
        $columns = $this->adb->query("SELECT column_name AS c, column_type AS t, extra AS e, column_key AS k FROM information_schema.columns WHERE table_schema = DATABASE() AND table_name = 'vte_exchange_outbox' ORDER BY ordinal_position")->rows;
        $shape = array();
        foreach ($columns as $column) {
            $shape[$column['c']] = strtolower($column['t']) . ($column['k'] === 'PRI' ? ' pk' : '') . ($column['e'] !== '' ? ' ' . $column['e'] : '');
        }
        $this->assertSame(array(
            'id' => 'int(11) pk auto_increment',
            'module' => 'varchar(20)',
            'crmid' => 'int(11)',
            'operation' => 'varchar(10)',
            'modifiedtime' => 'varchar(40)',
            'acting_user' => 'int(11)',
            'created_at' => 'datetime',
        ), $shape);
    }

    public function testPostInstallUsesTheInstallsTablePrefix()
    {
        $this->adb->query('CREATE TABLE crm_eventhandlers LIKE vte_eventhandlers');
        $this->adb->query('CREATE TABLE crm_eventhandlers_seq LIKE vte_eventhandlers_seq');
        $this->adb->query('INSERT INTO crm_eventhandlers_seq VALUES (1)');
        $this->adb->query('CREATE TABLE crm_eventhandler_module LIKE vte_eventhandler_module');
        $this->adb->query('CREATE TABLE crm_eventhandler_module_seq LIKE vte_eventhandler_module_seq');
        $this->adb->query('INSERT INTO crm_eventhandler_module_seq VALUES (1)');
        try {
            $GLOBALS['table_prefix'] = 'crm';
            (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.postinstall');
            $this->assertSame(1, $this->adb->num_rows($this->adb->query("SHOW TABLES LIKE 'crm_exchange_outbox'")));
            $this->assertSame(4, $this->adb->num_rows($this->adb->query("SELECT * FROM crm_eventhandlers WHERE handler_class = 'ExchangeConnectorHandler'")));
        } finally {
            foreach (array('crm_exchange_outbox', 'crm_eventhandlers', 'crm_eventhandlers_seq', 'crm_eventhandler_module', 'crm_eventhandler_module_seq') as $t) {
                $this->adb->query("DROP TABLE IF EXISTS $t");
            }
        }
    }

    public function testPostInstallRegistersTheHandlerUnderTheNewAndTheOldEventNames()
    {
        $rows = $this->adb->query("SELECT event_name, handler_path, is_active FROM vte_eventhandlers WHERE handler_class = 'ExchangeConnectorHandler' ORDER BY event_name")->rows;
        $this->assertSame(array('vte.entity.aftersave', 'vte.entity.beforesave', 'vtiger.entity.aftersave', 'vtiger.entity.beforesave'),
            array_column($rows, 'event_name'));
        foreach ($rows as $row) {
            $this->assertSame('modules/ExchangeConnector/ExchangeConnectorHandler.php', $row['handler_path']);
            $this->assertSame(1, (int)$row['is_active']);
        }
    }

    public function testPostInstallExtendsActivityAndContactsThroughTheSdk()
    {
        $rows = $this->adb->query('SELECT extends, module, src FROM sdk_class ORDER BY extends')->rows;
        $this->assertSame(array(
            array('extends' => 'Activity', 'module' => 'ActivityExch', 'src' => 'modules/ExchangeConnector/ActivityExch.php'),
            array('extends' => 'Contacts', 'module' => 'ContactsExch', 'src' => 'modules/ExchangeConnector/ContactsExch.php'),
        ), $rows);
        $this->assertInstanceOf('ActivityExch', CRMEntity::getInstance('Calendar'));
        $this->assertInstanceOf('ActivityExch', CRMEntity::getInstance('Events'));
        $this->assertInstanceOf('ContactsExch', CRMEntity::getInstance('Contacts'));
    }

    public function testInstallingTwiceChangesNothing()
    {
        (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.postupdate');
        $this->assertSame(4, $this->adb->num_rows($this->adb->query('SELECT * FROM vte_eventhandlers')));
        $this->assertSame(2, $this->adb->num_rows($this->adb->query('SELECT * FROM sdk_class')));
    }

    public function testUninstallRemovesHandlersClassesAndTheEmptyOutbox()
    {
        (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.preuninstall');
        $this->assertSame(0, $this->adb->num_rows($this->adb->query('SELECT * FROM vte_eventhandlers')));
        $this->assertSame(0, $this->adb->num_rows($this->adb->query('SELECT * FROM vte_eventhandler_module')));
        $this->assertSame(0, $this->adb->num_rows($this->adb->query('SELECT * FROM sdk_class')));
        $this->assertSame(0, $this->adb->num_rows($this->adb->query("SHOW TABLES LIKE 'vte_exchange_outbox'")));
        $this->assertSame('Activity', get_class(CRMEntity::getInstance('Calendar')));
    }

    public function testUninstallKeepsAnOutboxThatStillHoldsNotices()
    {
        $this->createEvent(self::ANNA, 'Queued while the connector is down');
        $this->assertCount(1, $this->outboxRows());

        (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.preuninstall');

        $this->assertCount(1, $this->outboxRows());
        $this->assertStringContainsString('vte_exchange_outbox kept, it holds 1 notices', implode("\n", $this->log->lines));
    }

    public function testAClassAlreadyExtendedByAnotherModuleIsLeftAloneAndReported()
    {
        (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.preuninstall');
        SDK::setClass('Contacts', 'ContactsOther', 'modules/Other/ContactsOther.php');

        $installer = new ExchangeConnectorInstaller($this->adb, ExchangeConnectorConfig::fromGlobals());
        $problems = $installer->install();

        $this->assertSame(array("Contacts is already extended by ContactsOther: deletes will be found by the connector's reconciliation instead of at once"), $problems);
        $this->assertSame('ContactsOther', SDK::getClass('Contacts')['module']);
        $installer->uninstall();
        $this->assertSame('ContactsOther', SDK::getClass('Contacts')['module'], 'uninstall removes only our own extension');
    }

    public function testDisablingTheModuleStopsTheHooksAndEnablingBringsThemBack()
    {
        $connector = $this->startConnector();
        (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.disabled');
        $this->createEvent(self::ANNA, 'While disabled');
        $this->assertSame(array(), $connector->requests());

        (new ExchangeConnector())->vtlib_handler('ExchangeConnector', 'module.enabled');
        $id = $this->createEvent(self::ANNA, 'Enabled again');
        $this->assertSame(array($id), array_column($this->notices(), 'crmid'));
    }
}
