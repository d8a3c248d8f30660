<?php
/**
 * Delivers a change notice: straight to the connector when it answers 202 in time, otherwise into the outbox.
 * A vtenext save must never fail or wait long because of the connector, so this never throws and is bounded by
 * the HTTP limits below (plus one INSERT).
 */
class ExchangeConnectorNotifier
{
    const PATH = '/api/v1/crm/changes';
    const CONNECT_TIMEOUT_MS = 500;
    /** The whole request; leaves room under the 2 s budget for the outbox INSERT. */
    const TOTAL_TIMEOUT_MS = 1500;
    /**
     * After a connector gave no answer at all, later notices of the same PHP process go straight to the outbox for
     * this long: a mass delete of 500 records must not wait 500 times for a hanging connector.
     */
    const SKIP_AFTER_NO_ANSWER_SECONDS = 30;

    /** @var array<string, float> connector URL => until when (microtime) it is not tried */
    private static $skipUntil = array();

    /** @var ExchangeConnectorConfig */
    private $config;
    /** @var ExchangeConnectorHttp */
    private $http;
    /** @var ExchangeConnectorOutbox */
    private $outbox;

    public function __construct(ExchangeConnectorConfig $config, ExchangeConnectorHttp $http, ExchangeConnectorOutbox $outbox)
    {
        $this->config = $config;
        $this->http = $http;
        $this->outbox = $outbox;
    }

    /** Forget that a connector gave no answer (a new process starts like this anyway). */
    public static function forgetFailures()
    {
        self::$skipUntil = array();
    }

    /**
     * @return string "sent" (connector took it), "queued" (in the outbox) or "lost" (neither worked; logged)
     */
    public function deliver(ExchangeConnectorChangeNotice $notice, $actingUserIsAdmin)
    {
        $why = 'no connector key is configured ($exchange_connector_key)';
        $url = $this->config->url;
        if ($this->config->canSend() && isset(self::$skipUntil[$url]) && microtime(true) < self::$skipUntil[$url]) {
            $why = 'connector gave no answer a moment ago';
        } elseif ($this->config->canSend()) {
            $response = $this->http->send('POST', self::PATH, $notice->toArray(), $notice->actingUser,
                $actingUserIsAdmin, self::CONNECT_TIMEOUT_MS, self::TOTAL_TIMEOUT_MS);
            if ($response->status === 202) {
                unset(self::$skipUntil[$url]);
                return 'sent';
            }
            if ($response->status === 0) {
                self::$skipUntil[$url] = microtime(true) + self::SKIP_AFTER_NO_ANSWER_SECONDS;
                $why = 'connector unreachable: ' . $response->error;
            } else {
                $why = 'connector answered HTTP ' . $response->status;
            }
        }
        try {
            $this->outbox->add($notice);
            ExchangeConnectorLog::info(sprintf('%s %s %d queued in the outbox (%s)',
                $notice->operation, $notice->module, $notice->crmid, $why));
            return 'queued';
        } catch (Exception $e) {
            ExchangeConnectorLog::error(sprintf('%s %s %d could not be delivered (%s) nor queued: %s',
                $notice->operation, $notice->module, $notice->crmid, $why, $e->getMessage()));
            return 'lost';
        }
    }
}
