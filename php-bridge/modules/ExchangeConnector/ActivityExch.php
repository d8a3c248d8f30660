<?php
/**
 * vtenext fires no event on delete or restore, so deletes and restores of tasks and events are caught here: this class replaces Activity
 * through SDK::setClass('Activity', 'ActivityExch', 'modules/ExchangeConnector/ActivityExch.php').
 */
require_once 'modules/Calendar/Activity.php';
require_once __DIR__ . '/lib/autoload.php';

class ActivityExch extends Activity
{
    public function trash($module, $id)
    {
        $bridge = ExchangeConnectorBridge::current();
        $bridge->beforeDelete('Activity', $id); // an invitee may not delete the organiser's meeting
        parent::trash($module, $id);
        $bridge->afterDelete('Activity', $id);
    }

    /** Back from the recycle bin (no event either): for the connector that is a save. */
    public function restore($module, $id)
    {
        parent::restore($module, $id);
        ExchangeConnectorBridge::current()->afterSave('Activity', $id);
    }
}
