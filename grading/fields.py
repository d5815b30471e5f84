"""Numbers in grading forms as the reader writes them: « 1,5 » and « 20 » in French,
"1.5" in English (as on every other page, see ``explain.num``), and both « 1,5 » and
« 1.5 » accepted whatever the language."""

from decimal import Decimal, InvalidOperation

from django import forms

from . import explain


class DecimalInput(forms.TextInput):
    """A text box (a number box cannot show a decimal comma), numeric keypad on phones."""

    def __init__(self, attrs=None):
        super().__init__({"inputmode": "decimal", "autocomplete": "off", **(attrs or {})})

    def format_value(self, value):
        if value in (None, ""):
            return None
        try:
            return explain.num(Decimal(str(value)))
        except InvalidOperation:
            return str(value)  # what was typed, shown back with its error


class LocalizedDecimalField(forms.DecimalField):
    widget = DecimalInput

    def __init__(self, *args, **kwargs):
        kwargs["localize"] = False  # ours: both separators, whatever the language
        kwargs.setdefault("widget", DecimalInput)
        super().__init__(*args, **kwargs)

    def widget_attrs(self, widget):
        return {}  # no min/max/step: they only mean something on a number box

    def to_python(self, value):
        if isinstance(value, str):
            value = value.strip().replace("\u00a0", "").replace("\u202f", "").replace(" ", "")
            value = value.replace(",", ".")
        return super().to_python(value)
