"""The read-only API (django-ninja): bearer tokens, GET only, a rate limit per token,
OpenAPI schema at ``/api/v1/openapi.json`` and its documentation page at ``/api/v1/docs``."""

from django.http import Http404
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, Throttled

from .auth import TokenAuth, TokenRateThrottle, TooManyRefusedTokens
from .endpoints import badges, campaigns, notes, people

# the heading gives the documentation page a level 2 before Swagger UI's sections (h3)
DESCRIPTION = _("""API en lecture seule du bureau Pix, pour le système d'information de
l'université.

## Accès et formats

Chaque jeton (créé par un administrateur, page « Jetons d'API ») ne lit que
les données de ses formations : `Authorization: Bearer <jeton>`. Dates ISO 8601 avec le
décalage de Paris, notes en décimaux exacts (chaînes « 12.50 »), listes paginées par
`limit`/`offset`.""")

api = NinjaAPI(
    title="pixoffice",
    version="1",
    description=DESCRIPTION,
    urls_namespace="api:v1",  # included under the app "api" (pixoffice/api/urls.py)
    auth=TokenAuth(),
    throttle=[TokenRateThrottle()],
    docs_url="/docs",
    # no deep links: Swagger UI puts them as <a> inside each operation's <button>
    # (nested controls, axe-core's nested-interactive); templates/ninja/swagger.html
    # adds the page's language, a main landmark and the contrast fixes
    docs=Swagger(settings={"deepLinking": False}),
    openapi_url="/openapi.json",
    docs_decorator=require_safe,  # the schema and its page are public, and GET only
)
for module in (people, campaigns, notes, badges):
    api.add_router("", module.router)


@api.exception_handler(AuthenticationError)
def unauthorized(request, exc):
    response = api.create_response(
        request, {"detail": "Jeton absent, inconnu, expiré ou révoqué."}, status=401
    )
    response["WWW-Authenticate"] = 'Bearer realm="pixoffice"'
    return response


@api.exception_handler(Http404)
def not_found(request, exc):
    return api.create_response(request, {"detail": "Introuvable."}, status=404)


@api.exception_handler(TooManyRefusedTokens)
def too_many_refused_tokens(request, exc):
    response = api.create_response(
        request,
        {"detail": "Trop de jetons refusés depuis cette adresse : réessayez plus tard."},
        status=429,
    )
    response["Retry-After"] = str(exc.wait)
    return response


@api.exception_handler(Throttled)
def throttled(request, exc):
    return api.create_response(
        request, {"detail": "Trop de requêtes pour ce jeton : réessayez plus tard."}, status=429
    )
