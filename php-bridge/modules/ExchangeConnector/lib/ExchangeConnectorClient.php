<?php
/** The connector could not be reached, or answered something that is not JSON. */
class ExchangeConnectorUnavailableException extends Exception
{
}

/**
 * The connector refused the request with RFC 7807 problem details. getFieldErrors() maps each field at fault
 * (camelCase, e.g. "settings.tenantId") to its messages, for showing next to the form field.
 */
class ExchangeConnectorProblemException extends Exception
{
    /** @var int */
    private $status;
    /** @var string */
    private $title;
    /** @var string */
    private $detail;
    /** @var array<string, string[]> */
    private $fieldErrors;

    public function __construct($status, $title, $detail, array $fieldErrors)
    {
        $this->status = (int)$status;
        $this->title = (string)$title;
        $this->detail = (string)$detail;
        $this->fieldErrors = $fieldErrors;
        $text = $this->title !== '' ? $this->title : 'The connector refused the request (HTTP ' . $this->status . ')';
        if ($this->detail !== '') {
            $text .= ': ' . $this->detail;
        }
        foreach ($fieldErrors as $field => $messages) {
            $text .= "\n" . ($field === '' ? '(request)' : $field) . ': ' . implode(' ', $messages);
        }
        parent::__construct($text, $this->status);
    }

    public function getStatus()
    {
        return $this->status;
    }

    public function getTitle()
    {
        return $this->title;
    }

    public function getDetail()
    {
        return $this->detail;
    }

    /** @return array<string, string[]> */
    public function getFieldErrors()
    {
        return $this->fieldErrors;
    }
}

/**
 * The connector's API for vtenext's pages (control panel, user preferences, OAuth sign-in, availability), always
 * called server side on behalf of the logged-in vtenext user: the key stays on the server. Returns decoded JSON
 * (associative arrays); a refusal becomes ExchangeConnectorProblemException, no answer
 * ExchangeConnectorUnavailableException.
 */
class ExchangeConnectorClient
{
    const CONNECT_TIMEOUT_MS = 1000;
    const TOTAL_TIMEOUT_MS = 15000;

    /** @var ExchangeConnectorHttp */
    private $http;
    /** @var int */
    private $userId;
    /** @var bool */
    private $isAdmin;

    public function __construct(ExchangeConnectorConfig $config, $actingUserId, $actingUserIsAdmin)
    {
        $this->http = new ExchangeConnectorHttp($config);
        $this->userId = (int)$actingUserId;
        $this->isAdmin = (bool)$actingUserIsAdmin;
    }

    /** A client acting as vtenext's logged-in user. */
    public static function forCurrentUser()
    {
        $user = isset($GLOBALS['current_user']) ? $GLOBALS['current_user'] : null;
        return new self(ExchangeConnectorConfig::fromGlobals(), is_object($user) ? $user->id : 0,
            is_object($user) && isset($user->is_admin) && $user->is_admin === 'on');
    }

    /** Admin: the connector settings (secrets are reported as ...Set flags, never returned). */
    public function getSettings()
    {
        return $this->request('GET', '/api/v1/settings');
    }

    /** Admin: replace the settings; omit a secret field to keep it, "" clears it. */
    public function putSettings(array $settings)
    {
        return $this->request('PUT', '/api/v1/settings', $settings);
    }

    /** Admin: users and their synchronisation state. */
    public function listUsers()
    {
        return $this->request('GET', '/api/v1/users');
    }

    public function getPreferences($crmUserId)
    {
        return $this->request('GET', '/api/v1/users/' . (int)$crmUserId . '/preferences');
    }

    public function putPreferences($crmUserId, array $preferences)
    {
        return $this->request('PUT', '/api/v1/users/' . (int)$crmUserId . '/preferences', $preferences);
    }

    public function deletePreferences($crmUserId)
    {
        return $this->request('DELETE', '/api/v1/users/' . (int)$crmUserId . '/preferences');
    }

    /** Starts the Microsoft 365 sign-in for a user; the answer carries the authorization URL for the pop-up. */
    public function startOAuth($crmUserId, array $body = array())
    {
        return $this->request('POST', '/api/v1/users/' . (int)$crmUserId . '/oauth/start', (object)$body);
    }

    /** Hands the pop-up's redirect parameters (code, state, or error) to the connector. */
    public function completeOAuth(array $callback)
    {
        return $this->request('POST', '/api/v1/oauth/callback', $callback);
    }

    /**
     * Any other call, e.g. the availability endpoint a later issue adds.
     * @param string $path starting with "/api/v1/"; query strings allowed
     * @param array|object|null $body
     * @return mixed decoded JSON; null for an empty answer (204)
     */
    public function request($method, $path, $body = null)
    {
        $response = $this->http->send($method, $path, $body, $this->userId, $this->isAdmin,
            self::CONNECT_TIMEOUT_MS, self::TOTAL_TIMEOUT_MS);
        if ($response->status === 0) {
            throw new ExchangeConnectorUnavailableException('The Exchange connector cannot be reached: '
                . $response->error);
        }
        $decoded = null;
        if (trim($response->body) !== '') {
            $decoded = json_decode($response->body, true);
            if ($decoded === null && json_last_error() !== JSON_ERROR_NONE) {
                if ($response->status >= 400) {
                    throw new ExchangeConnectorProblemException($response->status, '', '', array());
                }
                throw new ExchangeConnectorUnavailableException('The Exchange connector answered HTTP '
                    . $response->status . ' with a body that is not JSON.');
            }
        }
        if ($response->status >= 400) {
            throw self::problem($response->status, is_array($decoded) ? $decoded : array());
        }
        return $decoded;
    }

    private static function problem($status, array $problem)
    {
        $fields = array();
        if (isset($problem['errors']) && is_array($problem['errors'])) {
            foreach ($problem['errors'] as $field => $messages) {
                $fields[(string)$field] = array_map('strval', is_array($messages) ? array_values($messages) : array($messages));
            }
        }
        return new ExchangeConnectorProblemException(
            isset($problem['status']) ? (int)$problem['status'] : $status,
            isset($problem['title']) ? (string)$problem['title'] : '',
            isset($problem['detail']) ? (string)$problem['detail'] : '',
            $fields
        );
    }
}
