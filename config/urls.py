from allauth.account.views import LoginView
from django.contrib import admin
from django.urls import include, path

from alternance.web.decorators import login_lockout
from config.api import api

ACCOUNT_RESET_HINT = "si vous avez oublié votre mot de passe, choisissez « Mot de passe oublié »."

urlpatterns = [
    path("admin/login/", login_lockout(admin.site.login)),  # failed sign-ins counted, then locked out
    path("admin/", admin.site.urls),
    path("api/v1/", api.urls),
    # allauth's sign-in page, with the same lockout as the admin's (the field is `login`: the e-mail)
    path("comptes/login/", login_lockout(LoginView.as_view(), field="login", hint=ACCOUNT_RESET_HINT)),
    path("comptes/", include("allauth.urls")),
    path("", include("alternance.web.urls")),
]

# French DSFR error pages (alternance/web/errors.py); used when DEBUG is off.
handler404 = "alternance.web.errors.page_not_found"
handler500 = "alternance.web.errors.server_error"
