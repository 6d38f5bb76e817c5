"""Write kamgraph/data/elf-code-list.csv from the GLEIF ISO 20275 ELF code list CSV.

Usage: python tools/vendor_elf.py "ISO-20275 - 2023-09-28.csv"
Keeps the columns kamgraph reads (code, country, names, abbreviations, status); every row kept.
"""

from __future__ import annotations

import csv
import sys
from pathlib import Path

OUT = Path(__file__).resolve().parents[1] / "kamgraph" / "data" / "elf-code-list.csv"
COLUMNS = {
    "elf_code": "ELF Code",
    "country": "Country Code (ISO 3166-1)",
    "local_name": "Entity Legal Form name Local name",
    "transliterated_name": "Entity Legal Form name Transliterated name (per ISO 01-140-10)",
    "abbreviations_local": "Abbreviations Local language",
    "abbreviations_transliterated": "Abbreviations transliterated",
    "status": "ELF Status ACTV/INAC",
}


def main(source: str) -> None:
    with open(source, encoding="utf-8-sig", newline="") as fh:
        rows = list(csv.DictReader(fh))
    with OUT.open("w", encoding="utf-8", newline="") as out:
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(COLUMNS)
        for row in rows:
            writer.writerow(" ".join((row.get(c) or "").split()) for c in COLUMNS.values())


if __name__ == "__main__":
    main(sys.argv[1])
