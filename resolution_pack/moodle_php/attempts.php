<?php
// resolution-pack: take every quiz of the restored courses as learners would, for
// `resolution-pack verify --attempts`, through Moodle's own question engine and quiz API.
//
// Request: {"shortnames": [...]}. For each course, two throwaway learners are created and
// enrolled through the course's own self enrolment instance (as a learner enrols herself):
// - "right" attempts every quiz and answers each question with the response the question
//   itself gives as correct (question_definition::get_correct_response()); each question's
//   fraction, the quiz grade, and (graded quizzes) the activity completion state are returned;
// - "wrong" attempts every graded quiz with responses that Moodle grades as wrong
//   (grade_response() below 1 for each question), and its grade and completion are returned.
// Afterwards both users are removed with everything they made: their attempts
// (quiz_delete_attempt), then delete_user(), then the rows delete_user() keeps (completion,
// grade history, logs). Answer: "courses": {shortname: null | {"quizzes": [...], "learners": ...}}.

require(__DIR__ . '/common.php');

global $CFG, $DB, $USER;
require_once($CFG->dirroot . '/mod/quiz/locallib.php');
require_once($CFG->dirroot . '/question/engine/lib.php');
require_once($CFG->dirroot . '/user/lib.php');
require_once($CFG->libdir . '/completionlib.php');
require_once($CFG->libdir . '/gradelib.php');

$CFG->noemailever = true;     // no welcome or notification mail for throwaway learners

/**
 * A new learner, enrolled through the course's self enrolment instance as herself.
 */
function rp_learner(stdClass $course, string $role): array {
    global $DB, $CFG;
    $instance = null;
    foreach (enrol_get_instances($course->id, true) as $candidate) {
        if ($candidate->enrol === 'self') {
            $instance = $candidate;
            break;
        }
    }
    if (!$instance || !enrol_is_enabled('self')) {
        throw new moodle_exception('generalexceptionmessage', 'error', '',
            "course {$course->shortname} has no enabled self enrolment method: learners cannot enrol");
    }
    $username = 'rp-attempts-' . $role . '-' . strtolower(random_string(10));
    $userid = user_create_user((object)['username' => $username, 'auth' => 'manual', 'confirmed' => 1,
        'mnethostid' => $CFG->mnet_localhost_id, 'firstname' => 'resolution-pack', 'lastname' => "learner ($role)",
        'email' => $username . '@example.invalid', 'password' => random_string(20) . 'Aa1!'], true, false);
    $user = $DB->get_record('user', ['id' => $userid], '*', MUST_EXIST);
    \core\session\manager::set_user($user);
    $plugin = enrol_get_plugin('self');
    $can = $plugin->can_self_enrol($instance);
    if ($can !== true) {
        throw new moodle_exception('generalexceptionmessage', 'error', '',
            "self enrolment refuses a new learner in {$course->shortname}: " . strip_tags((string)$can));
    }
    $plugin->enrol_self($instance);
    // The learner's access data ($USER->access) was read before the enrolment (can_self_enrol):
    // read it again, as the next page would after enrolling.
    reload_all_capabilities();
    return ['user' => $user, 'attempts' => []];
}

/**
 * Values a response variable may take, for responses Moodle grades as wrong.
 */
function rp_alternatives(question_definition $q, string $name, $value): array {
    $type = $q->get_type_name();
    if ($type === 'ordering') {
        $items = explode(',', (string)$value);
        return count($items) > 1 ? [implode(',', array_merge(array_slice($items, 1), [$items[0]]))] : [];
    }
    if ($type === 'shortanswer') {
        return ['resolution-pack: not the answer'];
    }
    if ($type === 'truefalse' || preg_match('/^choice\d+$/', $name)) {
        return [(int)!$value];
    }
    if ($type === 'multichoice') {
        return array_keys($q->answers ? array_fill(0, count($q->answers), 0) : []);
    }
    if ($type === 'match') {
        return range(1, count($q->choices));
    }
    if (in_array($type, ['gapselect', 'ddwtos'], true) && preg_match('/^p(\d+)$/', $name, $m)) {
        return range(1, count($q->choices[$q->places[(int)$m[1]]] ?? []));
    }
    return [];
}

