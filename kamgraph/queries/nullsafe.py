"""Find patterns that start from a variable an earlier OPTIONAL MATCH may have left null.

kglite 0.21.2 reads a null-bound node in a pattern as an unbound one: ``OPTIONAL MATCH
(m)-[:HAS_DEAL]->(last:Deal) ... OPTIONAL MATCH (last)-[:LOST_TO]->(w)`` scans every LOST_TO
relationship for each row where ``last`` is null. The rows are right (Neo4j's), the time is not:
84.5 of 87 s of portfolio cross-sell-gaps at bench size M. The same holds for a MATCH, an
``EXISTS { }`` and a pattern comprehension ``[(last)-->(x) | x]`` starting there. Safe forms
(docs/portable-cypher.md, rule 16): the pattern inside ``CALL (last) { ... }``, a comprehension
behind ``CASE WHEN last IS NULL THEN [] ELSE ... END``, or rows without ``last`` dropped
first (``WITH ... WHERE last IS NOT NULL``).

The scan is lexical: clauses are split on their keywords, comments and strings blanked, and
the variables in scope followed through ``WITH`` projections, so it errs on the safe side.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

FIX = (
    "start the pattern from a variable that cannot be null, or wrap it: "
    "CALL ({var}) {{ OPTIONAL MATCH ... RETURN ... }}, or "
    "CASE WHEN {var} IS NULL THEN [] ELSE [({var})-...| ...] END "
    "(docs/portable-cypher.md, rule 16)"
)

_CLAUSE = re.compile(
    r"(?<![\w.$])(OPTIONAL\s+MATCH|MATCH|(?<!STARTS\s)(?<!ENDS\s)WITH|UNWIND|RETURN|CALL|UNION"
    r"|MERGE|CREATE|SET|DELETE|DETACH\s+DELETE|REMOVE|FOREACH)(?!\w)",
    re.IGNORECASE,
)
_NODE = re.compile(r"(?<![\w.@$])\(\s*([A-Za-z_]\w*)\s*(?=[:){])")
_REL = re.compile(r"\[\s*([A-Za-z_]\w*)\s*(?=[:\]*{])")
# A node variable right beside a relationship: (x)-[..], (x)<-, -(x), ->(x)
_PATTERN_NODE = re.compile(
    r"(?<![\w.@$])\(\s*([A-Za-z_]\w*)\s*(?::[^()]*)?\)\s*<?-\s*[\[\->(]"
    r"|[\]\-]\s*-?>?\s*\(\s*([A-Za-z_]\w*)\s*(?::[^()]*)?\)"
)
_ALIAS = re.compile(r"^(.*?)\s+AS\s+([A-Za-z_]\w*)$", re.IGNORECASE | re.DOTALL)
_IDENT = re.compile(r"^[A-Za-z_]\w*$")


@dataclass(frozen=True)
class NullStart:
    """A pattern starting from ``variable``, which an OPTIONAL MATCH may have left null."""

    line: int
    variable: str
    text: str

    def describe(self, where: str) -> str:
        return (
            f"{where}:{self.line}: pattern starts from '{self.variable}', which an earlier "
            f"OPTIONAL MATCH may leave null (kglite then scans the whole graph): "
            f"{self.text.strip()}\n  fix: {FIX.format(var=self.variable)}"
        )


def _blank(text: str) -> str:
    """Comments and string literals replaced by spaces, offsets and line numbers kept."""
    return re.sub(
        r"//[^\n]*|'(?:[^'\\]|\\.)*'|\"(?:[^\"\\]|\\.)*\"",
        lambda m: "''".ljust(len(m.group(0))) if m.group(0)[0] in "'\"" else " " * len(m.group(0)),
        text,
    )


def _closing(text: str, start: int) -> int:
    """Index just past the brace closing the one at ``start``."""
    depth = 0
    for i in range(start, len(text)):
        if text[i] == "{":
            depth += 1
        elif text[i] == "}":
            depth -= 1
            if depth == 0:
                return i + 1
    return len(text)


def _split_top(text: str) -> list[str]:
    """``text`` split at commas outside brackets."""
    parts: list[str] = []
    depth = 0
    last = 0
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif ch == "," and depth == 0:
            parts.append(text[last:i])
            last = i + 1
    parts.append(text[last:])
    return [p.strip() for p in parts if p.strip()]


def _top_keyword(text: str, words: str) -> int:
    """Position of the first of ``words`` outside brackets in ``text``, or len(text)."""
    depth = 0
    pattern = re.compile(rf"(?<![\w.$])(?:{words})(?!\w)", re.IGNORECASE)
    for i, ch in enumerate(text):
        if ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth -= 1
        elif depth == 0 and pattern.match(text, i):
            return i
    return len(text)


def _guarded(text: str, var: str, at: int) -> bool:
    """A ``CASE WHEN var IS [NOT] NULL THEN ...`` before position ``at`` in the clause."""
    guard = rf"\b{re.escape(var)}\s+IS\s+(?:NOT\s+)?NULL\s+THEN\b"
    return re.search(guard, text[:at], re.IGNORECASE) is not None


def null_starts(text: str) -> list[NullStart]:
    """Every pattern in the Cypher ``text`` that starts from a possibly-null variable."""
    blank = _blank(text)
    found: list[NullStart] = []
    scope: dict[str, bool] = {}  # variable -> may be null

    def report(offset: int, var: str) -> None:
        line = text.count("\n", 0, offset) + 1
        found.append(NullStart(line, var, text.splitlines()[line - 1]))

    def check_patterns(start: int, part: str) -> None:
        for m in _PATTERN_NODE.finditer(part):
            var = m.group(1) or m.group(2)
            if scope.get(var) and not _guarded(part, var, m.start()):
                report(start + m.start(), var)

    pos = 0
    marks = list(_CLAUSE.finditer(blank))
    i = 0
    while i < len(marks):
        m = marks[i]
        if m.start() < pos:  # inside a CALL block already handled
            i += 1
            continue
        keyword = re.sub(r"\s+", " ", m.group(1).upper())
        end = marks[i + 1].start() if i + 1 < len(marks) else len(blank)
        body = blank[m.end() : end]
        if keyword == "CALL":
            brace = blank.find("{", m.end())
            if brace != -1 and not blank[m.end() : brace].strip().rstrip(")").count("."):
                close = _closing(blank, brace)
                block = blank[brace:close]
                # Inside, the imported variables are safe; the block's own OPTIONAL MATCHes not.
                lines_before = text.count("\n", 0, brace + 1)
                for inner in null_starts(text[brace + 1 : close - 1]):
                    found.append(NullStart(inner.line + lines_before, inner.variable, inner.text))
                returned = block[_top_keyword(block[1:], "RETURN") + 1 :]
                nullable = re.search(r"OPTIONAL\s+MATCH", block, re.IGNORECASE) is not None
                for item in _split_top(re.sub(r"(?is)^RETURN|}$", "", returned.strip())):
                    alias = _ALIAS.match(item)
                    name = alias.group(2) if alias else item
                    if _IDENT.match(name):
                        scope[name] = nullable
                pos = close
            else:  # a procedure: CALL x.y() YIELD a, b
                for name in re.findall(r"YIELD\s+(.*)", body, re.IGNORECASE | re.DOTALL)[:1]:
                    for item in _split_top(name):
                        scope[item.split()[-1]] = False
            i += 1
            continue
        if keyword in ("MATCH", "OPTIONAL MATCH"):
            cut = _top_keyword(body, "WHERE")
            pattern, where = body[:cut], body[cut:]
            seen = [n.group(1) for n in _NODE.finditer(pattern)]
            for n in _NODE.finditer(pattern):
                if scope.get(n.group(1)):
                    report(m.end() + n.start(), n.group(1))
            check_patterns(m.end() + cut, where)
            new = seen + [r.group(1) for r in _REL.finditer(pattern)]
            new += re.findall(r"([A-Za-z_]\w*)\s*=\s*(?:shortestPath\s*)?\(", pattern)
            for var in new:
                if keyword == "MATCH" or var not in scope:
                    scope[var] = keyword == "OPTIONAL MATCH"
        elif keyword in ("WITH", "RETURN"):
            check_patterns(m.end(), body)
            if keyword == "RETURN":
                scope = {}
            else:
                cut = _top_keyword(body, "WHERE|ORDER|SKIP|LIMIT")
                items = re.sub(r"(?i)^\s*DISTINCT\b", "", body[:cut])
                projected: dict[str, bool] = {}
                for item in _split_top(items):
                    if item == "*":
                        projected.update(scope)
                        continue
                    alias = _ALIAS.match(item)
                    expr, name = (alias.group(1).strip(), alias.group(2)) if alias else (item, item)
                    projected[name] = bool(_IDENT.match(expr) and scope.get(expr))
                where = body[cut:]
                for var in re.findall(r"([A-Za-z_]\w*)\s+IS\s+NOT\s+NULL", where, re.IGNORECASE):
                    if var in projected:
                        projected[var] = False
                scope = projected
        elif keyword == "UNWIND":
            alias = re.search(r"\bAS\s+([A-Za-z_]\w*)", body, re.IGNORECASE)
            check_patterns(m.end(), body)
            if alias:
                scope[alias.group(1)] = False
        elif keyword == "UNION":
            scope = {}
        else:  # writes: bind what they create
            check_patterns(m.end(), body)
            for n in _NODE.finditer(body):
                scope.setdefault(n.group(1), False)
        i += 1
    return found
