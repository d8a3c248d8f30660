<?php
/**
 * One database per test run on the project's private MariaDB (scripts/mariadb.sh: 127.0.0.1:3407,
 * connector/connector-local), created from the shared vtenext schema plus support/schema.sql, dropped when the run ends.
 */
class TestDatabase
{
    /** @return string[] the DDL files, in order: the vtenext tables shared with the simulator, then the bridge's own */
    public static function schemaFiles()
    {
        $root = dirname(__DIR__, 3);
        return array($root . '/tests/Connector.Simulators/Vtenext/schema.sql', __DIR__ . '/schema.sql');
    }

    /** Applies the schema files to a database (idempotent). */
    public static function applySchema(mysqli $connection)
    {
        foreach (self::schemaFiles() as $file) {
            $connection->multi_query(file_get_contents($file));
            while ($connection->more_results()) {
                $connection->next_result();
            }
        }
    }

    public static $name;

    /** The server: CONNECTOR_DB_HOST/PORT/USER/PASSWORD, by default the private MariaDB of scripts/mariadb.sh. */
    public static function host()
    {
        return getenv('CONNECTOR_DB_HOST') ?: '127.0.0.1';
    }

    public static function port()
    {
        return (int)(getenv('CONNECTOR_DB_PORT') ?: 3407);
    }

    public static function user()
    {
        return getenv('CONNECTOR_DB_USER') ?: 'connector';
    }

    public static function password()
    {
        return getenv('CONNECTOR_DB_PASSWORD') ?: 'connector-local';
    }

    public static function create()
    {
        mysqli_report(MYSQLI_REPORT_ERROR | MYSQLI_REPORT_STRICT);
        self::$name = 'bridge_test_' . getmypid() . '_' . bin2hex(random_bytes(4));
        $server = self::server();
        $server->query('CREATE DATABASE `' . self::$name . '` CHARACTER SET utf8mb4');
        $server->select_db(self::$name);
        self::applySchema($server);
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
        return new PearDatabase(self::host(), self::port(), self::user(), self::password(), self::$name);
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
        return new mysqli(self::host(), self::user(), self::password(), '', self::port());
    }
}
