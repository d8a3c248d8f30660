<?php
$mod_strings = array(
    'ExchangeConnector' => 'Exchange Connector',
    'LBL_EXCH_INVITEE_CANNOT_CHANGE' => 'You cannot change this event: you are invited to it, and it is organised by %s. Only the organiser can change it; ask them, or answer the invitation.',
    'LBL_EXCH_INVITEE_CANNOT_DELETE' => 'You cannot delete this event: you are invited to it, and it is organised by %s. Only the organiser can cancel it; you can decline the invitation instead.',
    'LBL_EXCH_UNKNOWN_ORGANIZER' => 'another user',
);
