"""The DCAT-AP-SE metadata parsed back with rdflib: every property the profile makes
mandatory is there on the catalogue, the publisher, the contact point, each dataset and
each distribution, the identifiers are absolute URIs from the configured address, and
every download address answers."""

from __future__ import annotations

from urllib.parse import urlsplit

import pytest
from django.test import override_settings
from django.urls import reverse
from rdflib import BNode, Graph, Literal, URIRef
from rdflib import namespace as ns
from rdflib.compare import isomorphic

from tillit.core.choices import DataLicence
from tillit.opendata.datasets import DATASETS

from .conftest import read

BASE = "https://insyn.grastorp.se"
VCARD = ns.Namespace("http://www.w3.org/2006/vcard/ns#")
EU = "http://publications.europa.eu/resource/authority/"


def _graph(visitor, name: str, syntax: str) -> Graph:
    response = visitor.get(reverse(f"opendata:{name}"))
    assert response.status_code == 200
    return Graph().parse(data=response.content, format=syntax)


@pytest.fixture
def graph(grastorp, visitor) -> Graph:
    with override_settings(TILLIT_BASE_URL=BASE + "/"):
        return _graph(visitor, "dcat_rdf", "xml")


def _one(graph: Graph, cls) -> URIRef:
    (subject,) = graph.subjects(ns.RDF.type, cls)
    return subject


def _languages(graph: Graph, subject, prop) -> set[str]:
    values = list(graph.objects(subject, prop))
    assert values and all(isinstance(v, Literal) and str(v).strip() for v in values), prop
    return {v.language for v in values}


def test_rdf_xml_and_turtle_answer_with_their_media_types_and_the_same_graph(grastorp, visitor):
    rdf = visitor.get(reverse("opendata:dcat_rdf"))
    ttl = visitor.get(reverse("opendata:dcat_ttl"))
    assert rdf["Content-Type"] == "application/rdf+xml; charset=utf-8"
    assert ttl["Content-Type"] == "text/turtle; charset=utf-8"
    assert "public" in rdf["Cache-Control"] and rdf["ETag"]
    assert isomorphic(
        Graph().parse(data=rdf.content, format="xml"),
        Graph().parse(data=ttl.content, format="turtle"),
    )
    again = visitor.get(reverse("opendata:dcat_rdf"), HTTP_IF_NONE_MATCH=rdf["ETag"])
    assert again.status_code == 304


def test_the_catalogue_has_every_mandatory_and_the_recommended_properties(graph):
    catalogue = _one(graph, ns.DCAT.Catalog)
    assert _languages(graph, catalogue, ns.DCTERMS.title) == {"sv", "en"}
    assert _languages(graph, catalogue, ns.DCTERMS.description) == {"sv", "en"}
    assert graph.value(catalogue, ns.DCTERMS.publisher) is not None
    # DCAT-AP-SE requires the catalogue itself under CC0, whatever the data's licence.
    assert graph.value(catalogue, ns.DCTERMS.license) == URIRef(DataLicence.CC0.value)
    assert set(graph.objects(catalogue, ns.DCAT.dataset)) == set(
        graph.subjects(ns.RDF.type, ns.DCAT.Dataset)
    )
    assert len(set(graph.objects(catalogue, ns.DCAT.dataset))) == len(DATASETS)
    assert graph.value(catalogue, ns.DCTERMS.language) == URIRef(EU + "language/SWE")
    assert graph.value(catalogue, ns.FOAF.homepage) == URIRef(f"{BASE}/insyn/oppna-data/")
    assert graph.value(catalogue, ns.DCTERMS.issued).datatype == ns.XSD.date
    assert graph.value(catalogue, ns.DCTERMS.modified).datatype == ns.XSD.dateTime
    assert graph.value(catalogue, ns.DCAT.themeTaxonomy) == URIRef(EU + "data-theme")


def test_the_publisher_is_an_agent_with_name_and_type(graph):
    publisher = graph.value(_one(graph, ns.DCAT.Catalog), ns.DCTERMS.publisher)
    assert (publisher, ns.RDF.type, ns.FOAF.Agent) in graph
    assert graph.value(publisher, ns.FOAF.name) == Literal("Grästorps kommun")
    assert graph.value(publisher, ns.DCTERMS.type) == URIRef(
        "http://purl.org/adms/publishertype/LocalAuthority"
    )


