"""A minimal Django project serving django-scim2 or django-scim2-server (accuracy corpus)."""
