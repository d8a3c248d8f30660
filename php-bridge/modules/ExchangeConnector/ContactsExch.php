<?php
/**
 * Deletes of contacts (vtenext fires no delete event): replaces Contacts through
 * SDK::setClass('Contacts', 'ContactsExch', 'modules/ExchangeConnector/ContactsExch.php').
 */
require_once 'modules/Contacts/Contacts.php';
require_once __DIR__ . '/lib/autoload.php';

class ContactsExch extends Contacts
{
    public function trash($module, $id)
    {
        parent::trash($module, $id);
        ExchangeConnectorBridge::current()->afterDelete('Contacts', $id);
    }
}
