<?php
/**
 * Save hooks, registered by the module's post-install on vte.entity.beforesave / vte.entity.aftersave (20.04+) and
 * on the vtiger.entity.* names (installs before 20.04). vtenext fires handlers for every module: this one filters.
 */
require_once __DIR__ . '/lib/autoload.php';

class ExchangeConnectorHandler extends VTEventHandler
{
    /** @var SplObjectStorage|null entity data already handled per phase (see handleEvent) */
    private static $handled = null;

    public function handleEvent($eventName, $entityData)
    {
        $phase = substr($eventName, strrpos($eventName, '.') + 1);
        if ($phase !== 'beforesave' && $phase !== 'aftersave') {
            return;
        }
        $module = $entityData->getModuleName();
        if ($module !== 'Activity' && $module !== 'Calendar' && $module !== 'Events' && $module !== 'Contacts') {
            return;
        }
        // vtenext's 20.04 upgrade renames vtiger.* registrations to vte.*, so both names may end up on the same
        // event: act once per save and phase.
        if (self::$handled === null) {
            self::$handled = new SplObjectStorage();
        }
        $phases = self::$handled->contains($entityData) ? self::$handled[$entityData] : array();
        if (isset($phases[$phase])) {
            return;
        }
        $phases[$phase] = true;
        self::$handled[$entityData] = $phases;

        $bridge = ExchangeConnectorBridge::current();
        if ($phase === 'beforesave') {
            $bridge->beforeSave($module, $entityData->getId(), $entityData->isNew());
        } else {
            $bridge->afterSave($module, $entityData->getId(), (string)$entityData->get('activitytype'));
        }
    }
}
