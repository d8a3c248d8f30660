<?php
/**
 * The change notice the connector's `POST /api/v1/crm/changes` takes:
 * {"module":"Events"|"Calendar"|"Contacts","crmid":123,"operation":"save"|"delete",
 *  "modifiedtime":"2026-03-29T10:15:00+02:00","actingUser":5}
 * module is the webservice module name (tasks are "Calendar"); modifiedtime is crmentity.modifiedtime, which vtenext
 * stores in server-local time, made unambiguous with the offset of PHP's default zone at that instant.
 */
class ExchangeConnectorChangeNotice
{
    const SAVE = 'save';
    const DELETE = 'delete';

    /** @var string */
    public $module;
    /** @var int */
    public $crmid;
    /** @var string */
    public $operation;
    /** @var string */
    public $modifiedtime;
    /** @var int */
    public $actingUser;

    public function __construct($module, $crmid, $operation, $modifiedtime, $actingUser)
    {
        $this->module = (string)$module;
        $this->crmid = (int)$crmid;
        $this->operation = (string)$operation;
        $this->modifiedtime = (string)$modifiedtime;
        $this->actingUser = (int)$actingUser;
    }

    public function toArray()
    {
        return array(
            'module' => $this->module,
            'crmid' => $this->crmid,
            'operation' => $this->operation,
            'modifiedtime' => $this->modifiedtime,
            'actingUser' => $this->actingUser,
        );
    }

    /**
     * "2026-03-29 10:15:00" (server-local, as vtenext stores it) -> "2026-03-29T10:15:00+02:00".
     * Falls back to "now" when the value is missing or unreadable, so a notice is never dropped for it.
     */
    public static function isoFromServerLocal($dbValue)
    {
        $zone = new DateTimeZone(date_default_timezone_get());
        $value = trim((string)$dbValue);
        $parsed = $value === '' ? false : DateTime::createFromFormat('!Y-m-d H:i:s', substr($value, 0, 19), $zone);
        if ($parsed === false) {
            $parsed = new DateTime('now', $zone);
        }
        return $parsed->format('Y-m-d\TH:i:sP');
    }
}
