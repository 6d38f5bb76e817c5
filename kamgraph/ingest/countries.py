"""Country names as exports write them -> ISO 3166-1 alpha-2 codes.

ISO 3166 (names, official and common names, alpha-3 codes) comes from ``pycountry``; what it
lacks (exonyms, "Slovak Republic", "England and Wales", US states as Exhibit 21 writes them)
from ``kamgraph/data/country-aliases.csv`` and pycountry's US subdivisions.
"""

from __future__ import annotations

import functools
import re
from typing import Any

import pycountry

from kamgraph.ingest.datafiles import read_table
from kamgraph.ingest.legal_forms import fold


@functools.cache
def _names() -> tuple[dict[str, str], dict[str, str]]:
    """(US state -> "US", country name or alias -> code), keys folded."""
    states = {fold(s.name): "US" for s in pycountry.subdivisions if s.country_code == "US"}
    countries: dict[str, str] = {}
    for c in pycountry.countries:
        for attr in ("name", "official_name", "common_name", "alpha_3"):
            value = getattr(c, attr, None)
            if value:
                countries[fold(value)] = c.alpha_2
                # "Korea, Republic of" is also written "Republic of Korea".
                head, sep, tail = value.partition(", ")
                if sep:
                    countries[fold(f"{tail} {head}")] = c.alpha_2
    for row in read_table("country-aliases.csv"):
        countries[fold(row["alias"])] = row["code"]
    return states, countries


@functools.lru_cache(maxsize=4096)
def _lookup(text: str) -> str | None:
    states, countries = _names()
    # "(USA) New York", "Georgia, USA", "Delaware (U.S.)": a part in brackets or after the last
    # comma names the country; a US state alone is the United States (Exhibit 21's usage).
    inner = re.findall(r"\(([^)]*)\)", text)
    outer = re.sub(r"\([^)]*\)", " ", text)
    parts = [text, *inner, *reversed(outer.split(",")), outer]
    for part in parts:
        key = fold(part)
        key = key.removeprefix("the ") if key.startswith("the ") else key
        if not key:
            continue
        code = states.get(key) or countries.get(key)
        if code:
            return code
    # "Minneapolis, MN USA": a city and state before the country's own name.
    last = fold(text).rsplit(" ", 1)[-1]
    return "US" if last == "usa" else None


def country_code(value: Any) -> str | None:
    """ISO 3166 alpha-2 code for a country or US state as exports write it; None if unknown.

    ``DE``, ``DE-BY``, ``Germany``, ``Deutschland`` -> ``DE``; ``Delaware``, ``(USA) New York``
    -> ``US``; ``Slovak Republic`` -> ``SK``; ``Curaçao`` -> ``CW``.
    """
    if value is None:
        return None
    text = str(value).strip()
    if not text:
        return None
    if re.fullmatch(r"[A-Za-z]{2}(-[A-Za-z0-9]{1,3})?", text):
        code = text[:2].upper()
        return "GB" if code == "UK" else code
    return _lookup(text)
