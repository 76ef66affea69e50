"""API router: apprenticeship contracts (legal minimum pay)."""

from datetime import date
from decimal import Decimal

from ninja import Field, Query, Router, Schema

from alternance.contracts.pay import PayError, explain
from alternance.contracts.services import compute_minimum_pay

from .errors import ApiError, ErrorOut

router = Router(tags=["contrats"])


class MinimumPayParams(Schema):
    birth_date: date = Field(..., description="Date de naissance de l'apprenti", examples=["2006-02-10"])
    start_date: date = Field(..., description="Date de début du contrat", examples=["2026-09-01"])
    end_date: date = Field(..., description="Dernier jour du contrat (inclus)", examples=["2028-08-31"])
    conventional_monthly: Decimal | None = Field(
        None,
        ge=0,
        le=100000,
        description="Salaire minimum conventionnel mensuel brut de l'emploi, en euros",
        examples=["1850.00"],
    )
    mayotte: bool = Field(False, description="Contrat exécuté à Mayotte")


class PeriodOut(Schema):
    start: date
    end: date
    age_band: str = Field(examples=["18 à 20 ans"])
    contract_year: int = Field(examples=[1])
    percent: int = Field(examples=[43])
    base: str = Field(description="SMIC ou salaire minimum conventionnel")
    base_monthly: str = Field(description="Montant mensuel brut de la base, en euros", examples=["1823.03"])
    minimum_monthly: str = Field(description="Rémunération minimale mensuelle brute, en euros", examples=["783.90"])
    explanation: str


class MinimumPayOut(Schema):
    periods: list[PeriodOut]


@router.get(
    "/minimum-pay",
    response={200: MinimumPayOut, 400: ErrorOut},
    summary="Rémunération minimale légale d'un apprenti, période par période",
)
def minimum_pay(request, params: Query[MinimumPayParams]):
    """Code du travail D6222-26 à D6222-34 : pourcentage du SMIC (ou du minimum conventionnel dès 21 ans)."""
    try:
        periods = compute_minimum_pay(
            params.birth_date,
            params.start_date,
            params.end_date,
            conventional_monthly=params.conventional_monthly,
            mayotte=params.mayotte,
        )
    except PayError as error:
        raise ApiError(error.code, error.message, error.field) from error
    sentences = explain(periods)
    return {
        "periods": [
            {
                "start": p.start,
                "end": p.end,
                "age_band": p.age_band,
                "contract_year": p.contract_year,
                "percent": p.percent,
                "base": p.base,
                "base_monthly": f"{p.base_monthly:.2f}",
                "minimum_monthly": f"{p.minimum_monthly:.2f}",
                "explanation": sentence,
            }
            for p, sentence in zip(periods, sentences, strict=True)
        ]
    }
