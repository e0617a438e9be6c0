"""The scim-conformance commands: arguments, the check / sweep / list commands, terminal output.

``conformance.cli:main`` dispatches here; ``terminal`` holds the exit statuses, the one-line
messages and the Ctrl-C handling every command shares.
"""
