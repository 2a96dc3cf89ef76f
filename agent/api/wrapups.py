"""A call's structured wrap-up, the dispositions it chooses from, the day's report and the
recent callers."""

from __future__ import annotations

import datetime as dt
from typing import Any

from aiohttp import web

from agent.api.common import SESSIONS, ok
from agent.api.routes import RouteTable
from agent.query import Param
from shared_schema.wrapups import DayReport, Dispositions, RecentCallers, WrapUp, WrapUpIn

routes = RouteTable()
DAY = Param("day", "date", description="The day (UTC, YYYY-MM-DD); today when not given")


@routes.post(
    "/sessions/{sid}/wrap-up",
    "Record a call's wrap-up: disposition, handle time, records and actions",
    WrapUp,
    body=WrapUpIn,
    errors=(400, 404, 422),
)
async def wrap_up(request: web.Request, body: WrapUpIn) -> web.Response:
    return ok(request.app[SESSIONS].wrap_up(request.match_info["sid"], body))


@routes.get("/dispositions", "The call reasons a wrap-up chooses from", Dispositions)
async def dispositions(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].dispositions())


@routes.put(
    "/dispositions",
    "Replace the call reasons a wrap-up chooses from",
    Dispositions,
    body=Dispositions,
    errors=(400, 422),
)
async def put_dispositions(request: web.Request, body: Dispositions) -> web.Response:
    return ok(request.app[SESSIONS].put_dispositions(body))


@routes.get(
    "/report",
    "The CSR's day: calls, handle time, dispositions, money moved",
    DayReport,
    query=(DAY,),
    errors=(400,),
)
async def report(request: web.Request, query: dict[str, Any]) -> web.Response:
    day = query["day"] or dt.datetime.now(dt.UTC).date()
    return ok(request.app[SESSIONS].day_report(day))


@routes.get(
    "/recent-callers", "The last customers whose sessions were closed, newest first", RecentCallers
)
async def recent_callers(request: web.Request) -> web.Response:
    return ok(request.app[SESSIONS].recent_callers())
