"""Defects found in the wording and the procedure a document records: misspelt operative terms,
a §241 amendment's certification and adopter, figure defects in a second copy, non-Delaware law."""

from __future__ import annotations

import re
from functools import lru_cache

from ..core.findings import Finding, info, warning
from .capital import capital_of
from .extract.articles import article_label
from .extract.citations import cite
from .parse import DocRead
from .textmap import joined_words, lower_same

# Phrases that are misspellings of operative terms in context.
_PHRASES: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(p, re.I), fix)
    for p, fix in (
        (r"\bper\s+value\b", "par value"),
        (
            r"\bduty\s+(?=(?:adopted|authorized|called|held|elected|executed|filed|approved|convened)\b)",
            "duly",
        ),
        (r"(?<=been\s)adapted(?=,?\s+(?:amended|or|and)\b)", "adopted"),
        (r"\bbas\s+(?=been\b)", "has"),
        (r"\bpreferrred\b|\bprefered\b", "preferred"),
        (r"\bstockhloders?\b|\bstcokholders?\b", "stockholders"),
    )
)

_TERMS = [
    "incorporation",
    "incorporator",
    "incorporators",
    "corporation",
    "corporations",
    "certificate",
    "certificates",
    "amendment",
    "amendments",
    "amended",
    "authorized",
    "preferred",
    "designations",
    "designation",
    "preferences",
    "stockholders",
    "stockholder",
    "shareholders",
    "directors",
    "outstanding",
    "resolution",
    "resolutions",
    "restated",
    "issuance",
    "registered",
    "delaware",
    "indemnification",
    "indemnify",
    "liability",
    "purposes",
    "perpetual",
    "compromise",
    "arrangement",
    "receivers",
    "dissolution",
    "capital",
    "common",
    "series",
    "consideration",
    "assessable",
    "nonassessable",
    "provisions",
    "ratification",
    "certified",
    "secretary",
    "president",
    "officer",
    "incorporated",
    "business",
    "general",
    "section",
    "subsection",
    "paragraph",
]
_FORMS = ("", "s", "d", "ed", "es", "ing", "ion", "ions", "or", "ors", "al", "ly", "e", "ive", "er", "ers")
_KNOWN_EXTRA = {
    "incorporate",
    "incorporates",
    "incorporating",
    "corporate",
    "certify",
    "certifies",
    "certifying",
    "certification",
    "amend",
    "amends",
    "amending",
    "authorize",
    "authorizes",
    "authorizing",
    "authorization",
    "authority",
    "prefer",
    "prefers",
    "preference",
    "designate",
    "designated",
    "designates",
    "director",
    "directorship",
    "resolve",
    "resolved",
    "restate",
    "restatement",
    "issued",
    "issue",
    "issues",
    "register",
    "registers",
    "registrar",
    "indemnified",
    "indemnifies",
    "indemnity",
    "liabilities",
    "purpose",
    "compromises",
    "arrangements",
    "receiver",
    "dissolve",
    "dissolved",
    "capitalization",
    "provision",
    "provided",
    "providing",
    "ratify",
    "ratified",
    "officers",
    "presidents",
    "secretaries",
    "business",
    "businesses",
    "generally",
    "sections",
    "subsections",
    "paragraphs",
    "commons",
    "serial",
    "seriatim",
    "considerations",
    "incorporators",
    "corporations",
    "corporation's",
}


@lru_cache(maxsize=1)
def _lexicon() -> frozenset[str]:
    return frozenset(_TERMS) | _KNOWN_EXTRA


_NEAR_CACHE: dict[str, str | None] = {}


def _near(word: str) -> str | None:
    """An operative term one edit away from `word` (None for known forms and unrelated words)."""
    if word not in _NEAR_CACHE:
        if len(_NEAR_CACHE) > 50000:
            _NEAR_CACHE.clear()
        _NEAR_CACHE[word] = None if _is_form(word) else _nearest(word)
    return _NEAR_CACHE[word]


def _nearest(word: str) -> str | None:
    for t in _TERMS:
        if len(t) < 8 or abs(len(t) - len(word)) > 1 or t[0] != word[0]:
            continue
        if _one_edit(word, t):
            return t
    return None


def _one_edit(a: str, b: str) -> bool:
    if a == b:
        return False
    if len(a) == len(b):
        diff = [i for i in range(len(a)) if a[i] != b[i]]
        return len(diff) == 1 or (
            len(diff) == 2
            and diff[1] == diff[0] + 1
            and a[diff[0]] == b[diff[1]]
            and a[diff[1]] == b[diff[0]]
        )
    if len(a) > len(b):
        a, b = b, a
    i = 0
    while i < len(a) and a[i] == b[i]:
        i += 1
    return a[i:] == b[i + 1 :]


