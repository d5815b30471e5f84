"""What a component measures (its "basis") and a share's score for it. No Django here."""

from decimal import ROUND_HALF_UP, Decimal

TOTAL_PIX = "total_pix"
PIX_ON_COMPETENCES = "pix_on_competences"
MEAN_LEVEL = "mean_level"
CERTIFICATION_SCORE = "certification_score"
MASTERY_RATE = "mastery_rate"  # assessment campaign: « % de maîtrise » of the share, 0–100
STAGE = "stage"  # assessment campaign: « Palier obtenu » of the share
ASSESSMENT_BASES = (MASTERY_RATE, STAGE)
PROFILE_BASES = (TOTAL_PIX, PIX_ON_COMPETENCES, MEAN_LEVEL)
ZERO = Decimal(0)


def mean(values: list[int | None], count: int) -> Decimal:
    """The mean level over ``count`` competences; a competence not shared counts 0."""
    if count == 0:
        return ZERO
    total = sum((v or 0) for v in values)
    return (Decimal(total) / Decimal(count)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)


def campaign_score(
    basis: str,
    competences: tuple[str, ...],
    total_pix,
    results: dict,
    *,
    mastery_rate: float | None = None,
    stage: int | None = None,
) -> Decimal | None:
    """A share's score for a basis: total pix, pix on the competences, mean level; for an
    assessment, the mastery rate in % (0,41 → 41) or the stage (``None`` if not given)."""
    if basis == MASTERY_RATE:
        return None if mastery_rate is None else Decimal(str(mastery_rate)) * 100
    if basis == STAGE:
        return None if stage is None else Decimal(stage)
    if basis == TOTAL_PIX:
        return Decimal(total_pix or 0)
    if basis == PIX_ON_COMPETENCES:
        return Decimal(sum((results.get(code) or [0, 0])[1] or 0 for code in competences))
    if basis == MEAN_LEVEL:
        return mean([(results.get(code) or [0])[0] for code in competences], len(competences))
    raise ValueError(f"unknown basis {basis!r}")
