"""A deliberately non-conformant SCIM server: scim2-server behind a fault-injecting middleware.

``core`` holds the middleware, the request/response model and the fault registry (its
docstring shows how to add a fault); each ``faults_*`` module registers one area's faults
when imported. Import from this package: ``from tests.integration.conformance.faulty import
FAULTS, ServedApp, faulty_scim2_server, serve``.
"""

from tests.integration.conformance.faulty import (  # noqa: F401  (importing registers faults)
    faults_advice,
    faults_claims,
    faults_gaps,
    faults_http,
    faults_patch_bulk,
    faults_query,
    faults_resources,
    faults_state,
    faults_values,
)
from tests.integration.conformance.faulty.core import (
    FAULTS,
    TOKEN,
    FaultyMiddleware,
    ServedApp,
    faulty_scim2_server,
    scim2_server_app,
    serve,
)

__all__ = [
    "FAULTS",
    "TOKEN",
    "FaultyMiddleware",
    "ServedApp",
    "faulty_scim2_server",
    "scim2_server_app",
    "serve",
]
