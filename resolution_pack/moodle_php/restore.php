<?php
// resolution-pack: restore one course backup (.mbz) as a new course with
// Moodle's restore controller (backup::TARGET_NEW_COURSE), the way
// admin/cli/restore_backup.php does, but keeping the archive's names.
//
// Request: {"file": "/abs/path.mbz", "shortname": "...", "fullname": "...",
//           "categoryid": int|null, "replace": [course ids]}
//
// Order, so that a failure never loses the course already on the site:
//   1. restore into a new course (Moodle names it "..._1" while the old one exists);
//   2. only then delete the courses listed in "replace" (each must still have the shortname);
//   3. give the new course the archive's shortname and fullname.
// A restore that fails deletes the half-restored course and leaves the rest as it was.
// Enrolment methods are restored from the archive (setting "enrolments" = always) unless
// the site's restore defaults lock that setting.

require(__DIR__ . '/common.php');

global $CFG, $DB, $USER;
require_once($CFG->dirroot . '/backup/util/includes/restore_includes.php');
require_once($CFG->dirroot . '/course/lib.php');

$file = (string)($rp_request['file'] ?? '');
$shortname = trim((string)($rp_request['shortname'] ?? ''));
$fullname = trim((string)($rp_request['fullname'] ?? ''));
$replace = array_map('intval', $rp_request['replace'] ?? []);
if (!is_readable($file)) {
    rp_fail("cannot read the backup file $file");
}
if ($shortname === '' || $fullname === '') {
    rp_fail('the request has no shortname or fullname');
}

// Where: the given category, else the category of the course being replaced, else the default one.
$categoryid = $rp_request['categoryid'] ?? null;
if ($categoryid === null && $replace) {
    $categoryid = $DB->get_field('course', 'category', ['id' => $replace[0]]);
}
if ($categoryid === null || $categoryid === false) {
    $categoryid = core_course_category::get_default()->id;
}
if (!$DB->record_exists('course_categories', ['id' => (int)$categoryid])) {
    rp_fail("there is no course category with id $categoryid");
}
$categoryid = (int)$categoryid;

// Nothing but the courses named in "replace" may hold the shortname, and each must still hold it.
$existing = array_column(rp_courses_named($shortname), 'id');
$unexpected = array_diff($existing, $replace);
if ($unexpected) {
    rp_fail("a course with the shortname $shortname already exists (id " . implode(', ', $unexpected) .
        '); it was not to be replaced', ['existing' => array_values($unexpected)]);
}
foreach ($replace as $oldid) {
    if (!in_array($oldid, $existing, true)) {
        rp_fail("course $oldid no longer has the shortname $shortname: nothing was changed");
    }
}

$warnings = [];
$backupdir = restore_controller::get_tempdir_name(SITEID, $USER->id);
$path = make_backup_temp_directory($backupdir);
$courseid = null;
$restoreid = null;
try {
    if (!get_file_packer('application/vnd.moodle.backup')->extract_to_pathname($file, $path)) {
        throw new moodle_exception('generalexceptionmessage', 'error', '', "cannot unpack $file");
    }
    list($tmpfull, $tmpshort) = restore_dbops::calculate_course_names(0, get_string('restoringcourse', 'backup'),
        get_string('restoringcourseshortname', 'backup'));
    $courseid = restore_dbops::create_new_course($tmpfull, $tmpshort, $categoryid);
    $rc = new restore_controller($backupdir, $courseid, backup::INTERACTIVE_NO, backup::MODE_GENERAL,
        $USER->id, backup::TARGET_NEW_COURSE);
    $restoreid = $rc->get_restoreid();
    $plan = $rc->get_plan();
    if (!$plan) {   // Not a moodle2 backup Moodle can read (destroy() would fail without a plan).
        throw new moodle_exception('generalexceptionmessage', 'error', '',
            'Moodle cannot read this file as a course backup (format: ' . $rc->get_format() . ')');
    }
    if ($plan->setting_exists('enrolments')) {
        $setting = $plan->get_setting('enrolments');
        if ($setting->get_status() == base_setting::NOT_LOCKED) {
            $setting->set_value(backup::ENROL_ALWAYS);
        } else if ($setting->get_value() != backup::ENROL_ALWAYS) {
            $warnings[] = "the site's restore defaults lock the setting 'enrolments': " .
                'the enrolment methods follow the site, not the archive';
        }
    }
    if (!$rc->execute_precheck()) {
        $precheck = $rc->get_precheck_results();
        foreach ($precheck['warnings'] ?? [] as $warning) {
            $warnings[] = 'precheck: ' . $warning;
        }
        if (!empty($precheck['errors'])) {
            $rc->destroy();
            throw new moodle_exception('generalexceptionmessage', 'error', '',
                'restore precheck failed: ' . implode('; ', $precheck['errors']));
        }
    }
    $rc->execute_plan();
    $rc->destroy();
} catch (Throwable $e) {
    $message = rp_describe($e);
    if ($courseid) {
        try {
            delete_course($courseid, false);
        } catch (Throwable $ignored) {
            $message .= " (and the half-restored course $courseid could not be deleted: " . rp_describe($ignored) . ')';
        }
    }
    if (is_dir($path)) {
        fulldelete($path);
    }
    rp_fail($message, ['warnings' => $warnings]);
}

// The restore's own warnings (Moodle writes them to backup_logs).
if ($restoreid) {
    $logs = $DB->get_records_select('backup_logs', 'backupid = ? AND loglevel <= ?', [$restoreid, backup::LOG_WARNING],
        'id', 'id, message');
    foreach ($logs as $log) {
        $warnings[] = 'restore: ' . trim($log->message);
    }
}

$replaced = [];
foreach ($replace as $oldid) {
    delete_course($oldid, false);
    $replaced[] = $oldid;
}

$course = $DB->get_record('course', ['id' => $courseid], 'id, shortname, fullname', MUST_EXIST);
if ($course->shortname !== $shortname || $course->fullname !== $fullname) {
    update_course((object)['id' => $courseid, 'shortname' => $shortname, 'fullname' => $fullname]);
}
$course = $DB->get_record('course', ['id' => $courseid], 'id, shortname, fullname, category, lang', MUST_EXIST);

rp_finish([
    'ok' => true,
    'id' => (int)$course->id,
    'shortname' => $course->shortname,
    'fullname' => $course->fullname,
    'category' => (int)$course->category,
    'lang' => $course->lang,
    'replaced' => $replaced,
    'warnings' => $warnings,
]);
