<?php
// resolution-pack: shared start of the scripts run by `resolution-pack deploy`
// and `resolution-pack verify` with the site's own PHP (CLI only, no web server).
//
// Usage: php <script>.php MOODLE_ROOT < request.json
// The request is one JSON object on standard input. The answer is one line
// "RESOLUTION-PACK-JSON: {...}" on standard output: {"ok": true, ...} or
// {"ok": false, "error": "..."}; anything Moodle itself printed meanwhile is
// returned in "output". Exit status 0 when ok, 1 otherwise.

if (PHP_SAPI !== 'cli') {
    exit(2);
}
define('CLI_SCRIPT', true);
define('RESOLUTION_PACK_MARKER', 'RESOLUTION-PACK-JSON: ');

/**
 * Print the answer line and stop.
 */
function rp_finish(array $answer, int $status = 0): void {
    $output = '';
    while (ob_get_level() > 0) {
        $output = ob_get_clean() . $output;
    }
    $answer['output'] = trim($output);
    echo "\n", RESOLUTION_PACK_MARKER,
        json_encode($answer, JSON_UNESCAPED_UNICODE | JSON_UNESCAPED_SLASHES | JSON_INVALID_UTF8_SUBSTITUTE), "\n";
    exit($status);
}

function rp_fail(string $message, array $extra = []): void {
    rp_finish(['ok' => false, 'error' => $message] + $extra, 1);
}

function rp_describe(Throwable $e): string {
    $text = $e->getMessage();
    if (!empty($e->debuginfo)) {
        $text .= ' (' . trim($e->debuginfo) . ')';
    }
    return get_class($e) . ': ' . $text;
}

// MOODLE_ROOT: the folder with config.php. Moodle 4.5 and 5.0 keep version.php beside it;
// 5.1 and later keep the code under public/ ($CFG->dirroot) and config.php, admin/cli at the root.
$rp_root = $argv[1] ?? '';
if ($rp_root === '' || !is_file($rp_root . '/config.php') ||
        !(is_file($rp_root . '/version.php') || is_file($rp_root . '/public/version.php'))) {
    rp_fail('not a Moodle folder (no config.php, or no version.php beside it or in public/): ' . $rp_root);
}
$rp_request = json_decode((string)stream_get_contents(STDIN), true);
if (!is_array($rp_request)) {
    rp_fail('the request on standard input is not a JSON object');
}

set_exception_handler(function (Throwable $e) {
    rp_fail(rp_describe($e));
});

ob_start();
require($rp_root . '/config.php');
// config.php installs Moodle's own exception handler (HTML/CLI text): ours answers in JSON.
set_exception_handler(function (Throwable $e) {
    rp_fail(rp_describe($e));
});

$rp_admin = get_admin();
if (!$rp_admin) {
    rp_fail('this Moodle has no administrator account');
}
\core\session\manager::set_user($rp_admin);

/**
 * The courses that have this shortname, oldest first.
 */
function rp_courses_named(string $shortname): array {
    global $DB;
    $out = [];
    foreach ($DB->get_records('course', ['shortname' => $shortname], 'id', 'id, shortname, fullname, category') as $c) {
        if ((int)$c->id === (int)SITEID) {
            continue;
        }
        $out[] = ['id' => (int)$c->id, 'shortname' => $c->shortname, 'fullname' => $c->fullname,
            'category' => (int)$c->category];
    }
    return $out;
}
