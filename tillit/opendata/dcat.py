"""The open data described in DCAT-AP-SE (2.x), the Swedish profile of DCAT-AP, which
Sweden's data portal (dataportal.se) harvests.

One `dcat:Catalog` for the municipality, one `dcat:Dataset` per dataset in
`datasets.DATASETS` and one `dcat:Distribution` per file format. What DCAT-AP-SE makes
mandatory is all here (catalogue: title, description, publisher, licence, datasets;
agent: name and type; dataset: title, description, publisher; contact point: name and
e-mail; distribution: access URL and format), with the recommended properties the
municipality's data can fill.

Choices, each documented in docs/opendata.md:
- URIs are absolute, from `settings.TILLIT_BASE_URL`, never from the request: a
  harvester must get the same identifiers whichever host name or proxy it came through,
  and the portal requires absolute, persistent IRIs. Resources are hash URIs on the open
  data page (no blank nodes, as the portal asks).
- The catalogue's own licence is CC0, as DCAT-AP-SE requires of every catalogue; the
  data's licence (the organisation's `data_licence`) is on each distribution.
- `dcterms:format` takes the EU file-type vocabulary (DCAT-AP), `dcat:mediaType` the
  IANA media type.
- `dcterms:spatial`: Sweden in the EU country vocabulary, and the municipality's GeoNames
  URI (DCAT-AP-SE's recommendation) where `GEONAMES_MUNICIPALITIES` knows it.
"""

from __future__ import annotations

from datetime import date, datetime

from django.conf import settings
from django.db.models import Min
from django.urls import reverse
from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _
from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF

from tillit.core.choices import DataLicence
from tillit.core.models import Organisation
from tillit.portal.public import public_documents

from .datasets import DATASETS, Dataset, Stamp

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"
DATA_THEME = Namespace(EU + "data-theme/")
FREQUENCY = Namespace(EU + "frequency/")
FILE_TYPE = Namespace(EU + "file-type/")
LANGUAGE = Namespace(EU + "language/")
COUNTRY = Namespace(EU + "country/")
ACCESS_RIGHT = Namespace(EU + "access-right/")
IANA = Namespace("http://www.iana.org/assignments/media-types/")
PUBLISHER_TYPE = Namespace("http://purl.org/adms/publishertype/")
GEONAMES = "http://sws.geonames.org/"

# The metadata's own licence: DCAT-AP-SE requires CC0 on the catalogue.
CATALOGUE_LICENCE = URIRef(DataLicence.CC0.value)

# Titles and descriptions in Swedish first, and in English (DCAT-AP-SE recommends
# translating the free-text fields).
LANGUAGES = ("sv", "en")

# The file formats: (EU file type, IANA media type).
FORMATS = {
    "csv": ("CSV", "text/csv"),
    "json": ("JSON", "application/json"),
}

# GeoNames ids of municipalities (the feature "<Name> Kommun", class A.ADM2), by SCB's
# municipality code. Add a municipality's id when it starts using Tillit; without one the
# datasets name Sweden only.
GEONAMES_MUNICIPALITIES: dict[str, str] = {
    "1444": "2710884",  # Grästorps kommun
}


CATALOGUE_TITLE = _("Open data from %(name)s")
CATALOGUE_DESCRIPTION = _(
    "The goals, performance measures, measure values and activities of %(name)s, "
    "from its system for steering and follow-up: only what is adopted and approved."
)
DISTRIBUTION_TITLE = _("%(dataset)s (%(format)s)")


def base_url() -> str:
    return settings.TILLIT_BASE_URL.rstrip("/")


def absolute(path: str) -> str:
    return base_url() + path


def index_url() -> str:
    return absolute(reverse("opendata:index"))


def download_url(dataset: Dataset, fmt: str) -> str:
    return absolute(reverse("opendata:download", args=[dataset.slug, fmt]))


def dataset_uri(dataset: Dataset) -> URIRef:
    return URIRef(f"{index_url()}#{dataset.slug}")


def _texts(text: Promise | str, **values) -> list[Literal]:
    literals = []
    for language in LANGUAGES:
        with translation.override(language):
            literals.append(Literal(str(text) % values if values else str(text), lang=language))
    return literals


def _moment(moment: datetime) -> Literal:
    return Literal(moment.replace(microsecond=0).isoformat(), datatype=XSD.dateTime)


def _places(organisation: Organisation) -> list[URIRef]:
    places = [COUNTRY.SWE]
    geonames_id = GEONAMES_MUNICIPALITIES.get(organisation.municipality_code)
    if geonames_id:
        places.append(URIRef(f"{GEONAMES}{geonames_id}"))
    return places


def catalogue_issued(organisation: Organisation) -> date | None:
    """When the municipality first adopted a plan that the catalogue publishes."""
    return (
        public_documents(organisation)
        .filter(decision__isnull=False)
        .aggregate(first=Min("decision__date"))["first"]
    )


