"""The languages the toolkit knows by name: the one table of them."""
from __future__ import annotations

_TWO_FORMS = "nplurals=2; plural=(n != 1);"

# code: (English name, the language's own name, gettext's Plural-Forms)
LANGUAGES = {
    "fr": ("French", "Français", "nplurals=2; plural=(n > 1);"),
    "en": ("English", "English", _TWO_FORMS),
    "es": ("Spanish", "Español", _TWO_FORMS),
    "ca": ("Catalan", "Català", _TWO_FORMS),
    "it": ("Italian", "Italiano", _TWO_FORMS),
    "hu": ("Hungarian", "Magyar", _TWO_FORMS),
    "de": ("German", "Deutsch", _TWO_FORMS),
    "nl": ("Dutch", "Nederlands", _TWO_FORMS),
    "pt": ("Portuguese", "Português", _TWO_FORMS),
}


def _base(code: str) -> str:
    return (code or "").replace("-", "_").split("_")[0].lower()


def english_name(code: str) -> str:
    """'Hungarian' for hu; the code itself for a language not in the table."""
    return LANGUAGES[_base(code)][0] if _base(code) in LANGUAGES else code


def own_name(code: str) -> str:
    """'Magyar' for hu (what a learner picks from); '' if not in the table."""
    return LANGUAGES[_base(code)][1] if _base(code) in LANGUAGES else ""


def plural_forms(code: str) -> str:
    return LANGUAGES[_base(code)][2] if _base(code) in LANGUAGES else _TWO_FORMS
