"""The legal forms company names carry, from the ISO 20275 ELF list and kamgraph's extras.

Reads ``kamgraph/data/elf-code-list.csv`` (GLEIF, CC0) and ``legal-form-extras.csv`` once and
gives :func:`kamgraph.ingest.names.name_key` the forms as folded word sequences: which may end a
name (suffixes, all countries), which may start one (prefixes: the countries whose companies
write the form first, ООО Газпром, PT Astra, 株式会社日立), and the CJK forms written without a
space (トヨタ自動車株式会社). See kamgraph/data/README.md for the sources.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from dataclasses import dataclass

from kamgraph.ingest.datafiles import read_table

#: Countries whose companies write the legal form before the name.
PREFIX_COUNTRIES = frozenset(
    "RU BY KZ UA UZ KG TJ AM AZ GE MD MN ID JP KR KP CN TW HK MO VN TH".split()
)
#: Words of ELF form names that are ordinary words of company names too ("Savings Bank",
#: "Business Trust"): a form name holding one is not stripped.
GENERIC_WORDS = frozenset(
    "bank banca banco banque trust fund fonds fondo union railroad municipal municipality "
    "church government state county city school university hospital insurance savings credit "
    "mutual fair authority other entity business pension investment foundation stiftung "
    "fondation fundacion fundacao association asociacion associazione verein society club "
    "party council commune community agency office branch public".split()
)
#: Two-letter forms that are stripped; ELF's others (EU, HU, JP, II, ...) read as parts of names.
SHORT_FORMS = frozenset(
    "ab ad ag as bv cv dd eg ek ev gp hb hf kb kd kg ks ky lp nv oy pt sa se sl sp ад ао".split()
)
#: English forms of Hong Kong and others that never start a name.
NOT_PREFIXES = frozenset("limited ltd lp up ultd unltd".split())
#: Form names longer than this (in words) are descriptions, not what names end with.
MAX_FORM_WORDS = 6
#: Scripts written without spaces between words, where a form is glued to the name.
_APOSTROPHES = re.compile(r"['’`´]")
_NOT_WORD = re.compile(r"[^\w]+")
GLUED = re.compile(r"[\u3040-\u30ff\u3400-\u9fff\uac00-\ud7af\uf900-\ufaff]")


@dataclass(frozen=True)
class LegalForms:
    """Folded legal forms: word tuples for spaced scripts, strings for glued ones."""

    suffixes: frozenset[tuple[str, ...]]
    prefixes: frozenset[tuple[str, ...]]
    glued_suffixes: tuple[str, ...]
    glued_prefixes: tuple[str, ...]
    longest: int


def fold(text: str) -> str:
    """NFKC, casefold, Latin accents and apostrophes dropped, punctuation made spaces, runs of
    single letters joined ("S.A.B. de C.V." -> "sab de cv", "A/S" -> "as")."""
    s = unicodedata.normalize("NFKC", text).casefold()
    if not s.isascii():
        kept: list[str] = []
        for ch in unicodedata.normalize("NFD", s):
            if unicodedata.category(ch) == "Mn" and kept and ord(kept[-1]) < 0x0370:
                continue
            kept.append(ch)
        s = unicodedata.normalize("NFC", "".join(kept))
    s = _APOSTROPHES.sub("", s).replace("&", " and ")
    s = _NOT_WORD.sub(" ", s).replace("_", " ")
    words: list[str] = []
    run = False
    for word in s.split():
        single = len(word) == 1 and word.isalpha() and not GLUED.match(word)
        if single and run:
            words[-1] += word
        else:
            words.append(word)
        run = single
    return " ".join(words)


def _split(cell: str) -> list[str]:
    return [part.strip() for part in re.split(r"[;,]", cell or "") if part.strip()]


@functools.cache
def legal_forms() -> LegalForms:
    """The forms, read once per process."""
    suffixes: set[str] = set()
    prefixes: set[str] = set()
    for row in read_table("elf-code-list.csv"):
        forms = _split(row["abbreviations_local"]) + _split(row["abbreviations_transliterated"])
        forms += [row["local_name"], row["transliterated_name"]]
        for form in forms:
            folded = fold(form)
            words = folded.split()
            if not words or len(words) > MAX_FORM_WORDS or GENERIC_WORDS & set(words):
                continue
            if len(folded) <= 2 and folded not in SHORT_FORMS:
                continue
            suffixes.add(folded)
            if row["country"] in PREFIX_COUNTRIES and folded not in NOT_PREFIXES:
                prefixes.add(folded)
    for row in read_table("legal-form-extras.csv"):
        folded = fold(row["form"])
        if row["position"] in ("suffix", "both"):
            suffixes.add(folded)
        if row["position"] in ("prefix", "both"):
            prefixes.add(folded)

    def glued(forms: set[str]) -> tuple[str, ...]:
        # One glued character alone (株, 有) is a word, not a form, inside a name.
        found = {f for f in forms if " " not in f and GLUED.search(f) and len(f) > 1}
        return tuple(sorted(found, key=len, reverse=True))

    return LegalForms(
        suffixes=frozenset(tuple(f.split()) for f in suffixes),
        prefixes=frozenset(tuple(f.split()) for f in prefixes),
        glued_suffixes=glued(suffixes),
        glued_prefixes=glued(prefixes),
        longest=max(len(f.split()) for f in suffixes | prefixes),
    )
