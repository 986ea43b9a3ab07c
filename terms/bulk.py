"""Writing many rows at once, faster than `bulk_create` and `bulk_update` where that matters.

`bulk_create` composes its SQL value by value: each row costs about 60 µs of Python before
the database sees it, which made up half of `generate_terms`. `insert` prepares each value
with the field's own `pre_save` and `get_db_prep_save` (what `bulk_create` calls too), and
sends one parametrised statement for all rows through the driver's `executemany`.
"""

from collections.abc import Iterable

from django.db import connections, router
from django.db.models import Model

# Django's own fields of these kinds store a value of the given type as it is: their
# `get_db_prep_save` only checks it and returns it, so `insert` skips the call for such values.
PLAIN = {
    "CharField": str,
    "SlugField": str,
    "TextField": str,
    "IntegerField": int,
    "SmallIntegerField": int,
    "BigIntegerField": int,
    "PositiveIntegerField": int,
    "PositiveSmallIntegerField": int,
    "PositiveBigIntegerField": int,
    "AutoField": int,
    "BigAutoField": int,
    "BooleanField": bool,
}


def _preparer(field, connection):
    """A function of an instance giving the field's database value, as `bulk_create` computes it."""
    target = field
    while target.is_relation:  # a foreign key stores its target's value (which may be a key itself)
        target = target.target_field
    plain = PLAIN.get(target.get_internal_type())
    builtin = all(type(f).__module__.startswith("django.db.models.fields") for f in (field, target))
    if plain is not None and builtin:
        attname = field.attname  # built-in fields of these kinds: pre_save reads the attribute

        def prep(obj):
            value = getattr(obj, attname)
            return value if type(value) is plain else field.get_db_prep_save(value, connection)

        return prep
    return lambda obj: field.get_db_prep_save(field.pre_save(obj, True), connection)


def insert(objs: Iterable[Model]) -> int:
    """Insert the instances (all of one model) as `bulk_create(objs)` would; return how many.

    Unlike `bulk_create`, database-generated primary keys are not read back (instances
    that need theirs must be created another way) and conflicts are never ignored.
    """
    objs = list(objs)
    if not objs:
        return 0
    model = type(objs[0])
    if any(type(obj) is not model for obj in objs):
        raise TypeError(f"insert() takes instances of one model; got {sorted({type(o).__name__ for o in objs})}.")
    opts = model._meta
    if opts.parents:
        raise TypeError(f"insert() cannot insert {model.__name__}: it inherits from another concrete model.")
    generated_pk = opts.pk.db_returning and all(obj.pk is None for obj in objs)
    fields = [
        field
        for field in opts.concrete_fields
        if not getattr(field, "generated", False) and not (generated_pk and field is opts.pk)
    ]
    alias = router.db_for_write(model)
    connection = connections[alias]
    prepare = [_preparer(field, connection) for field in fields]
    rows = []
    for obj in objs:
        obj._prepare_related_fields_for_save(operation_name="insert")
        rows.append([prep(obj) for prep in prepare])
    insert_rows(model, [field.name for field in fields], rows)
    for obj in objs:
        obj._state.adding = False
        obj._state.db = alias
    return len(objs)


def insert_rows(model: type[Model], field_names: list[str], rows: list[list]) -> int:
    """Insert rows of database-ready values, in the order of `field_names`; return how many.

    For rows so many that building a model instance for each would cost more than choosing them.
    """
    if not rows:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    columns = ", ".join(quote(model._meta.get_field(name).column) for name in field_names)
    placeholders = ", ".join(["%s"] * len(field_names))
    with connection.cursor() as cursor:
        cursor.executemany(f"INSERT INTO {quote(model._meta.db_table)} ({columns}) VALUES ({placeholders})", rows)
    return len(rows)


def update(model: type[Model], field_names: list[str], values: dict) -> int:
    """Set these fields of many rows, `values` mapping each primary key to {field name: value}; return how many.

    One parametrised UPDATE for all rows through `executemany`: `bulk_update` builds a CASE
    expression per field instead, slow for the large JSON and HTML values of published pages.
    """
    if not values:
        return 0
    connection = connections[router.db_for_write(model)]
    quote = connection.ops.quote_name
    fields = [model._meta.get_field(name) for name in field_names]
    assignments = ", ".join(f"{quote(field.column)} = %s" for field in fields)
    rows = [
        [*(field.get_db_prep_save(changes[field.name], connection) for field in fields), pk]
        for pk, changes in values.items()
    ]
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {quote(model._meta.db_table)} SET {assignments} WHERE {quote(model._meta.pk.column)} = %s", rows
        )
    return len(rows)
