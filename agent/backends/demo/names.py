"""Word lists the demo seed draws people and places from.

Names come from many origins and keep their accents; emails use their ASCII forms
(``ascii_slug``). Places carry what an address and a phone number need to look real:
state or province, postcode pattern, area codes and the sales-tax rate of the region.
"""

from __future__ import annotations

import unicodedata
from typing import NamedTuple

# fmt: off
FIRST_NAMES: tuple[str, ...] = (
    # English-speaking
    "James", "Mary", "Robert", "Patricia", "John", "Jennifer", "Michael", "Linda", "William",
    "Elizabeth", "David", "Barbara", "Richard", "Susan", "Joseph", "Jessica", "Thomas", "Sarah",
    "Christopher", "Karen", "Daniel", "Nancy", "Matthew", "Lisa", "Anthony", "Margaret", "Mark",
    "Emily", "Steven", "Ashley", "Andrew", "Kimberly", "Joshua", "Michelle", "Kenneth", "Amanda",
    "Kevin", "Melissa", "Brian", "Rebecca", "Timothy", "Laura", "Ryan", "Samantha", "Jacob",
    "Katherine", "Nicholas", "Olivia", "Benjamin", "Hannah", "Samuel", "Abigail", "Alexander",
    "Madison", "Tyler", "Grace", "Oliver", "Amelia", "Harry", "Isla", "George", "Poppy", "Jack",
    "Charlotte", "Noah", "Ava", "Ethan", "Sophie", "Liam", "Chloe", "Lucas", "Ella", "Mason",
    "Mia", "Logan", "Harper", "Owen", "Evelyn", "Caleb", "Avery", "Wyatt", "Scarlett",
    # Irish, Scottish, Welsh
    "Siobhán", "Seán", "Aoife", "Niamh", "Ciarán", "Caoimhe", "Pádraig", "Eoin", "Róisín",
    "Declan", "Fionn", "Saoirse", "Ailsa", "Callum", "Eilidh", "Rhys", "Carys", "Dafydd",
    # French, Québécois
    "François", "Chloé", "Zoë", "Amélie", "Hélène", "Jérôme", "Léa", "Gaël", "Élodie", "Benoît",
    "Mathéo", "Maëlle", "Noémie", "Stéphane", "Geneviève", "Émile", "Andrée", "Céline",
    # Spanish, Portuguese, Latin American
    "José", "María", "Jesús", "Sofía", "Martín", "Lucía", "Andrés", "Camila", "Ramón", "Inés",
    "Joaquín", "Valentina", "Raúl", "Ximena", "Sebastián", "Mónica", "Héctor", "Verónica",
    "João", "Conceição", "Gonçalo", "Letícia",
    # German, Nordic, Dutch
    "Jürgen", "Jörg", "Günther", "Anneliese", "Björn", "Søren", "Åsa", "Linnéa", "Mads",
    "Ingrid", "Sigrún", "Maarten", "Femke", "Ruud", "Lotte",
    # Central and Eastern European
    "Łukasz", "Małgorzata", "Wojciech", "Agnieszka", "Zuzana", "Tomáš", "Dušan", "Jiří",
    "Dorottya", "Ádám", "Mihai", "Ioana", "Oksana", "Dmitri", "Natalia", "Ana",
    # Italian, Greek, Turkish
    "Giulia", "Niccolò", "Francesca", "Luca", "Eleni", "Nikos", "Ayşe", "Çağla", "Mehmet",
    # Asian
    "Minh", "Thảo", "Huy", "Linh", "Wei", "Xiaoling", "Jun", "Mei", "Hiroshi", "Yūko", "Kenji",
    "Sakura", "Ji-woo", "Min-jun", "Seo-yeon", "Priya", "Arjun", "Ananya", "Rohan", "Deepika",
    "Vikram", "Aarav", "Fatima", "Ahmed", "Omar", "Layla", "Yusuf", "Zainab", "Nasrin", "Reza",
    # African
    "Chidi", "Ngozi", "Kwame", "Ama", "Oluwaseun", "Adaeze", "Thabo", "Nomvula", "Kofi", "Abebe",
)

