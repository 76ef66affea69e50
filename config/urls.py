from django.contrib import admin
from django.urls import include, path

from alternance.web.decorators import login_lockout
from config.api import api

urlpatterns = [
    path("admin/login/", login_lockout(admin.site.login)),  # failed sign-ins counted, then locked out
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    path("", include("alternance.web.urls")),
]

# French DSFR error pages (alternance/web/errors.py); used when DEBUG is off.
handler404 = "alternance.web.errors.page_not_found"
handler500 = "alternance.web.errors.server_error"
