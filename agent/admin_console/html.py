"""HTML building blocks for the admin console: every value goes through ``esc``."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from html import escape
from urllib.parse import quote, urlencode

from shared_schema.labels import label, money_text

CSS_PATH = "/static/admin.css"
SECTIONS = (("orders", "Orders"), ("customers", "Customers"), ("returns", "Returns"))


def esc(value: object) -> str:
    return escape("" if value is None else str(value), quote=True)


def href(*parts: str, **query: str | int) -> str:
    """A path from segments (each percent-quoted), with an optional query string."""
    path = "/" + "/".join(quote(p, safe="") for p in parts)
    clean = {k: v for k, v in query.items() if v not in ("", None)}
    return path + ("?" + urlencode(clean) if clean else "")


def link(url: str, text: object, **attrs: str) -> str:
    extra = "".join(f' {k.replace("_", "-")}="{esc(v)}"' for k, v in attrs.items())
    return f'<a href="{esc(url)}"{extra}>{esc(text)}</a>'


def page(title: str, body: str, *, section: str = "") -> str:
    current = ' aria-current="page"'
    nav = "".join(
        f'<li><a href="/{key}"{current if key == section else ""}>{label}</a></li>'
        for key, label in SECTIONS
    )
    return (
        '<!doctype html>\n<html lang="en"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f"<title>{esc(title)} · Demo Store Admin</title>"
        f'<link rel="stylesheet" href="{CSS_PATH}"></head><body>'
        '<header class="top"><a class="brand" href="/">Demo Store Admin</a>'
        f'<nav aria-label="Main"><ul>{nav}</ul></nav>'
        '<span class="note">Read-only demo console</span></header>'
        f'<main id="main">{body}</main></body></html>\n'
    )


def table(caption: str, headers: Sequence[str], rows: Iterable[Sequence[str]]) -> str:
    """``rows`` hold HTML already escaped (cells built with ``esc``/``link``)."""
    head = "".join(f'<th scope="col">{esc(h)}</th>' for h in headers)
    body = "".join("<tr>" + "".join(f"<td>{c}</td>" for c in row) + "</tr>" for row in rows)
    if not body:
        body = f'<tr><td colspan="{len(headers)}" class="empty">None</td></tr>'
    return (
        f"<table><caption>{esc(caption)}</caption><thead><tr>{head}</tr></thead>"
        f"<tbody>{body}</tbody></table>"
    )


def facts(pairs: Iterable[tuple[str, str]]) -> str:
    """``pairs``: (label, HTML value)."""
    items = "".join(f"<dt>{esc(k)}</dt><dd>{v}</dd>" for k, v in pairs)
    return f'<dl class="facts">{items}</dl>'


def money(cents: int | None, currency: str) -> str:
    return "—" if cents is None else esc(money_text(cents, currency))


def word(code: str | None) -> str:
    """A status or other code as the panel shows it ("PartiallyRefunded" → "Partially
    Refunded")."""
    return "—" if code is None else esc(label(code))


def error_page(status: int, message: str) -> str:
    return page(
        f"Error {status}",
        f"<h1>Error {status}</h1><p>{esc(message)}</p>"
        '<p><a href="/">Back to the admin home</a></p>',
    )


CSS = """
:root { color-scheme: light; font: 15px/1.45 system-ui, sans-serif; color: #1d2433;
        background: #f4f5f7; }
body { margin: 0; }
.top { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.2rem;
       background: #263248; color: #fff; }
.top a { color: #fff; text-decoration: none; }
.top a[aria-current=page] { text-decoration: underline; }
.brand { font-weight: 700; }
.top ul { display: flex; gap: 1rem; list-style: none; margin: 0; padding: 0; }
.note { margin-left: auto; font-size: .85rem; opacity: .8; }
main { max-width: 1100px; margin: 1.2rem auto; padding: 0 1.2rem; }
h1 { font-size: 1.4rem; margin: .4rem 0 1rem; }
h2 { font-size: 1.1rem; margin: 1.4rem 0 .5rem; }
table { border-collapse: collapse; width: 100%; background: #fff; }
caption { text-align: left; font-weight: 600; font-size: 1.1rem; padding: 1.2rem 0 .4rem; }
th, td { border-bottom: 1px solid #dde1e7; padding: .4rem .6rem; text-align: left; }
.facts { display: grid; grid-template-columns: max-content 1fr; gap: .3rem 1rem;
         background: #fff; padding: .8rem; }
dt { font-weight: 600; }
dd { margin: 0; }
form.search { display: flex; gap: .5rem; margin-bottom: 1rem; }
form.search input { flex: 1; padding: .4rem; }
.pager { display: flex; gap: 1rem; margin: .8rem 0; }
.empty { color: #5b6474; }
"""
