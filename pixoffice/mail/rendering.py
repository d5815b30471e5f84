"""Email templates on disk: ``templates/mail/<kind>/subject.txt``, ``body.txt`` and
``body.html``, rendered in the recipient's language."""

from dataclasses import dataclass

from django.template import TemplateDoesNotExist
from django.template.loader import render_to_string
from django.utils import translation


@dataclass(frozen=True)
class Rendered:
    subject: str
    text: str
    html: str


def render_email(*, kind: str, context: dict, language: str = "fr") -> Rendered:
    """The three parts of ``kind``; the HTML part is optional (empty when absent)."""
    with translation.override(language):
        subject = render_to_string(f"mail/{kind}/subject.txt", context)
        text = render_to_string(f"mail/{kind}/body.txt", context)
        try:
            html = render_to_string(f"mail/{kind}/body.html", context)
        except TemplateDoesNotExist:
            html = ""
    # a subject is one line: template newlines must not become header folding
    return Rendered(" ".join(subject.split()), text.strip() + "\n", html.strip())
