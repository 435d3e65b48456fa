<?php
// resolution-pack: read restored courses back for `resolution-pack verify`. Reads only.
// Request: {"shortnames": [...]}. Answer: "courses": {shortname: null | course}, where a
// course holds its record, sections (with their modules in order, by idnumber and cmid),
// modules (idnumber, type), quizzes (grade, grade item, slots with each question's type,
// bank idnumber and the bank that holds it), question banks (Moodle 5.x: qbank modules),
// files (course context and its children, directories left out, with the module or
// question each belongs to and whether its content is in the file store), the content of
// its pages, and its enrolment methods.

require(__DIR__ . '/common.php');

global $CFG, $DB;
require_once($CFG->libdir . '/gradelib.php');
require_once($CFG->dirroot . '/course/lib.php');

/**
 * The question a quiz slot uses: the version it names, else the latest ready one.
 */
function rp_slot_question(int $contextid, int $slotid): array {
    global $DB;
    $ref = $DB->get_record('question_references', ['usingcontextid' => $contextid, 'component' => 'mod_quiz',
        'questionarea' => 'slot', 'itemid' => $slotid]);
    if (!$ref) {
        $random = $DB->record_exists('question_set_references', ['usingcontextid' => $contextid,
            'component' => 'mod_quiz', 'questionarea' => 'slot', 'itemid' => $slotid]);
        return ['qtype' => $random ? 'random' : 'missing', 'idnumber' => null, 'questionid' => null, 'bank' => null];
    }
    $params = [$ref->questionbankentryid];
    $where = 'qv.questionbankentryid = ?';
    if ($ref->version) {
        $where .= ' AND qv.version = ?';
        $params[] = $ref->version;
    }
    $rows = $DB->get_records_sql("SELECT q.id, q.qtype, qbe.idnumber, qc.contextid
                                    FROM {question_versions} qv
                                    JOIN {question} q ON q.id = qv.questionid
                                    JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
                                    JOIN {question_categories} qc ON qc.id = qbe.questioncategoryid
                                   WHERE $where
                                ORDER BY CASE WHEN qv.status = 'ready' THEN 0 ELSE 1 END, qv.version DESC",
        $params, 0, 1);
    if (!$rows) {
        return ['qtype' => 'missing', 'idnumber' => null, 'questionid' => null, 'bank' => null];
    }
    $q = reset($rows);
    return ['qtype' => $q->qtype, 'idnumber' => $q->idnumber, 'questionid' => (int)$q->id,
        'bank' => rp_bank((int)$q->contextid)];
}

/**
 * Where a question category lives: "course:<id>" (Moodle 4.x course bank), "module:<cmid>"
 * (a qbank or other module of 5.x), "system", "category:<id>".
 */
function rp_bank(int $contextid): string {
    $context = context::instance_by_id($contextid, IGNORE_MISSING);
    if (!$context) {
        return "missing:$contextid";
    }
    $level = [CONTEXT_SYSTEM => 'system', CONTEXT_COURSECAT => 'category', CONTEXT_COURSE => 'course',
        CONTEXT_MODULE => 'module'][$context->contextlevel] ?? (string)$context->contextlevel;
    return $level === 'system' ? 'system' : $level . ':' . $context->instanceid;
}

