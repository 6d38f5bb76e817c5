"""Company-name normalization for matching records across systems and languages.

``name_key`` is what two records must share to be the same company by name: case, width,
punctuation and legal forms removed. Branch marks are kept apart (a branch is not its HQ).
"""

from __future__ import annotations

import re
import unicodedata

#: "X Inc. (f/k/a Y Inc.)", "X d/b/a Y": the name before the former or trade name counts.
_ALIAS = re.compile(
    r"[\(\[,]?\s*\b(?:f\s*/\s*k\s*/\s*a|a\s*/\s*k\s*/\s*a|d\s*/\s*b\s*/\s*a|"
    r"formerly known as|formerly)\b.*$"
)
_LEGAL_FORMS_CJK = (
    "股份有限公司",
    "有限责任公司",
    "有限責任公司",
    "股份有限公司",
    "有限公司",
    "集团公司",
    "集團公司",
    "集团",
    "集團",
    "公司",
)
_BRANCH_MARKS_CJK = ("分公司", "分行", "办事处", "辦事處", "分部")
_LEGAL_FORMS_LATIN = {
    "inc",
    "incorporated",
    "ltd",
    "limited",
    "llc",
    "llp",
    "lp",
    "plc",
    "corp",
    "corporation",
    "co",
    "company",
    "gmbh",
    "ag",
    "kg",
    "se",
    "sa",
    "spa",
    "srl",
    "sarl",
    "sas",
    "bv",
    "nv",
    "oy",
    "oyj",
    "ab",
    "as",
    "asa",
    "aps",
    "kk",
    "pte",
    "pty",
    "holding",
    "holdings",
    "group",
    "the",
    "mbh",
    "cokg",
    "ltda",
    "lda",
    "slu",
    "sl",
    "sau",
    "pvt",
    "private",
    "proprietary",
    "kft",
    "sro",
    "spzoo",
    "bhd",
}
_MULTIWORD = (
    # Dotted abbreviations ("L.L.C.", "S.à r.l.") become spaced letters; longest first.
    ("gesellschaft m b h", "gmbh"),
    ("sp z o o", "spzoo"),
    ("and co kg", "cokg"),
    ("s a r l", "sarl"),
    ("s a s", "sas"),
    ("s a u", "sau"),
    ("s l u", "slu"),
    ("l l c", "llc"),
    ("l l p", "llp"),
    ("p l c", "plc"),
    ("s r o", "sro"),
    ("l p", "lp"),
    ("m b h", "mbh"),
    ("s a", "sa"),
    ("s p a", "spa"),
    ("s r l", "srl"),
    ("b v", "bv"),
    ("n v", "nv"),
    ("co kg", "cokg"),
)


def is_branch_name(name: str) -> bool:
    """Whether the name marks a branch (分公司, ... Branch)."""
    folded = unicodedata.normalize("NFKC", name).strip()
    if any(folded.endswith(mark) or mark + "(" in folded for mark in _BRANCH_MARKS_CJK):
        return True
    return bool(re.search(r"\bbranch\b", folded, re.IGNORECASE))


def name_key(name: str) -> str:
    """A comparison key: NFKC, casefold, punctuation and legal forms stripped; idempotent."""
    s = unicodedata.normalize("NFKC", name).casefold()
    unaliased = _ALIAS.sub("", s).strip()
    if re.search(r"\w", unaliased):
        s = unaliased
    s = s.replace("&", " and ")
    s = re.sub(r"[\(\)（）\[\]【】]", " ", s)
    for mark in _BRANCH_MARKS_CJK:
        s = s.replace(mark, " branch ")
    s = re.sub(r"gesellschaft mit beschränkter haftung|aktiengesellschaft", " ", s)
    # Remove CJK legal forms at the end (repeatedly: 集团有限公司 -> strip 有限公司 then 集团).
    changed = True
    while changed:
        changed = False
        stripped = s.strip()
        for form in _LEGAL_FORMS_CJK:
            if stripped.endswith(form) and len(stripped) > len(form):
                s = stripped[: -len(form)]
                changed = True
                break
    s = re.sub(r"[^\w]+", " ", s)
    s = s.replace("_", " ")
    for spaced, joined in _MULTIWORD:
        s = re.sub(rf"\b{spaced}\b", joined, s)
    words = [w for w in s.split() if w]
    while len(words) > 1 and words[-1] in _LEGAL_FORMS_LATIN:
        words.pop()
    while len(words) > 1 and words[0] == "the":
        words.pop(0)
    key = " ".join(words)
    return key if key == name else _settle(key)


def _settle(key: str) -> str:
    """Apply the normalization until it no longer changes the key (makes it idempotent)."""
    for _ in range(5):
        again = name_key(key) if key else key
        if again == key:
            return key
        key = again
    return key
