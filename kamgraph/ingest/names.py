"""Company-name normalization for matching records across systems and languages.

``name_key`` is what two records must share to be the same company by name: case, width,
accents, punctuation and legal forms (ISO 20275, see :mod:`kamgraph.ingest.legal_forms`)
removed. Branch marks are kept apart (a branch is not its HQ).
"""

from __future__ import annotations

import functools
import re
import unicodedata

from kamgraph.ingest.legal_forms import GLUED as _GLUED
from kamgraph.ingest.legal_forms import LegalForms, fold, legal_forms

#: "X Inc. (f/k/a Y Inc.)", "X d/b/a Y": the name before the former or trade name counts.
_ALIAS = re.compile(
    r"[\(\[,]?\s*\b(?:f\s*/\s*k\s*/\s*a|a\s*/\s*k\s*/\s*a|d\s*/\s*b\s*/\s*a|"
    r"formerly known as|formerly)\b.*$"
)
_BRANCH_MARKS_CJK = ("分公司", "分行", "办事处", "辦事處", "分部")


def is_branch_name(name: str) -> bool:
    """Whether the name marks a branch (分公司, ... Branch)."""
    folded = unicodedata.normalize("NFKC", name).strip()
    if any(folded.endswith(mark) or mark + "(" in folded for mark in _BRANCH_MARKS_CJK):
        return True
    return bool(re.search(r"\bbranch\b", folded, re.IGNORECASE))


@functools.lru_cache(maxsize=1 << 16)
def name_key(name: str) -> str:
    """A comparison key: folded (see :func:`legal_forms.fold`), former names and the legal forms
    of every country (ISO 20275 ELF list, prefixes and suffixes, all scripts) removed; idempotent.

    Cached: ingest computes it for every company row, and lists repeat names.
    """
    s = unicodedata.normalize("NFKC", name).casefold()
    unaliased = _ALIAS.sub("", s).strip()
    if re.search(r"\w", unaliased):
        s = unaliased
    for mark in _BRANCH_MARKS_CJK:
        s = s.replace(mark, " branch ")
    words = fold(s).split()
    forms = legal_forms()
    # Each pass only removes letters or spaces, so this ends; refolding joins single letters
    # that stripping brought together, which keeps the key idempotent.
    while True:
        before = words
        words = fold(" ".join(_strip_prefixes(_strip_suffixes(words, forms), forms))).split()
        if words == before:
            return " ".join(words)


def legal_name_key(name: str) -> str:
    """The legal name as registers compare it: folded, legal forms kept ("Lincoln Global, Inc."
    and "Lincoln Global Holdings LLC" differ here, not in :func:`name_key`)."""
    return fold(name)


def _strip_suffixes(words: list[str], forms: LegalForms) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in range(min(forms.longest, len(words) - 1), 0, -1):
            if tuple(words[-n:]) in forms.suffixes:
                words = words[:-n]
                changed = True
                break
    if words and not words[-1].isascii() and _GLUED.search(words[-1]):
        last = words[-1]
        for form in forms.glued_suffixes:
            if last.endswith(form) and len(last) > len(form):
                words = [*words[:-1], last[: -len(form)]]
                break
    return words


def _strip_prefixes(words: list[str], forms: LegalForms) -> list[str]:
    changed = True
    while changed and len(words) > 1:
        changed = False
        for n in range(min(forms.longest, len(words) - 1), 0, -1):
            if tuple(words[:n]) in forms.prefixes:
                words = words[n:]
                changed = True
                break
    if words and not words[0].isascii() and _GLUED.search(words[0]):
        first = words[0]
        for form in forms.glued_prefixes:
            if first.startswith(form) and len(first) > len(form):
                words = [first[len(form) :], *words[1:]]
                break
    return words
