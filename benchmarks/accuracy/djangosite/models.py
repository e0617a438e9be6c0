"""The User and Group models django-scim2 maps: its SCIM mixins on Django's user and a group."""

from django.contrib.auth.models import AbstractUser
from django.db import models
from django_scim.models import AbstractSCIMGroupMixin, AbstractSCIMUserMixin


class Group(AbstractSCIMGroupMixin):
    """A SCIM group."""

    name = models.CharField(max_length=150)


class User(AbstractSCIMUserMixin, AbstractUser):
    """A SCIM user; scim_groups is the membership django-scim2 reads and writes."""

    scim_groups = models.ManyToManyField(Group, related_name="user_set", blank=True)