LAST_NAMES: tuple[str, ...] = (
    "Smith", "Johnson", "Williams", "Brown", "Jones", "Miller", "Davis", "Wilson", "Anderson",
    "Taylor", "Thomas", "Moore", "Jackson", "Martin", "Lee", "Thompson", "White", "Harris",
    "Clark", "Lewis", "Robinson", "Walker", "Young", "Allen", "King", "Wright", "Scott", "Hill",
    "Green", "Adams", "Baker", "Nelson", "Carter", "Mitchell", "Roberts", "Turner", "Phillips",
    "Campbell", "Parker", "Evans", "Edwards", "Collins", "Stewart", "Morris", "Murphy", "Cook",
    "Rogers", "Morgan", "Cooper", "Peterson", "Reed", "Bailey", "Bell", "Kelly", "Howard",
    "Ward", "Cox", "Richardson", "Wood", "Watson", "Brooks", "Bennett", "Gray", "Hughes",
    "Price", "Sanders", "Myers", "Long", "Ross", "Foster", "Powell", "Jenkins", "Perry",
    "O'Brien", "O'Connor", "O'Sullivan", "McCarthy", "MacDonald", "McAllister", "Ó Súilleabháin",
    "Fitzgerald", "Gallagher", "Byrne", "Davies", "Llewellyn", "Pritchard", "Ffrench",
    "Tremblay", "Gagnon", "Côté", "Bouchard", "Gauthier", "Lévesque", "Bélanger", "Lefèvre",
    "Dubois", "Fontaine", "Girard", "Lemaître", "Ménard", "Pelletier", "Bergeron", "Fréchette",
    "García", "Rodríguez", "Martínez", "Hernández", "López", "González", "Pérez", "Sánchez",
    "Ramírez", "Núñez", "Jiménez", "Muñoz", "Gutiérrez", "Ibáñez", "Suárez", "Peña",
    "da Silva", "Gonçalves", "Magalhães", "Conceição",
    "Müller", "Schäfer", "Schröder", "Weiß", "Köhler", "Groß", "Böhm", "Krüger", "Vogel",
    "Ångström", "Öberg", "Sjöström", "Lindqvist", "Nørgaard", "Kjær", "Halvorsen", "Jónsdóttir",
    "van der Berg", "de Vries", "Janssen", "Bakker",
    "Kowalski", "Wiśniewska", "Wójcik", "Łukaszewicz", "Nowak", "Dvořák", "Novotná", "Horváth",
    "Szabó", "Popescu", "Ionescu", "Kovalenko", "Petrov", "Ivanova",
    "Rossi", "Bianchi", "Ferrari", "Esposito", "Papadopoulos", "Georgiou", "Yılmaz", "Öztürk",
    "Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Wang", "Li", "Zhang", "Chen", "Liu", "Huang",
    "Tanaka", "Suzuki", "Satō", "Itō", "Kim", "Park", "Choi", "Patel", "Shah", "Singh",
    "Sharma", "Gupta", "Iyer", "Reddy", "Khan", "Hussain", "Rahman", "Haddad", "Nasser",
    "Karimi", "Okafor", "Adeyemi", "Mensah", "Boateng", "Nkosi", "Dlamini", "Tesfaye", "Mwangi",
)

NICKNAMES: dict[str, str] = {
    "William": "bill", "Robert": "bob", "Richard": "rick", "James": "jim", "Joseph": "joe",
    "Thomas": "tom", "Christopher": "chris", "Daniel": "dan", "Matthew": "matt",
    "Anthony": "tony", "Michael": "mike", "Steven": "steve", "Andrew": "andy",
    "Kenneth": "ken", "Timothy": "tim", "Nicholas": "nick", "Benjamin": "ben", "Samuel": "sam",
    "Alexander": "alex", "Elizabeth": "liz", "Patricia": "patty", "Jennifer": "jen",
    "Margaret": "maggie", "Katherine": "kate", "Rebecca": "becky", "Kimberly": "kim",
    "Samantha": "sammy", "Abigail": "abby", "Jessica": "jess", "Melissa": "mel",
    "Amanda": "mandy", "Madison": "maddie", "Joshua": "josh", "Jacob": "jake", "Barbara": "barb",
    "Susan": "sue", "Alejandro": "alex", "Francisco": "paco", "José": "pepe", "Jesús": "chuy",
    "Sebastián": "seba", "Valentina": "vale", "Guadalupe": "lupe", "Dmitri": "dima",
    "Natalia": "natasha", "Oluwaseun": "seun", "Łukasz": "luki", "Małgorzata": "gosia",
    "Wojciech": "wojtek", "Niccolò": "nico", "François": "franky", "Geneviève": "gen",
    "Stéphane": "steph", "Pádraig": "paddy", "Gonçalo": "goncas",
}

US_DOMAINS = ("gmail.com", "yahoo.com", "outlook.com", "hotmail.com", "icloud.com", "aol.com",
              "comcast.net", "proton.me", "att.net", "verizon.net")