/**
 * A response to the question that Moodle grades lower than right, as low as it goes.
 */
function rp_wrong_response(question_definition $q, array $right): array {
    $response = $right;
    [$best] = $q->grade_response($response);
    foreach ($right as $name => $value) {
        foreach (rp_alternatives($q, $name, $value) as $alternative) {
            if ((string)$alternative === (string)$value) {
                continue;
            }
            $try = $response;
            $try[$name] = $alternative;
            [$fraction] = $q->grade_response($try);
            if ($fraction < $best) {
                [$response, $best] = [$try, $fraction];
            }
            if ($best <= 0) {
                break;
            }
        }
    }
    return $best < 1 ? $response : [];
}

/**
 * One attempt at the quiz as this learner, every question answered right or wrong.
 */
function rp_attempt(stdClass $cm, array &$learner, bool $right): array {
    global $DB;
    $user = $learner['user'];
    \core\session\manager::set_user($user);
    $quizobj = \mod_quiz\quiz_settings::create($cm->instance, $user->id);
    if (!has_capability('mod/quiz:attempt', $quizobj->get_context(), $user)) {
        return ['error' => 'the enrolled learner may not attempt this quiz'];
    }
    $number = $DB->count_records('quiz_attempts', ['quiz' => $cm->instance, 'userid' => $user->id]) + 1;
    $attempt = quiz_prepare_and_start_new_attempt($quizobj, $number, null, false, [], [], $user->id);
    $learner['attempts'][] = $attempt;
    // The responses go straight to the question engine (the quiz API takes only a form's post data).
    $quba = question_engine::load_questions_usage_by_activity($attempt->uniqueid);
    $wrongnotfound = [];
    foreach ($quba->get_slots() as $slot) {
        $question = $quba->get_question($slot);
        $response = $question->get_correct_response();
        if (!$right) {
            $response = rp_wrong_response($question, $response);
            if (!$response) {
                $wrongnotfound[] = $slot;
            }
        }
        if ($response) {
            $quba->process_action($slot, $response);
        }
    }
    question_engine::save_questions_usage_by_activity($quba);
    $attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
    $now = time();
    if (method_exists($attemptobj, 'process_submit')) {       // Moodle 5.0+
        $attemptobj->process_submit($now, false);
        $attemptobj->process_grade_submission($now);
    } else {
        $attemptobj->process_finish($now, false);
    }
    $attemptobj = \mod_quiz\quiz_attempt::create($attempt->id);
    $quba = question_engine::load_questions_usage_by_activity($attempt->uniqueid);
    $questions = [];
    foreach ($quba->get_slots() as $slot) {
        $qa = $quba->get_question_attempt($slot);
        $questions[] = ['slot' => (int)$slot, 'idnumber' => (string)($qa->get_question()->idnumber ?? ''),
            'qtype' => $qa->get_question()->get_type_name(), 'fraction' => $qa->get_fraction(),
            'mark' => $qa->get_mark(), 'maxmark' => (float)$qa->get_max_mark(), 'state' => (string)$qa->get_state()];
    }
    $quiz = $quizobj->get_quiz();
    $record = $attemptobj->get_attempt();
    $grade = quiz_rescale_grade((float)$record->sumgrades, $quiz, false);
    $completion = new completion_info(get_course($cm->course));
    $state = $completion->is_enabled($cm) ? (int)$completion->get_data($cm, false, $user->id)->completionstate : null;
    return ['state' => $record->state, 'sumgrades' => (float)$record->sumgrades, 'grade' => (float)$grade,
        'completionstate' => $state, 'questions' => $questions, 'no_wrong_response' => $wrongnotfound];
}

/**
 * Remove the learner and everything it made.
 */
