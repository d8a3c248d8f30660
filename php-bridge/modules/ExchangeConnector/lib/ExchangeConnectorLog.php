<?php
/** Writes to vtenext's logger ($log, log4php) when there is one, else to PHP's error log. Never given secrets. */
class ExchangeConnectorLog
{
    public static function info($message)
    {
        self::write('info', $message);
    }

    public static function error($message)
    {
        self::write('error', $message);
    }

    private static function write($level, $message)
    {
        $line = '[ExchangeConnector] ' . $message;
        $log = isset($GLOBALS['log']) ? $GLOBALS['log'] : null;
        if (is_object($log) && method_exists($log, $level === 'error' ? 'fatal' : 'info')) {
            if ($level === 'error') {
                $log->fatal($line);
            } else {
                $log->info($line);
            }
            return;
        }
        if ($level === 'error') {
            error_log($line);
        }
    }
}
