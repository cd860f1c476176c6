"""Inline SVG charts drawn on the server: authorized against issued shares by class over time (step lines), and
who owns the corporation (horizontal bars). Coordinates are drawing positions, not figures: the figures shown
in labels and titles are the exact integers."""

from __future__ import annotations

from datetime import date
from html import escape

from markupsafe import Markup

from ..core.captable import percent_of

COLORS = ("#1f5fa8", "#c2551a", "#2e8b57", "#8a3ea8", "#a88a1f", "#4b6b7d", "#b03060", "#5a5a5a")


def _fmt(n: int) -> str:
    return f"{n:,}"


def over_time(series: dict[str, list[tuple[date, int, int]]], width: int = 720, height: int = 260) -> Markup:
    """`series`: class -> [(date, authorized, issued)] in date order. Authorized dashed, issued solid."""
    points = [p for s in series.values() for p in s]
    if not points:
        return Markup('<p class="muted">No shares authorized yet.</p>')
    left, right, top, bottom = 90, 20, 16, 30
    n_series = len(series)
    legend_h = 20 * n_series + 6
    height += legend_h
    top += legend_h
    d0, d1 = min(p[0] for p in points), max(p[0] for p in points)
    span = max((d1 - d0).days, 1)
    top_v = max(max(p[1] or 0, p[2]) for p in points) or 1
    w, h = width - left - right, height - top - bottom

    def x(d: date) -> float:
        return left + w * (d - d0).days / span

    def y(v: int) -> float:
        return top + h - h * v / top_v

    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" '
        f'aria-label="Authorized and issued shares by class over time" xmlns="http://www.w3.org/2000/svg">'
    ]
    for i in range(5):
        v = top_v * i // 4
        out.append(
            f'<line x1="{left}" x2="{left + w}" y1="{y(v):.1f}" y2="{y(v):.1f}" stroke="#ddd"/>'
            f'<text x="{left - 6}" y="{y(v) + 4:.1f}" text-anchor="end" font-size="11">{_fmt(v)}</text>'
        )
    years = d1.year - d0.year
    every = next(k for k in (1, 2, 5, 10, 20, 50, 100) if years / k <= 8)
    for yr in range(d0.year + 1, d1.year + 1):
        d = date(yr, 1, 1)
        if yr % every == 0 and d0 <= d <= d1:
            out.append(
                f'<line x1="{x(d):.1f}" x2="{x(d):.1f}" y1="{top + h}" y2="{top + h + 4}" stroke="#999"/>'
                f'<text x="{x(d):.1f}" y="{height - 10}" text-anchor="middle" font-size="11">{yr}</text>'
            )
    if years == 0:
        out.append(f'<text x="{left}" y="{height - 10}" font-size="11">{d0.isoformat()}</text>')
    for i, (cls, pts) in enumerate(series.items()):
        color = COLORS[i % len(COLORS)]
        ly = 6 + 20 * i
        last_a, last_i = pts[-1][1] or 0, pts[-1][2]
        out.append(
            f'<line x1="{left}" x2="{left + 26}" y1="{ly + 8}" y2="{ly + 8}" stroke="{color}" stroke-width="2" '
            f'stroke-dasharray="6 4"/><text x="{left + 32}" y="{ly + 12}" font-size="12">{escape(cls)} authorized '
            f"{_fmt(last_a)}</text>"
            f'<line x1="{left + 300}" x2="{left + 326}" y1="{ly + 8}" y2="{ly + 8}" stroke="{color}" '
            f'stroke-width="2"/><text x="{left + 332}" y="{ly + 12}" font-size="12">{escape(cls)} issued '
            f"{_fmt(last_i)}</text>"
        )
        for idx, dash, label in ((1, ' stroke-dasharray="6 4"', "authorized"), (2, "", "issued")):
            path, prev = [], None
            for p in pts:
                v = p[idx] or 0
                if prev is None:
                    path.append(f"M{x(p[0]):.1f},{y(v):.1f}")
                else:
                    path.append(f"H{x(p[0]):.1f}V{y(v):.1f}")
                prev = v
            path.append(f"H{left + w:.1f}")
            last = pts[-1][idx] or 0
            out.append(
                f'<path d="{"".join(path)}" fill="none" stroke="{color}" stroke-width="2"{dash}>'
                f"<title>{escape(cls)} {label}: {_fmt(last)}</title></path>"
            )
    out.append("</svg>")
    return Markup("".join(out))


def ownership(rows: list[tuple[str, int]], total: int, width: int = 520) -> Markup:
    """Bars of the largest holders' shares of `total` (the rest as one bar)."""
    if not total or not rows:
        return Markup('<p class="muted">No shares outstanding.</p>')
    top = sorted(rows, key=lambda r: -r[1])
    shown = top[:8]
    rest = sum(r[1] for r in top[8:])
    if rest:
        shown.append((f"{len(top) - 8:,} others", rest))
    bar_h, gap, left = 20, 6, 170
    height = len(shown) * (bar_h + gap) + 4
    out = [
        f'<svg class="chart" viewBox="0 0 {width} {height}" role="img" aria-label="Ownership" '
        'xmlns="http://www.w3.org/2000/svg">'
    ]
    for i, (name, shares) in enumerate(shown):
        yy = i * (bar_h + gap) + 2
        bw = (width - left - 90) * shares / total
        pct = f"{percent_of(shares, total, 2)}%"  # exact, not a float
        out.append(
            f'<text x="{left - 6}" y="{yy + 14}" text-anchor="end" font-size="12">{escape(name[:26])}</text>'
            f'<rect x="{left}" y="{yy}" width="{bw:.1f}" height="{bar_h}" fill="{COLORS[i % len(COLORS)]}">'
            f"<title>{escape(name)}: {_fmt(shares)} shares</title></rect>"
            f'<text x="{left + bw + 6:.1f}" y="{yy + 14}" font-size="12">{pct}</text>'
        )
    out.append("</svg>")
    return Markup("".join(out))
