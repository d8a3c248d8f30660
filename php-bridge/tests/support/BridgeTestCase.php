<?php
use PHPUnit\Framework\TestCase;

/** Records what the module logs through vtenext's $log. */
class RecordingLog
{
    public $lines = array();

    public function info($line)
    {
        $this->lines[] = 'info ' . $line;
    }

    public function fatal($line)
    {
        $this->lines[] = 'fatal ' . $line;
    }
}

/**
 * A vtenext request in miniature: the globals vtenext sets ($adb on the real MariaDB, $table_prefix, $current_user,
 * config.inc.php's connector settings, $log), the server zone Europe/Rome, the module installed through its
 * post-install, and a stand-in connector.
 */
abstract class BridgeTestCase extends TestCase
{
    const KEY = 'bridge-test-key-0123456789';
    const ADMIN = 1;
    const ANNA = 5;
    const BRUNO = 6;
    const INTEGRATION = 7;
    const CARLA = 8;

    /** @var PearDatabase */
    protected $adb;
    /** @var StandInConnector|null */
    protected $connector;
    /** @var RecordingLog */
    protected $log;

    protected function setUp(): void
    {
        date_default_timezone_set('Europe/Rome');
        ExchangeConnectorNotifier::forgetFailures(); // each test is a fresh vtenext request
        $this->adb = TestDatabase::adb();
        TestDatabase::reset($this->adb);
        $this->log = new RecordingLog();
        $GLOBALS['adb'] = $this->adb;
        $GLOBALS['table_prefix'] = 'vte';
        $GLOBALS['log'] = $this->log;
        $GLOBALS['standin_event_prefix'] = 'vte';
        $GLOBALS['exchange_connector_key'] = self::KEY;
        $GLOBALS['exchange_connector_integration_user'] = 'exchange';
        $GLOBALS['exchange_connector_url'] = 'http://127.0.0.1:' . StandInConnector::freePort(); // nobody there

        $users = array(
            array(self::ADMIN, 'admin', 'Ada', 'Admin', 'admin@example.com', 'on'),
            array(self::ANNA, 'anna', 'Anna', 'Rossi', 'anna.rossi@example.com', 'off'),
            array(self::BRUNO, 'bruno', 'Bruno', 'Bianchi', 'bruno.bianchi@example.com', 'off'),
            array(self::INTEGRATION, 'exchange', 'Exchange', 'Connector', 'exchange@example.com', 'off'),
            array(self::CARLA, 'carla', 'Carla', 'Verdi', 'carla.verdi@example.com', 'off'),
        );
        foreach ($users as $u) {
            $this->adb->pquery('INSERT INTO vte_users (id, user_name, first_name, last_name, email1, is_admin) VALUES (?,?,?,?,?,?)', $u);
        }
        $this->actAs(self::ADMIN);
        $module = new ExchangeConnector();
        $module->vtlib_handler('ExchangeConnector', 'module.postinstall');
    }

    protected function tearDown(): void
    {
        if ($this->connector) {
            $this->connector->stop();
            $this->connector = null;
        }
        $this->assertSame(array(), $this->adb->errors, 'SQL errors');
        $this->adb->mysqli->close();
    }

    protected function startConnector()
    {
        $this->connector = StandInConnector::start();
        $GLOBALS['exchange_connector_url'] = $this->connector->url;
        return $this->connector;
    }

    protected function actAs($userId)
    {
        $row = $this->adb->fetchByAssoc($this->adb->pquery('SELECT user_name, is_admin FROM vte_users WHERE id = ?', array($userId)), -1, false);
        $GLOBALS['current_user'] = new Users($userId, $row['user_name'], $row['is_admin'] === 'on');
    }

    /** Creates an event owned by $owner the way the UI does (a save by the owner). */
    protected function createEvent($owner, $subject, array $invitees = array(), $activityType = 'Meeting')
    {
        $previous = $GLOBALS['current_user'];
        $this->actAs($owner);
        $focus = CRMEntity::getInstance('Events');
        $focus->column_fields = array('subject' => $subject, 'activitytype' => $activityType,
            'date_start' => '2026-03-29', 'time_start' => '10:00', 'due_date' => '2026-03-29', 'time_end' => '11:00',
            'eventstatus' => 'Planned', 'assigned_user_id' => $owner);
        $focus->save('Events');
        foreach ($invitees as $invitee) {
            $this->adb->pquery('INSERT INTO vte_invitees (activityid, inviteeid, partecipation) VALUES (?,?,0)', array($focus->id, $invitee));
        }
        $GLOBALS['current_user'] = $previous;
        return (int)$focus->id;
    }

    /** Loads and saves an existing activity with a new subject, as the current user. */
    protected function changeActivity($id, $subject)
    {
        $row = $this->adb->fetchByAssoc($this->adb->pquery('SELECT a.*, c.smownerid FROM vte_activity a JOIN vte_crmentity c ON c.crmid = a.activityid WHERE activityid = ?', array($id)), -1, false);
        $focus = CRMEntity::getInstance('Calendar');
        $focus->id = $id;
        $focus->mode = 'edit';
        $focus->column_fields = array('subject' => $subject, 'activitytype' => $row['activitytype'],
            'date_start' => $row['date_start'], 'time_start' => $row['time_start'], 'due_date' => $row['due_date'],
            'time_end' => $row['time_end'], 'eventstatus' => $row['eventstatus'], 'assigned_user_id' => $row['smownerid']);
        $focus->save($row['activitytype'] === 'Task' ? 'Calendar' : 'Events');
    }

    /** The list view's delete: DeleteEntity() on the module's focus. */
    protected function deleteRecord($module, $id)
    {
        $focus = CRMEntity::getInstance($module);
        DeleteEntity($module, $module, $focus, $id, '');
    }

    protected function outboxRows()
    {
        return $this->adb->query('SELECT * FROM vte_exchange_outbox ORDER BY id')->rows;
    }

    protected function crmentity($id)
    {
        return $this->adb->fetchByAssoc($this->adb->pquery('SELECT * FROM vte_crmentity WHERE crmid = ?', array($id)), -1, false);
    }

    /** The change notices the stand-in connector received, decoded. */
    protected function notices()
    {
        $notices = array();
        foreach ($this->connector->requests() as $request) {
            if ($request['method'] === 'POST' && $request['path'] === '/api/v1/crm/changes') {
                $notices[] = json_decode($request['body'], true);
            }
        }
        return $notices;
    }

    /** crmentity.modifiedtime (server-local) as the ISO 8601 instant with the Europe/Rome offset of that moment. */
    protected function expectedModifiedTime($id)
    {
        $row = $this->crmentity($id);
        $at = new DateTime($row['modifiedtime'], new DateTimeZone('Europe/Rome'));
        return $at->format('Y-m-d\TH:i:sP');
    }
}
