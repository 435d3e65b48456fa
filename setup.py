"""Ship the top-level templates/ and schemas/ folders inside the wheel.

They live at the repository root (where editors of the course look for
them) and are copied into resolution_pack/_data/ at build time, so that a
plain `pip install .` finds them without the source tree.
"""
import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).parent
SHIPPED = ("templates", "schemas")


class BuildWithData(build_py):
    def run(self):
        super().run()
        target = Path(self.build_lib) / "resolution_pack" / "_data"
        for name in SHIPPED:
            dest = target / name
            if dest.exists():
                shutil.rmtree(dest)
            shutil.copytree(ROOT / name, dest, ignore=shutil.ignore_patterns("__pycache__"))   # compiled templates of a checkout


# setuptools' own build folder must not be build/, the course output folder
setup(cmdclass={"build_py": BuildWithData}, options={"build": {"build_base": ".setuptools-build"}})
