"""What provisioning means in a Contentstack organization, above the storage and below HTTP.

SCIM resource operations (``resources``) and what each resource type's writes do to accounts,
memberships and the audit log (``users``, ``groups``). It imports the storage and the SCIM
protocol library; the settings UI and the SCIM service import it, never the other way round.
"""