function rp_inspect(stdClass $course): array {
    global $DB;
    $context = context_course::instance($course->id);
    $modinfo = get_fast_modinfo($course);
    $out = [
        'id' => (int)$course->id, 'shortname' => $course->shortname, 'fullname' => $course->fullname,
        'category' => (int)$course->category, 'lang' => (string)$course->lang, 'format' => $course->format,
        'visible' => (int)$course->visible,
    ];

    $cmidnumbers = [];
    $out['modules'] = [];
    foreach ($modinfo->get_cms() as $cm) {
        $cmidnumbers[$cm->id] = (string)$cm->idnumber;
        $out['modules'][] = ['cmid' => (int)$cm->id, 'idnumber' => (string)$cm->idnumber, 'modname' => $cm->modname,
            'section' => (int)$cm->sectionnum, 'name' => $cm->name, 'visible' => (int)$cm->visible];
    }
    $out['sections'] = [];
    foreach ($modinfo->get_section_info_all() as $section) {
        $cmids = $modinfo->sections[$section->section] ?? [];
        $out['sections'][] = ['number' => (int)$section->section, 'name' => (string)$section->name,
            'visible' => (int)$section->visible,
            'modules' => array_map(fn($id) => $cmidnumbers[$id] ?? '', array_values($cmids)),
            'cmids' => array_map('intval', array_values($cmids))];
    }

    // Moodle 5.x keeps questions in qbank modules (hidden, never shown on the course page).
    $out['question_banks'] = [];
    if (core_component::get_component_directory('mod_qbank')) {
        foreach ($modinfo->get_instances_of('qbank') as $cm) {
            $bank = $DB->get_record('qbank', ['id' => $cm->instance], 'id, name, type', MUST_EXIST);
            $out['question_banks'][] = ['cmid' => (int)$cm->id, 'name' => $bank->name, 'type' => $bank->type,
                'section' => (int)$cm->sectionnum, 'visible' => (int)$cm->visible,
                'categories' => $DB->count_records('question_categories', ['contextid' => $cm->context->id])];
        }
    }

    $out['quizzes'] = [];
    foreach ($modinfo->get_instances_of('quiz') as $cm) {
        $quiz = $DB->get_record('quiz', ['id' => $cm->instance], '*', MUST_EXIST);
        $item = grade_item::fetch(['courseid' => $course->id, 'itemtype' => 'mod', 'itemmodule' => 'quiz',
            'iteminstance' => $quiz->id, 'itemnumber' => 0]);
        $slots = [];
        $quizcontext = context_module::instance($cm->id);
        foreach ($DB->get_records('quiz_slots', ['quizid' => $quiz->id], 'slot') as $slot) {
            $slots[] = ['slot' => (int)$slot->slot, 'maxmark' => (float)$slot->maxmark]
                + rp_slot_question((int)$quizcontext->id, (int)$slot->id);
        }
        $cmrecord = $DB->get_record('course_modules', ['id' => $cm->id], 'id, completion, completionpassgrade');
        $out['quizzes'][] = [
            'cmid' => (int)$cm->id, 'idnumber' => (string)$cm->idnumber, 'name' => $quiz->name,
            'grade' => (float)$quiz->grade, 'sumgrades' => (float)$quiz->sumgrades,
            'preferredbehaviour' => $quiz->preferredbehaviour,
            'gradeitem' => $item ? ['gradetype' => (int)$item->gradetype, 'grademax' => (float)$item->grademax,
                'gradepass' => (float)$item->gradepass] : null,
            'completion' => (int)$cmrecord->completion, 'completionpassgrade' => (int)$cmrecord->completionpassgrade,
            'slots' => $slots,
        ];
    }

    // Files of the course context and of every context below it, directories left out.
    $fs = get_file_storage();
    $filesystem = $fs->get_file_system();
    $like = $DB->sql_like('ctx.path', ':pathlike');
    $sql = "SELECT f.*, ctx.contextlevel, ctx.instanceid
              FROM {files} f
              JOIN {context} ctx ON ctx.id = f.contextid
             WHERE (ctx.id = :ctxid OR $like) AND f.filename <> '.'
          ORDER BY f.contextid, f.component, f.filearea, f.itemid, f.filepath, f.filename";
    $out['files'] = [];
    $rs = $DB->get_recordset_sql($sql, ['ctxid' => $context->id, 'pathlike' => $context->path . '/%']);
    foreach ($rs as $record) {
        $level = (int)$record->contextlevel;
        $instance = (int)$record->instanceid;
        unset($record->contextlevel, $record->instanceid);
        $stored = $fs->get_file_instance($record);
        $question = null;
        if ($record->component === 'question') {
            $question = $DB->get_field_sql('SELECT qbe.idnumber FROM {question_versions} qv
                                              JOIN {question_bank_entries} qbe ON qbe.id = qv.questionbankentryid
                                             WHERE qv.questionid = ?', [$record->itemid]);
        }
        $out['files'][] = [
            'module' => $level == CONTEXT_MODULE ? ($cmidnumbers[$instance] ?? "cmid:$instance") : null,
            'question' => $question === false ? null : $question,
            'component' => $record->component, 'filearea' => $record->filearea, 'itemid' => (int)$record->itemid,
            'filepath' => $record->filepath, 'filename' => $record->filename, 'filesize' => (int)$record->filesize,
            'contenthash' => $record->contenthash,
            'readable' => $filesystem->is_file_readable_locally_by_storedfile($stored),
        ];
    }
    $rs->close();

    $out['pages'] = [];
    foreach ($modinfo->get_instances_of('page') as $cm) {
        $content = $DB->get_field('page', 'content', ['id' => $cm->instance]);
        $out['pages'][] = ['idnumber' => (string)$cm->idnumber, 'content' => (string)$content];
    }

    $out['enrolments'] = [];
    foreach ($DB->get_records('enrol', ['courseid' => $course->id], 'sortorder, id') as $enrol) {
        $out['enrolments'][] = ['enrol' => $enrol->enrol,
            'status' => $enrol->status == ENROL_INSTANCE_ENABLED ? 'enabled' : 'disabled',
            'enabled_on_site' => enrol_is_enabled($enrol->enrol), 'roleid' => (int)$enrol->roleid];
    }
    return $out;
}

$courses = [];
foreach ($rp_request['shortnames'] ?? [] as $shortname) {
    $found = rp_courses_named((string)$shortname);
    if (!$found) {
        $courses[$shortname] = null;
        continue;
    }
    $course = get_course($found[0]['id']);
    $courses[$shortname] = rp_inspect($course) + ['same_shortname' => array_column($found, 'id')];
}

rp_finish([
    'ok' => true,
    'release' => $CFG->release,
    'languages' => array_keys(get_string_manager()->get_list_of_translations()),
    'courses' => (object)$courses,
]);
