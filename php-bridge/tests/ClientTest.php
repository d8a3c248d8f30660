<?php
class ClientTest extends BridgeTestCase
{
    public function testReturnsDecodedJsonAndSendsTheKeyAndTheActingUser()
    {
        $connector = $this->startConnector();
        $connector->respond('GET', '/api/v1/users/5/preferences', 200, '{"crmUserId":5,"mailbox":"anna.rossi@example.com","features":{"calendar":true}}');
        $this->actAs(self::ANNA);

        $preferences = ExchangeConnectorClient::forCurrentUser()->getPreferences(self::ANNA);

        $this->assertSame(array('crmUserId' => 5, 'mailbox' => 'anna.rossi@example.com', 'features' => array('calendar' => true)), $preferences);
        $request = $connector->requests()[0];
        $this->assertSame('GET', $request['method']);
        $this->assertSame(self::KEY, $request['headers']['x-connector-key']);
        $this->assertSame('5', $request['headers']['x-crm-user']);
        $this->assertSame('false', $request['headers']['x-crm-admin']);
    }

    public function testSendsJsonBodies()
    {
        $connector = $this->startConnector();
        $connector->respond('PUT', '/api/v1/settings', 200, '{"mode":"graph","clientSecretSet":true}');
        $connector->respond('POST', '/api/v1/users/5/oauth/start', 200, '{"authorizationUrl":"https://login.example/authorize?x=1"}');
        $client = new ExchangeConnectorClient(ExchangeConnectorConfig::fromGlobals(), self::ADMIN, true);

        $this->assertSame(array('mode' => 'graph', 'clientSecretSet' => true), $client->putSettings(array('mode' => 'graph', 'clientSecret' => 's3cret')));
        $this->assertSame('https://login.example/authorize?x=1', $client->startOAuth(5)['authorizationUrl']);

        $requests = $connector->requests();
        $this->assertSame(array('mode' => 'graph', 'clientSecret' => 's3cret'), json_decode($requests[0]['body'], true));
        $this->assertSame('true', $requests[0]['headers']['x-crm-admin']);
        $this->assertSame('{}', $requests[1]['body']);
    }

    public function testProblemDetailsBecomeAnExceptionWithTheFieldErrors()
    {
        $connector = $this->startConnector();
        $connector->respond('PUT', '/api/v1/settings', 400, json_encode(array(
            'type' => 'https://tools.ietf.org/html/rfc9110#section-15.5.1',
            'title' => 'One or more validation errors occurred.',
            'status' => 400,
            'errors' => array('tenantId' => array('Tenant id must be a GUID or a domain.'), 'ews.url' => array('Must be an https URL.', 'Must not be empty.')),
        )), 'application/problem+json');
        $client = new ExchangeConnectorClient(ExchangeConnectorConfig::fromGlobals(), self::ADMIN, true);

        try {
            $client->putSettings(array('tenantId' => 'x'));
            $this->fail('no exception');
        } catch (ExchangeConnectorProblemException $e) {
            $this->assertSame(400, $e->getStatus());
            $this->assertSame('One or more validation errors occurred.', $e->getTitle());
            $this->assertSame(array('tenantId' => array('Tenant id must be a GUID or a domain.'),
                'ews.url' => array('Must be an https URL.', 'Must not be empty.')), $e->getFieldErrors());
            $this->assertStringContainsString('tenantId: Tenant id must be a GUID or a domain.', $e->getMessage());
        }
    }

    public function testAForbiddenAnswerWithADetail()
    {
        $connector = $this->startConnector();
        $connector->respond('GET', '/api/v1/settings', 403, '{"title":"Forbidden","status":403,"detail":"Administrators only."}', 'application/problem+json');
        $this->actAs(self::BRUNO);
        $this->expectException(ExchangeConnectorProblemException::class);
        $this->expectExceptionMessage('Forbidden: Administrators only.');
        ExchangeConnectorClient::forCurrentUser()->getSettings();
    }

    public function testAnUnreachableConnectorIsReportedWithoutTheKey()
    {
        $client = new ExchangeConnectorClient(ExchangeConnectorConfig::fromGlobals(), self::ADMIN, true);
        try {
            $client->getSettings();
            $this->fail('no exception');
        } catch (ExchangeConnectorUnavailableException $e) {
            $this->assertStringStartsWith('The Exchange connector cannot be reached', $e->getMessage());
            $this->assertStringNotContainsString(self::KEY, $e->getMessage());
        }
    }

    public function testAnEmptyAnswerIsNull()
    {
        $connector = $this->startConnector();
        $connector->respond('DELETE', '/api/v1/users/5/preferences', 204, '', 'text/plain');
        $client = new ExchangeConnectorClient(ExchangeConnectorConfig::fromGlobals(), self::ANNA, false);
        $this->assertNull($client->deletePreferences(5));
    }

    public function testAnErrorWithoutJsonStillCarriesTheStatus()
    {
        $connector = $this->startConnector();
        $connector->respond('GET', '/api/v1/settings', 502, '<html>Bad Gateway</html>', 'text/html');
        $client = new ExchangeConnectorClient(ExchangeConnectorConfig::fromGlobals(), self::ADMIN, true);
        try {
            $client->getSettings();
            $this->fail('no exception');
        } catch (ExchangeConnectorProblemException $e) {
            $this->assertSame(502, $e->getStatus());
            $this->assertSame(array(), $e->getFieldErrors());
        }
    }
}
