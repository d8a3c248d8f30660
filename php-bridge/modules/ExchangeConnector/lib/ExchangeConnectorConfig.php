<?php
/**
 * Where the connector is and how to talk to it. Read from vtenext's own config.inc.php (server side only), so the
 * key never reaches a browser and survives module updates:
 *
 *   $exchange_connector_url = 'http://127.0.0.1:5080';
 *   $exchange_connector_key = '...';                  // Connector:ApiKey of the service
 *   $exchange_connector_integration_user = 'exchange'; // vtenext user the connector writes as
 *
 * Runs on PHP 7.4 and 8.x: no 8.x-only syntax in this module.
 */
class ExchangeConnectorConfig
{
    const DEFAULT_URL = 'http://127.0.0.1:5080';

    /** @var string */
    public $url;
    /** @var string */
    public $apiKey;
    /** @var string */
    public $integrationUserName;
    /** @var string vtenext's table prefix ($table_prefix), e.g. "vte" */
    public $tablePrefix;

    public function __construct($url, $apiKey, $integrationUserName, $tablePrefix)
    {
        $this->url = rtrim((string)$url, '/');
        $this->apiKey = (string)$apiKey;
        $this->integrationUserName = (string)$integrationUserName;
        $this->tablePrefix = (string)$tablePrefix;
    }

    /** The configuration of the running vtenext (config.inc.php has already been included as globals). */
    public static function fromGlobals()
    {
        $url = isset($GLOBALS['exchange_connector_url']) && $GLOBALS['exchange_connector_url'] !== ''
            ? $GLOBALS['exchange_connector_url'] : self::DEFAULT_URL;
        $key = isset($GLOBALS['exchange_connector_key']) ? $GLOBALS['exchange_connector_key'] : '';
        $user = isset($GLOBALS['exchange_connector_integration_user']) ? $GLOBALS['exchange_connector_integration_user'] : '';
        $prefix = isset($GLOBALS['table_prefix']) && $GLOBALS['table_prefix'] !== '' ? $GLOBALS['table_prefix'] : 'vte';
        return new self($url, $key, $user, $prefix);
    }

    /** A notice can only be sent with a key; without one it is kept in the outbox until the admin configures it. */
    public function canSend()
    {
        return $this->url !== '' && $this->apiKey !== '';
    }

    public function isIntegrationUser($userName)
    {
        return $this->integrationUserName !== ''
            && strcasecmp(trim((string)$userName), trim($this->integrationUserName)) === 0;
    }

    public function table($name)
    {
        return $this->tablePrefix . '_' . $name;
    }

    /** Never print the key (var_dump, logs, error pages). */
    public function __debugInfo()
    {
        return array(
            'url' => $this->url,
            'apiKey' => $this->apiKey === '' ? '' : '***',
            'integrationUserName' => $this->integrationUserName,
            'tablePrefix' => $this->tablePrefix,
        );
    }
}
