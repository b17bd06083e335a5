"""The project's URLs with the import routes in the "measures" namespace, whether or not
config/urls.py includes them yet. Use with `@pytest.mark.urls(...)`.

Django looks a namespace up in the first include that has it, so the import routes are
added to that include rather than as a second "measures" include.
"""

from django.urls import URLResolver, include, path

from config.urls import urlpatterns as project_patterns
from tillit.measures.urls_import import urlpatterns as import_patterns


def _with_import_routes(patterns: list) -> list:
    result = list(patterns)
    for position, entry in enumerate(result):
        if isinstance(entry, URLResolver) and entry.namespace == "measures":
            names = {getattr(p, "name", None) for p in entry.url_patterns}
            if "import" not in names:
                result[position] = path(
                    str(entry.pattern),
                    include(([*entry.url_patterns, *import_patterns], "measures")),
                )
            return result
    return [*result, path("", include((import_patterns, "measures")))]


urlpatterns = _with_import_routes(project_patterns)