def _is_form(word: str) -> bool:
    lex = _lexicon()
    if word in lex:
        return True
    for t in _TERMS:
        if word.startswith(t[:-1]) and word[len(t) - 1 :] in _FORMS + tuple(t[-1] + f for f in _FORMS):
            return True
    return False


_WORD = re.compile(r"\b[a-z]{7,}\b", re.I)
# Runs of word characters, seven or more, that are all ASCII letters (in a text lowered): the only words
# `_misspelt` can report.
_ASCII_RUN = re.compile(r"(?<!\w)[a-z]{7,}(?!\w)")
_NON_WORD = str.maketrans({c: " " for c in map(chr, range(128)) if not (c.isalnum() or c == "_")})
# Runs of word characters already found not to be misspelt terms (most of a charter's words, the same from
# one charter to the next): each is looked up once.
_NOT_MISSPELT: set[str] = set()
# What each phrase cannot match without, in the text lowered: its pattern without the case-insensitive flag
# and the leading "\b" or look-behind, so that `search` finds its first word quickly.
_PHRASE_HINTS = tuple(
    re.compile(p)
    for p in (
        r"per\s+value",
        r"duty\s+(?=(?:adopted|authorized|called|held|elected|executed|filed|approved|convened)\b)",
        r"been\sadapted(?=,?\s+(?:amended|or|and)\b)",
        r"bas\s+(?=been\b)",
        r"preferrred|prefered",
        r"stockhloder|stcokholder",
    )
)


# A long text's words are gathered a piece of this many characters at a time (each piece cut where a word
# ends): the list `split` or `findall` makes of a whole 32 MiB text holds some 300 MB of word objects.
_WORDS_PIECE = 1 << 20
_NON_WORD_CHAR = re.compile(r"\W")


def _words(low: str) -> set[str]:
    """`set(low.translate(_NON_WORD).split())` for an ASCII text, else `set(_ASCII_RUN.findall(low))`, a
    piece at a time."""
    ascii = low.isascii()
    words: set[str] = set()
    pos, n = 0, len(low)
    while pos < n:
        cut = pos + _WORDS_PIECE
        if cut < n:
            m = _NON_WORD_CHAR.search(low, cut)
            cut = m.start() if m else n
        else:
            cut = n
        if ascii:
            words.update(low[pos:cut].translate(_NON_WORD).split())
        else:
            words.update(_ASCII_RUN.findall(low, pos, cut))
        pos = cut
    return words


def _misspelt(low: str) -> list[str]:
    """Words of `low` (a text lowered) that `_WORD` finds and `_near` reads as misspelt terms. A word
    `_WORD` finds is a run of word characters, seven or more, all ASCII letters; in ASCII text the runs are
    the words left when every other character is made a blank."""
    words = _words(low)
    words -= _NOT_MISSPELT
    if len(_NOT_MISSPELT) > 200000:
        _NOT_MISSPELT.clear()
    out = []
    for w in words:
        if len(w) >= 7 and w.isascii() and w.isalpha() and _near(w):
            out.append(w)
        else:
            _NOT_MISSPELT.add(w)
    return out


def misspellings(d: DocRead) -> list[Finding]:
    text = d.mt.text
    low = lower_same(text)
    out: list[Finding] = []
    seen: set[str] = set()
    for (pat, fix), hint in zip(_PHRASES, _PHRASE_HINTS, strict=True):
        if low is not None and not hint.search(low):
            continue
        for m in pat.finditer(text):
            key = m.group(0).lower().strip()
            if key in seen:
                continue
            seen.add(key)
            out.append(
                warning(
                    "MB-TERM-MISSPELT",
                    f'"{m.group(0).strip()}" should read "{fix}"',
                    d.ref(m.start(), m.end()),
                    (),
                    found=m.group(0).strip(),
                    expected=fix,
                )
            )
    if low is None:
        words = _WORD.finditer(text)
    else:
        # Each distinct word is looked up once; only a misspelt one is looked for in the text, at its
        # first occurrence (where `_WORD.finditer` would report it).
        misspelt = [w for w in _misspelt(low) if w not in seen]
        firsts = (re.search(rf"\b{w}\b", text, re.I) for w in misspelt)
        words = sorted((m for m in firsts if m), key=lambda m: m.start())
    for m in words:
        w = m.group(0).lower()
        if w in seen:
            continue
        t = _near(w)
        if t:
            seen.add(w)
            out.append(
                warning(
                    "MB-TERM-MISSPELT",
                    f'"{m.group(0)}" should read "{t}"',
                    d.ref(m.start(), m.end()),
                    (),
                    found=m.group(0),
                    expected=t,
                )
            )
    return out


