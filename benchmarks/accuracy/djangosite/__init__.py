"""A minimal Django project that serves django-scim2 or django-scim2-server for the accuracy corpus."""
