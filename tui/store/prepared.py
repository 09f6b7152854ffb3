"""Prepared: a Peewee query compiled to SQL once per process, then run with new values.

Peewee builds and compiles a query on every call. For the small queries of a busy desk that is most
of the cost: reading one ticket took 9 ms, of which SQLite needed 1. A prepared query is built once
with a marker for each value, compiled for the open database (so another Peewee backend compiles
its own SQL), and then run by putting each call's values where the markers were.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

from peewee import AutoField, CharField, Field, ForeignKeyField, IntegerField, Query, TextField

from tui.store.models import database

_MARKER = -7_391_004_000
"""Marker values sit far below any id a desk will have; the values given are ids and numbers."""


_AS_STORED = (AutoField, CharField, IntegerField, TextField)
"""Fields whose value comes back from the database already as Python has it (str, int)."""


def _converter(column: Any) -> Callable | None:
    """How a column's value is turned into Python, or None when it needs nothing (a str or an int)."""
    if not isinstance(column, Field):
        return None
    target = column.rel_field if isinstance(column, ForeignKeyField) else column
    if type(target) in _AS_STORED:
        return None
    return column.python_value


class Prepared:
    """`Prepared(lambda a, b: Model.select(...).where(... == a ...))`, then `prepared.rows(1, 2)`."""

    def __init__(self, build: Callable[..., Query], arity: int | None = None) -> None:
        """`arity`: how many values, when `build` takes them as *values."""
        self._build = build
        self._arity = build.__code__.co_argcount if arity is None else arity
        self._compiled: tuple[str, list[tuple[int | None, Any]], list[Callable | None]] | None = None

    def _compile(self) -> tuple[str, list[tuple[int | None, Any]], list[Callable | None]]:
        if self._compiled is None:
            markers = [_MARKER - n for n in range(self._arity)]
            query = self._build(*markers)
            sql, params = query.sql()
            slots = [(markers.index(p), None) if p in markers else (None, p) for p in params]
            converters = [_converter(c) for c in getattr(query, "_returning", ())]
            self._compiled = (sql, slots, converters)
        return self._compiled

    def raw_rows(self, *values: Any) -> Iterable[tuple]:
        """The query's rows as SQLite gives them, for a caller that converts the columns itself."""
        sql, slots, _ = self._compile()
        return database.execute_sql(
            sql, [values[slot] if slot is not None else fixed for slot, fixed in slots]
        )

    def rows(self, *values: Any) -> Iterator[tuple]:
        """The query's rows as tuples, each column converted as its field converts it."""
        cursor = self.raw_rows(*values)
        converters = self._compile()[2]
        if not any(converters):
            yield from cursor
            return
        for row in cursor:
            yield tuple(
                convert(value) if convert is not None and value is not None else value
                for convert, value in zip(converters, row, strict=False)
            )

    def first(self, *values: Any) -> tuple | None:
        return next(self.rows(*values), None)
