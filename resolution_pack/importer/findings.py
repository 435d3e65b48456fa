"""What an import could not take over, or changed on the way: each finding
names the edition, the place (section, position, title) and what it is, so
that the import report says where to look. Nothing is dropped without one."""
from __future__ import annotations

from dataclasses import dataclass, field

# kinds of findings, in the order the report lists them
UNSUPPORTED = "not imported"        # an activity, question type, block... the format has no place for
SIMPLIFIED = "simplified"           # imported, but part of it could not be kept (markup, settings)
UNALIGNED = "not aligned"           # in one language but not matched in another: left out of its PO file
NOTE = "note"                       # a decision the import made that the user may want to revisit
KINDS = (UNSUPPORTED, SIMPLIFIED, UNALIGNED, NOTE)


@dataclass(frozen=True, order=True)
class Finding:
    kind: str
    what: str               # "activity lesson", "question type essay", "<table> flattened"...
    edition: str = ""       # language of the backup
    where: str = ""         # "section 3 'Évaluation', position 2 'Leçon'"

    def line(self) -> str:
        place = ", ".join(x for x in (self.edition, self.where) if x)
        return f"{self.what}" + (f" ({place})" if place else "")


@dataclass
class Findings:
    items: list = field(default_factory=list)

    def add(self, kind: str, what: str, edition: str = "", where: str = "") -> None:
        self.items.append(Finding(kind, what, edition, where))

    def extend(self, other: "Findings") -> None:
        self.items.extend(other.items)

    def of(self, kind: str) -> list[Finding]:
        return [f for f in self.items if f.kind == kind]

    def __len__(self) -> int:
        return len(self.items)


def place(section_number: int | None = None, section_title: str = "", position: int | None = None,
          title: str = "") -> str:
    """'section 3 «Évaluation», position 2 «Leçon»'."""
    bits = []
    if section_number is not None:
        bits.append(f"section {section_number}" + (f" «{section_title}»" if section_title else ""))
    if position is not None:
        bits.append(f"position {position}" + (f" «{title}»" if title else ""))
    elif title:
        bits.append(f"«{title}»")
    return ", ".join(bits)
