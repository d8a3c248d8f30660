<?php
$mod_strings = array(
    'ExchangeConnector' => 'Exchange Connector',
    'LBL_EXCH_INVITEE_CANNOT_CHANGE' => 'Non puoi modificare questo evento: sei un invitato e l\'organizzatore è %s. Solo l\'organizzatore può modificarlo; contattalo oppure rispondi all\'invito.',
    'LBL_EXCH_INVITEE_CANNOT_DELETE' => 'Non puoi eliminare questo evento: sei un invitato e l\'organizzatore è %s. Solo l\'organizzatore può annullarlo; puoi invece rifiutare l\'invito.',
    'LBL_EXCH_UNKNOWN_ORGANIZER' => 'un altro utente',
);
