"""Synthetic Delaware charters: the data generator for `bench/read.py` and the ingest property tests.

`synthetic_charter(rng)` returns the text of one filing: a certificate of incorporation with articles
FIRST..TWELFTH (name, registered office and agent, purpose, capital in words and figures with par value,
incorporator, and five of by-laws, board, exculpation, indemnification, §291/§279 compromise, reserved
amendment power, perpetual existence and the §203 opt-out, in a shuffled order), followed or preceded
for some of them by one or two §242 certificates of amendment of Article FOURTH. `synthetic_case(rng)`
returns the same text with the facts it states, for tests that check what was read.

Everything is drawn from the `random.Random` passed in, so a seed always gives the same text.
"""

from __future__ import annotations

import random
import textwrap
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

ORDINALS = (
    "FIRST",
    "SECOND",
    "THIRD",
    "FOURTH",
    "FIFTH",
    "SIXTH",
    "SEVENTH",
    "EIGHTH",
    "NINTH",
    "TENTH",
    "ELEVENTH",
    "TWELFTH",
)
MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

_NAME_A = (
    "Atlas",
    "Aurora",
    "Beacon",
    "Blue Heron",
    "Cedar",
    "Cobalt",
    "Crescent",
    "Evergreen",
    "Falcon",
    "Granite",
    "Halcyon",
    "Harbor",
    "Ironwood",
    "Juniper",
    "Keystone",
    "Liberty",
    "Meridian",
    "Northwind",
    "Orion",
    "Pioneer",
    "Redwood",
    "Silver Lake",
    "Sterling",
    "Summit",
    "Tidewater",
    "Vertex",
    "Auxer",
    "Brandywine",
    "Calloway",
    "Delmarva",
    "Fenwick",
    "Lindqvist",
    "Marlowe",
    "Okafor",
    "Quillon",
)
_NAME_B = (
    "Analytics",
    "Biosciences",
    "Capital",
    "Energy",
    "Foods",
    "Holdings",
    "Industries",
    "Labs",
    "Logistics",
    "Media",
    "Minerals",
    "Networks",
    "Pharmaceuticals",
    "Robotics",
    "Software",
    "Systems",
    "Technologies",
    "Therapeutics",
    "Ventures",
    "Resources",
    "Medical",
    "Wireless",
    "Data",
)
_FIRST_NAMES = (
    "Eugene",
    "Margaret",
    "Rajesh",
    "Linda",
    "Tomasz",
    "Aiko",
    "Samuel",
    "Dolores",
    "Kwame",
    "Ingrid",
    "Peter",
    "Hannah",
    "Luis",
    "Fatima",
    "Gregory",
    "Mei",
    "Oluwaseun",
    "Catherine",
    "Dmitri",
    "Rosa",
)
_LAST_NAMES = (
    "Chiaramonte",
    "Whitfield",
    "Narayanan",
    "Okonkwo",
    "Kowalski",
    "Tanaka",
    "Abernathy",
    "Delgado",
    "Mensah",
    "Lindgren",
    "Fairbanks",
    "O'Rourke",
    "Castellanos",
    "Haddad",
    "Brennan",
    "Zhou",
    "Adeyemi",
    "Van der Berg",
    "Petrov",
    "Marquez",
)
_STREETS = (
    "Galesi Drive",
    "Main Street",
    "Market Street",
    "Park Avenue",
    "Lexington Avenue",
    "Elm Street",
    "Commerce Boulevard",
    "Route 46",
    "Broad Street",
    "Mission Street",
    "Peachtree Road",
    "Lake Shore Drive",
)
_CITIES = (
    ("Wayne", "New Jersey", "07470"),
    ("New York", "New York", "10022"),
    ("Boston", "Massachusetts", "02110"),
    ("San Francisco", "California", "94105"),
    ("Austin", "Texas", "78701"),
    ("Chicago", "Illinois", "60601"),
    ("Atlanta", "Georgia", "30309"),
    ("Princeton", "New Jersey", "08540"),
    ("Seattle", "Washington", "98101"),
    ("Wilmington", "Delaware", "19801"),
    ("Miami", "Florida", "33131"),
    ("Denver", "Colorado", "80202"),
)
# (agent, street address, city, county, zip)
_AGENTS = (
    (
        "The Corporation Trust Company",
        "Corporation Trust Center, 1209 Orange Street",
        "Wilmington",
        "New Castle",
        "19801",
    ),
    ("Corporation Service Company", "1013 Centre Road", "Wilmington", "New Castle", "19805"),
    ("Corporation Service Company", "251 Little Falls Drive", "Wilmington", "New Castle", "19808"),
    ("National Registered Agents, Inc.", "160 Greentree Drive, Suite 101", "Dover", "Kent", "19904"),
    ("Harvard Business Services, Inc.", "16192 Coastal Highway", "Lewes", "Sussex", "19958"),
    (
        "The Prentice-Hall Corporation System, Inc.",
        "2711 Centerville Road, Suite 400",
        "Wilmington",
        "New Castle",
        "19808",
    ),
)
_DE_TOWNS = (
    ("Wilmington", "New Castle", "198"),
    ("Dover", "Kent", "199"),
    ("Lewes", "Sussex", "199"),
    ("Newark", "New Castle", "197"),
    ("Georgetown", "Sussex", "199"),
)
_PAR_VALUES = (
    (Decimal("0.0001"), "$0.0001", "one one-hundredth of one cent"),
    (Decimal("0.001"), "$.001", "one-tenth of one cent"),
    (Decimal("0.001"), "$0.001", "one-tenth of one cent"),
    (Decimal("0.00001"), "$0.00001", "one one-thousandth of one cent"),
    (Decimal("0.01"), "$0.01", "one cent"),
    (Decimal("1"), "$1.00", "one dollar"),
)
_PURPOSES = (
    "The purpose of the Corporation is to engage in any lawful act or activity for which corporations may"
    " be organized under the General Corporation Law of the State of Delaware.",
    "The nature of the business or purposes to be conducted or promoted by the Corporation is to engage in"
    " any lawful act or activity for which corporations may be organized under the General Corporation Law"
    " of Delaware.",
    "The purpose of the Corporation is to {trade}, and in general to engage in any lawful act or activity"
    " for which corporations may be organized under the Delaware General Corporation Law.",
)
_TRADES = (
    "develop, license and sell computer software",
    "explore for, produce and market oil and natural gas",
    "research, develop and commercialize pharmaceutical products",
    "own and operate restaurants",
    "manufacture and distribute industrial equipment",
    "acquire, hold and manage real property",
)

