"""Writing the kept rows of a KBO extract: COPY on PostgreSQL, batches elsewhere.

The importer decides which rows to keep and hands them to a writer as dicts of field
values (:mod:`.rows`). Both writers give the same result; the tests run on both databases.

- :class:`CopyWriter` (PostgreSQL, psycopg 3): the rows of a file are streamed with
  ``COPY ... FROM STDIN`` into a temporary staging table (dropped at the end of the
  transaction), then applied with one statement per table: for enterprises and
  establishments ``DELETE ... USING`` the staged numbers and one ``INSERT ... SELECT
  DISTINCT ON`` (the last row for a number wins); names, addresses and activities are a
  plain ``INSERT ... SELECT``. Deletions are staged the same way and applied with one
  ``DELETE ... USING``. No row passes through the ORM's INSERT.
- :class:`BatchWriter` (SQLite, the embedded default): ``bulk_create`` and ``DELETE ...
  IN`` in batches of :data:`BATCH_SIZE`.

Both remove what has no address in the area any more with set-based ``NOT EXISTS``
deletes (:meth:`Writer.remove_outside_area`).
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice

from django.db import models

from dossiers.models import (
    CompanyActivity,
    CompanyAddress,
    CompanyName,
    Enterprise,
    Establishment,
)

#: Rows per INSERT or DELETE for the batch writer.
BATCH_SIZE = 5000


def _batches(items: Iterable, size: int = BATCH_SIZE) -> Iterator[list]:
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch


def _columns(model: type[models.Model]) -> list[models.Field]:
    """The model's columns that an import writes (all but the id)."""
    return [field for field in model._meta.concrete_fields if not field.primary_key]


class Writer:
    """Writes and deletes register rows inside the import's transaction."""

    def __init__(self, connection):
        self.connection = connection

    def empty(self, *models_: type[models.Model]) -> None:
        """Delete every row of ``models_`` (a full extract replaces everything)."""
        with self.connection.cursor() as cursor:
            for model in models_:
                cursor.execute(f"DELETE FROM {self.table(model)}")

    def write(self, model: type[models.Model], objects: Iterable[dict], *, unique: bool) -> None:
        """Write one row per dict of field values; with ``unique``, a row replaces the
        stored one with the same ``number`` (the last one in ``objects`` wins)."""
        raise NotImplementedError

    def delete_numbers(self, model: type[models.Model], column: str, numbers: Iterable[str]) -> int:
        """Delete the rows whose ``column`` is one of ``numbers``; returns how many."""
        raise NotImplementedError

    def remove_outside_area(self, postcodes: set[str]) -> int:
        """Delete establishments without an address in ``postcodes``, enterprises with
        neither such an address nor an establishment left, then the names, addresses and
        activities of numbers that are gone. Returns how many rows went."""
        q = self.connection.ops.quote_name
        marks = ", ".join(["%s"] * len(postcodes))
        address = self.table(CompanyAddress)
        establishment = self.table(Establishment)
        enterprise = self.table(Enterprise)
        in_area = (
            f"SELECT 1 FROM {address} a WHERE a.{q('entity_number')} = t.{q('number')} "
            f"AND a.{q('postcode')} IN ({marks})"
        )
        statements = [
            (f"DELETE FROM {establishment} AS t WHERE NOT EXISTS ({in_area})", list(postcodes)),
            (
                f"DELETE FROM {enterprise} AS t WHERE NOT EXISTS ({in_area}) AND NOT EXISTS "
                f"(SELECT 1 FROM {establishment} e "
                f"WHERE e.{q('enterprise_number')} = t.{q('number')})",
                list(postcodes),
            ),
        ]
        for model in (CompanyName, CompanyAddress, CompanyActivity):
            statements.append(
                (
                    f"DELETE FROM {self.table(model)} AS t WHERE NOT EXISTS "
                    f"(SELECT 1 FROM {enterprise} n WHERE n.{q('number')} = t.{q('entity_number')})"
                    f" AND NOT EXISTS (SELECT 1 FROM {establishment} s "
                    f"WHERE s.{q('number')} = t.{q('entity_number')})",
                    [],
                )
            )
        deleted = 0
        with self.connection.cursor() as cursor:
            for sql, params in statements:
                cursor.execute(sql, params)
                deleted += max(cursor.rowcount, 0)
        return deleted

    def table(self, model: type[models.Model]) -> str:
        return self.connection.ops.quote_name(model._meta.db_table)


class BatchWriter(Writer):
    """``bulk_create`` and ``DELETE ... IN`` in batches (SQLite)."""

    def write(self, model, objects, *, unique):
        for batch in _batches(model(**values) for values in objects):
            if unique:
                batch = list({obj.number: obj for obj in batch}.values())
                model.objects.filter(number__in=[obj.number for obj in batch]).delete()
            model.objects.bulk_create(batch)

    def delete_numbers(self, model, column, numbers):
        deleted = 0
        for batch in _batches(numbers):
            deleted += model.objects.filter(**{f"{column}__in": batch}).delete()[0]
        return deleted


class CopyWriter(Writer):
    """``COPY`` into a staging table, then set-based statements (PostgreSQL)."""

    def stage(self, name: str, columns: list[tuple[str, str]], rows: Iterable[tuple]) -> str:
        """Create the temporary table ``name`` with ``columns`` (name, SQL type) and an
        ``seq`` column in arrival order, and stream ``rows`` into it with COPY."""
        q = self.connection.ops.quote_name
        table = q(name)
        definition = ", ".join(f"{q(column)} {sql_type}" for column, sql_type in columns)
        names = ", ".join(q(column) for column, _type in columns)
        with self.connection.cursor() as cursor:
            cursor.execute(f"DROP TABLE IF EXISTS {table}")
            cursor.execute(
                f"CREATE TEMPORARY TABLE {table} "
                f"(seq bigint GENERATED ALWAYS AS IDENTITY, {definition}) ON COMMIT DROP"
            )
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        return table

    def write(self, model, objects, *, unique):
        fields = _columns(model)
        columns = [(field.column, field.db_type(self.connection)) for field in fields]
        attnames = [field.attname for field in fields]
        staged = self.stage(
            f"kbo_stage_{model._meta.model_name}",
            columns,
            (tuple(values[name] for name in attnames) for values in objects),
        )
        q = self.connection.ops.quote_name
        names = ", ".join(q(column) for column, _type in columns)
        target = self.table(model)
        with self.connection.cursor() as cursor:
            if unique:
                number = q("number")
                cursor.execute(
                    f"DELETE FROM {target} AS t USING {staged} AS s WHERE t.{number} = s.{number}"
                )
                cursor.execute(
                    f"INSERT INTO {target} ({names}) SELECT {names} FROM ("
                    f"SELECT DISTINCT ON ({number}) {names} FROM {staged} "
                    f"ORDER BY {number}, seq DESC) AS latest"
                )
            else:
                cursor.execute(f"INSERT INTO {target} ({names}) SELECT {names} FROM {staged}")

    def delete_numbers(self, model, column, numbers):
        staged = self.stage(
            "kbo_stage_deleted", [("number", "varchar(10)")], ((n,) for n in numbers)
        )
        q = self.connection.ops.quote_name
        with self.connection.cursor() as cursor:
            cursor.execute(
                f"DELETE FROM {self.table(model)} AS t USING {staged} AS s "
                f"WHERE t.{q(column)} = s.{q('number')}"
            )
            return max(cursor.rowcount, 0)


def writer_for(connection) -> Writer:
    """The writer for the database in use."""
    if connection.vendor == "postgresql":
        return CopyWriter(connection)
    return BatchWriter(connection)
