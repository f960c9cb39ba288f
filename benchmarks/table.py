"""One row of the benchmark table and how the table is printed."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Figure:
    """`ours` compared with `limit`: ratio = ours / limit; `target` bounds the ratio, or is
    None for a row printed for reference only (it is then neither met nor missed).

    `ratio_range` is the least and greatest ratio of single alternating rounds, when the
    figure comes from `pairs.alternate`; `ours` and `limit` are then the two sides' medians.
    """

    name: str
    ours: float
    limit: float
    unit: str
    target: float | None
    higher_is_better: bool = False
    note: str = ""
    ratio_range: tuple[float, float] | None = None

    @property
    def ratio(self) -> float:
        return self.ours / self.limit if self.limit else float("inf")

    @property
    def met(self) -> bool:
        if self.target is None:
            return True
        return self.ratio >= self.target if self.higher_is_better else self.ratio <= self.target

    def target_text(self) -> str:
        if self.target is None:
            return "reported"
        return f"{'≥' if self.higher_is_better else '≤'} {self.target:g}"

    def met_text(self) -> str:
        if self.target is None:
            return "—"
        return "yes" if self.met else "NO"


def _ratio_text(figure: Figure) -> str:
    if figure.ratio_range is None:
        return f"{figure.ratio:.2f}"
    low, high = figure.ratio_range
    return f"{figure.ratio:.2f} ({low:.2f}–{high:.2f})"


def _fmt(value: float) -> str:
    return f"{value:,.3f}" if abs(value) < 100 else f"{value:,.0f}"


def render(figures: list[Figure]) -> str:
    header = ("figure", "ours", "limit / peer", "unit", "ratio (min–max)", "target", "met")
    rows = [
        (
            f.name,
            _fmt(f.ours),
            _fmt(f.limit),
            f.unit,
            _ratio_text(f),
            f.target_text(),
            f.met_text(),
        )
        for f in figures
    ]
    widths = [max(len(str(r[i])) for r in [header, *rows]) for i in range(len(header))]

    def line(cells: tuple[str, ...]) -> str:
        return "| " + " | ".join(c.ljust(w) for c, w in zip(cells, widths, strict=True)) + " |"

    rule = "|" + "|".join("-" * (w + 2) for w in widths) + "|"
    lines = [line(header), rule, *(line(r) for r in rows)]
    notes = [f"- {f.name}: {f.note}" for f in figures if f.note]
    return "\n".join([*lines, *(["", *notes] if notes else [])])
