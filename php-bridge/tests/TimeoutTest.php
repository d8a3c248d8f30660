<?php
class TimeoutTest extends BridgeTestCase
{
    /** A connector that accepts the connection (the kernel's backlog does) and then never answers. */
    public function testASaveNeverWaitsLongerThanTheTimeoutWhenTheConnectorHangs()
    {
        $hung = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        $name = stream_socket_get_name($hung, false);
        $GLOBALS['exchange_connector_url'] = 'http://' . $name;
        try {
            $started = microtime(true);
            $id = $this->createEvent(self::ANNA, 'Connector hangs');
            $elapsed = microtime(true) - $started;
        } finally {
            fclose($hung);
        }

        $this->assertLessThan(2.0, $elapsed, 'the save took too long');
        $this->assertGreaterThanOrEqual(ExchangeConnectorNotifier::TOTAL_TIMEOUT_MS / 1000 - 0.1, $elapsed, 'the request really waited for the connector');
        $this->assertSame(array($id), array_map('intval', array_column($this->outboxRows(), 'crmid')));
    }

    public function testAfterNoAnswerTheRestOfTheRequestDoesNotWaitAgain()
    {
        $hung = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        $GLOBALS['exchange_connector_url'] = 'http://' . stream_socket_get_name($hung, false);
        $this->actAs(self::ANNA);
        try {
            $started = microtime(true);
            $ids = array();
            for ($i = 0; $i < 5; $i++) { // e.g. a mass delete
                $ids[] = $this->createEvent(self::ANNA, "Event $i");
            }
            foreach ($ids as $id) {
                $this->deleteRecord('Events', $id);
            }
            $elapsed = microtime(true) - $started;
        } finally {
            fclose($hung);
        }

        $this->assertLessThan(2.5, $elapsed, 'only the first notice waited for the connector');
        $this->assertCount(10, $this->outboxRows(), 'every notice is kept');
    }

    public function testAConnectorThatAnswersWithAnErrorIsStillTriedForEachNotice()
    {
        $connector = $this->startConnector();
        $connector->respond('POST', '/api/v1/crm/changes', 500, '{}');
        $this->createEvent(self::ANNA, 'One');
        $connector->respond('POST', '/api/v1/crm/changes', 202, '{}');
        $id = $this->createEvent(self::ANNA, 'Two');

        $this->assertCount(2, $connector->requests());
        $this->assertCount(1, $this->outboxRows());
        $this->assertSame($id, $this->notices()[1]['crmid']);
    }
}
