<?php
class ChangeNoticeTest extends BridgeTestCase
{
    public function testSavingAnEventSendsOneNoticeWithTheContractJsonAndHeaders()
    {
        $connector = $this->startConnector();

        $id = $this->createEvent(self::ANNA, 'Kick-off');

        $requests = $connector->requests();
        $this->assertCount(1, $requests);
        $request = $requests[0];
        $this->assertSame('POST', $request['method']);
        $this->assertSame('/api/v1/crm/changes', $request['path']);
        $this->assertSame(self::KEY, $request['headers']['x-connector-key']);
        $this->assertSame((string)self::ANNA, $request['headers']['x-crm-user']);
        $this->assertSame('false', $request['headers']['x-crm-admin']);
        $this->assertStringStartsWith('application/json', $request['headers']['content-type']);
        $this->assertSame(array(
            'module' => 'Events',
            'crmid' => $id,
            'operation' => 'save',
            'modifiedtime' => $this->expectedModifiedTime($id),
            'actingUser' => self::ANNA,
        ), json_decode($request['body'], true));
        $this->assertSame(array(), $this->outboxRows());
    }

    public function testModifiedTimeIsTheServerLocalValueWithTheOffsetOfThatMoment()
    {
        $connector = $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'Summer time');
        // vtenext stores server-local time; pin it to a summer and a winter moment in Europe/Rome.
        $this->adb->pquery('UPDATE vte_crmentity SET modifiedtime = ? WHERE crmid = ?', array('2026-07-01 09:30:00', $id));
        $bridge = new ExchangeConnectorBridge($this->adb, ExchangeConnectorConfig::fromGlobals(), $GLOBALS['current_user']);
        $bridge->afterSave('Activity', $id, 'Meeting');
        $this->adb->pquery('UPDATE vte_crmentity SET modifiedtime = ? WHERE crmid = ?', array('2026-01-15 09:30:00', $id));
        $bridge->afterSave('Activity', $id, 'Meeting');

        $times = array_column($this->notices(), 'modifiedtime');
        $this->assertSame('2026-07-01T09:30:00+02:00', $times[1]);
        $this->assertSame('2026-01-15T09:30:00+01:00', $times[2]);
    }

    public function testATaskIsReportedAsCalendarAndAContactAsContacts()
    {
        $this->startConnector();
        $this->actAs(self::BRUNO);
        $task = CRMEntity::getInstance('Calendar');
        $task->column_fields = array('subject' => 'Call back', 'activitytype' => 'Task', 'date_start' => '2026-04-01',
            'time_start' => '09:00', 'taskstatus' => 'Not Started', 'assigned_user_id' => self::BRUNO);
        $task->save('Calendar');
        $contact = CRMEntity::getInstance('Contacts');
        $contact->column_fields = array('firstname' => 'Dario', 'lastname' => 'Neri', 'email' => 'dario@example.com');
        $contact->save('Contacts');

        $notices = $this->notices();
        $this->assertSame(array('Calendar', 'Contacts'), array_column($notices, 'module'));
        $this->assertSame(array((int)$task->id, (int)$contact->id), array_column($notices, 'crmid'));
        $this->assertSame(array(self::BRUNO, self::BRUNO), array_column($notices, 'actingUser'));
    }

    public function testAnUpdateSendsANoticeAndAnAdminIsFlaggedAsAdmin()
    {
        $connector = $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'Draft');
        $this->actAs(self::ADMIN);

        $this->changeActivity($id, 'Final');

        $requests = $connector->requests();
        $this->assertCount(2, $requests);
        $this->assertSame('true', $requests[1]['headers']['x-crm-admin']);
        $this->assertSame((string)self::ADMIN, $requests[1]['headers']['x-crm-user']);
        $this->assertSame(array('module' => 'Events', 'crmid' => $id, 'operation' => 'save',
            'modifiedtime' => $this->expectedModifiedTime($id), 'actingUser' => self::ADMIN), json_decode($requests[1]['body'], true));
    }

    public function testEmailActivitiesAndOtherModulesAreNotReported()
    {
        $connector = $this->startConnector();
        $this->createEvent(self::ANNA, 'An e-mail', array(), 'Emails');
        $data = VTEntityData::fromCRMEntity((object)array('id' => 42, 'modulename' => 'Accounts', 'column_fields' => array()));
        (new ExchangeConnectorHandler())->handleEvent('vte.entity.aftersave', $data);

        $this->assertSame(array(), $connector->requests());
        $this->assertSame(array(), $this->outboxRows());
    }

    public function testAnInstallBefore2004FiringVtigerEventNamesIsHeardOnce()
    {
        $this->startConnector();
        $GLOBALS['standin_event_prefix'] = 'vtiger';

        $id = $this->createEvent(self::ANNA, 'Old install');

        $this->assertSame(array($id), array_column($this->notices(), 'crmid'));
    }

    public function testAfterThe2004UpgradeRenamedBothRegistrationsTheSaveIsStillReportedOnce()
    {
        $this->startConnector();
        // modules/Update/changes/2113_2114.php: REPLACE(event_name, 'vtiger.', 'vte.') -> two rows per event name.
        $this->adb->query("UPDATE vte_eventhandlers SET event_name = REPLACE(event_name, 'vtiger.', 'vte.')");

        $id = $this->createEvent(self::ANNA, 'Upgraded install');
        $this->changeActivity($id, 'Upgraded install, changed');

        $this->assertSame(array($id, $id), array_column($this->notices(), 'crmid'));
    }
}
