from django.apps import AppConfig


class SearchConfig(AppConfig):
    name = "tillit.search"

    def ready(self) -> None:
        from django.db.backends.signals import connection_created

        from .sqlite import register_functions

        connection_created.connect(register_functions, dispatch_uid="tillit.search.sqlite")
