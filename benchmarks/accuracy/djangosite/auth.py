"""Bearer-token authentication: the one thing both packages leave to the host project."""

import hmac

from django.conf import settings
from django.contrib.auth.models import AnonymousUser


class ServiceAccount(AnonymousUser):
    """The identity provider calling with the configured token (no database row)."""

    is_authenticated = True
    is_active = True
    is_staff = True
    is_superuser = True


class BearerTokenMiddleware:
    """Set request.user to the service account when the Authorization header carries the token."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        header = request.headers.get("Authorization", "")
        scheme, _, token = header.partition(" ")
        valid = scheme.lower() == "bearer" and hmac.compare_digest(token, settings.TOKEN)
        request.user = ServiceAccount() if valid else AnonymousUser()
        return self.get_response(request)
