<?php
class IntegrationUserTest extends BridgeTestCase
{
    public function testWritesByTheConnectorsIntegrationUserAreNotEchoedBack()
    {
        $connector = $this->startConnector();
        $GLOBALS['exchange_connector_integration_user'] = 'Exchange'; // user names compare case-insensitively

        $id = $this->createEvent(self::INTEGRATION, 'Came from Exchange');
        $this->actAs(self::INTEGRATION);
        $this->changeActivity($id, 'Changed in Exchange');
        $this->deleteRecord('Events', $id);

        $this->assertSame(array(), $connector->requests());
        $this->assertSame(array(), $this->outboxRows());
        $this->assertSame(1, (int)$this->crmentity($id)['deleted']);
    }

    public function testOtherUsersAreStillReported()
    {
        $this->startConnector();
        $this->createEvent(self::INTEGRATION, 'Came from Exchange');
        $id = $this->createEvent(self::ANNA, 'Made in vtenext');
        $this->assertSame(array($id), array_column($this->notices(), 'crmid'));
    }

    public function testTheIntegrationUserMayWriteTheOrganisersUpdatesIntoAnInviteesEvent()
    {
        $this->startConnector();
        $id = $this->createEvent(self::ANNA, 'Planning', array(self::INTEGRATION));
        $this->actAs(self::INTEGRATION);

        $this->changeActivity($id, 'Planning (moved)');

        $this->assertSame('Planning (moved)', $this->adb->fetchByAssoc($this->adb->pquery('SELECT subject FROM vte_activity WHERE activityid = ?', array($id)))['subject']);
    }
}
