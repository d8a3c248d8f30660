<?php
require_once 'data/CRMEntity.php';

class Contacts extends CRMEntity
{
    protected function save_module($module)
    {
        global $adb, $table_prefix;
        $f = $this->column_fields;
        $adb->pquery("REPLACE INTO {$table_prefix}_contactdetails (contactid, firstname, lastname, email) VALUES (?,?,?,?)",
            array($this->id, $f['firstname'], $f['lastname'], isset($f['email']) ? $f['email'] : ''));
    }
}
