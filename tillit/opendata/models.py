from django.db import models
from django.utils.translation import gettext_lazy as _

from tillit.core.models import Organisation


class DatasetVersion(models.Model):
    """The version of an open dataset last seen, and the time it is said to have changed.

    Most changes leave a time behind (a history entry, a value's `updated_at`), but not
    all: a deleted value leaves none. When a dataset's fingerprint differs from the one
    seen last and no recorded time has moved past the time given then, the change
    happened since: it is dated when it is first seen, so that `Last-Modified` and the
    dates on the page and in the metadata never stand still while the data changes.
    See `datasets.stamps`.
    """

    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organisation"), on_delete=models.CASCADE, related_name="+"
    )
    dataset = models.CharField(_("dataset"), max_length=50)
    fingerprint = models.CharField(_("fingerprint"), max_length=64)
    modified = models.DateTimeField(_("last changed"), null=True, blank=True)

    class Meta:
        verbose_name = _("version of an open dataset")
        verbose_name_plural = _("versions of the open datasets")
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "dataset"],
                name="opendata_one_version_per_dataset",
                violation_error_message=_("The dataset already has a version."),
            )
        ]

    def __str__(self) -> str:
        return f"{self.dataset} {self.fingerprint[:8]}"
