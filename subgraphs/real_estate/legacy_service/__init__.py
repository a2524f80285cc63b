"""Stand-in for the Natural Resources Bureau's legacy real-estate registry (JSON over HTTP).

It runs as its own process (``govgraph legacy serve``) over its own SQLite database
(``<data>/real_estate/registry.db``, written by ``subgraphs.real_estate.seed``) and speaks
the registry's own dialect: an envelope ``{"code", "msg", "data"}`` with code 0 for success,
pinyin-initial field names, page/size paging and batch endpoints. The wire conventions
are in ``protocol.py``, the endpoints in ``app.py`` and the tables in ``store.py``.

A unit (不动产单元) as the registry returns it::

    {"bdcqzh": "辽(2021)铁岭市不动产权第0001234号", "zl": "银州区…", "xzqdm": "211202",
     "ytdm": "10", "ytmc": "住宅", "jzmj": 89.5, "djsj": "2021-03-04 00:00:00",
     "zddm": "211202001001GB00001", "zdxx": {"zddm": …, "tdyt": "城镇住宅用地", "zdmj": 1200.0},
     "dyzt": "0", "cfzt": "0",
     "qlrxx": [{"qlrlb": "1", "zjzl": "1", "zjh": "<identity number>", "qlbl": "100%"}],
     "cfxx": [{"cfwh": "<court decision number>", "cfsj": "2024-05-01 09:30:00"}]}
"""

from __future__ import annotations

from .app import MAX_BATCH, MAX_PAGE_SIZE, create_legacy_app, registry_path
from .protocol import LegacyCode

__all__ = ["MAX_BATCH", "MAX_PAGE_SIZE", "LegacyCode", "create_legacy_app", "registry_path"]
