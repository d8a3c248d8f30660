<?php
class OutboxTest extends BridgeTestCase
{
    public function testWhenTheConnectorIsDownTheNoticeLandsInTheOutbox()
    {
        // setUp points the bridge at a loopback port nobody listens on.
        $id = $this->createEvent(self::ANNA, 'Connector down');

        $rows = $this->outboxRows();
        $this->assertCount(1, $rows);
        $this->assertSame('Events', $rows[0]['module']);
        $this->assertSame($id, (int)$rows[0]['crmid']);
        $this->assertSame('save', $rows[0]['operation']);
        $this->assertSame($this->expectedModifiedTime($id), $rows[0]['modifiedtime']);
        $this->assertSame(self::ANNA, (int)$rows[0]['acting_user']);
        $this->assertLessThanOrEqual(5, abs(strtotime($rows[0]['created_at']) - time()));
        $this->assertSame('0', (string)$this->crmentity($id)['deleted'], 'the save itself went through');
    }

    public function testAnErrorAnswerAlsoGoesToTheOutbox()
    {
        $connector = $this->startConnector();
        $connector->respond('POST', '/api/v1/crm/changes', 503, '{"title":"Service Unavailable","status":503}', 'application/problem+json');

        $id = $this->createEvent(self::ANNA, 'Connector failing');

        $this->assertCount(1, $connector->requests());
        $this->assertSame(array($id), array_map('intval', array_column($this->outboxRows(), 'crmid')));
        $this->assertStringContainsString('connector answered HTTP 503', implode("\n", $this->log->lines));
    }

    public function testWithoutAConfiguredKeyNothingIsSentAndTheNoticeIsKept()
    {
        $connector = $this->startConnector();
        $GLOBALS['exchange_connector_key'] = '';

        $id = $this->createEvent(self::ANNA, 'Not configured yet');

        $this->assertSame(array(), $connector->requests());
        $this->assertSame(array($id), array_map('intval', array_column($this->outboxRows(), 'crmid')));
    }

    public function testTheSaveSucceedsEvenWhenNeitherTheConnectorNorTheOutboxWork()
    {
        $this->adb->query('DROP TABLE vte_exchange_outbox');

        $id = $this->createEvent(self::ANNA, 'Everything is down');

        $this->assertSame('Everything is down', $this->adb->fetchByAssoc($this->adb->pquery('SELECT subject FROM vte_activity WHERE activityid = ?', array($id)))['subject']);
        $this->assertStringContainsString('could not be delivered', implode("\n", $this->log->lines));
        $this->adb->errors = array(); // the failed INSERT is what this test provokes
        $this->adb->query((new ExchangeConnectorOutbox($this->adb, ExchangeConnectorConfig::fromGlobals()))->createTableSql());
    }

    public function testTheKeyNeverAppearsInTheLog()
    {
        $connector = $this->startConnector();
        $connector->respond('POST', '/api/v1/crm/changes', 401, '', 'text/plain');
        $this->createEvent(self::ANNA, 'Wrong key');
        $this->assertNotEmpty($this->log->lines);
        $this->assertStringNotContainsString(self::KEY, implode("\n", $this->log->lines));
        $this->assertStringNotContainsString(self::KEY, print_r(ExchangeConnectorConfig::fromGlobals(), true));
    }
}
