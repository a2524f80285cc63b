"""What every department subgraph is built from.

A department package holds ``store.py`` (its own tables or files, mapped to
:mod:`~subgraphs.common.records`), ``types.py`` and ``schema.py`` (a
:class:`~subgraphs.common.schema.SubgraphSchema`), ``app.py`` with ``create_app(settings=None)``
(via :func:`~subgraphs.common.app.make_subgraph_app`) and ``seed.py`` with
``async def seed(dataset, target) -> int``.

Modules: ``identifiers`` (GB 11643 / GB 32100 / GB 11714), ``divisions`` (Tieling),
``errors`` (clean GraphQL errors, masking), ``types`` and ``pagination`` (Division,
PageInfo, connections), ``context`` (per-request context and DataLoaders), ``app``
(ASGI app, signature check), ``settings`` (environment), ``sql`` (async SQLAlchemy
helpers), ``datagen*`` and ``vocabulary`` (the synthetic dataset), ``seeding`` (runs the
five seeders), ``records`` (the dataset's record types).
"""
