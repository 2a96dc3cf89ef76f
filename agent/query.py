"""One validator for every query string the agent reads, and the OpenAPI text of each parameter.

A route declares its parameters as ``Param`` values (agent/api/routes.py); ``parse_query``
checks a query string against them and answers the typed values, or a 400 naming the
parameter: ``unknown_parameter`` (with the ones the route takes), ``invalid_parameter`` (given
twice, too long, not a whole number, out of range, not a date, not an allowed value). The
same ``Param`` writes the parameter into the OpenAPI document, so the two cannot drift.

An empty value of a number, choice or date (``?page=``, ``?order=``) is a 400 like any other
value outside its schema: leave a parameter out to get its default. An empty text (``?q=``)
is the empty text, and an empty ``choices`` value (``?status=``) selects nothing.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from agent.errors import BadRequest

ParamType = Literal["int", "text", "choice", "choices", "date"]


@dataclass(frozen=True)
class Param:
    name: str
    type: ParamType
    default: Any = None
    low: int = 0  # int: the smallest value
    high: int = 0  # int: the largest value
    max_length: int = 100  # text: the longest value, in characters
    allowed: tuple[str, ...] = ()  # choice, choices: the values
    description: str = ""
    code: str = "invalid_parameter"  # the error code of a wrong value
    required: bool = False
    pattern: str = ""  # text: the whole value must match this regular expression

    def parse(self, values: Sequence[str]) -> Any:
        if self.type == "choices":
            return self._choices(values)
        if len(values) > 1:
            raise self.bad("given more than once")
        raw = values[0] if values else ""
        if len(raw) > self.max_length:
            raise self.bad("too long")
        text = raw.strip()
        if not values or not text:
            if self.required:
                raise self.bad("is required")
            if not values or self.type == "text":
                return self.default
            raise BadRequest(
                f"'{self.name}' is empty; leave it out to get the default",
                details={"param": self.name},
                code="invalid_parameter",
            )
        if self.pattern and not re.fullmatch(self.pattern, raw):
            raise self.bad(f"must match {self.pattern}")
        if self.type == "int":
            return self._int(raw, text)
        if self.type == "date":
            try:
                return dt.date.fromisoformat(text)
            except ValueError:
                raise self.bad(f"'{raw}' is not a date (YYYY-MM-DD)") from None
        if self.type == "choice" and text not in self.allowed:
            raise self.bad(f"'{text}' is not one of {', '.join(self.allowed)}", self.allowed)
        return text

    def _int(self, raw: str, text: str) -> int:
        digits = text.removeprefix("#")
        if not digits.isascii() or not digits.isdigit():
            raise self.bad(f"'{raw}' is not a whole number")
        value = int(digits)
        if not self.low <= value <= self.high:
            raise self.bad(f"must be a whole number from {self.low} to {self.high}")
        return value

    def _choices(self, values: Sequence[str]) -> tuple[str, ...]:
        """Any number of allowed values, repeated or comma-separated; each once."""
        chosen: list[str] = []
        for raw in values:
            for part in (p.strip() for p in raw.split(",")):
                if not part:
                    continue
                if part not in self.allowed:
                    raise self.bad(f"'{part}' is not one of the allowed values", self.allowed)
                if part not in chosen:
                    chosen.append(part)
        return tuple(chosen)

    def bad(self, problem: str, allowed: Sequence[str] = ()) -> BadRequest:
        details: dict[str, Any] = {"param": self.name}
        if allowed:
            details["allowed"] = sorted(allowed)
        return BadRequest(f"Parameter '{self.name}': {problem}", details=details, code=self.code)

    def openapi(self) -> dict[str, Any]:
        """The parameter as an OpenAPI ``in: query`` parameter."""
        out: dict[str, Any] = {"name": self.name, "in": "query", "required": self.required}
        out["schema"] = self._schema()
        if self.description:
            out["description"] = self.description
        if self.type == "choices":
            out["style"], out["explode"] = "form", True
        return out

    def _schema(self) -> dict[str, Any]:
        if self.type == "int":
            return {"type": "integer", "minimum": self.low, "maximum": self.high}
        if self.type == "choice":
            return {"type": "string", "enum": list(self.allowed)}
        if self.type == "choices":
            # An empty value (``?status=``) selects nothing, like an empty date or number.
            return {
                "type": "array",
                "items": {
                    "type": "string",
                    "anyOf": [{"enum": list(self.allowed)}, {"maxLength": 0}],
                },
            }
        if self.type == "date":
            return {"type": "string", "format": "date"}
        if self.pattern:
            return {"type": "string", "maxLength": self.max_length, "pattern": f"^{self.pattern}$"}
        return {"type": "string", "maxLength": self.max_length}


Params = tuple[Param, ...]
NO_PARAMS: Params = ()


def parse_query(params: Params, query: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """Every declared parameter's value (its default when not given); an unknown one is a 400."""
    known = {p.name: p for p in params}
    unknown = sorted(set(query) - set(known))
    if unknown:
        takes = f"; this route takes {', '.join(known)}" if known else ""
        raise BadRequest(
            f"Unknown parameter '{unknown[0]}'{takes}",
            details={"param": unknown[0], "allowed": sorted(known)},
            code="unknown_parameter",
        )
    return {name: param.parse(query.get(name, ())) for name, param in known.items()}
