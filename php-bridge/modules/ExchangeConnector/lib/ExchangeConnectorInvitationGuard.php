<?php
/** Thrown to stop a change or delete of an event the acting user was only invited to; the message is for the user. */
class ExchangeConnectorInvitationException extends Exception
{
    /** @var array the organiser: name, email */
    public $organizer;

    public function __construct($message, array $organizer)
    {
        parent::__construct($message);
        $this->organizer = $organizer;
    }
}

/**
 * Exchange owns a meeting at its organiser: an invitee's copy is read-only there, and a change made to it in vtenext
 * would be overwritten (or, pushed, would corrupt the organiser's meeting). So an event in which the acting user is
 * an invitee ({prefix}_invitees) and not the organiser ({prefix}_activity_organizer, or the owner when there is no
 * organiser row) cannot be changed or deleted from vtenext.
 */
class ExchangeConnectorInvitationGuard
{
    /** @var object PearDatabase */
    private $adb;
    /** @var ExchangeConnectorConfig */
    private $config;

    public function __construct($adb, ExchangeConnectorConfig $config)
    {
        $this->adb = $adb;
        $this->config = $config;
    }

    /**
     * @param int $activityId an existing activity (new records have no invitees yet)
     * @param int $userId the acting user
     * @param string $operation "change" or "delete"
     * @throws ExchangeConnectorInvitationException when the user may not do it
     */
    public function assertMayModify($activityId, $userId, $operation)
    {
        $activityId = (int)$activityId;
        $userId = (int)$userId;
        if ($activityId <= 0 || $userId <= 0) {
            return;
        }
        $type = $this->value('SELECT activitytype FROM ' . $this->config->table('activity') . ' WHERE activityid = ?',
            array($activityId), 'activitytype');
        if ($type === null || $type === 'Task' || $type === 'Emails') {
            return; // tasks have no invitees; e-mails are not synchronised
        }
        $invited = $this->value('SELECT inviteeid FROM ' . $this->config->table('invitees')
            . ' WHERE activityid = ? AND inviteeid = ?', array($activityId, $userId), 'inviteeid');
        if ($invited === null) {
            return;
        }
        $organizer = $this->organizer($activityId);
        if ($organizer['userid'] === $userId) {
            return;
        }
        if ($organizer['userid'] === 0 && $organizer['email'] !== '') {
            $ownEmail = $this->value('SELECT email1 FROM ' . $this->config->table('users') . ' WHERE id = ?',
                array($userId), 'email1');
            if ($ownEmail !== null && strcasecmp(trim($ownEmail), $organizer['email']) === 0) {
                return;
            }
        }
        throw new ExchangeConnectorInvitationException(self::message($organizer, $operation),
            array('name' => $organizer['name'], 'email' => $organizer['email']));
    }

    public static function message(array $organizer, $operation)
    {
        $who = $organizer['name'] !== '' ? $organizer['name'] : $organizer['email'];
        if ($organizer['name'] !== '' && $organizer['email'] !== '') {
            $who .= ' <' . $organizer['email'] . '>';
        }
        if ($who === '') {
            $who = ExchangeConnectorText::get('LBL_EXCH_UNKNOWN_ORGANIZER', 'another user');
        }
        $key = $operation === 'delete' ? 'LBL_EXCH_INVITEE_CANNOT_DELETE' : 'LBL_EXCH_INVITEE_CANNOT_CHANGE';
        $default = $operation === 'delete'
            ? 'You cannot delete this event: you are invited to it, and it is organised by %s. Only the organiser can cancel it; you can decline the invitation instead.'
            : 'You cannot change this event: you are invited to it, and it is organised by %s. Only the organiser can change it; ask them, or answer the invitation.';
        return sprintf(ExchangeConnectorText::get($key, $default), $who);
    }

    /** @return array userid (0 when not a CRM user), name, email */
    private function organizer($activityId)
    {
        $row = $this->row('SELECT userid, contactid, email FROM ' . $this->config->table('activity_organizer')
            . ' WHERE activityid = ?', array($activityId));
        if ($row !== null) {
            $userId = (int)$row['userid'];
            if ($userId > 0) {
                return $this->user($userId, (string)$row['email']);
            }
            $contactId = (int)$row['contactid'];
            if ($contactId > 0) {
                $contact = $this->row('SELECT firstname, lastname, email FROM ' . $this->config->table('contactdetails')
                    . ' WHERE contactid = ?', array($contactId));
                if ($contact !== null) {
                    return array('userid' => 0,
                        'name' => trim($contact['firstname'] . ' ' . $contact['lastname']),
                        'email' => trim((string)($contact['email'] !== '' ? $contact['email'] : $row['email'])));
                }
            }
            return array('userid' => 0, 'name' => '', 'email' => trim((string)$row['email']));
        }
        $owner = (int)$this->value('SELECT smownerid FROM ' . $this->config->table('crmentity') . ' WHERE crmid = ?',
            array($activityId), 'smownerid');
        $user = $this->user($owner, '');
        if ($user['name'] === '' && $user['email'] === '') {
            // Owned by a group: group ids come from the users sequence, so they never collide with a user id.
            $group = $this->value('SELECT groupname FROM ' . $this->config->table('groups') . ' WHERE groupid = ?',
                array($owner), 'groupname');
            if ($group !== null) {
                $user['name'] = $group;
            }
        }
        return $user;
    }

    private function user($userId, $fallbackEmail)
    {
        $user = $this->row('SELECT first_name, last_name, email1 FROM ' . $this->config->table('users') . ' WHERE id = ?',
            array($userId));
        if ($user === null) {
            return array('userid' => $userId, 'name' => '', 'email' => trim($fallbackEmail));
        }
        return array('userid' => $userId,
            'name' => trim($user['first_name'] . ' ' . $user['last_name']),
            'email' => trim((string)($user['email1'] !== '' ? $user['email1'] : $fallbackEmail)));
    }

    /** @throws RuntimeException when the database refused the query (the caller decides; it is not "no row") */
    private function row($sql, array $params)
    {
        $result = $this->adb->pquery($sql, $params);
        if (!$result) {
            throw new RuntimeException('the database refused the query ' . $sql); // placeholders only, no values
        }
        if ($this->adb->num_rows($result) === 0) {
            return null;
        }
        $row = $this->adb->fetchByAssoc($result, -1, false);
        return is_array($row) ? $row : null;
    }

    private function value($sql, array $params, $column)
    {
        $row = $this->row($sql, $params);
        return ($row === null || $row[$column] === null) ? null : (string)$row[$column];
    }
}
