<?php
/** Starts and stops the stand-in connector (PHP's built-in server on a free loopback port) for a test. */
class StandInConnector
{
    public $url;
    private $dir;
    private $process;

    public static function start()
    {
        $self = new self();
        $self->dir = sys_get_temp_dir() . '/bridge-connector-' . bin2hex(random_bytes(6));
        mkdir($self->dir);
        $port = self::freePort();
        $self->url = 'http://127.0.0.1:' . $port;
        $env = array('STANDIN_DIR' => $self->dir, 'PATH' => getenv('PATH'));
        $self->process = proc_open(
            array(PHP_BINARY, '-S', '127.0.0.1:' . $port, __DIR__ . '/connector_router.php'),
            array(0 => array('file', '/dev/null', 'r'), 1 => array('file', $self->dir . '/server.log', 'a'),
                2 => array('file', $self->dir . '/server.log', 'a')),
            $pipes, $self->dir, $env);
        $deadline = microtime(true) + 10;
        while (microtime(true) < $deadline) {
            $socket = @fsockopen('127.0.0.1', $port, $errno, $errstr, 0.2);
            if ($socket) {
                fclose($socket);
                return $self;
            }
            usleep(20000);
        }
        $self->stop();
        throw new RuntimeException('the stand-in connector did not start on port ' . $port);
    }

    /** A loopback port nothing listens on right now (the kernel picks it). */
    public static function freePort()
    {
        $server = stream_socket_server('tcp://127.0.0.1:0', $errno, $errstr);
        $name = stream_socket_get_name($server, false);
        fclose($server);
        return (int)substr($name, strrpos($name, ':') + 1);
    }

    public function respond($method, $path, $status, $body, $contentType = 'application/json')
    {
        $file = $this->dir . '/responses.json';
        $scripted = is_file($file) ? json_decode(file_get_contents($file), true) : array();
        $scripted[$method . ' ' . $path] = array('status' => $status, 'body' => $body, 'contentType' => $contentType);
        file_put_contents($file, json_encode($scripted));
    }

    /** @return array[] the requests received so far: method, path, headers (lower-case names), body */
    public function requests()
    {
        $file = $this->dir . '/requests.jsonl';
        if (!is_file($file)) {
            return array();
        }
        return array_map(function ($line) {
            return json_decode($line, true);
        }, array_filter(explode("\n", file_get_contents($file))));
    }

    public function stop()
    {
        if ($this->process) {
            proc_terminate($this->process);
            proc_close($this->process);
            $this->process = null;
        }
        if ($this->dir && is_dir($this->dir)) {
            array_map('unlink', glob($this->dir . '/*'));
            rmdir($this->dir);
        }
    }
}
