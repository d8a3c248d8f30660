<?php
/**
 * The fallback queue for notices the connector did not take: table {prefix}_exchange_outbox in the vtenext database.
 * Its shape is a contract with the connector, which drains it (copies each row into its own queue, then deletes it).
 */
class ExchangeConnectorOutbox
{
    /** @var object PearDatabase ($adb) */
    private $adb;
    /** @var ExchangeConnectorConfig */
    private $config;

    public function __construct($adb, ExchangeConnectorConfig $config)
    {
        $this->adb = $adb;
        $this->config = $config;
    }

    public function tableName()
    {
        return $this->config->table('exchange_outbox');
    }

    public function createTableSql()
    {
        return 'CREATE TABLE IF NOT EXISTS ' . $this->tableName() . ' ('
            . 'id INT NOT NULL AUTO_INCREMENT PRIMARY KEY, '
            . 'module VARCHAR(20) NOT NULL, '
            . 'crmid INT NOT NULL, '
            . 'operation VARCHAR(10) NOT NULL, '
            . 'modifiedtime VARCHAR(40) NOT NULL, '
            . 'acting_user INT NOT NULL, '
            . 'created_at DATETIME NOT NULL, '
            . 'KEY exchange_outbox_created_idx (created_at)'
            // utf8mb4 like the connector's own tables (vtenext's are often utf8, which MariaDB 10.6+ calls "utf8mb3"
            // and older MySQL drivers cannot read).
            . ') ENGINE=InnoDB DEFAULT CHARSET=utf8mb4';
    }

    /** Stores the notice; throws when the database refused it (the caller logs it: nothing else can be done). */
    public function add(ExchangeConnectorChangeNotice $notice)
    {
        $result = $this->adb->pquery(
            'INSERT INTO ' . $this->tableName()
            . ' (module, crmid, operation, modifiedtime, acting_user, created_at) VALUES (?,?,?,?,?,?)',
            array($notice->module, $notice->crmid, $notice->operation, $notice->modifiedtime, $notice->actingUser,
                date('Y-m-d H:i:s'))
        );
        if (!$result) {
            throw new RuntimeException('the outbox table ' . $this->tableName() . ' did not accept the notice');
        }
    }

    public function count()
    {
        $result = $this->adb->pquery('SELECT COUNT(*) AS n FROM ' . $this->tableName(), array());
        if (!$result) {
            throw new RuntimeException('the outbox table ' . $this->tableName() . ' cannot be read');
        }
        $row = $this->adb->fetchByAssoc($result, -1, false);
        return (int)$row['n'];
    }
}
