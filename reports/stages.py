"""Where a run's time and memory went: the stored per-stage breakdown, grouped for reading."""

from __future__ import annotations

import pandas as pd


def wall_seconds(started_at: str | None, finished_at: str | None) -> float | None:
    """A run's wall time from its stored start and end (ISO 8601), None while it has no end."""
    if not started_at or not finished_at:
        return None
    return (pd.Timestamp(finished_at) - pd.Timestamp(started_at)).total_seconds()


def stage_frame(rows: list[dict], wall: float | None = None) -> pd.DataFrame:
    """Top-level stages grouped by kind ("generation · v · suite/split" -> "generation"): total
    seconds, share of the run, number of stages and the peak resident memory any of them reached.
    Nested stages are counted once, in the stage around them; with the run's ``wall`` time, a last
    row holds what no stage measured (set-up, imports, writing results), so the rows add up to it."""
    frame = pd.DataFrame(rows, columns=["name", "seconds", "peak_mb", "depth"])
    if frame.empty:
        return pd.DataFrame(columns=["stage", "seconds", "share", "count", "peak MB"])
    top = frame[frame.depth == frame.depth.min()].copy()
    inner = frame[frame.depth > frame.depth.min()]
    # training and data preparation run inside nothing here; generation etc. run inside nothing too
    top["stage"] = top.name.str.split(" · ").str[0]
    grouped = top.groupby("stage", sort=False).agg(seconds=("seconds", "sum"), count=("name", "size"),
                                                   peak=("peak_mb", "max")).reset_index()
    if wall is not None and wall > grouped.seconds.sum():
        grouped.loc[len(grouped)] = ["outside the stages above", wall - grouped.seconds.sum(), 0, float("nan")]
    total = (wall if wall is not None and wall >= grouped.seconds.sum() else grouped.seconds.sum()) or 1.0
    grouped["share"] = (grouped.seconds / total).map("{:.0%}".format)
    grouped["seconds"] = grouped.seconds.round(1)
    out = grouped.rename(columns={"peak": "peak MB"})[["stage", "seconds", "share", "count", "peak MB"]]
    if not inner.empty:
        out = out.sort_values("seconds", ascending=False, ignore_index=True)
    return out


def print_stages(console, rows: list[dict], wall_seconds: float | None = None) -> None:
    from rich.table import Table

    frame = stage_frame(rows)
    title = "where the time went" + (f" (wall {wall_seconds / 60:.1f} min)" if wall_seconds else "")
    table = Table(*frame.columns, title=title)
    for row in frame.itertuples(index=False):
        table.add_row(*map(str, row))
    if wall_seconds and not frame.empty:  # imports, setup, writing results: what no stage measured
        table.add_row("outside the stages above", f"{max(0.0, wall_seconds - frame.seconds.sum()):.1f}", "", "", "")
    console.print(table)
    slowest = sorted(rows, key=lambda r: -r["seconds"])[:5]
    console.print("slowest: " + "; ".join(f"{r['name']} {r['seconds']:.0f} s" for r in slowest), highlight=False)
