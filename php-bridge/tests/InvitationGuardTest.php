<?php
class InvitationGuardTest extends BridgeTestCase
{
    private function subject($id)
    {
        return $this->adb->fetchByAssoc($this->adb->pquery('SELECT subject FROM vte_activity WHERE activityid = ?', array($id)), -1, false)['subject'];
    }

    public function testAnInviteeCannotChangeTheEventAndIsToldWhoOrganisesIt()
    {
        $connector = $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'Board meeting', array(self::BRUNO));
        $this->actAs(self::BRUNO);

        try {
            $this->changeActivity($id, 'Bruno was here');
            $this->fail('the change was accepted');
        } catch (ExchangeConnectorInvitationException $e) {
            $this->assertSame('You cannot change this event: you are invited to it, and it is organised by Anna Rossi <anna.rossi@example.com>. Only the organiser can change it; ask them, or answer the invitation.', $e->getMessage());
            $this->assertSame(array('name' => 'Anna Rossi', 'email' => 'anna.rossi@example.com'), $e->organizer);
        }
        $this->assertSame('Board meeting', $this->subject($id));
        $this->assertCount(1, $this->notices(), 'only the creation was reported');
    }

    public function testAnInviteeCannotDeleteTheEvent()
    {
        $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'Board meeting', array(self::BRUNO));
        $this->actAs(self::BRUNO);

        try {
            $this->deleteRecord('Calendar', $id);
            $this->fail('the delete was accepted');
        } catch (ExchangeConnectorInvitationException $e) {
            $this->assertStringStartsWith('You cannot delete this event: you are invited to it, and it is organised by Anna Rossi <anna.rossi@example.com>.', $e->getMessage());
        }
        $this->assertSame(0, (int)$this->crmentity($id)['deleted']);
        $this->assertSame(array('save'), array_column($this->notices(), 'operation'));
    }

    public function testTheOrganiserRowWinsOverTheOwner()
    {
        $id = $this->createEvent(self::ANNA, 'Workshop', array(self::BRUNO, self::CARLA));
        $this->adb->pquery('INSERT INTO vte_activity_organizer (activityid, userid, contactid, email) VALUES (?,?,0,?)', array($id, self::CARLA, 'carla.verdi@example.com'));

        $this->actAs(self::BRUNO);
        try {
            $this->changeActivity($id, 'Bruno again');
            $this->fail('the change was accepted');
        } catch (ExchangeConnectorInvitationException $e) {
            $this->assertStringContainsString('organised by Carla Verdi <carla.verdi@example.com>', $e->getMessage());
        }

        $this->actAs(self::CARLA); // the organiser, although also listed as invitee
        $this->changeActivity($id, 'Workshop (agenda)');
        $this->assertSame('Workshop (agenda)', $this->subject($id));
    }

    public function testAnExternalOrganiserIsNamedByContactOrEmail()
    {
        $this->adb->pquery('INSERT INTO vte_contactdetails (contactid, firstname, lastname, email) VALUES (900, ?, ?, ?)', array('Franco', 'Russo', 'franco@partner.example'));
        $fromContact = $this->createEvent(self::ANNA, 'Partner call', array(self::BRUNO));
        $this->adb->pquery('INSERT INTO vte_activity_organizer (activityid, userid, contactid, email) VALUES (?,0,900,?)', array($fromContact, 'franco@partner.example'));
        $fromEmail = $this->createEvent(self::ANNA, 'Supplier call', array(self::BRUNO));
        $this->adb->pquery('INSERT INTO vte_activity_organizer (activityid, userid, contactid, email) VALUES (?,0,0,?)', array($fromEmail, 'sales@supplier.example'));
        $this->actAs(self::BRUNO);

        $messages = array();
        foreach (array($fromContact, $fromEmail) as $id) {
            try {
                $this->changeActivity($id, 'changed');
            } catch (ExchangeConnectorInvitationException $e) {
                $messages[] = $e->getMessage();
            }
        }
        $this->assertCount(2, $messages);
        $this->assertStringContainsString('organised by Franco Russo <franco@partner.example>', $messages[0]);
        $this->assertStringContainsString('organised by sales@supplier.example.', $messages[1]);
    }

    public function testTheOwnerAndUsersWhoAreNotInvitedAreNotStopped()
    {
        $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'Team lunch', array(self::BRUNO));

        $this->actAs(self::ANNA);
        $this->changeActivity($id, 'Team lunch at noon');
        $this->actAs(self::CARLA); // not invited: vtenext's sharing rules decide, not the guard
        $this->changeActivity($id, 'Team lunch at one');

        $this->assertSame('Team lunch at one', $this->subject($id));
        $this->assertCount(3, $this->notices());
    }

    public function testTasksAreNeverGuarded()
    {
        $id = $this->createEvent(self::ANNA, 'A task', array(self::BRUNO), 'Task');
        $this->actAs(self::BRUNO);
        $this->changeActivity($id, 'A task, done');
        $this->deleteRecord('Calendar', $id);
        $this->assertSame(1, (int)$this->crmentity($id)['deleted']);
    }

    public function testTheMessageIsInTheUsersLanguage()
    {
        require_once __DIR__ . '/support/translations.php';
        $GLOBALS['standin_language'] = 'it_it';
        try {
            $message = ExchangeConnectorInvitationGuard::message(array('name' => 'Anna Rossi', 'email' => 'anna.rossi@example.com'), 'delete');
        } finally {
            $GLOBALS['standin_language'] = 'en_us';
        }
        $this->assertStringStartsWith("Non puoi eliminare questo evento: sei un invitato e l'organizzatore è Anna Rossi <anna.rossi@example.com>.", $message);
    }

    public function testAGuardThatCannotReadTheDatabaseLetsTheChangeThrough()
    {
        $id = $this->createEvent(self::ANNA, 'Guard offline', array(self::BRUNO));
        $this->adb->query('RENAME TABLE vte_invitees TO vte_invitees_away');
        try {
            $this->actAs(self::BRUNO);
            $this->changeActivity($id, 'Saved anyway');
        } finally {
            $this->adb->query('RENAME TABLE vte_invitees_away TO vte_invitees');
            $this->adb->errors = array(); // the failed SELECT is what this test provokes
        }
        $this->assertSame('Saved anyway', $this->subject($id));
        $this->assertStringContainsString('invitation check of activity ' . $id . ' failed', implode("\n", $this->log->lines));
    }
}
