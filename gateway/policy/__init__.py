"""Access policy: principals, the authorize stage, post-processing and the policy store.

How a request passes through (one module per step)::

    policies/*.yaml ──model, loader──> policyset (PolicySet, version) ──check──> store
    supergraph SDL ──directives──> SecurityDirectives
    authorize(AuthorizationRequest)          authorize.py, operation.py, verdicts.py, context.py
        -> AuthorizationDecision(document, errors, fingerprint, plan …)   decision.py, release.py
    decision.post_process(raw data, errors)               postprocess.py, conditions.py, maskers.py
        -> PostProcessResult(data, errors, data_subjects …)
    PolicyAuthorizer: the pipeline's Authorizer port     stage.py, cache.py (DecisionCache)
    govgraph policy check|explain|test|diff|matrix       check.py, explain.py, casetest.py,
                                                          diff.py, matrix.py
"""

from __future__ import annotations

from gateway.policy.authorize import authorize
from gateway.policy.cache import DecisionCache
from gateway.policy.decision import (
    AUTHORIZATION_FAILED,
    AuthorizationDecision,
    AuthorizationRequest,
    Mode,
)
from gateway.policy.directives import Requirement, SecurityDirectives, parse_security_directives
from gateway.policy.loader import load_policy_set
from gateway.policy.policyset import PolicySet, deny_all_policy
from gateway.policy.postprocess import DataSubject, PostProcessResult
from gateway.policy.principal import ANONYMOUS, Principal
from gateway.policy.stage import PolicyAuthorizer
from gateway.policy.store import PolicyStore

__all__ = [
    "ANONYMOUS",
    "AUTHORIZATION_FAILED",
    "AuthorizationDecision",
    "AuthorizationRequest",
    "DataSubject",
    "DecisionCache",
    "Mode",
    "PolicyAuthorizer",
    "PolicySet",
    "PolicyStore",
    "PostProcessResult",
    "Principal",
    "Requirement",
    "SecurityDirectives",
    "authorize",
    "deny_all_policy",
    "load_policy_set",
    "parse_security_directives",
]
