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
