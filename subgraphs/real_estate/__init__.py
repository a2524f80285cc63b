"""real_estate subgraph: the Natural Resources Bureau's registry, reached over its legacy JSON API.

The subgraph keeps no data of its own. Every answer comes from the legacy registry
(``GOVGRAPH_REAL_ESTATE_LEGACY_URL``, default ``http://127.0.0.1:4010``; the stand-in is
``legacy_service/``, run with ``govgraph legacy serve``) through one shared httpx client
per app (``registry_client.py``), with per-request DataLoaders so a batch of entity keys
costs one registry call (``loaders.py``).

Field mapping (registry -> graph, ``mapping.py``)::

    bdcqzh -> certificateNumber    zl -> address          xzqdm -> county
    ytdm   -> usage (10 RESIDENTIAL, 20 COMMERCIAL, 30 INDUSTRIAL, 40 AGRICULTURAL)
    jzmj   -> area                 djsj -> registeredOn (date part)
    zdxx {zddm, tdyt, zdmj} -> parcel {parcelNumber, landUse, area}
    qlrxx [{qlrlb 1 person / 2 enterprise, zjh, qlbl}] -> owners [{owner, share}]
    dyzt "1" -> mortgaged          cfzt "1" -> seized

Lists page with opaque cursors over the registry's page/size paging; a registry that is
down, slow or off-protocol becomes the GraphQL error "real estate registry unavailable"
(code ``REGISTRY_UNAVAILABLE``), a non-zero registry code ``REGISTRY_REFUSED``.
"""

__all__: list[str] = []
