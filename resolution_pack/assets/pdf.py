"""Project sheet PDF (first version; see below for the full one)."""
from __future__ import annotations

import datetime as _dt
from pathlib import Path

from fpdf import FPDF

from .. import model as m
from ..archive import source_date_epoch
from ..text import to_text

FONTS = Path(__file__).with_name("fonts")


def project_sheet_pdf(course: m.Course, project: m.Project) -> bytes:
    pdf = FPDF(format="A4")
    pdf.set_creation_date(_dt.datetime.fromtimestamp(source_date_epoch(), _dt.timezone.utc))
    pdf.add_font("DejaVu", "", str(FONTS / "DejaVuSans.ttf"))
    pdf.add_font("DejaVu", "B", str(FONTS / "DejaVuSans-Bold.ttf"))
    pdf.set_lang(course.lang or course.source_language)
    pdf.set_title(to_text(project.title))
    pdf.add_page()
    pdf.set_font("DejaVu", "B", 18)
    pdf.multi_cell(0, 9, to_text(project.title), new_x="LMARGIN", new_y="NEXT")
    pdf.set_font("DejaVu", "", 11)
    pdf.multi_cell(0, 6, to_text(project.description), new_x="LMARGIN", new_y="NEXT")
    return bytes(pdf.output())
