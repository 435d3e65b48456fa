"""The source model's digest (cache.model_digest): what decides whether an
edition is rebuilt. It is hashed as the model is walked, in chunks; the
digest must be that of the whole text, so that the manifests of earlier
builds still name their archives up to date."""
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

from resolution_pack import cache
from resolution_pack.load import load

from conftest import edit


@dataclass
class Item:
    text: str
    src: tuple = ()
    children: list = field(default_factory=list)


def whole(obj) -> str:
    return hashlib.sha256(cache.stable_repr(obj).encode()).hexdigest()


def test_the_digest_of_a_model_of_many_chunks_is_that_of_its_whole_text():
    model = [Item(f"é {i}", src=(i,), children=[Item("x"), {"k": i}]) for i in range(5000)]
    assert len(cache.stable_repr(model)) > 100_000
    assert cache.model_digest(model) == whole(model)
    assert cache.model_digest([]) == hashlib.sha256(b"[]").hexdigest()


def test_the_mini_course_s_digest_changes_with_a_text_not_with_a_line_number(mini: Path):
    before = cache.model_digest(load(mini))
    assert before == whole(load(mini))
    edit(mini / "sections" / "home.yaml", "title: Annonces", "title: Nouvelles")
    changed = cache.model_digest(load(mini))
    assert changed != before
    text = (mini / "sections" / "home.yaml").read_text("utf-8")
    (mini / "sections" / "home.yaml").write_text("# a comment\n" + text, "utf-8")
    assert cache.model_digest(load(mini)) == changed
