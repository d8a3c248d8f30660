<?php
require_once 'include/events/include.inc';
require_once 'modules/SDK/SDK.php';

/**
 * vtenext's data/CRMEntity.php, reduced to what the bridge depends on:
 *  - getInstance(): Calendar/Events -> class Activity with modulename "Activity"; SDK extensions win;
 *  - save(): beforesave handlers (may throw, which aborts the save) -> saveentity -> aftersave handlers;
 *    event names "vte.entity.*" (20.04+) or "vtiger.entity.*" (older installs: $standin_event_prefix = 'vtiger');
 *  - trash(): mark_deleted only (deleted=1, modifiedtime=now in server-local time, modifiedby); no event;
 *    restore() likewise (deleted=0), no event.
 */
class CRMEntity
{
    public $id;
    public $mode = '';
    public $modulename;
    public $column_fields = array();

    public static function getInstance($module)
    {
        if ($module === 'Calendar' || $module === 'Events') {
            $module = 'Activity';
        }
        $sdk = SDK::getClass($module);
        if ($sdk !== null) {
            require_once $sdk['src'];
            $class = $sdk['module'];
        } else {
            $files = array('Activity' => 'modules/Calendar/Activity.php', 'Contacts' => 'modules/Contacts/Contacts.php');
            require_once $files[$module];
            $class = $module;
        }
        $focus = new $class();
        $focus->modulename = $module;
        return $focus;
    }

    public function save($module)
    {
        global $adb;
        $prefix = isset($GLOBALS['standin_event_prefix']) ? $GLOBALS['standin_event_prefix'] : 'vte';
        $em = new VTEventsManager($adb);
        $entityData = VTEntityData::fromCRMEntity($this);
        $em->triggerEvent($prefix . '.entity.beforesave', $entityData);
        $this->saveentity($module);
        $em->triggerEvent($prefix . '.entity.aftersave', $entityData);
    }

    protected function saveentity($module)
    {
        global $adb, $table_prefix, $current_user;
        $now = date('Y-m-d H:i:s');
        $owner = isset($this->column_fields['assigned_user_id']) ? (int)$this->column_fields['assigned_user_id'] : (int)$current_user->id;
        if (empty($this->id)) {
            $this->id = $adb->getUniqueID($table_prefix . '_crmentity');
            $adb->pquery("INSERT INTO {$table_prefix}_crmentity (crmid, smcreatorid, smownerid, modifiedby, setype, createdtime, modifiedtime, deleted) VALUES (?,?,?,?,?,?,?,0)",
                array($this->id, $current_user->id, $owner, $current_user->id, $this->setype(), $now, $now));
            $this->mode = '';
        } else {
            $adb->pquery("UPDATE {$table_prefix}_crmentity SET smownerid=?, modifiedby=?, modifiedtime=? WHERE crmid=?",
                array($owner, $current_user->id, $now, $this->id));
            $this->mode = 'edit';
        }
        $this->save_module($module);
    }

    protected function setype()
    {
        return $this->modulename;
    }

    protected function save_module($module)
    {
    }

    public function mark_deleted($id)
    {
        global $adb, $table_prefix, $current_user;
        $adb->pquery("UPDATE {$table_prefix}_crmentity SET deleted=1, modifiedtime=?, modifiedby=? WHERE crmid=?",
            array(date('Y-m-d H:i:s'), $current_user->id, $id));
    }

    public function trash($module, $id)
    {
        $this->mark_deleted($id);
    }

    /** Recycle bin restore: deleted=0 and a new modifiedtime, no event. */
    public function restore($module, $id)
    {
        global $adb, $table_prefix, $current_user;
        $adb->pquery("UPDATE {$table_prefix}_crmentity SET deleted=0, modifiedtime=?, modifiedby=? WHERE crmid=?",
            array(date('Y-m-d H:i:s'), $current_user->id, $id));
    }
}
