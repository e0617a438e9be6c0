"""Create the SQLite schema, then serve on 127.0.0.1:ACCURACY_PORT (threaded, no reloader)."""

import os

import django
from django.core.management import call_command

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "djangosite.settings")

if __name__ == "__main__":
    django.setup()
    call_command("migrate", run_syncdb=True, verbosity=0)
    call_command(
        "runserver", f"127.0.0.1:{os.environ['ACCURACY_PORT']}", use_reloader=False, verbosity=0
    )