function rp_remove(array $learner, int $courseid): array {
    global $DB;
    foreach ($learner['attempts'] as $attempt) {
        $quiz = $DB->get_record('quiz', ['id' => $attempt->quiz]);
        $row = $DB->get_record('quiz_attempts', ['id' => $attempt->id]);
        if ($quiz && $row) {
            quiz_delete_attempt($row, $quiz);
        }
    }
    $userid = (int)$learner['user']->id;
    delete_user($DB->get_record('user', ['id' => $userid], '*', MUST_EXIST));
    $dbman = $DB->get_manager();
    $left = [];
    foreach (['course_modules_completion' => 'userid', 'course_modules_viewed' => 'userid',
              'course_completions' => 'userid', 'course_completion_crit_compl' => 'userid',
              'grade_grades_history' => 'userid', 'quiz_grades' => 'userid', 'quiz_attempts' => 'userid',
              'logstore_standard_log' => 'userid'] as $table => $field) {
        if ($dbman->table_exists($table)) {
            $DB->delete_records($table, [$field => $userid]);
            $left[$table] = $DB->count_records($table, [$field => $userid]);
        }
    }
    if ($dbman->table_exists('logstore_standard_log')) {
        $DB->delete_records('logstore_standard_log', ['relateduserid' => $userid]);
    }
    return ['userid' => $userid, 'deleted' => (int)$DB->get_field('user', 'deleted', ['id' => $userid]),
        'rows_left' => array_sum($left)];
}

function rp_take_course(stdClass $course): array {
    global $DB;
    $modinfo = get_fast_modinfo($course);
    $learners = [];
    $out = ['quizzes' => []];
    try {
        $learners['right'] = rp_learner($course, 'right');
        $learners['wrong'] = rp_learner($course, 'wrong');
        foreach ($modinfo->get_instances_of('quiz') as $cm) {
            $quiz = $DB->get_record('quiz', ['id' => $cm->instance], 'id, name, grade, sumgrades', MUST_EXIST);
            $item = grade_item::fetch(['courseid' => $course->id, 'itemtype' => 'mod', 'itemmodule' => 'quiz',
                'iteminstance' => $quiz->id, 'itemnumber' => 0]);
            $graded = (float)$quiz->grade > 0 && $item;
            $entry = ['cmid' => (int)$cm->id, 'idnumber' => (string)$cm->idnumber, 'name' => $quiz->name,
                'graded' => (bool)$graded, 'grademax' => $item ? (float)$item->grademax : 0.0,
                'gradepass' => $item ? (float)$item->gradepass : 0.0,
                'completionpassgrade' => (int)$DB->get_field('course_modules', 'completionpassgrade', ['id' => $cm->id]),
                'right' => rp_attempt($cm->get_course_module_record(), $learners['right'], true)];
            if ($graded) {
                $entry['wrong'] = rp_attempt($cm->get_course_module_record(), $learners['wrong'], false);
            }
            $out['quizzes'][] = $entry;
        }
    } catch (Throwable $e) {
        $out['error'] = rp_describe($e);      // the course cannot be taken: a difference, not a crash
    } finally {
        $out['learners'] = [];
        foreach ($learners as $role => $learner) {
            $out['learners'][$role] = rp_remove($learner, (int)$course->id);
        }
    }
    return $out;
}

$courses = [];
$admin = $USER;
foreach ($rp_request['shortnames'] ?? [] as $shortname) {
    $found = rp_courses_named((string)$shortname);
    if (!$found) {
        $courses[$shortname] = null;
        continue;
    }
    $courses[$shortname] = rp_take_course(get_course($found[0]['id']));
    \core\session\manager::set_user($admin);
}

rp_finish([
    'ok' => true,
    'release' => $CFG->release,
    'completion_states' => ['incomplete' => COMPLETION_INCOMPLETE, 'complete' => COMPLETION_COMPLETE,
        'pass' => COMPLETION_COMPLETE_PASS, 'fail' => COMPLETION_COMPLETE_FAIL],
    'courses' => (object)$courses,
]);
