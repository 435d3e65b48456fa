"""resolution-pack: compile course sources into Moodle and SCORM archives."""

__version__ = "0.1.0"
