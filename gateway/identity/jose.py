"""The authlib JOSE names the identity package uses, imported without its deprecation noise.

authlib 1.x marks ``authlib.jose`` deprecated in favour of ``joserfc`` but keeps it
working until 2.0; the warning would otherwise print on every ``govgraph token`` call.
"""

from __future__ import annotations

import warnings

# Importing authlib.deprecate installs an "always" filter for its warning class, so it is
# imported first and then overridden inside the guarded block.
from authlib.deprecate import AuthlibDeprecationWarning

with warnings.catch_warnings():
    warnings.simplefilter("ignore", AuthlibDeprecationWarning)
    from authlib.jose import JsonWebKey, JsonWebToken, Key
    from authlib.jose.errors import BadSignatureError, JoseError

__all__ = ["BadSignatureError", "JoseError", "JsonWebKey", "JsonWebToken", "Key"]
