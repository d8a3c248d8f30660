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
}