CA_DOMAINS = ("gmail.com", "hotmail.com", "outlook.com", "yahoo.ca", "icloud.com", "shaw.ca",
              "rogers.com", "sympatico.ca", "videotron.ca", "telus.net")
GB_DOMAINS = ("gmail.com", "hotmail.co.uk", "outlook.com", "yahoo.co.uk", "btinternet.com",
              "icloud.com", "sky.com", "virginmedia.com", "live.co.uk", "proton.me")
# Weighted: the first domains of each list are the common ones.
DOMAINS_BY_COUNTRY: dict[str, tuple[str, ...]] = {"US": US_DOMAINS, "CA": CA_DOMAINS,
                                                   "GB": GB_DOMAINS}
COMPANY_DOMAINS = ("acmesupply.com", "northwindtraders.com", "harbourfreight.co",
                   "lakesideoutfitters.com", "brightpathretail.com", "mapleleafgoods.ca",
                   "thamesvalleytrading.co.uk", "pinecrestwholesale.com")

STREET_NAMES = (
    "Maple", "Oak", "Cedar", "Pine", "Elm", "Willow", "Birch", "Spruce", "Chestnut", "Walnut",
    "Lake", "Hill", "River", "Park", "Meadow", "Forest", "Sunset", "Highland", "Valley",
    "Church", "Mill", "Station", "Victoria", "King", "Queen", "Main", "Washington", "Lincoln",
    "Jefferson", "Franklin", "Madison", "Wellington", "Churchill", "Sherbrooke", "Saint-Denis",
    "Côte-des-Neiges", "Laurier", "Dundas", "Bloor", "Granville", "Harbour", "Orchard",
    "Greenway", "Ridgeview", "Brookside", "Fairview", "Kingsway", "Albert", "Prospect",
)
NA_STREET_SUFFIXES = ("St", "Ave", "Rd", "Blvd", "Dr", "Ln", "Ct", "Way", "Pl", "Terrace")
GB_STREET_SUFFIXES = ("Road", "Street", "Lane", "Close", "Avenue", "Gardens", "Crescent",
                      "Drive", "Mews", "Grove")

# fmt: on


class Place(NamedTuple):
    city: str
    region: str  # state, province or county
    country: str  # ISO 3166-1 alpha-2
    postal_prefixes: tuple[str, ...]  # ZIP3 (US), FSA letter+digit (CA), outward area (GB)
    # US/CA: area codes. GB: "area exchange" of a range whose last three digits are free.
    dial_codes: tuple[str, ...]
    tax_rate_bp: int  # sales tax / VAT in basis points


# fmt: off
US_PLACES: tuple[Place, ...] = (
    Place("Austin", "TX", "US", ("787",), ("512", "737"), 825),
    Place("Houston", "TX", "US", ("770", "772"), ("713", "832", "281"), 825),
    Place("Dallas", "TX", "US", ("752",), ("214", "469", "972"), 825),
    Place("New York", "NY", "US", ("100", "101", "112"), ("212", "646", "718", "917"), 888),
    Place("Buffalo", "NY", "US", ("142",), ("716",), 875),
    Place("Los Angeles", "CA", "US", ("900", "902"), ("213", "310", "323"), 950),
    Place("San Francisco", "CA", "US", ("941",), ("415", "628"), 863),
    Place("San Diego", "CA", "US", ("921",), ("619", "858"), 775),
    Place("Seattle", "WA", "US", ("981",), ("206", "425"), 1025),
    Place("Portland", "OR", "US", ("972",), ("503", "971"), 0),
    Place("Chicago", "IL", "US", ("606",), ("312", "773", "872"), 1025),
    Place("Denver", "CO", "US", ("802",), ("303", "720"), 881),
    Place("Phoenix", "AZ", "US", ("850",), ("602", "480"), 860),
    Place("Miami", "FL", "US", ("331",), ("305", "786"), 700),
    Place("Orlando", "FL", "US", ("328",), ("407", "321"), 650),
    Place("Atlanta", "GA", "US", ("303",), ("404", "678", "470"), 890),
    Place("Boston", "MA", "US", ("021",), ("617", "857"), 625),
    Place("Philadelphia", "PA", "US", ("191",), ("215", "267"), 800),
    Place("Pittsburgh", "PA", "US", ("152",), ("412",), 700),
    Place("Minneapolis", "MN", "US", ("554",), ("612", "763"), 903),
    Place("Nashville", "TN", "US", ("372",), ("615", "629"), 925),
    Place("Charlotte", "NC", "US", ("282",), ("704", "980"), 725),
    Place("Detroit", "MI", "US", ("482",), ("313",), 600),
    Place("Columbus", "OH", "US", ("432",), ("614", "380"), 775),
    Place("Salt Lake City", "UT", "US", ("841",), ("801", "385"), 775),
    Place("Albuquerque", "NM", "US", ("871",), ("505",), 788),
    Place("Honolulu", "HI", "US", ("968",), ("808",), 450),
    Place("Anchorage", "AK", "US", ("995",), ("907",), 0),
    Place("Burlington", "VT", "US", ("054",), ("802",), 700),
    Place("Wilmington", "DE", "US", ("198",), ("302",), 0),
)

