"""``manage.py load_preset grastorp``: load a shipped preset, safe to repeat."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from tillit.planning.presets import available_presets, load_preset


class Command(BaseCommand):
    help = (
        "Läser in en förinställning (organisation, nivåer, organ, inriktningsdokument och "
        "principer). Kan köras flera gånger: det som redan stämmer lämnas orört."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument(
            "name",
            help=f"Förinställningens namn, t.ex. {', '.join(available_presets()) or 'grastorp'}.",
        )
        parser.add_argument(
            "--overwrite",
            action="store_true",
            help="Återställ även det som ändrats i Tillit till förinställningens lydelse.",
        )

    def handle(self, *args, name: str, overwrite: bool = False, **options) -> None:
        try:
            result = load_preset(name, overwrite=overwrite)
        except ValueError as error:
            raise CommandError(str(error)) from error
        except ValidationError as error:
            raise CommandError(
                f"Förinställningen ”{name}” kunde inte läsas in: {' '.join(error.messages)}"
            ) from error
        self.stdout.write(result.summary())
