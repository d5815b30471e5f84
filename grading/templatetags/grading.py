from django import template
from django.utils.translation import pgettext

from grading import explain

register = template.Library()


@register.filter
def num(value):
    """A note or score as the reader writes it (``8,5`` in French)."""
    return explain.num(value)


@register.filter
def result_label(value):
    return explain.result_label(value)


@register.filter
def colon(label):
    """``label`` followed by a colon as the reader's language writes it: « Note : » in
    French (a space before), "Grade:" in English."""
    return pgettext("un libellé suivi de sa valeur", "%(label)s :") % {"label": label}
