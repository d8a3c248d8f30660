<?php
/**
 * Deletes and restores of contacts (vtenext fires no event for either): replaces Contacts through
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

    /** Back from the recycle bin (no event either): for the connector that is a save. */
    public function restore($module, $id)
    {
        parent::restore($module, $id);
        ExchangeConnectorBridge::current()->afterSave('Contacts', $id);
    }
}
