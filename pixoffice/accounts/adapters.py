"""allauth adapters: no open sign-up; accounts come from the roster or from admins."""

from allauth.account.adapter import DefaultAccountAdapter
from allauth.socialaccount.adapter import DefaultSocialAccountAdapter

from .models import Student, User


class AccountAdapter(DefaultAccountAdapter):
    def is_open_for_signup(self, request):
        # Students activate their account from the roster (accounts:activate);
        # staff and admins are created by an admin.
        return False


class SocialAccountAdapter(DefaultSocialAccountAdapter):
    """University SSO: let in only people the office knows (an existing user, or a
    roster student whose email the identity provider vouches for)."""

    def is_open_for_signup(self, request, sociallogin):
        email = (sociallogin.user.email or "").lower()
        if not email:
            return False
        return (
            User.objects.filter(email__iexact=email).exists()
            or Student.objects.filter(email__iexact=email, user__isnull=True).exists()
        )

    def save_user(self, request, sociallogin, form=None):
        user = super().save_user(request, sociallogin, form)
        Student.objects.filter(email__iexact=user.email, user__isnull=True).update(user=user)
        return user
