<?php
/** SDK class extensions (sdk_class: extends, module, src); one extension per class, as in vtenext. */
class SDK
{
    public static function setClass($extends, $module, $src)
    {
        global $adb;
        $result = $adb->pquery('SELECT id FROM sdk_class WHERE extends = ?', array($extends));
        if ($adb->num_rows($result) > 0) {
            return; // "FAILED (Class already extended)"
        }
        $id = $adb->getUniqueID('sdk_class');
        $adb->pquery('INSERT INTO sdk_class (id, extends, module, src) VALUES (?,?,?,?)', array($id, $extends, $module, $src));
    }

    public static function unsetClass($extends)
    {
        global $adb;
        $adb->pquery('DELETE FROM sdk_class WHERE extends = ?', array($extends));
    }

    /** @return array|null module (class) and src of the extension of $extends */
    public static function getClass($extends)
    {
        global $adb;
        $result = $adb->pquery('SELECT module, src FROM sdk_class WHERE extends = ?', array($extends));
        return $adb->num_rows($result) > 0 ? $adb->fetchByAssoc($result, -1, false) : null;
    }
}
