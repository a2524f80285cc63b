"""Access policy: principals, the authorize stage, post-processing and the policy store."""

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
from gateway.policy.policyset import PolicySet, deny_all_policy, load_policy_set
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
