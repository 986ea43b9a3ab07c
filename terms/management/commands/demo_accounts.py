"""Create the demo editor and reviewer accounts, and print how to log in."""

import secrets
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand
from django.urls import reverse

DEMO_ACCOUNTS = (("editor", "Editors", "writes terms"), ("reviewer", "Reviewers", "also publishes"))


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
            if user is None:
                password = secrets.token_urlsafe(12)
                user = User.objects.create_user(username, password=password, is_staff=True)
                user.groups.add(Group.objects.get(name=group_name))
                remembered[username] = password
            password = remembered.get(username)
            if password and user.check_password(password):
                lines.append(f"  {username:<9} {password:<18} ({group_name}: {role})")
            else:
                lines.append(
                    f"  {username:<9} {'(password changed)':<18} reset with: python manage.py changepassword {username}"
                )
        store.parent.mkdir(parents=True, exist_ok=True)
        store.write_text("".join(f"{name} {password}\n" for name, password in remembered.items()))
        store.chmod(0o600)
        admin_url = url.rstrip("/") + reverse("admin:index")
        self.stdout.write(f"\nDemo accounts for {admin_url}\n  username  password\n" + "\n".join(lines) + "\n")
