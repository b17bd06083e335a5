"""The open data: the page that lists the datasets, the files (streamed) and the DCAT-AP-SE
metadata. No login; everything through the public allow-list (see datasets.py).

Always the installation's municipality (`portal_organisation`), never the visitor's: a
signed-in person gets the same answers as everyone, the session is never read, and the
answers can be cached by anyone (no `Vary: Cookie`)."""

from __future__ import annotations

import hashlib
from datetime import datetime

from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_cache_control
from django.utils.formats import number_format
from django.utils.http import content_disposition_header, http_date, quote_etag
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from tillit.core.choices import DataLicence
from tillit.core.models import Organisation
from tillit.portal.selectors import portal_organisation

from . import dcat, writers
from .datasets import DATASETS, Dataset, Stamp, latest, organisation_modified, stamps

# How long browsers and shared caches may keep a page or file without asking again.
CACHE_SECONDS = 300
# The metadata is harvested once a day.
DCAT_CACHE_SECONDS = 3600


def _publisher(organisation: Organisation) -> dict:
    return {
        "name": organisation.name,
        "municipality_code": organisation.municipality_code,
        "website": organisation.website,
        "contact_email": organisation.contact_email,
    }


def _licence(organisation: Organisation) -> dict:
    return {"uri": organisation.data_licence, "name": organisation.get_data_licence_display()}


def _organisation() -> Organisation:
    """The municipality whose open data this installation publishes."""
    organisation = portal_organisation()
    if organisation is None:
        raise Http404(_("No municipality has been set up yet."))
    return organisation


def _cached(response: HttpResponse, seconds: int) -> HttpResponse:
    patch_cache_control(response, public=True, max_age=seconds)
    return response


@require_safe
def index(request: HttpRequest) -> HttpResponse:
    organisation = _organisation()
    current = stamps(organisation, DATASETS.values())
    datasets = []
    for dataset in DATASETS.values():
        stamp = current[dataset.slug]
        datasets.append(
            {
                "dataset": dataset,
                "count": number_format(stamp.count, force_grouping=True),
                "modified": stamp.modified,
                "files": [
                    {
                        "format": fmt.upper(),
                        "url": reverse("opendata:download", args=[dataset.slug, fmt]),
                        "name": dataset.file_name(organisation, fmt),
                    }
                    for fmt in writers.CONTENT_TYPES
                ],
            }
        )
    licence = DataLicence(organisation.data_licence)
    response = render(
        request,
        "opendata/index.html",
        {
            "organisation": organisation,  # the portal's, not the context processor's
            "datasets": datasets,
            "licence": licence,
            "licence_is_cc0": licence == DataLicence.CC0,
            "licence_is_share_alike": licence == DataLicence.CC_BY_SA,
        },
    )
    return _cached(response, CACHE_SECONDS)


def _download_etag(
    organisation: Organisation,
    dataset: Dataset,
    fmt: str,
    stamp: Stamp,
    modified: datetime | None,
) -> str:
    """Changes with the rows (the fingerprint of every table the dataset reads) and with
    everything the file's header says (the publisher, the licence, the site's address)."""
    parts = [
        dataset.slug,
        fmt,
        stamp.fingerprint,
        str(stamp.count),
        stamp.modified.isoformat() if stamp.modified else "",
        modified.isoformat() if modified else "",
        organisation.slug,
        organisation.name,
        organisation.municipality_code,
        organisation.website,
        organisation.contact_email,
        organisation.data_licence,
        dcat.base_url(),
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8")).hexdigest()[:32]
    # Weak: the JSON's generated_at differs from one answer to the next.
    return "W/" + quote_etag(digest)


@require_safe
def download(request: HttpRequest, slug: str, fmt: str) -> HttpResponse:
    dataset = DATASETS.get(slug)
    if dataset is None or fmt not in writers.CONTENT_TYPES:
        raise Http404
    organisation = _organisation()
    stamp = dataset.stamp(organisation)
    modified = latest(stamp.modified, organisation_modified(organisation))
    etag = _download_etag(organisation, dataset, fmt, stamp, modified)
    headers = {
        "ETag": etag,
        "Access-Control-Allow-Origin": "*",
        # The licence travels with every file, the CSV too (RFC 8288's "license").
        "Link": f'<{organisation.data_licence}>; rel="license"',
    }
    if modified is not None:
        headers["Last-Modified"] = http_date(modified.timestamp())

    not_modified = get_conditional_response(
        request, etag=etag, last_modified=int(modified.timestamp()) if modified else None
    )
    if not_modified is not None:
        for name, value in headers.items():
            not_modified[name] = value
        return _cached(not_modified, CACHE_SECONDS)

    content_type = writers.CONTENT_TYPES[fmt]
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type)  # the headers, without the rows
    else:
        header = {
            "dataset": dataset.slug,
            "title": str(dataset.title),
            "description": str(dataset.description),
            "publisher": _publisher(organisation),
            "licence": _licence(organisation),
            "source": dcat.download_url(dataset, fmt),
            "documentation": f"{dcat.index_url()}#{dataset.slug}",
            "metadata": dcat.absolute(reverse("opendata:dcat_rdf")),
            "generated_at": timezone.now().replace(microsecond=0).isoformat(),
            "modified": stamp.modified.replace(microsecond=0).isoformat()
            if stamp.modified
            else None,
        }
        response = StreamingHttpResponse(
            writers.write(fmt, dataset, dataset.chunks(organisation), header),
            content_type=content_type,
        )
    response["Content-Disposition"] = content_disposition_header(
        as_attachment=True, filename=dataset.file_name(organisation, fmt)
    )
    for name, value in headers.items():
        response[name] = value
    return _cached(response, CACHE_SECONDS)


def _dcat(request: HttpRequest, rdf_format: str, content_type: str) -> HttpResponse:
    organisation = _organisation()
    graph = dcat.catalogue_graph(
        organisation,
        stamps(organisation, DATASETS.values()),
        organisation_modified(organisation),
        dcat.catalogue_issued(organisation),
    )
    body = graph.serialize(format=rdf_format, encoding="utf-8")
    etag = quote_etag(hashlib.sha256(body).hexdigest()[:32])
    not_modified = get_conditional_response(request, etag=etag)
    response = not_modified or HttpResponse(body, content_type=content_type)
    response["ETag"] = etag
    response["Access-Control-Allow-Origin"] = "*"
    return _cached(response, DCAT_CACHE_SECONDS)


@require_safe
def dcat_rdf(request: HttpRequest) -> HttpResponse:
    return _dcat(request, "xml", "application/rdf+xml; charset=utf-8")


@require_safe
def dcat_ttl(request: HttpRequest) -> HttpResponse:
    return _dcat(request, "turtle", "text/turtle; charset=utf-8")