_ONES = (
    "Zero",
    "One",
    "Two",
    "Three",
    "Four",
    "Five",
    "Six",
    "Seven",
    "Eight",
    "Nine",
    "Ten",
    "Eleven",
    "Twelve",
    "Thirteen",
    "Fourteen",
    "Fifteen",
    "Sixteen",
    "Seventeen",
    "Eighteen",
    "Nineteen",
)
_TENS = ("", "", "Twenty", "Thirty", "Forty", "Fifty", "Sixty", "Seventy", "Eighty", "Ninety")
_SCALES = ((10**9, "Billion"), (10**6, "Million"), (10**3, "Thousand"))


@dataclass(frozen=True, slots=True)
class SynthVersion:
    """The capital a synthetic document puts in force."""

    kind: str  # "incorporation" | "amendment"
    signed_on: date
    filed_on: date | None  # the Division of Corporations stamp, when the text carries one
    total_authorized: int
    common: int
    preferred: int
    par_value: Decimal


@dataclass(frozen=True, slots=True)
class SynthCase:
    """One synthetic filing and the facts it states, versions in time order."""

    text: str
    name: str
    versions: tuple[SynthVersion, ...]


def number_words(n: int) -> str:
    """`175000000` -> "One Hundred Seventy-Five Million"."""
    if n < 0:
        raise ValueError("negative")
    if n == 0:
        return _ONES[0]
    parts: list[str] = []
    for scale, word in _SCALES:
        if n >= scale:
            parts.append(f"{_under_thousand(n // scale)} {word}")
            n %= scale
    if n:
        parts.append(_under_thousand(n))
    return " ".join(parts)


