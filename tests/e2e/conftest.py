"""The feature scenarios run in random order (pytest-randomly) and rely on no reset: each
scenario puts the state it needs in place through the settings API (see steps/)."""
