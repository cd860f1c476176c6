"""A proposed charter amendment turned into the new charter version: new authorized shares or par for a
class, new text for an article (its authorized capital read back by the reader's own grammar), a new
name. What cannot be read is refused with the field named; nothing is guessed."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import replace
from datetime import date
from decimal import Decimal, InvalidOperation

from ..core.charter import Article, Capital, CharterVersion, Provision, article_label
from ..core.codec import version_to_dict
from ..core.errors import InputError


def _count(v, where: str) -> int:
    if isinstance(v, bool):
        raise InputError(f"{where}: not a share count: {v!r}")
    try:
        n = int(str(v).replace(",", "").replace("_", ""))
    except ValueError:
        raise InputError(f"{where}: not a share count: {v!r}") from None
    if n < 0:
        raise InputError(f"{where}: must be zero or more, not {n:,}")
    return n


def _par(v, where: str) -> Decimal:
    try:
        d = Decimal(str(v).lstrip("$"))
    except InvalidOperation:
        raise InputError(f"{where}: not a par value: {v!r}") from None
    if not d.is_finite() or d < 0:
        raise InputError(f"{where}: must be zero or more, not {v}")
    return d


def _article_number(label: str, where: str) -> int:
    """The ordinal of an article named `FOURTH` or `4` (articles are numbered by ordinal)."""
    n = int(label) if label.isdigit() else next((i for i in range(1, 100) if article_label(i) == label), 0)
    if n < 1:
        raise InputError(f"{where}: not an article number (FIRST, SECOND, ... or 1, 2, ...): {label!r}")
    return n


def _capital_article(v: CharterVersion) -> str | None:
    return next((p.article for p in v.provisions if p.kind == "authorized_capital" and p.article), None)


def amended_charter(
    current: CharterVersion,
    on: date,
    *,
    authorized: Mapping | None = None,
    par: Mapping | None = None,
    articles: Mapping | None = None,
    name: str | None = None,
    statute: str = "242",
) -> dict:
    """The new version, in `core.codec` form, effective `on`."""
    if current.capital is None:
        raise InputError("the charter in force states no authorized capital to amend")
    classes = {c.key: c for c in current.capital.classes}
    holder = current.capital.blank_check_holder
    arts = list(current.articles)
    provisions = list(current.provisions)
    cap_art = _capital_article(current)
    for number, text in (articles or {}).items():
        number = str(number).upper()
        ordinal = _article_number(number, f"articles.{number}")
        text = str(text or "").strip()
        if not text:
            raise InputError(f"articles.{number}: the amendment text is empty")
        if article_label(ordinal) == (cap_art or "FOURTH"):
            from ..ingest.extract.stock import read_capital  # the reader, for an amendment's text alone

            read = read_capital(text, 0, len(text))
            amounts = [c for c in (read.classes if read else []) if c.amount is not None and c.amount.value]
            if not amounts:
                raise InputError(
                    f"articles.{number}: cannot read the authorized shares of each class from the text "
                    "(write e.g. '150,000,000 shares of Common Stock, par value $0.001 per share')"
                )
            for c in amounts:
                prev = classes.get(c.key)
                if prev is None:
                    raise InputError(
                        f"articles.{number}: the text names a class {c.name!r} the charter does not have"
                    )
                classes[c.key] = replace(
                    prev,
                    authorized=c.amount.value,
                    par_value=c.par if c.par is not None else (read.global_par or prev.par_value),
                )
            if read.holder:
                holder = read.holder
            if read.total is not None and read.total.value is not None:
                total = sum(c.authorized or 0 for c in classes.values())
                if read.total.value != total:
                    raise InputError(
                        f"articles.{number}: the total stated ({read.total.value:,}) is not the sum of the "
                        f"classes ({total:,})"
                    )
        label = article_label(ordinal)
        if label != (cap_art or "FOURTH"):
            from ..ingest.extract.provisions import classify

            # the provisions of a rewritten article are read again from its text
            provisions = [p for p in provisions if p.article != label]
            provisions += [
                Provision(label, None, k, tuple(ps.items()), text=text) for k, _s, ps in classify(text)
            ]
        idx = next((i for i, a in enumerate(arts) if a.number == ordinal), None)
        if idx is None:
            arts.append(Article(ordinal, f"{article_label(ordinal)}:", text))
            arts.sort(key=lambda a: a.number)
        else:
            arts[idx] = replace(arts[idx], text=text)
    for k, n in (authorized or {}).items():
        if k not in classes:
            raise InputError(
                f"authorized.{k}: the charter has no class {k!r} (classes: {', '.join(classes)})"
            )
        classes[k] = replace(classes[k], authorized=_count(n, f"authorized.{k}"))
    for k, p in (par or {}).items():
        if k not in classes:
            raise InputError(f"par.{k}: the charter has no class {k!r}")
        classes[k] = replace(classes[k], par_value=_par(p, f"par.{k}"))
    total = sum(c.authorized or 0 for c in classes.values())
    cap = Capital(total, tuple(classes.values()), holder)
    v = replace(
        current,
        effective_on=on,
        name=name or current.name,
        capital=cap,
        articles=tuple(arts),
        provisions=tuple(provisions),
        document_kind="amendment",
        statute=statute,
        date_basis="filed",
        sources=(),
    )
    return version_to_dict(v)
