<?php
class DeleteTest extends BridgeTestCase
{
    public function testDeletingAnEventIsCaughtThroughTrash()
    {
        $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'To be cancelled');
        $this->actAs(self::ANNA);
        $this->adb->pquery('UPDATE vte_crmentity SET modifiedtime = ? WHERE crmid = ?', array('2020-01-01 00:00:00', $id));

        $this->deleteRecord('Calendar', $id);

        $this->assertSame(1, (int)$this->crmentity($id)['deleted']);
        $notices = $this->notices();
        $this->assertCount(2, $notices);
        $this->assertSame(array('module' => 'Events', 'crmid' => $id, 'operation' => 'delete',
            'modifiedtime' => $this->expectedModifiedTime($id), 'actingUser' => self::ANNA), $notices[1]);
        $this->assertNotSame('2020-01-01T00:00:00+01:00', $notices[1]['modifiedtime'], 'the time of the delete, not of the last save');
    }

    public function testDeletingATaskAndAContact()
    {
        $this->startConnector();
        $this->actAs(self::BRUNO);
        $task = CRMEntity::getInstance('Calendar');
        $task->column_fields = array('subject' => 'Old task', 'activitytype' => 'Task', 'date_start' => '2026-04-01',
            'time_start' => '09:00', 'assigned_user_id' => self::BRUNO);
        $task->save('Calendar');
        $contact = CRMEntity::getInstance('Contacts');
        $contact->column_fields = array('firstname' => 'Elena', 'lastname' => 'Gallo');
        $contact->save('Contacts');

        $this->deleteRecord('Calendar', $task->id);
        $this->deleteRecord('Contacts', $contact->id);

        $deletes = array_values(array_filter($this->notices(), function ($n) {
            return $n['operation'] === 'delete';
        }));
        $this->assertSame(array(array('Calendar', (int)$task->id), array('Contacts', (int)$contact->id)),
            array_map(function ($n) {
                return array($n['module'], $n['crmid']);
            }, $deletes));
        $this->assertSame(1, (int)$this->crmentity($contact->id)['deleted']);
    }

    public function testADeleteWhileTheConnectorIsDownIsKeptInTheOutbox()
    {
        $id = $this->createEvent(self::ANNA, 'Deleted offline');
        $this->actAs(self::ANNA);

        $this->deleteRecord('Events', $id);

        $rows = $this->outboxRows();
        $this->assertSame(array('save', 'delete'), array_column($rows, 'operation'));
        $this->assertSame($this->expectedModifiedTime($id), $rows[1]['modifiedtime']);
        $this->assertSame(1, (int)$this->crmentity($id)['deleted']);
    }

    public function testRestoringFromTheRecycleBinIsReportedAsASave()
    {
        $this->startConnector();
        $event = $this->createEvent(self::ANNA, 'Back again');
        $this->actAs(self::ANNA);
        $this->deleteRecord('Events', $event);
        $contact = CRMEntity::getInstance('Contacts');
        $contact->column_fields = array('firstname' => 'Elena', 'lastname' => 'Gallo');
        $contact->save('Contacts');
        $this->deleteRecord('Contacts', $contact->id);

        CRMEntity::getInstance('Calendar')->restore('Calendar', $event);
        CRMEntity::getInstance('Contacts')->restore('Contacts', $contact->id);

        $this->assertSame(0, (int)$this->crmentity($event)['deleted']);
        $last = array_slice($this->notices(), -2);
        $this->assertSame(array(
            array('module' => 'Events', 'crmid' => $event, 'operation' => 'save', 'modifiedtime' => $this->expectedModifiedTime($event), 'actingUser' => self::ANNA),
            array('module' => 'Contacts', 'crmid' => (int)$contact->id, 'operation' => 'save', 'modifiedtime' => $this->expectedModifiedTime($contact->id), 'actingUser' => self::ANNA),
        ), $last);
    }
}
