"""What the reader shows: documents, versions, the charter in force, findings — as Rich renderables
in a terminal and as plain text lines when piped."""

from __future__ import annotations

from datetime import date

from rich.console import Group
from rich.table import Table
from rich.text import Text

from ..core.charter import CharterVersion
from ..core.findings import Finding
from ..ingest.result import ReadResult

_STYLE = {"error": "bold red", "warning": "yellow", "info": "cyan"}


def _num(n: int | None) -> str:
    return "—" if n is None else f"{n:,}"


def _classes(v: CharterVersion) -> str:
    if not v.capital:
        return "—"
    parts = []
    for c in v.capital.classes:
        par = c.par_text()
        par = "no par" if par == "no par" else (f"${par}" if par else "par ?")
        s = f"{c.name} {_num(c.authorized)} ({par})"
        for sr in c.series:
            s += f"; {sr.name} {_num(sr.authorized)}"
        parts.append(s)
    return "; ".join(parts) or "—"


def _doc_label(r: ReadResult, v: CharterVersion) -> str:
    d = next((d for d in r.documents if d.id == v.document_id), None)
    if not d:
        return v.document_kind or "?"
    s = d.kind + (f" §{d.statute}" if d.statute else "")
    return s


def finding_line(f: Finding) -> str:
    return f"{f.format()}" + (f"  [{'; '.join(f.cites)}]" if f.cites else "")


def render_read(r: ReadResult, as_of: date | None, plain: bool):
    if plain:
        return "\n".join(_plain_lines(r, as_of))
    parts = []
    title = Text(f"{r.corporation or 'Unknown corporation'}", style="bold")
    if r.jurisdiction:
        title.append(f"  ({r.jurisdiction})", style="dim")
    parts.append(title)
    docs = Table(title="Documents found (file order)", title_justify="left", expand=False)
    for col in ("#", "kind", "title", "signed", "source"):
        docs.add_column(col)
    for i, d in enumerate(r.documents, 1):
        src = f"{d.source.path}:{d.source.line}" if d.source else ""
        if d.copies:
            src += f" (+{len(d.copies)} cop{'y' if len(d.copies) == 1 else 'ies'})"
        docs.add_row(
            str(i),
            d.kind + (f" §{d.statute}" if d.statute else ""),
            d.title[:70],
            d.signed_on.isoformat() if d.signed_on else "—",
            src,
        )
    parts.append(docs)
    vt = Table(title="Charter versions (time order)", title_justify="left")
    for col in (
        "effective",
        "document",
        "total authorized",
        "classes",
        "preferred terms fixed by",
        "changes",
    ):
        vt.add_column(col)
    for i, v in enumerate(r.charter.versions):
        changes = "\n".join(c.describe() for c in r.charter.diff(i - 1, i) if c.field != "text") if i else ""
        eff = v.effective_on.isoformat() if v.effective_on else "—"
        if v.date_basis == "executed":
            eff += " *"
        vt.add_row(
            eff,
            _doc_label(r, v),
            _num(v.capital.total_authorized if v.capital else None),
            _classes(v),
            (v.capital.blank_check_holder if v.capital else None) or "—",
            changes,
        )
    parts.append(vt)
    if any(v.date_basis == "executed" for v in r.charter.versions):
        parts.append(Text("* execution date: the text gives no filing date", style="dim"))
    for v in r.charter.versions:
        if v.partial:
            parts.append(
                Text(
                    f"partial version (no base charter in the input); unknown: {', '.join(v.unknown)}",
                    style="yellow",
                )
            )
            break
    if as_of:
        parts.append(_in_force(r, as_of))
    if r.findings:
        ft = Text()
        ft.append(f"Findings ({len(r.findings)})\n", style="bold")
        for f in r.findings:
            ft.append(f"{f.source.location()}: " if f.source else "")
            ft.append(f.code, style=_STYLE[f.severity.value])
            ft.append(f" {f.message}")
            if f.cites:
                ft.append(f"  [{'; '.join(f.cites)}]", style="dim")
            ft.append("\n")
        parts.append(ft)
    return Group(*parts)


def _in_force(r: ReadResult, as_of: date):
    v = r.charter.at(as_of)
    if v is None:
        return Text(f"No charter in force on {as_of.isoformat()}.")
    t = Table(title=f"Charter in force on {as_of.isoformat()}", title_justify="left", show_header=False)
    t.add_column("", style="bold")
    t.add_column("")
    for k, val in _in_force_rows(v):
        t.add_row(k, val)
    return t


def _in_force_rows(v: CharterVersion) -> list[tuple[str, str]]:
    rows = [
        ("effective", v.effective_on.isoformat() if v.effective_on else "—"),
        ("name", v.name or "—"),
        ("registered office", v.registered_office or "—"),
        ("registered agent", v.registered_agent or "—"),
        ("authorized", _num(v.capital.total_authorized if v.capital else None)),
        ("classes", _classes(v)),
        ("preferred terms fixed by", (v.capital.blank_check_holder if v.capital else None) or "—"),
    ]
    for a in v.articles:
        kinds = sorted(
            {
                p.kind
                for p in v.provisions
                if p.article == a.heading.split()[0].strip(":.").upper() or p.article == _label(a.number)
            }
        )
        rows.append((f"Art. {_label(a.number)}", ", ".join(kinds) or "text"))
    return rows


def _label(n: int) -> str:
    from ..core.charter import article_label

    return article_label(n)


def _plain_lines(r: ReadResult, as_of: date | None) -> list[str]:
    lines = [
        f"{r.corporation or 'Unknown corporation'}" + (f" ({r.jurisdiction})" if r.jurisdiction else ""),
        "",
    ]
    lines.append(f"Documents ({len(r.documents)}, file order):")
    for i, d in enumerate(r.documents, 1):
        src = f"{d.source.path}:{d.source.line}" if d.source else ""
        copies = f" (+{len(d.copies)} copy)" if d.copies else ""
        lines.append(
            f"  {i}. {d.kind}{' §' + d.statute if d.statute else ''}  "
            f"{d.signed_on.isoformat() if d.signed_on else 'undated'}  {d.title}  [{src}{copies}]"
        )
    lines.append("")
    lines.append("Versions (time order):")
    for i, v in enumerate(r.charter.versions):
        eff = v.effective_on.isoformat() if v.effective_on else "undated"
        basis = " (execution date)" if v.date_basis == "executed" else ""
        holder = (v.capital.blank_check_holder if v.capital else None) or "—"
        total = _num(v.capital.total_authorized if v.capital else None)
        lines.append(
            f"  {eff}{basis}  {_doc_label(r, v)}  total {total}  {_classes(v)}"
            f"  preferred terms fixed by: {holder}"
        )
        if v.partial:
            lines.append(f"      partial (no base charter in the input); unknown: {', '.join(v.unknown)}")
        if i:
            lines.extend(
                f"      changed: {c.describe()}" for c in r.charter.diff(i - 1, i) if c.field != "text"
            )
    if as_of:
        lines.append("")
        v = r.charter.at(as_of)
        if v is None:
            lines.append(f"No charter in force on {as_of.isoformat()}.")
        else:
            lines.append(f"Charter in force on {as_of.isoformat()}:")
            lines.extend(f"  {k}: {val}" for k, val in _in_force_rows(v))
    lines.append("")
    lines.append(f"Findings ({len(r.findings)}):")
    lines.extend(finding_line(f) for f in r.findings)
    return lines
