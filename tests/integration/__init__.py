"""Tests with real ports, subprocesses and third-party servers."""
