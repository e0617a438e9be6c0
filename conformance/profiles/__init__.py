"""IdP profiles: checks replaying the request shapes of Entra ID, Okta and OneLogin.

Their ids start with ``profile.<name>.``; they run only with ``--profile <name>`` and are
reported as IdP compatibility, apart from the RFC verdict.
"""
