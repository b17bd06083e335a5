"""`manage.py load_demo`: demo people and units for Grästorp, with known passwords."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.hashers import check_password
from django.core.management.base import BaseCommand, CommandError, CommandParser

from tillit.core.demo import DEMO_PASSWORD, PERSONAS, DemoError, load_demo
from tillit.core.models import User


class Command(BaseCommand):
    help = (
        "Läser in demodata (förvaltning, utskott, personer, områden) ovanpå Grästorps "
        "förinställning. Alla demopersoner har samma kända lösenord. Befintliga konton "
        "ändras aldrig; ett konto med ett demonamn som inte är demons hoppas över."
    )

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--organisation", default="grastorp", help="Organisationens kortnamn (slug)."
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Kör även när DEBUG är av (skapar konton med kända lösenord).",
        )

    def handle(self, *args, organisation: str, force: bool, **options) -> None:
        if not settings.DEBUG and not force:
            raise CommandError(
                "Demodata skapar konton med kända lösenord och läses bara in när DEBUG=true. "
                "Använd --force om du verkligen vill läsa in den här."
            )
        try:
            people = load_demo(organisation_slug=organisation, warn=self.warn)
        except DemoError as error:
            raise CommandError(str(error)) from error

        demo_hashes: dict[str, bool] = {}  # one check per distinct hash: hashing is slow

        def password(user: User) -> str:
            if user.password not in demo_hashes:
                demo_hashes[user.password] = check_password(DEMO_PASSWORD, user.password)
            return DEMO_PASSWORD if demo_hashes[user.password] else "(eget lösenord)"

        rows = [("Persona", "Användarnamn", "Lösenord", "Får göra")]
        rows += [
            (key, people[key].username, password(people[key]), persona.description)
            for key, persona in PERSONAS.items()
            if key in people
        ]
        widths = [max(len(row[i]) for row in rows) for i in range(4)]

        def line(row: tuple[str, ...]) -> str:
            return "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True))

        self.stdout.write(self.style.SUCCESS("Demodata inläst. Logga in som:"))
        self.stdout.write("")
        self.stdout.write(line(rows[0]).rstrip())
        self.stdout.write("  ".join("-" * width for width in widths))
        for row in rows[1:]:
            self.stdout.write(line(row).rstrip())
        self.stdout.write("")
        self.stdout.write("Öppna http://127.0.0.1:8000")
        self.stdout.write("Öppna sidor för kommuninvånare: http://127.0.0.1:8000/insyn/")
        self.stdout.write("API: http://127.0.0.1:8000/api/docs/ (API-nyckel: /api/nyckel/)")

    def warn(self, line: str) -> None:
        self.stderr.write(self.style.WARNING(line))
