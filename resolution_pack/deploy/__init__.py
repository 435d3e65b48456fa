"""Deploy the built editions to a Moodle server, and verify what Moodle holds.

Both commands run on the Moodle server, with the site's own PHP against its
config.php: the small scripts in moodle_php/ (shipped with the package) call
Moodle's own APIs. No web server, no web service, no Moodle code copied here.
Run them as the user the site's files belong to (e.g. `sudo -u www-data`), as
for any of Moodle's admin/cli scripts, so that what Moodle writes to its data
folder stays readable by the site.

    site.py          the Moodle folder (4.5/5.0 or 5.1+ layout) and run_php()
    archives.py      the built .mbz files and the names inside them
    deployment.py    deploy: restore each edition through Moodle's restore controller
    expected.py      what the sources expect of an edition in Moodle
    checks.py        inspect.php's answer compared with it, one check per aspect
    verification.py  verify: read the courses back and report
"""
from .archives import Archive, find_archives, read_archive
from .checks import CHECKS, Held, compare, count_figures
from .deployment import Deployed, DeployOptions, deploy
from .expected import ENROLMENTS, MODNAMES, QTYPES, Expected, expect
from .site import COURSE_URL, MARKER, MIN_BRANCH, PHP_DIR, Site, open_site, run_php
from .verification import VerifyOptions, verify

__all__ = ["Archive", "CHECKS", "COURSE_URL", "Deployed", "DeployOptions", "ENROLMENTS", "Expected", "Held",
           "MARKER", "MIN_BRANCH", "MODNAMES", "PHP_DIR", "QTYPES", "Site", "VerifyOptions", "compare",
           "count_figures", "deploy", "expect", "find_archives", "open_site", "read_archive", "run_php", "verify"]
