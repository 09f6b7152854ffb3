"""Fast bulk inserts for generated data (the demo): one prepared statement, many rows."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from peewee import Model


def bulk_insert(
    model: type[Model], columns: Sequence[str], rows: Iterable[Sequence[object]], convert: bool = True
) -> int:
    """Insert `rows` (values in `columns` order) with executemany.

    Peewee's insert_many builds the SQL text for every row, which costs far more than SQLite's own
    work for millions of rows; here the statement is built once and each value still goes through
    its field's db_value, so stored values match what the models write. A caller that already
    holds database values (convert=False) skips even that.
    """
    meta = model._meta
    database = meta.database
    fields = [meta.fields[name] for name in columns]
    converters = [f.db_value for f in fields]
    quoted = ", ".join(f'"{f.column_name}"' for f in fields)
    marks = ", ".join([database.param] * len(fields))
    sql = f'INSERT INTO "{meta.table_name}" ({quoted}) VALUES ({marks})'
    if convert:
        rows = [tuple(to_db(value) for to_db, value in zip(converters, row, strict=True)) for row in rows]
    converted = rows if isinstance(rows, list) else list(rows)
    database.cursor().executemany(sql, converted)
    return len(converted)
