<?php
/**
 * The stand-in connector, run by PHP's built-in server (php -S 127.0.0.1:PORT connector_router.php). Records every
 * request (method, path, headers, raw body) as a JSON line in $STANDIN_DIR/requests.jsonl and answers what the test
 * scripted in $STANDIN_DIR/responses.json ({"METHOD /path": {"status":..,"body":..,"contentType":..}}); by default
 * POST /api/v1/crm/changes -> 202, anything else -> 404 problem details.
 */
$dir = getenv('STANDIN_DIR');
$method = $_SERVER['REQUEST_METHOD'];
$path = parse_url($_SERVER['REQUEST_URI'], PHP_URL_PATH);
$body = file_get_contents('php://input');
file_put_contents($dir . '/requests.jsonl', json_encode(array(
    'method' => $method,
    'path' => $_SERVER['REQUEST_URI'],
    'headers' => array_change_key_case(getallheaders(), CASE_LOWER),
    'body' => $body,
)) . "\n", FILE_APPEND | LOCK_EX);

$scripted = is_file($dir . '/responses.json') ? json_decode(file_get_contents($dir . '/responses.json'), true) : array();
$key = $method . ' ' . $path;
if (isset($scripted[$key])) {
    $answer = $scripted[$key];
} elseif ($key === 'POST /api/v1/crm/changes') {
    $answer = array('status' => 202, 'body' => '{"accepted":true}', 'contentType' => 'application/json');
} else {
    $answer = array('status' => 404, 'contentType' => 'application/problem+json',
        'body' => '{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.5","title":"Not Found","status":404}');
}
http_response_code($answer['status']);
if (isset($answer['contentType'])) {
    header('Content-Type: ' . $answer['contentType']);
}
echo isset($answer['body']) ? $answer['body'] : '';