def _under_thousand(n: int) -> str:
    hundreds, rest = divmod(n, 100)
    parts = [f"{_ONES[hundreds]} Hundred"] if hundreds else []
    if rest >= 20:
        tens, ones = divmod(rest, 10)
        parts.append(_TENS[tens] + (f"-{_ONES[ones]}" if ones else ""))
    elif rest:
        parts.append(_ONES[rest])
    return " ".join(parts)


def _sentence(s: str) -> str:
    """`s` closing a sentence: "Acme, Inc." stays as it is, "Acme Corporation" takes a period."""
    return s if s.endswith(".") else s + "."


def _ordinal_day(d: int) -> str:
    suffix = "th" if 10 <= d % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(d % 10, "th")
    return f"{d}{suffix}"


class _Style:
    """The layout of one filing: line width, heading and date styles, how numbers are written."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.width = rng.choice((72, 76, 78, 80))
        self.indent = rng.choice(("", "", "    ", "     "))
        self.heading = rng.choice(("inline", "inline", "centered", "article", "dotted"))
        self.words_case = rng.choice(("title", "title", "upper", "lower"))

    def para(self, text: str, indent: str | None = None) -> str:
        first = self.indent if indent is None else indent
        return textwrap.fill(text, self.width, initial_indent=first, break_on_hyphens=False)

    def center(self, *lines: str) -> str:
        return "\n".join(line.center(self.width).rstrip() for line in lines)

    def article(self, ordinal: str, text: str) -> str:
        if self.heading == "inline":
            return self.para(f"{ordinal}: {text}")
        if self.heading == "dotted":
            return self.para(f"{ordinal}. {text}")
        if self.heading == "article":
            return f"{self.center('ARTICLE ' + ordinal)}\n\n{self.para(text)}"
        return f"{self.center(ordinal + ':')}\n\n{self.para(text)}"

    def words(self, n: int) -> str:
        w = number_words(n)
        return {"upper": w.upper(), "lower": w.lower()}.get(self.words_case, w)

    def amount(self, n: int) -> str:
        """Words and figures, or figures alone now and then."""
        if self.rng.random() < 0.15:
            return f"{n:,}"
        return f"{self.words(n)} ({n:,})"

    def long_date(self, d: date) -> str:
        return f"{MONTHS[d.month - 1]} {d.day}, {d.year}"

    def day_of(self, d: date) -> str:
        comma = self.rng.choice((",", ""))
        return f"this {_ordinal_day(d.day)} day of {MONTHS[d.month - 1]}{comma} {d.year}"


def _company_name(rng: random.Random) -> str:
    a, b = rng.choice(_NAME_A), rng.choice(_NAME_B)
    form = rng.random()
    if form < 0.45:
        return f"{a} {b}, Inc."
    if form < 0.65:
        return f"{a} {b} Corporation"
    if form < 0.75:
        return f"The {a} Group, Inc."
    if form < 0.85:
        return f"{a} {b} Holdings, Inc."
    if form < 0.93:
        return f"{a} {b} Incorporated"
    return f"{a} {b} Company"


def _person(rng: random.Random) -> str:
    middle = f" {rng.choice('ABCDEFGHJKLMNPRSTW')}." if rng.random() < 0.4 else ""
    return f"{rng.choice(_FIRST_NAMES)}{middle} {rng.choice(_LAST_NAMES)}"


def _shares(rng: random.Random, low: int, high: int) -> int:
    """A round authorized-share figure between `low` and `high`."""
    round_figures = [
        n
        for n in (
            1_000,
            3_000,
            10_000,
            1_000_000,
            1_500_000,
            5_000_000,
            10_000_000,
            20_000_000,
            25_000_000,
            50_000_000,
            75_000_000,
            100_000_000,
            150_000_000,
            200_000_000,
            250_000_000,
            500_000_000,
            1_000_000_000,
        )
        if low <= n <= high
    ]
    if round_figures and rng.random() < 0.5:
        return rng.choice(round_figures)
    while True:
        n = rng.randint(1, 999) * 10 ** rng.randint(3, 6)
        if low <= n <= high:
            return n


def _registered_office(rng: random.Random) -> tuple[str, str]:
    if rng.random() < 0.7:
        agent, street, city, county, zip_code = rng.choice(_AGENTS)
    else:
        city, county, zip3 = rng.choice(_DE_TOWNS)
        street = f"{rng.randint(1, 3999)} {rng.choice(_STREETS)}"
        if rng.random() < 0.4:
            street += f", Suite {rng.randint(100, 999)}"
        zip_code = f"{zip3}{rng.randint(0, 99):02d}"
        agent = rng.choice(
            (
                f"{rng.choice(_NAME_A)} Registered Agents, LLC",
                f"{rng.choice(_NAME_A)} Agent Services, Inc.",
                _person(rng),
            )
        )
    return f"{street}, {city}, {county} County, Delaware {zip_code}", agent


def _capital_text(
    style: _Style, common: int, preferred: int, par: tuple[Decimal, str, str], holder: str
) -> list[str]:
    """Article FOURTH as paragraphs (without its heading)."""
    rng = style.rng
    _, par_fig, par_words = par
    total = common + preferred
    blank_check = (
        f"The {holder} is hereby expressly authorized, by resolution or resolutions thereof, to provide,"
        " out of the unissued shares of Preferred Stock, for one or more series of Preferred Stock and,"
        " with respect to each such series, to fix the number of shares constituting such series and the"
        " designation of such series, the voting powers (if any) of the shares of such series, and the"
        " preferences and relative, participating, optional or other special rights, if any, and any"
        " qualifications, limitations or restrictions thereof, of the shares of such series."
    )
    if rng.random() < 0.3:  # the terse form of the Auxer filing
        return [
            "The total number of shares of stock which the Corporation shall have authority to issue is"
            f" {total:,}. The par value of each of such shares is {par_fig}.",
            f"{common:,} of such shares shall be shares of common stock.",
            f"{preferred:,} of such shares shall be shares of preferred stock. The {holder.lower()} of the"
            " Corporation is hereby granted the power to determine by resolution from time to time the"
            " powers, preferences, rights, qualifications, restrictions or limitations of the preferred"
            " stock.",
        ]
    par_text = f"{par_words} ({par_fig})" if rng.random() < 0.3 else par_fig
    return [
        "The total number of shares of all classes of stock which the Corporation shall have authority to"
        f" issue is {style.amount(total)} shares, consisting of {style.amount(common)} shares of Common"
        f' Stock, par value {par_text} per share ("Common Stock"), and {style.amount(preferred)} shares of'
        f' Preferred Stock, par value {par_text} per share ("Preferred Stock").',
        "Each share of Common Stock shall entitle the holder thereof to one vote on each matter submitted"
        " to a vote of the stockholders of the Corporation.",
        blank_check,
    ]


def _optional_articles(style: _Style, name: str) -> list[str]:
    """Seven articles, SIXTH..TWELFTH once numbered, in a shuffled order."""
    rng = style.rng
    articles = [
        "In furtherance and not in limitation of the powers conferred by statute, the Board of Directors"
        " of the Corporation is expressly authorized to adopt, amend or repeal the By-Laws of the"
        " Corporation, subject to the power of the stockholders to amend or repeal any By-Law adopted by"
        " the Board of Directors, in accordance with Section 109 of the General Corporation Law of the"
        " State of Delaware.",
        "The number of directors which shall constitute the whole Board of Directors shall be fixed by, or"
        " in the manner provided in, the By-Laws of the Corporation. Elections of directors need not be by"
        " written ballot unless the By-Laws of the Corporation shall so provide.",
        "A director of the Corporation shall not be personally liable to the Corporation or its"
        " stockholders for monetary damages for breach of fiduciary duty as a director, except to the"
        " extent such exemption from liability or limitation thereof is not permitted under the General"
        " Corporation Law of the State of Delaware as the same exists or may hereafter be amended, as"
        " provided in paragraph (7) of subsection (b) of Section 102 thereof.",
        "The Corporation shall, to the fullest extent permitted by Section 145 of the General Corporation"
        " Law of the State of Delaware, as the same may be amended and supplemented, indemnify any and all"
        " persons whom it shall have power to indemnify under said section from and against any and all"
        " of the expenses, liabilities or other matters referred to in or covered by said section, and the"
        " indemnification provided for herein shall not be deemed exclusive of any other rights to which"
        " those indemnified may be entitled under any By-Law, agreement, vote of stockholders or"
        " disinterested directors or otherwise.",
        "Whenever a compromise or arrangement is proposed between this Corporation and its creditors or any"
        " class of them and/or between this Corporation and its stockholders or any class of them, any"
        " court of equitable jurisdiction within the State of Delaware may, on the application in a"
        " summary way of this Corporation or of any creditor or stockholder thereof or on the application"
        " of any receiver or receivers appointed for this Corporation under Section 291 of Title 8 of the"
        " Delaware Code or on the application of trustees in dissolution or of any receiver or receivers"
        " appointed for this Corporation under Section 279 of Title 8 of the Delaware Code order a meeting"
        " of the creditors or class of creditors, and/or of the stockholders or class of stockholders of"
        " this Corporation, as the case may be, to be summoned in such manner as the said court directs."
        " If a majority in number representing three-fourths in value of the creditors or class of"
        " creditors, and/or of the stockholders or class of stockholders of this Corporation, as the case"
        " may be, agree to any compromise or arrangement and to any reorganization of this Corporation as"
        " consequence of such compromise or arrangement, the said compromise or arrangement and the said"
        " reorganization shall, if sanctioned by the court to which the said application has been made,"
        " be binding on all the creditors or class of creditors, and/or on all the stockholders or class"
        " of stockholders, of this Corporation, as the case may be, and also on this Corporation.",
        "The Corporation reserves the right to amend, alter, change or repeal any provision contained in"
        " this Certificate of Incorporation, in the manner now or hereafter prescribed by statute, and all"
        " rights conferred upon stockholders herein are granted subject to this reservation.",
        "The Corporation expressly elects not to be governed by Section 203 of the General Corporation Law"
        " of the State of Delaware.",
    ]
    if rng.random() < 0.3:
        articles[rng.randrange(len(articles) - 1)] = "The Corporation is to have perpetual existence."
    rng.shuffle(articles)
    return articles[:7]


def _filing_stamp(style: _Style, filed: date) -> str:
    rng = style.rng
    hh, mm = rng.randint(8, 16), rng.randint(0, 59)
    ampm = "AM" if hh < 12 else "PM"
    clock = f"{(hh - 1) % 12 + 1:02d}:{mm:02d} {ampm}"
    stamp = f"{filed.month:02d}/{filed.day:02d}/{filed.year}"
    srv = f"{rng.randint(10**8, 10**9 - 1)} - {rng.randint(10**6, 10**7 - 1)} FILE"
    return "\n".join(
        (
            "State of Delaware",
            "Secretary of State",
            "Division of Corporations",
            f"Delivered {clock} {stamp}",
            f"FILED {clock} {stamp}",
            f"SRV {srv}",
        )
    )


def _signature(style: _Style, signer: str, title: str, signed: date) -> str:
    pad = " " * style.rng.choice((4, 10, 25))
    if style.rng.random() < 0.5:
        rule = "-" * (len(signer) + 4)
        return f"{pad}By: /s/ {signer}\n{pad}    {rule}\n{pad}Name: {signer}\n{pad}Title: {title}"
    return f"{pad}/s/ {signer}\n{pad}{'-' * (len(signer) + 4)}\n{pad}{signer}, {title}"


def _incorporation(
    style: _Style,
    name: str,
    signed: date,
    filed: date | None,
    common: int,
    preferred: int,
    par: tuple[Decimal, str, str],
    holder: str,
) -> str:
    rng = style.rng
    office, agent = _registered_office(rng)
    incorporator = _person(rng)
    city, state, zip_code = rng.choice(_CITIES)
    inc_address = f"{rng.randint(1, 9999)} {rng.choice(_STREETS)}, {city}, {state} {zip_code}"
    purpose = rng.choice(_PURPOSES).format(trade=rng.choice(_TRADES))
    preamble = rng.choice(
        (
            "The undersigned, a natural person, for the purpose of organizing a corporation for conducting the"
            " business and promoting the purposes hereinafter stated, under the provisions and subject to the"
            " requirements of the laws of the State of Delaware (particularly Chapter 1, Title 8 of the Delaware"
            " Code and the acts amendatory thereof and supplemental thereto, and known, identified and referred"
            ' to as the "Delaware General Corporation Law"), hereby certifies that:',
            "I, THE UNDERSIGNED, for the purpose of incorporating and organizing a corporation under the General"
            " Corporation Law of the State of Delaware, do execute this Certificate of Incorporation and do"
            " hereby certify as follows:",
        )
    )
    fourth = _capital_text(style, common, preferred, par, holder)
    bodies = [
        f'The name of this corporation (hereinafter called the "Corporation") is {_sentence(name)}',
        f"The address, including street, number, city and county, of the registered office of the"
        f" Corporation in the State of Delaware is {office}; and the name of the registered agent of the"
        f" Corporation at such address is {_sentence(agent)}",
        purpose,
        fourth[0],
        f"The name and mailing address of the incorporator are as follows: {incorporator}, {inc_address}.",
        *_optional_articles(style, name),
    ]
    parts = []
    if filed is not None:
        parts.append(_filing_stamp(style, filed))
    parts.append(style.center("CERTIFICATE OF INCORPORATION", "OF", name.upper()))
    parts.append(style.para(preamble))
    for ordinal, body in zip(ORDINALS, bodies, strict=True):
        parts.append(style.article(ordinal, body))
        if ordinal == "FOURTH":
            parts.extend(style.para(p) for p in fourth[1:])
    if rng.random() < 0.5:
        closing = (
            f"IN WITNESS WHEREOF, the undersigned has executed this Certificate of Incorporation"
            f" {style.day_of(signed)}."
        )
    else:
        closing = f"Signed on {style.long_date(signed)}"
    parts.append(style.para(closing))
    parts.append(_signature(style, incorporator, "Incorporator", signed))
    return "\n\n".join(parts)


def _amendment(
    style: _Style,
    name: str,
    signed: date,
    filed: date | None,
    common: int,
    preferred: int,
    par: tuple[Decimal, str, str],
    holder: str,
) -> str:
    rng = style.rng
    officer = _person(rng)
    title = rng.choice(("President", "Chief Executive Officer", "Secretary", "Authorized Officer"))
    fourth = _capital_text(style, common, preferred, par, holder)
    by_consent = rng.random() < 0.4
    parts = []
    if filed is not None:
        parts.append(_filing_stamp(style, filed))
    parts.append(
        style.center("CERTIFICATE OF AMENDMENT", "OF", "CERTIFICATE OF INCORPORATION", "OF", name.upper())
    )
    parts.append(
        style.para(
            f"{name}, a corporation organized and existing under and by virtue of the General Corporation Law"
            ' of the State of Delaware (the "Corporation"), DOES HEREBY CERTIFY:'
        )
    )
    parts.append(
        style.para(
            "FIRST: That at a meeting of the Board of Directors of the Corporation resolutions were duly"
            " adopted setting forth a proposed amendment of the Certificate of Incorporation of said"
            " corporation, declaring said amendment to be advisable and "
            + (
                "directing that it be submitted to the stockholders for their written consent."
                if by_consent
                else "calling a meeting of the stockholders of said corporation for consideration thereof."
            )
            + " The resolution setting forth the proposed amendment is as follows:"
        )
    )
    parts.append(
        style.para(
            "RESOLVED, that the Certificate of Incorporation of this corporation be amended by changing the"
            ' Article thereof numbered "FOURTH" so that, as amended, said Article shall be and read as'
            " follows:"
        )
    )
    quoted = [f'"FOURTH: {fourth[0]}', *fourth[1:-1], f'{fourth[-1]}"']
    parts.extend(style.para(p, indent="     ") for p in quoted)
    if by_consent:
        second = (
            "SECOND: That thereafter, in lieu of a meeting and vote of stockholders, the holders of a"
            " majority of the outstanding stock entitled to vote thereon consented in writing to the"
            " adoption of the amendment in accordance with the provisions of Section 228 of the General"
            " Corporation Law of the State of Delaware."
        )
    else:
        second = (
            "SECOND: That thereafter, pursuant to resolution of its Board of Directors, a special"
            " meeting of the stockholders of said corporation was duly called and held upon notice in"
            " accordance with Section 222 of the General Corporation Law of the State of Delaware at"
            " which meeting the necessary number of shares as required by statute were voted in favor"
            " of the amendment."
        )
    parts.append(style.para(second))
    parts.append(
        style.para(
            "THIRD: That said amendment was duly adopted in accordance with the provisions of Section 242 of"
            " the General Corporation Law of the State of Delaware."
        )
    )
    if rng.random() < 0.4:
        parts.append(
            style.para(
                "FOURTH: That the capital of said corporation shall not be reduced under or"
                " by reason of said amendment."
            )
        )
    parts.append(
        style.para(
            f"IN WITNESS WHEREOF, said Corporation has caused this certificate to be signed by {officer}, its"
            f" {title}, {style.day_of(signed)}."
        )
    )
    parts.append(_signature(style, officer, title, signed))
    return "\n\n".join(parts)


def synthetic_case(rng: random.Random) -> SynthCase:
    """One synthetic filing with the facts it states (see the module docstring)."""
    style = _Style(rng)
    name = _company_name(rng)
    signed = date(1985, 1, 1) + timedelta(days=rng.randrange(35 * 365))
    stamped = rng.random() < 0.5
    par = rng.choice(_PAR_VALUES)
    holder = rng.choice(("Board of Directors", "Board of Directors", "Board of Directors", "President"))
    common = _shares(rng, 1_000, 500_000_000)
    preferred = _shares(rng, max(1_000, common // 50), max(1_000, common // 2))
    n_amendments = rng.choices((0, 1, 2), weights=(55, 35, 10))[0]

    def filed_on(d: date) -> date | None:
        return d + timedelta(days=rng.randint(0, 5)) if stamped else None

    filed = filed_on(signed)
    docs = [_incorporation(style, name, signed, filed, common, preferred, par, holder)]
    versions = [SynthVersion("incorporation", signed, filed, common + preferred, common, preferred, par[0])]
    for _ in range(n_amendments):
        signed = signed + timedelta(days=rng.randint(60, 4 * 365))
        common = min(common * rng.choice((2, 2, 3, 4, 5, 10)), 5_000_000_000)
        if rng.random() < 0.4:
            preferred = min(preferred * rng.choice((2, 5)), common)
        filed = filed_on(signed)
        docs.append(_amendment(style, name, signed, filed, common, preferred, par, holder))
        versions.append(
            SynthVersion("amendment", signed, filed, common + preferred, common, preferred, par[0])
        )
    if len(docs) > 1 and rng.random() < 0.3:
        docs.reverse()  # newest first, as the Auxer filing is
    separator = rng.choice(("\n\n\n", "\n\n\n\n\n", "\n\n" + "-" * style.width + "\n\n"))
    return SynthCase(separator.join(docs) + "\n", name, tuple(versions))


def synthetic_charter(rng: random.Random) -> str:
    """The text of one synthetic filing (see the module docstring)."""
    return synthetic_case(rng).text


if __name__ == "__main__":
    import sys

    seed = int(sys.argv[1]) if len(sys.argv) > 1 else 0
    print(synthetic_charter(random.Random(seed)))
