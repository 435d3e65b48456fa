<?php
// resolution-pack: what `deploy` needs to know before it restores anything.
// Reads only. Request: {"shortnames": [...], "categoryid": int|null}.
// Answer: the Moodle release, the target category (or the default one), the
// courses that already have each shortname, the installed languages and the
// enrolment plugins enabled on the site.

require(__DIR__ . '/common.php');

global $CFG, $DB;
require_once($CFG->dirroot . '/course/lib.php');

$categoryid = $rp_request['categoryid'] ?? null;
$category = null;
if ($categoryid !== null) {
    $record = $DB->get_record('course_categories', ['id' => (int)$categoryid], 'id, name');
    if ($record) {
        $category = ['id' => (int)$record->id, 'name' => format_string($record->name)];
    }
}
$default = core_course_category::get_default();

$courses = [];
foreach ($rp_request['shortnames'] ?? [] as $shortname) {
    $courses[$shortname] = rp_courses_named((string)$shortname);
}

rp_finish([
    'ok' => true,
    'release' => $CFG->release,
    'version' => (string)$CFG->version,
    'branch' => (string)($CFG->branch ?? ''),
    'wwwroot' => $CFG->wwwroot,
    'category' => $category,
    'default_category' => ['id' => (int)$default->id, 'name' => format_string($default->name)],
    'courses' => (object)$courses,
    'languages' => array_keys(get_string_manager()->get_list_of_translations()),
    'enrol_plugins_enabled' => array_keys(enrol_get_plugins(true)),
]);