def test_each_dataset_has_the_mandatory_and_recommended_properties(graph):
    publisher = graph.value(_one(graph, ns.DCAT.Catalog), ns.DCTERMS.publisher)
    datasets = list(graph.subjects(ns.RDF.type, ns.DCAT.Dataset))
    assert {str(d).rsplit("#", 1)[1] for d in datasets} == set(DATASETS)
    for dataset in datasets:
        assert _languages(graph, dataset, ns.DCTERMS.title) == {"sv", "en"}
        assert _languages(graph, dataset, ns.DCTERMS.description) == {"sv", "en"}
        assert graph.value(dataset, ns.DCTERMS.publisher) == publisher
        contact = graph.value(dataset, ns.DCAT.contactPoint)
        assert (contact, ns.RDF.type, VCARD.Organization) in graph
        assert graph.value(contact, VCARD.fn) == Literal("Grästorps kommun")
        assert graph.value(contact, VCARD.hasEmail) == URIRef("mailto:kommun@grastorp.se")
        assert _languages(graph, dataset, ns.DCAT.keyword) == {"sv", "en"}
        themes = set(graph.objects(dataset, ns.DCAT.theme))
        assert URIRef(EU + "data-theme/GOVE") in themes
        assert all(str(t).startswith(EU + "data-theme/") for t in themes)
        assert str(graph.value(dataset, ns.DCTERMS.accrualPeriodicity)).startswith(
            EU + "frequency/"
        )
        places = set(graph.objects(dataset, ns.DCTERMS.spatial))
        assert places == {URIRef(EU + "country/SWE"), URIRef("http://sws.geonames.org/2710884")}
        assert graph.value(dataset, ns.DCTERMS.modified).datatype == ns.XSD.dateTime
        assert len(set(graph.objects(dataset, ns.DCAT.distribution))) == 2


def test_each_distribution_has_access_download_format_media_type_and_the_licence(graph):
    distributions = list(graph.subjects(ns.RDF.type, ns.DCAT.Distribution))
    assert len(distributions) == 2 * len(DATASETS)
    formats = {
        URIRef(EU + "file-type/CSV"): URIRef(
            "http://www.iana.org/assignments/media-types/text/csv"
        ),
        URIRef(EU + "file-type/JSON"): URIRef(
            "http://www.iana.org/assignments/media-types/application/json"
        ),
    }
    for distribution in distributions:
        access = graph.value(distribution, ns.DCAT.accessURL)
        download = graph.value(distribution, ns.DCAT.downloadURL)
        assert access == download and str(download).startswith(f"{BASE}/insyn/oppna-data/")
        file_type = graph.value(distribution, ns.DCTERMS.format)
        assert graph.value(distribution, ns.DCAT.mediaType) == formats[file_type]
        assert str(download).endswith("." + str(file_type).rsplit("/", 1)[1].lower())
        assert graph.value(distribution, ns.DCTERMS.license) == URIRef(DataLicence.CC0.value)
        assert _languages(graph, distribution, ns.DCTERMS.title) == {"sv", "en"}


def test_no_blank_nodes_and_every_identifier_is_absolute_from_the_base_url_setting(graph):
    for triple in graph:
        for term in triple:
            assert not isinstance(term, BNode), triple
    ours = {str(s) for s in graph.subjects() if str(s).startswith(BASE)}
    assert len(ours) == 1 + 1 + 1 + len(DATASETS) * 3  # catalogue, agent, contact, sets, files
    for subject in graph.subjects():
        assert urlsplit(str(subject)).scheme in ("http", "https"), subject


def test_every_download_address_answers_with_its_file(grastorp, visitor, graph):
    for download in set(graph.objects(None, ns.DCAT.downloadURL)):
        path = str(download).removeprefix(BASE)
        response = visitor.get(path)
        assert response.status_code == 200, path
        assert response.streaming
        body = read(response)
        assert body, path
        media = "text/csv" if path.endswith(".csv") else "application/json"
        assert response["Content-Type"].startswith(media)


def test_without_a_contact_address_there_is_no_contact_point(grastorp, visitor):
    grastorp.contact_email = ""
    grastorp.save(update_fields=["contact_email"])
    graph = _graph(visitor, "dcat_ttl", "turtle")
    assert not list(graph.subjects(ns.RDF.type, VCARD.Organization))
    assert not list(graph.objects(None, ns.DCAT.contactPoint))
