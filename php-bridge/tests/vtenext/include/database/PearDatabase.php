<?php
/** Result of a stand-in query: all rows fetched, with a cursor (like an ADOdb record set). */
class StandInResult
{
    public $rows;
    public $cursor = 0;
    public $affected;

    public function __construct(array $rows, $affected)
    {
        $this->rows = $rows;
        $this->affected = $affected;
    }
}

/** PearDatabase ($adb) stand-in over mysqli: the methods vtenext code (and the bridge) calls. */
class PearDatabase
{
    /** @var mysqli */
    public $mysqli;
    /** @var string[] errors so far (vtenext logs them and returns false; tests can assert on them) */
    public $errors = array();
    public $database;

    public function __construct($host, $port, $user, $password, $database)
    {
        $this->mysqli = new mysqli($host, $user, $password, $database, (int)$port);
        $this->mysqli->set_charset('utf8mb4');
        $this->database = $database;
    }

    public function pquery($sql, $params = array(), $dieOnError = false, $msg = '')
    {
        $flat = array();
        array_walk_recursive($params, function ($v) use (&$flat) { $flat[] = $v; });
        try {
            $statement = $this->mysqli->prepare($sql);
            if ($flat) {
                $statement->bind_param(str_repeat('s', count($flat)), ...array_map(function ($v) {
                    return $v === null ? null : (string)$v;
                }, $flat));
            }
            $statement->execute();
            $result = $statement->get_result();
            $rows = $result ? $result->fetch_all(MYSQLI_ASSOC) : array();
            $affected = $statement->affected_rows;
            $statement->close();
            return new StandInResult($rows, $affected);
        } catch (mysqli_sql_exception $e) {
            $this->errors[] = $e->getMessage() . ' [' . $sql . ']';
            return false;
        }
    }

    public function query($sql, $dieOnError = false, $msg = '')
    {
        return $this->pquery($sql, array(), $dieOnError, $msg);
    }

    public function num_rows($result)
    {
        return $result ? count($result->rows) : 0;
    }

    public function getAffectedRowCount($result)
    {
        return $result ? $result->affected : 0;
    }

    public function query_result($result, $row, $col = 0)
    {
        $r = $result->rows[$row];
        return is_int($col) ? array_values($r)[$col] : $r[$col];
    }

    /** Like vtenext: $encode=true HTML-escapes values (to_html). */
    public function fetchByAssoc($result, $rowNum = -1, $encode = true)
    {
        if (!$result) {
            return false;
        }
        if ($rowNum < 0) {
            $rowNum = $result->cursor++;
        }
        if (!isset($result->rows[$rowNum])) {
            return false;
        }
        $row = $result->rows[$rowNum];
        return $encode ? array_map(function ($v) {
            return $v === null ? null : htmlentities($v, ENT_QUOTES, 'UTF-8');
        }, $row) : $row;
    }

    /** vtenext sequences: a one-row table {name}_seq. */
    public function getUniqueID($seqname)
    {
        $this->mysqli->query("UPDATE {$seqname}_seq SET id = LAST_INSERT_ID(id + 1)");
        return (int)$this->mysqli->insert_id;
    }
}
