from django import template

from grading import explain

register = template.Library()


@register.filter
def num(value):
    """A note or score as the reader writes it (``8,5`` in French)."""
    return explain.num(value)


@register.filter
def result_label(value):
    return explain.result_label(value)
