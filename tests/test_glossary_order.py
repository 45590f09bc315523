"""Glossaries sort as readers of each language expect."""

from __future__ import annotations

from course.render.packs import _collation


def test_french_order_folds_accents_and_case() -> None:
    words = ["Élus", "ecole", "Zone", "été", "abandon", "Coproduction", "côte", "cote",
             "Éthique"]
    assert sorted(words, key=_collation("fr")) == [
        "abandon", "Coproduction", "cote", "côte", "ecole", "Élus", "été", "Éthique", "Zone"]


def test_arabic_order_ignores_the_article() -> None:
    words = ["الوقاية", "شراكة", "الأمن", "تواصل"]
    assert sorted(words, key=_collation("ar")) == ["الأمن", "تواصل", "شراكة", "الوقاية"]