CA_PLACES: tuple[Place, ...] = (
    Place("Toronto", "ON", "CA", ("M4", "M5", "M6"), ("416", "647", "437"), 1300),
    Place("Ottawa", "ON", "CA", ("K1", "K2"), ("613", "343"), 1300),
    Place("Mississauga", "ON", "CA", ("L5",), ("905", "289"), 1300),
    Place("Montréal", "QC", "CA", ("H2", "H3", "H4"), ("514", "438"), 1498),
    Place("Québec", "QC", "CA", ("G1",), ("418", "581"), 1498),
    Place("Vancouver", "BC", "CA", ("V5", "V6"), ("604", "778"), 1200),
    Place("Victoria", "BC", "CA", ("V8",), ("250",), 1200),
    Place("Calgary", "AB", "CA", ("T2", "T3"), ("403", "587"), 500),
    Place("Edmonton", "AB", "CA", ("T5", "T6"), ("780", "587"), 500),
    Place("Winnipeg", "MB", "CA", ("R2", "R3"), ("204", "431"), 1200),
    Place("Halifax", "NS", "CA", ("B3",), ("902", "782"), 1400),
    Place("Saskatoon", "SK", "CA", ("S7",), ("306", "639"), 1100),
    Place("St. John's", "NL", "CA", ("A1",), ("709",), 1500),
)

# UK numbers use Ofcom's ranges reserved for drama, so no real line is ever printed.
GB_PLACES: tuple[Place, ...] = (
    Place("London", "Greater London", "GB", ("SW", "SE", "N", "E", "W", "NW"), ("20 79460",), 2000),
    Place("Manchester", "Greater Manchester", "GB", ("M",), ("161 4960",), 2000),
    Place("Birmingham", "West Midlands", "GB", ("B",), ("121 4960",), 2000),
    Place("Leeds", "West Yorkshire", "GB", ("LS",), ("113 4960",), 2000),
    Place("Glasgow", "Glasgow City", "GB", ("G",), ("141 4960",), 2000),
    Place("Edinburgh", "City of Edinburgh", "GB", ("EH",), ("131 4960",), 2000),
    Place("Bristol", "Bristol", "GB", ("BS",), ("117 4960",), 2000),
    Place("Liverpool", "Merseyside", "GB", ("L",), ("151 4960",), 2000),
    Place("Cardiff", "South Glamorgan", "GB", ("CF",), ("29 20180",), 2000),
    Place("Belfast", "County Antrim", "GB", ("BT",), ("28 96496",), 2000),
    Place("Sheffield", "South Yorkshire", "GB", ("S",), ("114 4960",), 2000),
    Place("Nottingham", "Nottinghamshire", "GB", ("NG",), ("115 4960",), 2000),
)
GB_MOBILE_PREFIX = "7700 900"

PLACES_BY_COUNTRY: dict[str, tuple[Place, ...]] = {"US": US_PLACES, "CA": CA_PLACES,
                                                    "GB": GB_PLACES}
SITE_BY_COUNTRY = {"US": "US Store", "CA": "CA Store", "GB": "UK Store"}
CURRENCY_BY_COUNTRY = {"US": "USD", "CA": "CAD", "GB": "GBP"}

CSR_NAMES = ("Dana Whitfield", "Marcus Oyelaran", "Priya Raman", "Sofía Castillo",
             "Tom Kowalczyk", "Aisling Byrne")
# fmt: on

_NON_DECOMPOSING = str.maketrans("łŁøØæÆđĐı", "lLoOaAdDi", "")


def ascii_slug(text: str) -> str:
    """Lower-case ASCII letters and digits of ``text``: "Ó Súilleabháin" -> "osuilleabhain"."""
    decomposed = unicodedata.normalize("NFKD", text.replace("ß", "ss").translate(_NON_DECOMPOSING))
    return "".join(ch for ch in decomposed.lower() if ch.isascii() and ch.isalnum())
