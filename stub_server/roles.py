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


# Ranks for "the highest role wins" (group mappings). Where Contentstack is silent we rank
# Admin above Security Manager, and Product Analytics Viewer (read-only) below Member.
ORG_ROLE_RANK = {
    PRODUCT_ANALYTICS_VIEWER: 1,
    MEMBER: 2,
    SECURITY_MANAGER: 3,
    ADMIN: 4,
    OWNER: 5,
}
# A group mapping grants Admin or Member in the organization, never Owner.
MAPPABLE_ORG_ROLES = (ADMIN, MEMBER)

STACK_ADMIN = "Admin"
DEVELOPER = "Developer"
CONTENT_MANAGER = "Content Manager"
STACK_ROLES = (STACK_ADMIN, DEVELOPER, CONTENT_MANAGER)
STACK_ROLE_RANK = {CONTENT_MANAGER: 1, DEVELOPER: 2, STACK_ADMIN: 3}
