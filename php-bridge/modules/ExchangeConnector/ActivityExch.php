<?php
/**
 * vtenext fires no event on delete, so deletes of tasks and events are caught here: this class replaces Activity
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
}
