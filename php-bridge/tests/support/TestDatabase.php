<?php
/**
 * One database per test run on the project's private MariaDB (scripts/mariadb.sh: 127.0.0.1:3407,
 * connector/connector-local), created from schema.sql and dropped when the run ends.
 */
class TestDatabase
{
    const HOST = '127.0.0.1';
    public static $name;

    public static function port()
    {
        return (int)(getenv('CONNECTOR_DB_PORT') ?: 3407);
    }

    public static function create()
    {
        mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
        self::$name = 'bridge_test_' . getmypid() . '_' . bin2hex(random_bytes(4));
        $server = self::server();
        $server->query('CREATE DATABASE `' . self::$name . '` CHARACTER SET utf8mb4');
        $server->select_db(self::$name);
        $server->multi_query(file_get_contents(__DIR__ . '/schema.sql'));
        while ($server->more_results()) {
            $server->next_result();
        }
        $server->close();
        register_shutdown_function(array(__CLASS__, 'drop'));
    }

    public static function drop()
    {
        if (self::$name) {
            $server = self::server();
            $server->query('DROP DATABASE IF EXISTS `' . self::$name . '`');
            $server->close();
            self::$name = null;
        }
    }

    public static function adb()
    {
        return new PearDatabase(self::HOST, self::port(), 'connector', 'connector-local', self::$name);
    }

    /** Empties every table, resets the sequences, and drops the outbox (the module's install creates it). */
    public static function reset(PearDatabase $adb)
    {
        $tables = $adb->query("SELECT table_name AS t FROM information_schema.tables WHERE table_schema = DATABASE()");
        foreach ($tables->rows as $row) {
            $table = $row['t'];
            if ($table === 'vte_exchange_outbox') {
                $adb->query('DROP TABLE vte_exchange_outbox');
            } elseif (substr($table, -4) === '_seq') {
                $adb->query("DELETE FROM $table");
                $adb->query("INSERT INTO $table (id) VALUES (100)");
            } else {
                $adb->query("DELETE FROM $table");
            }
        }
    }

    private static function server()
    {
        return new mysqli(self::HOST, 'connector', 'connector-local', '', self::port());
    }
}
