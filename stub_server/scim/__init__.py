"""The SCIM 2.0 protocol library (RFC 7643/7644): schemas, filters, PATCH, validation,
projection and error bodies. Pure functions over JSON; it imports nothing else of the stub."""
