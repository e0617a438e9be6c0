"""Conformance checker tests against real servers: scim2-server with faults, and the stub."""
