"""Create the demo editor and reviewer accounts, and print how to log in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.urls import reverse

DEMO_ACCOUNTS = (("editor", "Editors", "writes terms"), ("reviewer", "Reviewers", "also publishes"))
# Where the demo accounts' notification emails go: with the default console backend, `make run` prints them.
EMAIL_DOMAIN = "example.com"


class Command(BaseCommand):
    help = "Create demo accounts with generated passwords (kept in var/demo-accounts) and print them."

    def add_arguments(self, parser):
        parser.add_argument(
            "--url",
            default="http://127.0.0.1:8000/",
            help="Where the site is served, for the login address printed (default: http://127.0.0.1:8000/).",
        )

    def handle(self, *args, url, **options):
        User = get_user_model()
        store = Path(settings.VAR_DIR) / "demo-accounts"
        remembered = (
            dict(line.split(" ", 1) for line in store.read_text().splitlines() if " " in line) if store.exists() else {}
        )
        lines = []
        for username, group_name, role in DEMO_ACCOUNTS:
            user = User.objects.filter(username=username).first()
            address = f"{username}@{EMAIL_DOMAIN}"
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(username, email=address, password=password, is_staff=True)
                user.groups.add(Group.objects.get(name=group_name))
                remembered[username] = password
            elif not user.email:
                # Accounts made before notifications existed get an address, so their emails show too.
                User.objects.filter(pk=user.pk).update(email=address)
                user.email = address
            password = remembered.get(username)
            if password and user.check_password(password):
                lines.append(f"  {username:<9} {password:<18} {user.email:<22} ({group_name}: {role})")
            else:
                lines.append(
                    f"  {username:<9} {'(password changed)':<18} {user.email:<22} "
                    f"reset with: python manage.py changepassword {username}"
                )
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text("".join(f"{name} {password}\n" for name, password in remembered.items()))
        store.chmod(0o600)
        admin_url = url.rstrip("/") + reverse("admin:index")
        self.stdout.write(
            f"\nDemo accounts for {admin_url}\n  {'username':<9} {'password':<18} email\n"
            + "\n".join(lines)
            + "\nTheir notification emails are sent through EMAIL_URL (printed in this output by default).\n"
        )
