"""Where a corporation was formed: minutebook's jurisdiction name ("Delaware") to and from OCF's
`country_of_formation` / `country_subdivision_of_formation` codes (ISO 3166: "US", "DE")."""

from __future__ import annotations

US_STATES = {
    "AL": "Alabama", "AK": "Alaska", "AZ": "Arizona", "AR": "Arkansas", "CA": "California", "CO": "Colorado",
    "CT": "Connecticut", "DE": "Delaware", "DC": "District of Columbia", "FL": "Florida", "GA": "Georgia",
    "HI": "Hawaii", "ID": "Idaho", "IL": "Illinois", "IN": "Indiana", "IA": "Iowa", "KS": "Kansas",
    "KY": "Kentucky", "LA": "Louisiana", "ME": "Maine", "MD": "Maryland", "MA": "Massachusetts",
    "MI": "Michigan", "MN": "Minnesota", "MS": "Mississippi", "MO": "Missouri", "MT": "Montana",
    "NE": "Nebraska", "NV": "Nevada", "NH": "New Hampshire", "NJ": "New Jersey", "NM": "New Mexico",
    "NY": "New York", "NC": "North Carolina", "ND": "North Dakota", "OH": "Ohio", "OK": "Oklahoma",
    "OR": "Oregon", "PA": "Pennsylvania", "RI": "Rhode Island", "SC": "South Carolina", "SD": "South Dakota",
    "TN": "Tennessee", "TX": "Texas", "UT": "Utah", "VT": "Vermont", "VA": "Virginia", "WA": "Washington",
    "WV": "West Virginia", "WI": "Wisconsin", "WY": "Wyoming",
}  # fmt: skip
_BY_NAME = {v.lower(): k for k, v in US_STATES.items()}


def jurisdiction_name(country: str, subdivision: str | None) -> str:
    """ "Delaware" for US/DE; otherwise the codes themselves ("AE", "CA-ON")."""
    if country == "US" and subdivision in US_STATES:
        return US_STATES[subdivision]
    return country + (f"-{subdivision}" if subdivision else "")


def jurisdiction_codes(name: str | None) -> tuple[str, str | None]:
    """(country, subdivision) for a jurisdiction name; a name minutebook does not know is taken as Delaware's
    only when it is missing (the reader's default), else as the codes it was read from."""
    if not name:
        return "US", "DE"
    code = _BY_NAME.get(name.strip().lower())
    if code:
        return "US", code
    country, _, sub = name.partition("-")
    if len(country) == 2 and country.isalpha() and country.isupper():
        return country, sub or None
    return "US", None
