"""A note's explanation in words, in the reader's language.

``computation.compute`` stores the steps as data; this turns each into a sentence, e.g.
« Campagne 1 : niveau moyen 4,25 sur les compétences 1.1, 2.1, 3.1, 4.1 → 8,5/10 ».
"""

from decimal import Decimal

from django.utils.translation import get_language
from django.utils.translation import gettext as _

from . import computation as calc

RESULTS = {
    calc.VALIDATED: lambda: _("validé"),
    calc.NOT_VALIDATED: lambda: _("non validé"),
    calc.ABSENT: lambda: _("absent"),
}


def num(value) -> str:
    """A number as the reader writes it: ``8,5`` in French, ``8.5`` in English."""
    if value in (None, ""):
        return "—"
    comma = not (get_language() or "fr").startswith("en")
    return calc.number_text(Decimal(str(value)), comma=comma)


def semicolons(items) -> str:
    """Items joined as the reader's language lists them: « a ; b » in French (a
    space before the semicolon), "a; b" in English."""
    english = (get_language() or "fr").startswith("en")
    return ("; " if english else " ; ").join(items)


def result_label(result: str) -> str:
    return RESULTS[result]() if result in RESULTS else result


def note_text(value, scale) -> str:
    return f"{num(value)}/{num(scale)}"


def _basis(line: dict) -> str:
    codes = ", ".join(line.get("competences") or [])
    score = num(line["score"])
    basis = line.get("basis")
    if basis == calc.MEAN_LEVEL:
        return _("niveau moyen %(score)s sur les compétences %(codes)s") % {
            "score": score,
            "codes": codes,
        }
    if basis == calc.PIX_ON_COMPETENCES:
        return _("%(score)s pix sur les compétences %(codes)s") % {"score": score, "codes": codes}
    if basis == calc.CERTIFICATION_SCORE:
        return _("score certifié %(score)s pix") % {"score": score}
    if basis == calc.MASTERY_RATE:
        return _("%(score)s %% de maîtrise") % {"score": score}
    if basis == calc.STAGE:
        if line.get("out_of") is not None:
            return _("palier %(score)s sur %(total)s") % {"score": score, "total": line["out_of"]}
        return _("palier %(score)s") % {"score": score}
    return _("%(score)s pix") % {"score": score}


def _minimum(line: dict) -> str:
    """A threshold as the reader reads it: « palier 2 », « 50 % de maîtrise », « 300 pix »."""
    minimum, basis = num(line["minimum"]), line.get("basis")
    if basis == calc.STAGE:
        return _("palier %(score)s") % {"score": minimum}
    if basis == calc.MASTERY_RATE:
        return _("%(score)s %% de maîtrise") % {"score": minimum}
    if basis == calc.MEAN_LEVEL:
        return _("niveau moyen %(score)s") % {"score": minimum}
    return _("%(score)s pix") % {"score": minimum}


def _threshold(line: dict) -> str:
    values = {"label": line["label"], "minimum": _minimum(line)}
    if line.get("score") is None:
        return _("%(label)s : aucune donnée, %(minimum)s exigé pour valider → manquant") % values
    values["basis"] = _basis(line)
    if line["met"]:
        return _("%(label)s : %(basis)s, au moins %(minimum)s exigé → obtenu") % values
    return _("%(label)s : %(basis)s, au moins %(minimum)s exigé → manquant") % values


def sentence(line: dict) -> str:
    kind = line.get("kind")
    if kind == "component":
        return _("%(label)s : %(basis)s → %(note)s") % {
            "label": line["label"],
            "basis": _basis(line),
            "note": note_text(line["note"], line["scale"]),
        }
    if kind == "threshold":
        return _threshold(line)
    if kind == "missing" and line.get("rule") == calc.MISSING_ABSENCE:
        return _("%(label)s : aucune donnée → absence (%(code)s)") % {
            "label": line["label"],
            "code": line["code"],
        }
    if kind == "missing":
        return _("%(label)s : aucune donnée → %(note)s") % {
            "label": line["label"],
            "note": note_text(line["note"], line["scale"]),
        }
    if kind == "requirement":
        if line["met"]:
            return _("%(label)s : obtenu") % {"label": line["label"]}
        return _("%(label)s : manquant (exigé pour valider)") % {"label": line["label"]}
    if kind == "combine":
        return _combine(line)
    if kind == "rounding":
        return _("Arrondi : %(before)s → %(after)s") % {
            "before": num(line["before"]),
            "after": num(line["after"]),
        }
    if kind == "result":
        return _result(line)
    if kind == "override":
        return _("Note modifiée par l'équipe : %(note)s, %(result)s — motif : %(reason)s") % {
            "note": num(line.get("value")),
            "result": result_label(line.get("result", "")),
            "reason": line.get("reason", ""),
        }
    return ""


def _combine(line: dict) -> str:
    parts = line.get("parts") or []
    if line["how"] == calc.WEIGHTED_MEAN:
        terms = semicolons(
            _("%(label)s %(note)s (coefficient %(weight)s)")
            % {"label": p[0], "note": note_text(p[1], p[2]), "weight": num(p[3])}
            for p in parts
        )
        text = _("Moyenne pondérée : %(terms)s = %(raw)s") % {
            "terms": terms,
            "raw": note_text(line["raw"], line["scale"]),
        }
    else:
        terms = " + ".join(num(p[1]) for p in parts) or "0"
        text = _("Total : %(terms)s = %(raw)s") % {
            "terms": terms,
            "raw": note_text(line["raw"], line["scale"]),
        }
    if line.get("capped_at"):
        text += " " + _("(plafonnée à %(cap)s)") % {"cap": num(line["capped_at"])}
    return text


def _result(line: dict) -> str:
    if line["result"] == calc.ABSENT:
        return _("Résultat : absent (%(code)s)") % {"code": line.get("code", "")}
    unmet = line.get("unmet") or []
    if unmet:
        return _("Résultat : non validé, car il manque : %(items)s") % {"items": ", ".join(unmet)}
    comparison = "≥" if line["result"] == calc.VALIDATED else "<"
    return _("Résultat : %(note)s %(cmp)s %(mark)s → %(result)s") % {
        "note": note_text(line["note"], line["scale"]),
        "cmp": comparison,
        "mark": num(line["pass_mark"]),
        "result": result_label(line["result"]),
    }


def sentences(lines: list[dict]) -> list[str]:
    return [text for text in (sentence(line) for line in lines) if text]


def grids_used(lines: list[dict]) -> list[str]:
    seen = []
    for line in lines:
        if line.get("grid") and line["grid"] not in seen:
            seen.append(line["grid"])
    return seen
