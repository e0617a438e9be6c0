"""The package's SCIM routes under ACCURACY_MOUNT."""

from django.conf import settings
from django.urls import include, path

if settings.PACKAGE == "django-scim2":
    urlpatterns = [path(settings.MOUNT, include("django_scim.urls", namespace="scim"))]
else:
    urlpatterns = [path(settings.MOUNT, include("django_scim2_server.urls"))]
