<?php
/**
 * What the save handler and the trash() overrides do, in one place:
 *  - before a change or delete: the invitation guard (may throw ExchangeConnectorInvitationException, by design);
 *  - after a save or delete: a change notice to the connector, or the outbox. Never throws, never waits long.
 * Writes made by the connector's own integration user are not echoed back to it.
 */
class ExchangeConnectorBridge
{
    /** @var object PearDatabase */
    private $adb;
    /** @var ExchangeConnectorConfig */
    private $config;
    /** @var object|null the vtenext Users object of the acting user */
    private $user;

    public function __construct($adb, ExchangeConnectorConfig $config, $user)
    {
        $this->adb = $adb;
        $this->config = $config;
        $this->user = $user;
    }

    /** The bridge of the running vtenext request ($adb, config.inc.php, $current_user). */
    public static function current()
    {
        return new self($GLOBALS['adb'], ExchangeConnectorConfig::fromGlobals(),
            isset($GLOBALS['current_user']) ? $GLOBALS['current_user'] : null);
    }

    /** @throws ExchangeConnectorInvitationException */
    public function beforeSave($moduleName, $crmid, $isNew)
    {
        if ($isNew || !$this->isActivity($moduleName) || $this->actingIsIntegrationUser()) {
            return;
        }
        $this->guarded($crmid, 'change');
    }

    /** @throws ExchangeConnectorInvitationException */
    public function beforeDelete($moduleName, $crmid)
    {
        if (!$this->isActivity($moduleName) || $this->actingIsIntegrationUser()) {
            return;
        }
        $this->guarded($crmid, 'delete');
    }

    /** Only the guard's verdict may stop the user; a failure of the guard itself (database) lets the change pass. */
    private function guarded($crmid, $operation)
    {
        try {
            $this->guard()->assertMayModify($crmid, $this->actingUserId(), $operation);
        } catch (ExchangeConnectorInvitationException $refused) {
            throw $refused;
        } catch (Throwable $e) {
            ExchangeConnectorLog::error(sprintf('invitation check of activity %d failed: %s', $crmid, $e->getMessage()));
        }
    }

    /** @return string|null what happened: "sent", "queued", "lost", or null when no notice was due */
    public function afterSave($moduleName, $crmid, $activityTypeHint = '')
    {
        return $this->notify($moduleName, $crmid, ExchangeConnectorChangeNotice::SAVE, $activityTypeHint);
    }

    /** @return string|null see afterSave */
    public function afterDelete($moduleName, $crmid)
    {
        return $this->notify($moduleName, $crmid, ExchangeConnectorChangeNotice::DELETE, '');
    }

    private function notify($moduleName, $crmid, $operation, $activityTypeHint)
    {
        try {
            $crmid = (int)$crmid;
            if ($crmid <= 0 || $this->actingIsIntegrationUser()) {
                return null;
            }
            $module = $this->webserviceModule($moduleName, $crmid, $activityTypeHint);
            if ($module === null) {
                return null;
            }
            $entity = $this->crmentity($crmid);
            $actingUser = $this->actingUserId();
            if ($actingUser <= 0 && $entity !== null) {
                $actingUser = (int)$entity['modifiedby']; // cron or script without a session user
            }
            $notice = new ExchangeConnectorChangeNotice($module, $crmid, $operation,
                ExchangeConnectorChangeNotice::isoFromServerLocal($entity !== null ? $entity['modifiedtime'] : ''),
                $actingUser);
            $notifier = new ExchangeConnectorNotifier($this->config, new ExchangeConnectorHttp($this->config),
                new ExchangeConnectorOutbox($this->adb, $this->config));
            return $notifier->deliver($notice, $this->actingIsAdmin());
        } catch (Throwable $e) {
            // A bug here must not break the user's save; the connector's reconciliation will still find the change.
            ExchangeConnectorLog::error(sprintf('%s notice for %s %d failed: %s', $operation, $moduleName, $crmid,
                $e->getMessage()));
            return 'lost';
        }
    }

    /**
     * vtenext's entity name -> the webservice module name the connector speaks. Tasks and events share the class
     * "Activity" (getModuleName() says "Activity" for both): the activity type decides.
     */
    private function webserviceModule($moduleName, $crmid, $activityTypeHint)
    {
        if ($moduleName === 'Contacts') {
            return 'Contacts';
        }
        if (!$this->isActivity($moduleName)) {
            return null;
        }
        $type = (string)$activityTypeHint;
        if ($type === '') {
            $result = $this->adb->pquery('SELECT activitytype FROM ' . $this->config->table('activity')
                . ' WHERE activityid = ?', array($crmid));
            if ($result && $this->adb->num_rows($result) > 0) {
                $row = $this->adb->fetchByAssoc($result, -1, false);
                $type = (string)$row['activitytype'];
            }
        }
        if ($type === 'Emails') {
            return null;
        }
        return $type === 'Task' ? 'Calendar' : 'Events';
    }

    private function crmentity($crmid)
    {
        $result = $this->adb->pquery('SELECT modifiedtime, modifiedby FROM ' . $this->config->table('crmentity')
            . ' WHERE crmid = ?', array($crmid));
        if (!$result || $this->adb->num_rows($result) === 0) {
            return null;
        }
        return $this->adb->fetchByAssoc($result, -1, false);
    }

    private function isActivity($moduleName)
    {
        return $moduleName === 'Activity' || $moduleName === 'Calendar' || $moduleName === 'Events';
    }

    private function guard()
    {
        return new ExchangeConnectorInvitationGuard($this->adb, $this->config);
    }

    private function actingUserId()
    {
        return is_object($this->user) && isset($this->user->id) ? (int)$this->user->id : 0;
    }

    private function actingIsAdmin()
    {
        return is_object($this->user) && isset($this->user->is_admin) && $this->user->is_admin === 'on';
    }

    private function actingIsIntegrationUser()
    {
        return is_object($this->user) && isset($this->user->user_name)
            && $this->config->isIntegrationUser($this->user->user_name);
    }
}
