"""Django's own Swedish for its form errors, kept in our catalogue.

Django REST Framework's catalogue (an installed app) words some of the same messages
differently ("Det här fältet är obligatoriskt."), and an app's catalogue is read before
Django's own. Naming the messages here puts Django's wording into our catalogue, which
is read first, so the pages say what they said before and the API says the same.
"""

from django.utils.translation import gettext_noop

DJANGO_WORDING = (
    gettext_noop("This field is required."),
    gettext_noop("Enter a valid URL."),
    gettext_noop("Enter a valid email address."),
    gettext_noop("The submitted file is empty."),
)
