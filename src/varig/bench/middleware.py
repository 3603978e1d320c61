"""Only under VARIG_BENCH (settings.py puts it first in MIDDLEWARE): every response carries
the number of database queries the request made, and the server-side time."""

import time

from django.core.cache import cache
from django.db import connection

QUERIES_HEADER = "X-Bench-Queries"
SERVER_MS_HEADER = "X-Bench-Server-Ms"
# A request with this header starts from an empty cache (the Resultater page's first load).
CLEAR_CACHE_HEADER = "X-Bench-Clear-Cache"


class QueryCountMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if CLEAR_CACHE_HEADER in request.headers:
            cache.clear()
        count = 0

        def counting(execute, sql, params, many, context):
            nonlocal count
            count += 1
            return execute(sql, params, many, context)

        start = time.perf_counter()
        with connection.execute_wrapper(counting):
            response = self.get_response(request)
        response[QUERIES_HEADER] = str(count)
        response[SERVER_MS_HEADER] = f"{(time.perf_counter() - start) * 1000:.2f}"
        return response
