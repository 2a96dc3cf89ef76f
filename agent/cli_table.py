"""Print search results as a table in the terminal."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from agent.search.counting import result_count
from shared_schema.labels import label, money_text
from shared_schema.search import SearchResponse


def _cell(value: object, type_: str, currency: object) -> str:
    """A cell in the panel's words: money with its currency, status codes as labels."""
    if value is None:
        return ""
    if type_ == "money" and isinstance(value, int):
        return money_text(value, str(currency or ""))
    if type_ == "date" and isinstance(value, str):
        return value[:10]
    if type_ in ("status", "code") and isinstance(value, str):
        return label(value)
    return str(value)


def print_results(result: SearchResponse) -> None:
    columns = [c for c in result.columns if c.default_visible]
    table = Table(title=None, show_lines=False, header_style="bold")
    for column in columns:
        figure = column.type in ("money", "number")
        table.add_column(column.label, justify="right" if figure else "left", no_wrap=figure)
    for row in result.results:
        table.add_row(*(_cell(row.get(c.key), c.type, row.get("currency")) for c in columns))
    console = Console()
    console.print(table)
    note = f" ({result.interpretation})" if result.interpretation else ""
    console.print(result_count(result.total, result.total_exact, result.kind) + note)
