"""Import: Moodle course backups back into sources and PO files (the
pipeline backwards). See docs/import.md."""
