"""Conformance checks, one module per RFC area; importing a module registers its checks."""