def check_241(d: DocRead, base: DocRead | None) -> list[Finding]:
    """§241: before any payment for stock; certifies no payment; adopted by a majority of the
    incorporators if no directors were named or elected, otherwise by a majority of the directors."""
    text = joined_words(d.mt.text)
    out: list[Finding] = []
    cites = (cite("241"),)
    if not re.search(
        r"(?:has|have)\s+not\s+received\s+any\s+payment|"
        r"no\s+(?:part\s+of\s+the\s+capital|payment)[^.]{0,60}"
        r"(?:has\s+been|was)\s+(?:paid|received)|before\s+(?:the\s+)?(?:receipt\s+of\s+any\s+)?payment",
        text,
        re.I,
    ):
        out.append(
            warning(
                "MB-241-NO-PAYMENT-CERT-MISSING",
                "a §241 amendment must certify that the corporation has received no payment "
                "for any "
                "of its stock; this one does not",
                d.title_ref,
                cites,
            )
        )
    by_incorporator = re.search(
        r"by\s+(?:the\s+)?(?:sole\s+incorporator|"
        r"(?:a\s+)?majority\s+of\s+the\s+incorporators|"
        r"(?:all\s+(?:of\s+)?)?the\s+incorporators)",
        text,
        re.I,
    )
    by_directors = re.search(
        r"by\s+(?:(?:a\s+)?majority\s+of\s+)?(?:the\s+)?(?:initial\s+)?"
        r"(?:board\s+of\s+)?directors",
        text,
        re.I,
    )
    base_names_directors = base is not None and any(
        re.search(
            r"\b(?:initial|first)\s+(?:board\s+of\s+)?directors?\b|names?\s+and\s+(?:mailing\s+)?"
            r"addresses?\s+of\s+the\s+(?:persons?\s+who\s+(?:are|is)\s+to\s+serve\s+as\s+)?directors",
            a.text.text,
            re.I,
        )
        for a in base.articles
    )
    if by_incorporator:
        if base_names_directors:
            out.append(
                warning(
                    "MB-241-WRONG-ADOPTER",
                    "adopted by the incorporator(s), but the certificate of incorporation names "
                    "initial directors: under §241 the directors adopt it",
                    d.title_ref,
                    cites,
                )
            )
        elif re.search(
            r"directors\s+(?:have\s+been|having\s+been|were)\s+(?:named|elected)", text, re.I
        ) and not re.search(r"no\s+directors", text, re.I):
            out.append(
                warning(
                    "MB-241-WRONG-ADOPTER",
                    "adopted by the incorporator(s) although directors had been named or elected",
                    d.title_ref,
                    cites,
                )
            )
    if not out:
        who = (
            by_incorporator.group(0)[3:]
            if by_incorporator
            else (by_directors.group(0)[3:] if by_directors else "")
        )
        adopted = f"by {who}" if who else ""
        out.append(
            info(
                "MB-241-CHECKED",
                "§241 amendment before payment for stock: certifies that no "
                f"payment was received and was adopted {adopted}; it takes effect as of the original "
                "certificate's date except as to persons substantially and adversely affected "
                "(§241(b))",
                d.title_ref,
                cites,
            )
        )
        return out
    if not by_incorporator and not by_directors:
        out.append(
            warning(
                "MB-241-WRONG-ADOPTER",
                "the certificate does not say who adopted the amendment "
                "(the incorporators, if no directors were named or elected, else the directors)",
                d.title_ref,
                cites,
            )
        )
    return out


def copy_figures(d: DocRead) -> list[Finding]:
    """Figure defects in the non-operative copies of a filing, checked against the operative copy."""
    out: list[Finding] = []
    dgcl = d.jurisdiction in (None, "Delaware")
    for copy in d.copies:
        for a in copy.articles:
            counterpart = next((b for b in d.articles if b.number == a.number), None)
            _, fs = capital_of(
                a,
                f"Art. {article_label(a.number)}, as amended "
                f"{d.date.isoformat() if d.date else 'undated'} "
                f"(copy at line {copy.title_ref.line})",
                dgcl,
                counterpart,
            )
            out.extend(
                f
                for f in fs
                if f.code in ("MB-FIGURE-MALFORMED", "MB-WORDS-FIGURES-DISAGREE", "MB-FIGURE-OCR")
            )
    return out


def not_delaware(d: DocRead) -> Finding:
    return info(
        "MB-NOT-DELAWARE",
        f"governed by the law of {d.jurisdiction}: the DGCL does not apply and no DGCL findings are made",
        d.title_ref,
    )
