from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "tillit.portal"
