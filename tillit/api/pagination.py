"""The API's pagination: the pages' `sida` parameter, and `per_sida` (up to 500) for a
caller that wants more rows a request than the default PAGE_SIZE (settings)."""

from rest_framework.pagination import PageNumberPagination


class Pagination(PageNumberPagination):
    page_query_param = "sida"
    page_size_query_param = "per_sida"
    max_page_size = 500
