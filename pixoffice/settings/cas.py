"""University single sign-on through CAS, protocol 2 or 3 (docs/configuration.md):
django-cas-ng validates the ticket; ``pixoffice.accounts.cas`` lets only known people
in. Kept out of ``base.py`` (which imports everything here), as ``saml.py`` is."""

import environ as _environ

_env = _environ.Env()

SSO_CAS_SERVER_URL = _env.str("SSO_CAS_SERVER_URL", default="")  # e.g. https://cas.univ.fr/cas/
SSO_CAS_NAME = _env.str("SSO_CAS_NAME", default="CAS")
# the attributes (or ``user``, the CAS user itself) naming a student number / an email
SSO_CAS_STUDENT_NUMBER_ATTRIBUTE = _env.str("SSO_CAS_STUDENT_NUMBER_ATTRIBUTE", default="")
SSO_CAS_EMAIL_ATTRIBUTE = _env.str("SSO_CAS_EMAIL_ATTRIBUTE", default="mail")
SSO_CAS_TIMEOUT = _env.float("SSO_CAS_TIMEOUT", default=10.0)  # seconds, ticket validation
CAS_SERVER_URL = SSO_CAS_SERVER_URL
CAS_VERSION = _env.str("SSO_CAS_VERSION", default="3")
CAS_CREATE_USER = False
CAS_LOGIN_MSG = None
CAS_LOGGED_MSG = None
CAS_REDIRECT_URL = "/"
CAS_IGNORE_REFERER = True
CAS_CHECK_NEXT = True
CAS_LOGOUT_COMPLETELY = True
CAS_ROOT_PROXIED_AS = _env.str("SSO_CAS_SERVICE_ROOT", default="") or None
