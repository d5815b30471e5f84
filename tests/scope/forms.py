"""Build the POST a browser sends when a page's form is submitted unchanged."""


def field_values(form, prefix: str = "") -> dict:
    data = {}
    for name, field in form.fields.items():
        bound = form[name]
        value = bound.value()
        key = f"{prefix}{name}"
        if value in (None, "", [], False):
            continue
        if isinstance(value, list | tuple):
            # a browser sends only the boxes it shows (the field's choices)
            offered = {str(v) for v, _label in field.choices}
            data[key] = [str(getattr(v, "pk", v)) for v in value]
            data[key] = [v for v in data[key] if v in offered]
        elif value is True:
            data[key] = "on"
        else:
            text = field.widget.format_value(getattr(value, "pk", value))
            data[key] = text[0] if isinstance(text, list) else str(text)  # selects give lists
    return data


def formset_values(formset) -> dict:
    data = {
        f"{formset.prefix}-TOTAL_FORMS": str(len(formset.forms)),
        f"{formset.prefix}-INITIAL_FORMS": str(formset.initial_form_count()),
        f"{formset.prefix}-MIN_NUM_FORMS": "0",
        f"{formset.prefix}-MAX_NUM_FORMS": "1000",
    }
    for form in formset.forms:
        data.update(field_values(form, prefix=f"{form.prefix}-"))
        data.pop(f"{form.prefix}-DELETE", None)
    return data
