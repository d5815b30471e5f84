from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import RedirectView

from pixoffice.accounts import cas, login_views, saml_login
from pixoffice.health import healthz

admin.site.site_header = _("Administration de pixoffice")
admin.site.site_title = _("pixoffice")


urlpatterns = [
    path("healthz", healthz, name="healthz"),
    # one login page for everyone: allauth's, which is rate-limited
    path("admin/login/", RedirectView.as_view(pattern_name="account_login", query_string=True)),
    path("admin/", admin.site.urls),
    # CAS login and the CAS server's single logout (pixoffice/accounts/cas.py)
    path("comptes/cas/login/", cas.LoginView.as_view(), name="cas_login"),
    # allauth's login page with the university providers first (accounts/login_views.py)
    path("comptes/login/", login_views.login, name="account_login"),
    # allauth's SAML ACS end, refusing unreadable responses (accounts/saml_login.py)
    path("comptes/saml/<str:organization_slug>/acs/finish/", saml_login.finish_acs),
    path("comptes/", include("allauth.urls")),
    path("i18n/", include("django.conf.urls.i18n")),
    # first of the pages without a prefix: the student home is the most visited page
    # (publication day), and each include tried before it costs its patterns' regexes
    path("", include("pixoffice.portal.urls")),
    path("", include("pixoffice.accounts.urls")),
    path("", include("pixoffice.mail.urls")),
    path("", include("pixoffice.badges.urls")),
    path("", include("rooms.urls")),
    path("", include("pixoffice.events.urls")),
    path("", include("campaigns.urls")),
    path("", include("certification.urls")),
    path("", include("grading.urls")),
    path("", include("pixoffice.reminders.urls")),
    path("", include("pixoffice.privacy.urls")),
    path("api/", include("pixoffice.api.urls")),
]
