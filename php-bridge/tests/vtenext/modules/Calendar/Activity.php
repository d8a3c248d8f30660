<?php
require_once 'data/CRMEntity.php';

/** Tasks and events: one class, one table; setype "Calendar" for both; activitytype 'Task' marks a task. */
class Activity extends CRMEntity
{
    protected function setype()
    {
        return 'Calendar';
    }

    protected function save_module($module)
    {
        global $adb, $table_prefix;
        $f = $this->column_fields;
        $adb->pquery("REPLACE INTO {$table_prefix}_activity (activityid, subject, activitytype, date_start, time_start, due_date, time_end, eventstatus, status) VALUES (?,?,?,?,?,?,?,?,?)",
            array($this->id, $f['subject'], $f['activitytype'], $f['date_start'], $f['time_start'],
                isset($f['due_date']) ? $f['due_date'] : $f['date_start'], isset($f['time_end']) ? $f['time_end'] : '',
                isset($f['eventstatus']) ? $f['eventstatus'] : '', isset($f['taskstatus']) ? $f['taskstatus'] : ''));
    }
}
