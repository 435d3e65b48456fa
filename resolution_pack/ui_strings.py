"""Interface strings: the one set of defaults every target uses (the Moodle
backup, the PDF sheets and diagrams, the SCORM packages, and any new one),
through Course.text().

A course's ui.yaml gives the real texts, translated through its PO files;
these English defaults show only for a key its ui.yaml lacks (a new key, or
a course that has no ui.yaml). What belongs to one course (its platform's
name, its funding notice) has no default."""
from __future__ import annotations

DEFAULTS = {
    # project sheets (toolbox) and tutorials
    "description": "Description", "implementation": "Implementation", "download_pdf": "Download the PDF sheet",
    "mindmap": "Mind map", "timeline": "Timeline", "orgchart": "Organisation chart of the actors",
    "relations": "Relations between the actors", "testimonials": "Testimonials", "beneficiary": "Beneficiary",
    "key_figures": "Key figures", "contacts": "Contacts", "audience": "Target audience", "partner": "Lead organisation",
    "country": "Country", "city": "City", "videos": "Videos",
    # videos
    "subtitles_label": "Subtitles", "video_fallback": "Your browser cannot play this video: download it instead.",
    "transcript": "Transcript", "download_video": "Download the video",
    # MOOC
    "objectives": "Learning objectives", "activities": "Activities", "evaluation": "Validation test",
    "documents": "Document bank", "lesson": "Lesson", "page_of": "Page {n} of {total}",
    "question_of": "Question {n} of {total}", "question_bank": "Question bank",
    # buttons
    "check": "Check", "next": "Next", "previous": "Previous", "retry": "Try again", "submit_test": "Submit test",
    "start": "Start", "move_up": "Move up", "move_down": "Move down", "resume": "Resume where you left off",
    # questions and results
    "correct": "Correct", "incorrect": "Incorrect", "partially_correct": "Partially correct",
    "your_score": "Your score: {score}%", "passed": "Passed", "failed": "Not passed",
    "pass_mark": "Pass mark: {percent}%", "drag_hint": "Drag each label into the right box.",
    "order_hint": "Use the arrows to reorder", "select_placeholder": "Choose…", "true": "True", "false": "False",
    "gap": "Gap {n}", "position_of": "Position {n} of {total}",
    "hint_try_again": "Not quite yet: read the question again and try once more.",
    "no_lms": "No learning platform (LMS) detected: your progress will not be saved.",
    # photo-stories and recipes
    "speaker_says": "{speaker}:", "ingredients": "Ingredients", "steps": "Method", "tips": "Tips",
    # overall feedback of a validation test
    "feedback_passed": "Well done: you have passed this part.",
    "feedback_not_yet": "Not yet: you need at least {percent}% to pass this part. Watch these videos again, "
                        "then retake the test:",
    # names in the Moodle course
    "sheet_pdf": "{title} (PDF sheet)", "name_in_group": "{name} – {group}",
    "project_overview": "The project at a glance",
    # SCORM player
    "pass_kept": "Your earlier pass ({score}%) stays recorded.",
    "not_recorded": "Review mode: you are looking at a finished attempt; nothing you do here is recorded.",
    "pager": "Pages",
    # one course's own: none
    "platform_name": "", "erasmus_notice": "", "reconstructed_notice": "",
}
