"""DecisionCache: reuse authorize() decisions across callers whose consulted context agrees.

A decision depends only on the document, the policy and directive versions, the mode,
and the answers the rules got from the principal (recorded in the decision's
:class:`ContextRecord`). A cached decision is reused for a new caller when replaying
those questions on the new caller gives the same answers, so officers of one county share
one decision while a citizen's (whose subject is read) is their own. Refused decisions
(``context`` is None) are not cached.
"""

from __future__ import annotations

import hashlib
import threading
from collections import OrderedDict

from graphql import print_ast

from gateway.policy.authorize import authorize
from gateway.policy.decision import AuthorizationDecision, AuthorizationRequest

__all__ = ["DecisionCache"]


class DecisionCache:
    def __init__(self, max_documents: int = 2048, max_variants: int = 16) -> None:
        self.max_documents = max_documents
        self.max_variants = max_variants
        self._entries: OrderedDict[str, list[AuthorizationDecision]] = OrderedDict()
        self._lock = threading.Lock()
        self.hits = 0
        self.misses = 0

    @staticmethod
    def key(request: AuthorizationRequest, document_key: str | None = None) -> str:
        text = document_key or print_ast(request.document)
        directives = request.directives.version if request.directives else "-"
        parts = [
            text,
            request.operation_name or "",
            request.mode,
            request.policy.version,
            directives,
            str(request.allow_anonymous),
            str(id(request.api_schema)),
        ]
        return hashlib.sha256("\0".join(parts).encode()).hexdigest()

    def authorize(
        self, request: AuthorizationRequest, document_key: str | None = None
    ) -> AuthorizationDecision:
        """Like :func:`authorize`, reusing an earlier decision when the context agrees.

        ``document_key`` (e.g. the hash of the request's query text) saves printing the
        document; it must identify the document exactly.
        """
        key = self.key(request, document_key)
        with self._lock:
            variants = list(self._entries.get(key, ()))
        for decision in variants:
            context = decision.context
            if context is not None and context.matches(
                request.principal, request.purpose, request.allow_anonymous, request.variables
            ):
                self.hits += 1
                return decision
        self.misses += 1
        decision = authorize(request)
        if decision.context is None:
            return decision
        with self._lock:
            bucket = self._entries.setdefault(key, [])
            self._entries.move_to_end(key)
            bucket.insert(0, decision)
            del bucket[self.max_variants :]
            while len(self._entries) > self.max_documents:
                self._entries.popitem(last=False)
        return decision
