"""Organization roles and what each may do, as Contentstack documents them."""

OWNER = "Owner"
ADMIN = "Admin"
SECURITY_MANAGER = "Security Manager"
MEMBER = "Member"
PRODUCT_ANALYTICS_VIEWER = "Product Analytics Viewer"

ALL_ROLES = (OWNER, ADMIN, SECURITY_MANAGER, MEMBER, PRODUCT_ANALYTICS_VIEWER)

# Roles that may open Organization Settings → SCIM 2.0, enable/disable SCIM, issue tokens
# and map groups (Owner/Admin in the classic docs; newer docs add Security Manager).
SCIM_MANAGERS = frozenset({OWNER, ADMIN, SECURITY_MANAGER})


def can_manage_scim(role: str | None) -> bool:
    """Return True when the organization role may change SCIM settings."""
    return role in SCIM_MANAGERS
