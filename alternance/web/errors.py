"""The French error pages: 404 (unknown address) and 500 (the server failed), in the DSFR style."""

from django.conf import settings
from django.http import HttpResponseNotFound, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.views.decorators.csrf import requires_csrf_token


@requires_csrf_token
def page_not_found(request, exception=None):
    response = render(request, "404.html", {"title": "Page introuvable"}, status=404)
    return response if response.status_code == 404 else HttpResponseNotFound(response.content)


@requires_csrf_token
def server_error(request):
    """Rendered without the request context and without the database: they may be what failed."""
    html = loader.get_template("500.html").render({"site_title": settings.ALTERNANCE_SITE_TITLE})
    return HttpResponseServerError(html)
