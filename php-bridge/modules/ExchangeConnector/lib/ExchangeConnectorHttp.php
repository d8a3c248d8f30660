<?php
/** What came back from the connector; status 0 means no HTTP answer at all (refused, timed out, DNS...). */
class ExchangeConnectorResponse
{
    /** @var int */
    public $status;
    /** @var string */
    public $body;
    /** @var string */
    public $contentType;
    /** @var string transport error, '' when an HTTP answer arrived */
    public $error;

    public function __construct($status, $body, $contentType, $error)
    {
        $this->status = (int)$status;
        $this->body = (string)$body;
        $this->contentType = (string)$contentType;
        $this->error = (string)$error;
    }
}

/**
 * JSON over HTTP to the connector with hard time limits (curl). Carries the bridge's key and the acting CRM user
 * on every call. Never throws: a failure is a response with status 0.
 */
class ExchangeConnectorHttp
{
    /** @var ExchangeConnectorConfig */
    private $config;

    public function __construct(ExchangeConnectorConfig $config)
    {
        $this->config = $config;
    }

    /**
     * @param string $method GET|POST|PUT|DELETE
     * @param string $path e.g. "/api/v1/crm/changes"
     * @param mixed $body array/object to send as JSON, or null
     * @param int $actingUserId X-Crm-User
     * @param bool $actingUserIsAdmin X-Crm-Admin
     * @param int $connectTimeoutMs
     * @param int $totalTimeoutMs whole request, connect included
     * @return ExchangeConnectorResponse
     */
    public function send($method, $path, $body, $actingUserId, $actingUserIsAdmin, $connectTimeoutMs, $totalTimeoutMs)
    {
        if (!function_exists('curl_init')) {
            return new ExchangeConnectorResponse(0, '', '', 'the PHP curl extension is not installed');
        }
        $headers = array(
            'Accept: application/json, application/problem+json',
            'X-Connector-Key: ' . $this->config->apiKey,
            'X-Crm-User: ' . (int)$actingUserId,
            'X-Crm-Admin: ' . ($actingUserIsAdmin ? 'true' : 'false'),
            'Expect:', // no "100-continue" round trip
        );
        $curl = curl_init($this->config->url . $path);
        $options = array(
            CURLOPT_CUSTOMREQUEST => $method,
            CURLOPT_RETURNTRANSFER => true,
            CURLOPT_CONNECTTIMEOUT_MS => (int)$connectTimeoutMs,
            CURLOPT_TIMEOUT_MS => (int)$totalTimeoutMs,
            // Without this, curl's resolver uses SIGALRM, which ignores sub-second timeouts.
            CURLOPT_NOSIGNAL => true,
            CURLOPT_FOLLOWLOCATION => false,
            CURLOPT_PROTOCOLS => CURLPROTO_HTTP | CURLPROTO_HTTPS,
            // TLS (if the admin puts the connector behind https) is always verified.
            CURLOPT_SSL_VERIFYPEER => true,
            CURLOPT_SSL_VERIFYHOST => 2,
        );
        if ($body !== null) {
            $json = json_encode($body, JSON_UNESCAPED_SLASHES | JSON_UNESCAPED_UNICODE);
            if ($json === false) {
                curl_close($curl);
                return new ExchangeConnectorResponse(0, '', '', 'the request could not be encoded as JSON');
            }
            $options[CURLOPT_POSTFIELDS] = $json;
            $headers[] = 'Content-Type: application/json';
        }
        $options[CURLOPT_HTTPHEADER] = $headers;
        curl_setopt_array($curl, $options);

        $answer = curl_exec($curl);
        if ($answer === false) {
            $error = curl_error($curl);
            curl_close($curl);
            return new ExchangeConnectorResponse(0, '', '', $error !== '' ? $error : 'request failed');
        }
        $status = (int)curl_getinfo($curl, CURLINFO_RESPONSE_CODE);
        $contentType = (string)curl_getinfo($curl, CURLINFO_CONTENT_TYPE);
        curl_close($curl);
        return new ExchangeConnectorResponse($status, $answer, $contentType, '');
    }
}
