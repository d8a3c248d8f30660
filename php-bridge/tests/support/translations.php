<?php
/** vtenext's getTranslatedString(), reduced: the module's language file of $standin_language. */
if (!function_exists('getTranslatedString')) {
    function getTranslatedString($key, $module)
    {
        $language = isset($GLOBALS['standin_language']) ? $GLOBALS['standin_language'] : 'en_us';
        $mod_strings = array();
        include dirname(__DIR__, 2) . "/modules/$module/language/$language.lang.php";
        return isset($mod_strings[$key]) ? $mod_strings[$key] : $key;
    }
}