def catalogue_graph(
    organisation: Organisation,
    stamps: dict[str, Stamp],
    organisation_modified: datetime | None,
    issued: date | None,
) -> Graph:
    graph = Graph()
    for prefix, namespace in (
        ("dcat", DCAT),
        ("dcterms", DCTERMS),
        ("foaf", FOAF),
        ("vcard", VCARD),
        ("xsd", XSD),
    ):
        graph.bind(prefix, namespace)

    page = index_url()
    catalogue = URIRef(f"{page}#katalog")
    publisher = URIRef(f"{page}#utgivare")
    licence = URIRef(organisation.data_licence)
    places = _places(organisation)

    graph.add((publisher, RDF.type, FOAF.Agent))
    graph.add((publisher, FOAF.name, Literal(organisation.name)))
    graph.add((publisher, DCTERMS.type, PUBLISHER_TYPE.LocalAuthority))
    if organisation.website:
        graph.add((publisher, FOAF.homepage, URIRef(organisation.website)))
    if organisation.contact_email:
        graph.add((publisher, FOAF.mbox, URIRef(f"mailto:{organisation.contact_email}")))

    contact = None
    if organisation.contact_email:  # a contact point must have an e-mail address
        contact = URIRef(f"{page}#kontakt")
        graph.add((contact, RDF.type, VCARD.Organization))
        graph.add((contact, VCARD.fn, Literal(organisation.name)))
        graph.add((contact, VCARD.hasEmail, URIRef(f"mailto:{organisation.contact_email}")))

    graph.add((catalogue, RDF.type, DCAT.Catalog))
    for literal in _texts(CATALOGUE_TITLE, name=organisation.name):
        graph.add((catalogue, DCTERMS.title, literal))
    for literal in _texts(CATALOGUE_DESCRIPTION, name=organisation.name):
        graph.add((catalogue, DCTERMS.description, literal))
    graph.add((catalogue, DCTERMS.publisher, publisher))
    graph.add((catalogue, DCTERMS.license, CATALOGUE_LICENCE))
    graph.add((catalogue, DCTERMS.language, LANGUAGE.SWE))
    graph.add((catalogue, FOAF.homepage, URIRef(page)))
    graph.add((catalogue, DCAT.themeTaxonomy, URIRef(EU + "data-theme")))
    for place in places:
        graph.add((catalogue, DCTERMS.spatial, place))
    if issued is not None:
        graph.add((catalogue, DCTERMS.issued, Literal(issued.isoformat(), datatype=XSD.date)))
    moments = [s.modified for s in stamps.values() if s.modified] + (
        [organisation_modified] if organisation_modified else []
    )
    if moments:
        graph.add((catalogue, DCTERMS.modified, _moment(max(moments))))

    for slug, dataset in DATASETS.items():
        stamp = stamps[slug]
        node = dataset_uri(dataset)
        graph.add((catalogue, DCAT.dataset, node))
        graph.add((node, RDF.type, DCAT.Dataset))
        for literal in _texts(dataset.title):
            graph.add((node, DCTERMS.title, literal))
        for literal in _texts(dataset.description):
            graph.add((node, DCTERMS.description, literal))
        graph.add((node, DCTERMS.publisher, publisher))
        if contact is not None:
            graph.add((node, DCAT.contactPoint, contact))
        for keyword in dataset.keywords:
            for literal in _texts(keyword):
                graph.add((node, DCAT.keyword, literal))
        for theme in dataset.themes:
            graph.add((node, DCAT.theme, DATA_THEME[theme]))
        graph.add((node, DCTERMS.accrualPeriodicity, FREQUENCY[dataset.frequency]))
        for place in places:
            graph.add((node, DCTERMS.spatial, place))
        graph.add((node, DCTERMS.language, LANGUAGE.SWE))
        graph.add((node, DCTERMS.accessRights, ACCESS_RIGHT.PUBLIC))
        if stamp.modified:
            graph.add((node, DCTERMS.modified, _moment(stamp.modified)))

        for fmt, (file_type, media_type) in FORMATS.items():
            distribution = URIRef(f"{page}#{dataset.slug}-{fmt}")
            url = URIRef(download_url(dataset, fmt))
            graph.add((node, DCAT.distribution, distribution))
            graph.add((distribution, RDF.type, DCAT.Distribution))
            for language in LANGUAGES:
                with translation.override(language):
                    title = str(DISTRIBUTION_TITLE) % {
                        "dataset": dataset.title,
                        "format": file_type,
                    }
                graph.add((distribution, DCTERMS.title, Literal(title, lang=language)))
            graph.add((distribution, DCAT.accessURL, url))
            graph.add((distribution, DCAT.downloadURL, url))
            graph.add((distribution, DCTERMS.format, FILE_TYPE[file_type]))
            graph.add((distribution, DCAT.mediaType, IANA[media_type]))
            graph.add((distribution, DCTERMS.license, licence))
            if stamp.modified:
                graph.add((distribution, DCTERMS.modified, _moment(stamp.modified)))
    return graph
