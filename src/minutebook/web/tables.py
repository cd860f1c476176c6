"""Downloads of a table: CSV (UTF-8, a header row) and XLSX (openpyxl: whole numbers as numbers, a bold header,
the first row frozen)."""

from __future__ import annotations

import csv
import io


def csv_bytes(head: list[str], rows: list[list]) -> bytes:
    buf = io.StringIO()
    w = csv.writer(buf, lineterminator="\n")
    w.writerow(head)
    w.writerows(rows)
    return buf.getvalue().encode("utf-8")


def xlsx_bytes(title: str, head: list[str], rows: list[list]) -> bytes:
    from openpyxl import Workbook
    from openpyxl.styles import Font

    wb = Workbook(write_only=False)
    ws = wb.active
    ws.title = title[:31].replace(":", "-")
    ws.append(head)
    for c in ws[1]:
        c.font = Font(bold=True)
    for r in rows:
        ws.append(r)
    ws.freeze_panes = "A2"
    for col, width in zip("ABCDEFGHIJ", (18, 30, 16, 16, 16, 16, 16, 16, 16, 16), strict=False):
        ws.column_dimensions[col].width = width
    buf = io.BytesIO()
    wb.save(buf)
    return buf.getvalue()
