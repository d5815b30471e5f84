"""The login page: the university's login (« Se connecter avec l'ENT ») first, the
password form beside it as ``PASSWORD_LOGIN`` says (docs/configuration.md)."""

from allauth.account.views import LoginView as AllauthLoginView
from django.shortcuts import render

from .university_login import password_login_mode, university_providers


class LoginView(AllauthLoginView):
    """allauth's login (rate-limited), with the university providers; with
    ``PASSWORD_LOGIN=off`` (and a provider configured) a password is refused (403)."""

    def dispatch(self, request, *args, **kwargs):
        self.providers = university_providers(request)
        self.login_mode = password_login_mode(self.providers)
        return super().dispatch(request, *args, **kwargs)

    def post(self, request, *args, **kwargs):
        if self.login_mode == "off":
            context = self.get_context_data(form=self.get_form_class()(request=request))
            context["password_refused"] = True
            return render(request, self.template_name, context, status=403)
        return super().post(request, *args, **kwargs)

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["university_providers"] = self.providers
        context["password_login"] = self.login_mode
        return context


login = LoginView.as_view()
