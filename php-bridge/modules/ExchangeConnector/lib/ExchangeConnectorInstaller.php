<?php
/**
 * Post-install / uninstall work of the module. Install is idempotent (also run on update and enable).
 *  - the save handler on vte.entity.beforesave/aftersave (20.04+) and vtiger.entity.* (older installs);
 *  - SDK class extensions of Activity and Contacts whose trash() reports deletes (vtenext fires no delete event);
 *  - the outbox table {prefix}_exchange_outbox.
 */
class ExchangeConnectorInstaller
{
    const HANDLER_CLASS = 'ExchangeConnectorHandler';
    const HANDLER_PATH = 'modules/ExchangeConnector/ExchangeConnectorHandler.php';

    /** @var string[] */
    public static $events = array(
        'vte.entity.beforesave',
        'vte.entity.aftersave',
        'vtiger.entity.beforesave',
        'vtiger.entity.aftersave',
    );

    /** @var array<string, string[]> extended class => [our class, its file] */
    public static $classes = array(
        'Activity' => array('ActivityExch', 'modules/ExchangeConnector/ActivityExch.php'),
        'Contacts' => array('ContactsExch', 'modules/ExchangeConnector/ContactsExch.php'),
    );

    /** @var object PearDatabase */
    private $adb;
    /** @var ExchangeConnectorConfig */
    private $config;

    public function __construct($adb, ExchangeConnectorConfig $config)
    {
        $this->adb = $adb;
        $this->config = $config;
    }

    /** @return string[] problems an admin should know about (empty when everything is in place) */
    public function install()
    {
        self::loadVtenextApis();
        $problems = array();
        $outbox = new ExchangeConnectorOutbox($this->adb, $this->config);
        if (!$this->adb->query($outbox->createTableSql())) {
            $problems[] = 'the outbox table ' . $outbox->tableName() . ' could not be created';
        }

        $events = new VTEventsManager($this->adb);
        foreach (self::$events as $event) {
            $events->registerHandler($event, self::HANDLER_PATH, self::HANDLER_CLASS);
        }
        $events->setModuleForHandler('Calendar', self::HANDLER_CLASS); // bookkeeping only; the handler filters itself

        foreach (self::$classes as $extends => $ours) {
            $current = $this->extensionOf($extends);
            if ($current === null) {
                SDK::setClass($extends, $ours[0], $ours[1]);
                $current = $this->extensionOf($extends);
            }
            if ($current !== $ours[0]) {
                // SDK allows one extension per class. Deletes of this module then reach the connector only through
                // its periodic reconciliation of crmentity.deleted.
                $problems[] = $extends . ' is already extended by ' . ($current === null ? '?' : $current)
                    . ': deletes will be found by the connector\'s reconciliation instead of at once';
            }
        }
        foreach ($problems as $problem) {
            ExchangeConnectorLog::error('install: ' . $problem);
        }
        return $problems;
    }

    /** Removes the handlers and class extensions. The outbox goes too, unless it still holds undelivered notices. */
    public function uninstall()
    {
        self::loadVtenextApis();
        $events = new VTEventsManager($this->adb);
        $events->unregisterHandler(self::HANDLER_CLASS);

        foreach (self::$classes as $extends => $ours) {
            if ($this->extensionOf($extends) === $ours[0]) {
                SDK::unsetClass($extends);
            }
        }

        $outbox = new ExchangeConnectorOutbox($this->adb, $this->config);
        try {
            $pending = $outbox->count();
        } catch (Exception $e) {
            return; // no table
        }
        if ($pending === 0) {
            $this->adb->query('DROP TABLE ' . $outbox->tableName());
        } else {
            // Nothing is lost: the connector drains it whether or not the module is installed.
            ExchangeConnectorLog::error(sprintf('uninstall: %s kept, it holds %d notices the connector has not taken yet',
                $outbox->tableName(), $pending));
        }
    }

    /** The SDK class currently extending $extends, or null. */
    private function extensionOf($extends)
    {
        $result = $this->adb->pquery('SELECT module FROM sdk_class WHERE extends = ?', array($extends));
        if (!$result || $this->adb->num_rows($result) === 0) {
            return null;
        }
        $row = $this->adb->fetchByAssoc($result, -1, false);
        return (string)$row['module'];
    }

    private static function loadVtenextApis()
    {
        if (!class_exists('VTEventsManager')) {
            require_once 'include/events/include.inc';
        }
        if (!class_exists('SDK')) {
            require_once 'modules/SDK/SDK.php';
        }
    }
}
