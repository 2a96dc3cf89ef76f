"""``callcenter-agent report``: the day's wrap-ups as text or CSV."""

from __future__ import annotations

import csv
import io

from shared_schema.wrapups import DayReport

CSV_COLUMNS = (
    "session_id",
    "customer_id",
    "title",
    "disposition",
    "opened_at",
    "wrapped_at",
    "handle_seconds",
    "held_seconds",
    "records",
    "actions",
    "money_moved",
)


def minutes(seconds: int) -> str:
    return f"{seconds // 60}:{seconds % 60:02d}"


def money(minor: int) -> str:
    return f"{minor / 100:,.2f}"


def report_text(report: DayReport) -> str:
    lines = [
        f"{report.day}: {report.calls} call{'s' if report.calls != 1 else ''}, "
        f"average handle time {minutes(report.average_handle_seconds)}, "
        f"money moved {money(report.money_moved)}",
    ]
    lines += [f"  {d.calls:>3}  {d.disposition}" for d in report.dispositions]
    return "\n".join(lines) + "\n"


def report_csv(report: DayReport) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(CSV_COLUMNS)
    for call in report.wrap_ups:
        row = call.model_dump()
        row["records"] = " ".join(call.records)
        row["actions"] = "; ".join(call.actions)
        writer.writerow([row[c] if row[c] is not None else "" for c in CSV_COLUMNS])
    return out.getvalue()
