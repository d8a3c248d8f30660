<?php
/** The module's labels in the user's language (vtenext's getTranslatedString), with the English text as fallback. */
class ExchangeConnectorText
{
    public static function get($key, $default)
    {
        if (function_exists('getTranslatedString')) {
            $text = getTranslatedString($key, 'ExchangeConnector');
            if (is_string($text) && $text !== '' && $text !== $key) {
                return $text;
            }
        }
        return $default;
    }
}
