"""Outlets: who published an article.

A cascade in the order of trust. What the source states comes first: an
outlet field, a folder named after a registered outlet, the page's site name,
the domain of its URL. Then what the text says about its own publisher: a
closing "Source: RT News" line, a "(Before It's News)" line, a dateline
("BEIRUT (Reuters) - ", "Rasa - "), a sign-off ending the last sentence
("..., FNA reported."), a " | Outlet" after the headline; and last, the
domain of a "Source: <URL>" line that the registry does not know.

Names in the text count only when the registry knows them (an unknown
"LONDON - " is a place, not a publisher), and only in those positions: an
outlet quoted or cited inside a sentence ("told RT", "as cited by Sputnik",
"according to SANA") is not the publisher. Unknown stays unknown.
"""
from __future__ import annotations

import re
import unicodedata
from collections import Counter
from dataclasses import dataclass
from dataclasses import field as dc_field
from functools import lru_cache
from typing import Mapping

from ..ids import outlet_slug
from ..paths import data_lines
from .clean import looks_like_sentence
from .dateline import match_dateline
from .furniture import FurnitureModel, unit_key
from .registry import Outlet, OutletRegistry, default_registry, host_of, resolve_outlet

#: Non-blank lines at the end of the text where a closing source line may be.
TAIL_LINES = 8
#: Non-blank lines at the start of the body where a dateline may be.
DATELINE_LINES = 3

SOURCE_LINE = re.compile(
    r"(?:sources?|via|courtesy(?: of)?|credit|originally (?:published|appeared) (?:by|at|on|in)|"
    r"this (?:article|story) (?:was )?(?:originally )?(?:published|appeared) (?:by|at|on|in)|"
    r"read more at|read the original (?:article|story) (?:at|on))"
    r"\s*[:\-–—]?\s*(?P<value>\S.{0,200}?)[.\s]*\Z",
    re.IGNORECASE)
URL_IN_TEXT = re.compile(r"(?:https?://|www\.)[^\s\"'<>()]+", re.IGNORECASE)
PAREN_LINE = re.compile(r"\(\s*(?P<name>[^()]{2,60}?)\s*\)\Z")
#: ", FNA reported." closing the last sentence; a comma must come right before
#: the name, so "..., as FNA reported." (a citation) does not match.
SIGN_OFF = re.compile(
    r",\s+(?:the\s+)?(?P<name>[A-Z][\w'’.&-]*(?:\s+[\w'’.&-]+){0,4}?)\s+"
    r"(?:reported|reports|has reported|wrote|said in a report)\.[\"'”’]?\Z")
TITLE_SUFFIX = re.compile(r"\s+(?:\||–|—|-|::)\s+(?P<name>[^|–—]{2,60})\Z")


@dataclass(frozen=True)
class FoundOutlet:
    """An outlet, the rule that found it, and the line it consumed (if any)."""

    outlet: Outlet
    origin: str
    index: int | None = None


def _as_given(name: str) -> Outlet | None:
    name = " ".join(name.split())
    slug = outlet_slug(name)
    return Outlet(name, slug) if slug else None


def outlet_from_hints(hints: Mapping[str, object],
                      registry: OutletRegistry | None = None) -> FoundOutlet | None:
    """The outlet the source itself states, normalised through the registry."""
    registry = registry or default_registry()
    given = str(hints.get("outlet") or "").strip()
    if given:
        outlet = registry.resolve(given) or _as_given(given)
        if outlet:
            return FoundOutlet(outlet, "explicit:outlet")
    folder = registry.resolve(str(hints.get("folder") or ""))
    if folder:
        return FoundOutlet(folder, "explicit:folder")
    site = str(hints.get("site_name") or "").strip()
    if site:
        outlet = registry.resolve(site) or _as_given(site)
        if outlet:
            return FoundOutlet(outlet, "explicit:site_name")
    for key in ("url", "canonical_url"):
        url = str(hints.get(key) or "").strip()
        host = host_of(url) if url else None
        if host:
            outlet = registry.by_domain(url) or _as_given(host)
            if outlet:
                return FoundOutlet(outlet, f"explicit:{key}")
    return None


def outlet_from_text(lines: list[str], skip: frozenset[int] = frozenset(), title: str | None = None,
                     registry: OutletRegistry | None = None,
                     all_lines: list[str] | None = None,
                     furniture: FurnitureModel | None = None) -> FoundOutlet | None:
    """The publisher as the text names it, by the rules in the module docstring.

    `all_lines` are the page's lines as given, furniture included: what the
    site says about itself there (its copyright notice, its name in the
    menus) comes before a dateline's agency or a closing source line, which
    may name whoever wrote a story the site republishes. `furniture` is what
    the source's other pages repeat (see `outlet_from_furniture`).
    """
    registry = registry or default_registry()
    live = [i for i, line in enumerate(lines) if line and i not in skip]
    content = frozenset(live) if len(lines) == len(all_lines or ()) else None
    evidence = _gather(all_lines, content) if all_lines else None
    found = ((_decide(evidence, all_lines, registry, furniture=furniture) if evidence else None)
             or source_line(lines, live, registry)
             or byline_in_parentheses(lines, [i for i, line in enumerate(lines) if line], registry))
    if found:
        return found
    if _wire_may_be_publisher(evidence):  # and a headline's " | Reuters" on a page with a site of its own
        found = (dateline_agency(lines, live, registry) or sign_off(lines, live, registry)
                 or title_suffix(title, registry))
    return found or source_url(lines, live)


def _wire_may_be_publisher(evidence: "_Evidence | None") -> bool:
    """May a dateline's agency or a sign-off name the publisher? Only in a bare article text.

    A site republishing wire copy is its publisher, the agency is its source:
    so not when the page shows any evidence of its own site (a notice, a
    site name, a domain), nor when it is a whole page as copied (menus,
    footers: runs of short lines), where the site's logo copied as nothing.
    """
    if evidence is None:
        return True
    return not evidence.names and not evidence.domains \
        and sum(evidence.short_lines.values()) < PAGE_COPY_SHORT_LINES


def _resolve_source_value(value: str, registry: OutletRegistry) -> Outlet | None:
    outlet = registry.resolve(value)
    if outlet:
        return outlet
    url = URL_IN_TEXT.search(value)
    return registry.by_domain(url.group(0)) if url else None


def source_line(lines: list[str], live: list[int], registry: OutletRegistry) -> FoundOutlet | None:
    """A closing "Source: RT News" (or "Via rt.com") naming a registered outlet."""
    for i in reversed(live[-TAIL_LINES:]):
        m = SOURCE_LINE.match(lines[i]) if len(lines[i]) <= 250 else None
        if m:
            outlet = _resolve_source_value(m.group("value"), registry)
            if outlet:
                return FoundOutlet(outlet, "inferred:source-line", i)
    return None


def byline_in_parentheses(lines: list[str], live: list[int],
                          registry: OutletRegistry) -> FoundOutlet | None:
    """A line holding only a registered outlet in parentheses: "(Before It's News)"."""
    for i in live:
        line = lines[i]
        if line[0] == "(" and line[-1] == ")" and len(line) <= 64:
            m = PAREN_LINE.match(line)
            outlet = registry.resolve(m.group("name")) if m else None
            if outlet:
                return FoundOutlet(outlet, "inferred:byline", i)
    return None


def dateline_agency(lines: list[str], live: list[int], registry: OutletRegistry) -> FoundOutlet | None:
    """The agency of a dateline opening the body: "BEIRUT (Reuters) - ", "Rasa - "."""
    for i in live[:DATELINE_LINES]:
        dateline = match_dateline(lines[i])
        if dateline:
            outlet = registry.resolve(dateline.agency) or registry.resolve(dateline.place)
            if outlet:
                return FoundOutlet(outlet, "inferred:dateline")
    return None


def sign_off(lines: list[str], live: list[int], registry: OutletRegistry) -> FoundOutlet | None:
    """A registered outlet closing the article's last sentence: "..., FNA reported."."""
    for i in reversed(live[-TAIL_LINES:]):
        line = lines[i]
        if not looks_like_sentence(line):
            continue
        m = SIGN_OFF.search(line)
        outlet = registry.resolve(m.group("name")) if m else None
        return FoundOutlet(outlet, "inferred:sign-off") if outlet else None
    return None


def title_suffix(title: str | None, registry: OutletRegistry) -> FoundOutlet | None:
    """A registered outlet after the headline: "Headline | Reuters"."""
    m = TITLE_SUFFIX.search(title) if title else None
    outlet = registry.resolve(m.group("name")) if m else None
    return FoundOutlet(outlet, "inferred:title-suffix") if outlet else None


def source_url(lines: list[str], live: list[int]) -> FoundOutlet | None:
    """Last resort: the domain of a closing "Source: <URL>" the registry does not know."""
    for i in reversed(live[-TAIL_LINES:]):
        m = SOURCE_LINE.match(lines[i]) if len(lines[i]) <= 250 else None
        url = URL_IN_TEXT.search(m.group("value")) if m else None
        host = host_of(url.group(0)) if url else None
        outlet = _as_given(host) if host else None
        if outlet:
            return FoundOutlet(outlet, "inferred:source-url")
    return None


# --- the page's own furniture: copyright lines, site names, domains ---------------------
#
# A page copied out of a browser names its publisher in the furniture around
# the article: the footer's copyright line ("© 2019 News Nation. All rights
# reserved."), the site's name in navigation, logo and skip links ("Back to
# IndieWire", "Zur ORF.at-Navigation", "Snopes Logo"), the domain it keeps
# writing ("TheHill.com", an editor's address at the domain). Each is a
# candidate; the name that most evidence agrees on (the footer names it, the
# menus repeat it, it matches the page's domain) is the publisher, if it has
# enough. A picture credit ("Photo: © AFP"), a name inside a sentence ("told
# Reuters") and a parent company the rest of the page never names are weak.

#: Marks that open a copyright notice (the cheap test comes first).
COPYRIGHT_CHARS = ("©", "ⓒ", "opyright", "OPYRIGHT", "(c)", "(C)", "(с)", "®")
COPYRIGHT_CUE = re.compile("|".join(re.escape(c) for c in COPYRIGHT_CHARS))
COPYRIGHT_MARK = re.compile(r"©|ⓒ|\((?:c|с)\)|\bcopyright\b|®(?=\s*\d{4})", re.IGNORECASE)
COPYRIGHT_SIGN = re.compile(r"©|ⓒ|\((?:c|с)\)|®", re.IGNORECASE)
#: Before a copyright mark, words that make it a credit for a picture, data or a design.
CREDIT_BEFORE = re.compile(
    r"\b(?:photos?|image|images|picture|pictures|pic|foto|fotos|bild|bilder|imagen|imágenes|"
    r"immagine|immagini|illustration|video|graphics?|map|credits?|courtesy|data|quelle|source|"
    r"фото|사진|写真|图片|theme|template|designed|powered|trademarks?|indices|logo)\b|/",
    re.IGNORECASE)
#: A logo's alt text copied right before the footer's notice ("Sky logo © 2019 Sky UK").
LOGO_ALT_END = re.compile(r"\blogo\s*\Z", re.IGNORECASE)
#: What ends the holder's name in a copyright line.
HOLDER_END = re.compile(
    r"\s*(?:\||•|·|\(|\[|;|\s[-–—]\s|,\s*(?:a|an|the|part|all|und|and)\b|"
    r"\ball rights?\b|\btodos os direitos|\btodos los derechos|\btous droits|\balle rechte|"
    r"\btutti i diritti|\bwszelkie prawa|\bвсе права|\btelif hak|\bminden jog|\bvisos teisės|"
    r"\bcopyright\b|©|حقوق|جميع|الحقوق|\bmay not\b|\bis not\b|\bregistered\b|"
    r"\bunless\b|\s+is\s+(?:a|an|the)\s|(?<=[^\W\d_]{2})\.(?!(?:[a-z]{2,12})\b)|,\s*\d{4}|\s\d{4}(?:\s*[-–—]\s*\d{2,4})?\b)",
    re.IGNORECASE)
HOLDER_LEAD = re.compile(
    r"^(?:[\s,.:;@|-]|©|ⓒ|®|\((?:c|с)\)|copyright\b|by\b|\d{4}(?:\s*[-–—]\s*(?:\d{2,4})?)?)+",
    re.IGNORECASE)
#: What makes a copyright line a site's notice rather than a credit: a year, a rights clause.
NOTICE_CUES = re.compile(r"\d{4}|rights|reserv|derechos|direitos|droits|rechte|diritti|права|"
                         r"prawa|práva|jog|teisės|të drejtat|hakları|著作|版權|무단", re.IGNORECASE)
#: Words of a publication's masthead, in the languages of the press: a notice's holder named
#: with one ("The Seattle Times", "Malay Mail", "Daejon Ilbo") is a paper, not its parent company.
MASTHEAD_WORDS = frozenset(
    "times post news daily weekly herald tribune journal gazette chronicle courier mail express "
    "telegraph guardian independent observer examiner reporter record review monitor standard star "
    "sun mirror press register bulletin dispatch inquirer sentinel advocate leader citizen globe "
    "ledger beacon pioneer enquirer echo argus mercury gazeta gazzetta gazette diario diário jornal "
    "journal periódico periodico noticias notícias noticia noticiero nouvelles quotidien tageblatt zeitung kurier "
    "rundschau nachrichten anzeiger presse corriere giornale notizie dagblad avis avisen posten "
    "bladet tidning tidende ilbo shimbun shinbun nippo sinmun akhbar wiadomości новости газета "
    "известия правда вести".split())
#: Endings of compound masthead words: "Nordseezeitung", "Fjordbladet".
MASTHEAD_ENDINGS = ("zeitung", "blatt", "bladet", "posten", "avisen", "ilbo", "shimbun", "news", "post",
                    "times")
CLOCK = re.compile(r"\d{1,2}:\d{2}")
#: A script's date printed in place of the year: JavaScript's or Java's Date as text,
#: "Thu Dec 10 10:10:50 GMT-03:00 2020", "Thu Dec 10 2020 10:10:50 GMT-0300 (Brasilia Standard Time)".
SCRIPT_DATE = re.compile(
    r"\b(?:Mon|Tue|Wed|Thu|Fri|Sat|Sun)\s+(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d{1,2}\s+"
    r"(?:\d{4}\s+)?\d{1,2}:\d{2}:\d{2}\s+(?:GMT|UTC|[A-Z]{3,4})(?:[+-]\d{2}:?\d{2})?(?:\s+\([^()]{1,60}\))?"
    r"(?:\s+(?P<year>\d{4}))?")
#: Legal forms trimmed from a holder's name ("CNBC LLC" -> "CNBC").
LEGAL_FORMS = frozenset(
    "inc incorporated llc ltd limited plc corp corporation co company pty pvt private gmbh ag kg "
    "sa sas sarl spa srl sl bv nv oy ab as aps kk lp llp ооо оао зао ао пао aş ltda eireli zrt kft "
    "nyrt sro doo dd ad".split())
#: Words that make a holder the company behind a site rather than the site's name.
GROUP_WORDS = frozenset(
    "group holdings holding communications media publishing publishers publications network "
    "networks interactive enterprises newspapers broadcasting digital services ventures universal "
    "printers editora editorial verlag verlagsgruppe edizioni éditions editions ediciones design institute "
    "designs паблишинг холдинг группа издательство медиахолдинг мультимедиа مؤسسة شركة مجموعة "
    "grupo gruppo groupe gruppe comunicação comunicações comunicacao comunicacoes comunicación "
    "comunicaciones participações participacoes participaciones medien mediengruppe médias prakashan "
    "publicidade publicidad pubblicità publicité conteúdo conteudo contenidos".split())
#: Lead-ins of a line naming the site: navigation, skip links, follow and support prompts.
SITE_PREFIX = re.compile(
    r"^(?:back to|return to|go to|welcome to|support|follow|search|about|explore|browse|"
    r"subscribe to|advertise with|advertise on|jobs at|careers at|more from|elsewhere on|make|set|"
    r"stay connected with|stay updated with|stay up to date with|stay in touch with|more about|"
    r"popular on|trending on|trending now on|now on|also on|only on|more on|read more on|latest from|"
    r"more stories from|more stories on|recommended on|recommended from|logo of|logo der|logo de|logo du|"
    r"zur|zurück zur|zurück zu|zum|über|mehr von|suivez|à propos de|siga|segui|seguici su|"
    r"síguenos en|acerca de|volver a|regresar a|ir a|retour à|retour sur|torna a|voltar para|voltar ao|"
    r"terug naar|tillbaka till)\s+(?:the\s+(?=[A-Z]))?", re.IGNORECASE)
#: Lead-ins that, on a menu's item, link to a section: "• Best of Lifestyle", "□ Search New Cars".
MENU_PREFIX = re.compile(r"(?:support|browse|explore)\s", re.IGNORECASE)
#: ... and, even before a name in capitals: "□ Best of CES".
SECTION_PREFIX = re.compile(r"(?:best of|search)\s", re.IGNORECASE)
#: Endings of a line naming the site: a logo, a home page, a menu.
SITE_SUFFIX_WORDS = re.compile(
    r"[\s-]*(?:’s\s+|'s\s+|\s(?:as\s+)?(?:my|your)\s+)?(?:logo|brand|homepage|home page|main menu|navigation|"
    r"startseite)\s*\Z|"
    r"\s+[-–—|]\s+(?:back to home|home|startseite|accueil|inicio|início)\s*\Z",
    re.IGNORECASE)
#: A sentence in which the site speaks of itself: "Boing Boing uses cookies", "Slate is
#: published by ...", "BGR may receive a commission".
SELF_LINE = re.compile(
    r"^(?:the\s+)?(?P<name>[A-Z0-9][\w'’.&-]*(?:\s+[A-Z0-9][\w'’.&-]*){0,3})\s+(?:"
    r"uses cookies|is published (?:by|under)|is owned by|is part of|is a (?:registered )?trademark|"
    r"is a division of|is a member of|is supported by|participates in|"
    r"may (?:earn|receive|get) (?:a |an )?(?:small |affiliate )?(?:commission|compensation))\b")
#: ... and in other languages: "X ist ein Angebot der Y", "X est édité par Y", "X es una publicación
#: de Y", "X è edito da Y", "X é uma publicação da Y"; Hungarian puts the name between the article and
#: the word for its publisher: "A BAON kiadója a Mediaworks Hungary Zrt.".
SELF_LINE_FOREIGN = re.compile(
    r"^(?:the\s+)?(?P<name>[A-Z0-9][\w'’.&-]*(?:\s+[A-Z0-9][\w'’.&-]*){0,3})\s+(?:"
    r"ist ein (?:Angebot|Produkt|Portal|Medium) (?:der|des|von)|wird (?:herausgegeben|verlegt) von|"
    r"est (?:édité|éditée|publié|publiée) par|est une (?:publication|marque|édition) d[eu]|"
    r"es (?:editado|editada|publicado|publicada) por|es una (?:publicación|marca) de|"
    r"è (?:edito|edita|pubblicato|pubblicata) da|è una testata (?:di|del|della)|"
    r"é (?:editado|editada|publicado|publicada) por|é uma (?:publicação|marca) d[aeo])\s"
    r"|^(?:A|Az)\s+(?P<hu>[A-Z0-9][\w'’.&-]*(?:\s+[A-Z0-9][\w'’.&-]*){0,3})\s+kiadója\b")
#: The cheap test before SELF_LINE.
SELF_LINE_CUE = re.compile(r" (?:uses|is|may|participates|ist|wird|est|es|è|é|kiadója) ")
#: "Follow RT on Twitter": the platform is not part of the name.
SITE_LINE_TAIL = re.compile(r"\s+(?:by\s+)?click(?:ing)?\s+here\s*\Z|"  # "READ MORE ON FOX BUSINESS BY CLICKING HERE"
                            r"\s+(?:on|at|auf|sur|en|em|su|in|via)(?:\s+\S+)?\s*\Z|\s+on\w+\Z|"
                            r"\s+for\s*\Z", re.IGNORECASE)  # "Stay up to date with X for" (iPhone | iPad)
#: A name as a prompt, a byline or a bio writes it: capitalised words (or a digit first: "9to5Mac").
_PROMPT_NAME = (r"(?:[a-z0-9-]+\.[a-z]{2,6}(?![\w.])|"  # or a domain in lower case: "soychile.cl"
                r"[A-Z0-9][\w'’.&!-]*(?:\s+(?:of\s+|de\s+|the\s+)?[A-Z0-9][\w'’.&!-]*){0,3}?)")
#: The site's prompts to its newsletter, alerts or app: "Sign up for PolitiFact's newsletter",
#: "GET THE BOING BOING NEWSLETTER", "VG247 newsletter!", "CLICK HERE TO GET THE FOX NEWS APP",
#: "Moneycontrol App". The site speaks of itself; a story seldom writes such a line.
PROMPT_LINE = re.compile(
    r"^(?:\[)?(?:"
    r"(?i:(?:click|tap) here to\s+)?(?i:get|download|install|try)\s+(?:the\s+|THE\s+|our\s+|OUR\s+)?(?i:free\s+|new\s+)?"
    rf"(?P<app>{_PROMPT_NAME})(?:'s|’s)?\s+(?i:(?:mobile|weather|free)\s+)?(?i:apps?|newsletters?)\b"
    # "Sign up to FREE email alerts from Mirror - football"
    r"|(?i:sign up|subscribe|register|signup)(?:\s+(?i:for|to))?\s+(?i:(?:free|daily|our)\s+)?"
    r"(?i:e-?mail\s+)?(?i:alerts|newsletters?|updates)\s+(?i:from)\s+(?:the\s+)?"
    rf"(?P<sender>{_PROMPT_NAME})(?=\s*(?:[-–—|.,:;!]|\Z))"
    r"|(?i:sign up|subscribe|register|signup|join)(?i:\s+now|\s+today|\s+here)?(?:\s+(?i:for|to))?\s+(?:the\s+|THE\s+|our\s+|OUR\s+)?"
    r"(?i:(?:free|daily|weekly)\s+)?"
    rf"(?P<news>{_PROMPT_NAME})(?:'s|’s)?\s+(?i:(?:daily|weekly|free|morning|evening|breaking news)\s+)?"
    r"(?i:newsletters?|e-?mails?(?:\s+alerts?)?|news alerts?|briefings?|digest)\b"
    r"|(?i:suscr[ií]bete|suscríbase|inscr[ií]bete|inscreva-se|assine|abonnez-vous|inscrivez-vous|iscriviti|"
    r"abonniere|abonnieren sie)\s+(?i:al|a la|à la|a|na|no|ao|alla|den|unseren|zum)\s+"
    r"(?i:newsletter|bolet[ií]n|lettre d'information)\s+(?i:de|del|do|da|du|de la|di|von)\s+"
    rf"(?P<foreign>{_PROMPT_NAME})(?=[\s.,:;!]|\Z)"
    r"|(?i:подпи\w*\s+на\s+)?(?i:рассылк\w*)\s+"  # "Подписываясь на рассылку Wday ...": Wday's newsletter
    rf"(?P<russian>{_PROMPT_NAME})(?=[\s.,:;!]|\Z)"
    # "Applications Sudinfo iPhone-iPad", "Télécharger l'application X pour Android", "La app de X para iOS"
    r"|(?i:t[ée]l[ée]charge[rz]\s+|descarga\s+|baixe\s+|scarica\s+)?(?i:l['’]|la\s+|o\s+|el\s+|os\s+)?"
    r"(?i:applications?|appli|aplicaci[oó]n|aplicativo|applicazione|app)\s+(?i:de\s+|del\s+|do\s+|da\s+|di\s+)?"
    rf"(?P<mobile>{_PROMPT_NAME})\s+(?i:pour\s+|para\s+|per\s+|sur\s+)?(?i:l['’])?(?i:iphone|ipad|android|ios)\b"
    rf"|(?i:the\s+)?(?P<bare>{_PROMPT_NAME})(?:'s|’s)?\s+(?i:(?:daily|weekly|mobile|morning|evening|breaking news)\s+)?"
    r"(?i:newsletters?|apps?|e-?mail alerts)\s*[!.:\]]?\s*\Z)")
#: A street address: "197 Main St.", "3500 Chad Drive", "Calle Condesa de Venadito nº 1", "Rua X, 1111".
STREET_ADDRESS = re.compile(
    r"\b\d{1,5}\s+(?:[A-Z][\w.]*\s+){1,3}(?:St|Street|Ave|Avenue|Road|Rd|Blvd|Boulevard|Drive|Dr|Way|Lane|Ln|"
    r"Place|Pl|Square|Sq|Plaza|Parkway|Pkwy)\b"
    r"|\b(?:Calle|C/|Rua|Avenida|Av\.|Avda\.|Via|Viale|Piazza|Rue|Straße|Strasse|Platz|Ulica|ul\.|Carrera|Calzada)"
    r"\s+[\w\s.,ºª°-]{2,40}?\d"
    r"|\b\w+(?:straße|strasse|str\.|gasse|weg|platz)\s+\d")
#: The footer's imprint: the site's name, then its address ("The Register-Guard ~ 3500 Chad Drive, ...",
#: "La Información. Calle Condesa de Venadito nº 1, ...").
IMPRINT_LINE = re.compile(r"(?P<name>[^\W\d_][^.,~|–—:;]{1,50}?)\s*(?:[.,~|–—;]|\s-\s)\s*(?P<rest>.+)")
#: The site's page on a platform: "Síguenos en Facebook: La Prensa Oficial y en Twitter: @laprensaoem".
FOLLOW_US_LINE = re.compile(
    r"^(?i:follow us|find us|like us|síguenos|siguenos|siga-nos|suivez-nous|folgen sie uns|seguici)\s+"
    r"(?i:on|en|no|sur|auf|su)\s+(?i:facebook|instagram|twitter|youtube|linkedin)\s*:\s*"
    rf"(?P<name>{_PROMPT_NAME})(?=\s+(?i:y|and|e|et|und|ed)\s|\s*[,.;|]|\s*\Z)")
#: The newsroom signing a story: "Direto da Redação da Revista Fórum.", "Redacción La Razón".
NEWSROOM_LINE = re.compile(
    r"^(?i:por\s+|direto\s+|de\s+)?(?i:da\s+|la\s+)?(?i:redação|redacao|redacción|redaccion|rédaction|redaktion)"
    r"\s+(?i:(?:da|do|de|del|de la|du|des|der)\s+)?"
    rf"(?P<name>{_PROMPT_NAME})\s*\d*\s*\.?\s*\Z")
#: The cheap test before PROMPT_LINE.
PROMPT_CUE = re.compile(r"newsletter|\bapps?\b|\bappli|\baplica|alerts?\b|briefing|digest|bolet[ií]n|lettre d|рассылк",
                        re.IGNORECASE)
#: A byline naming the site after the author: "By Andy Sahadeo | Fox News".
BYLINE_OUTLET = re.compile(rf"\s*(?:[|•·]|\s[-–—])\s*(?P<name>{_PROMPT_NAME})\s*\Z")
#: An author's box naming the site the author writes for: "Senior editor at Gizmodo.",
#: "Zac covers Apple news for 9to5Mac and hosts ...".
BIO_LINE = re.compile(
    r"\b(?i:editor|writer|reporter|correspondent|columnist|contributor|journalist|producer|blogger|"
    r"editor-in-chief|anchor|critic|covers [\w\s]{2,30}?)\s+(?i:at|for|with)\s+(?:the\s+)?"
    rf"(?P<name>{_PROMPT_NAME})(?=\s*(?:[.,;:!]|\s(?:and|where|since|in)\s|\Z))")
#: A bio's past jobs and a byline's roles: no site of the page.
BIO_PAST = re.compile(r"\b(?:former(?:ly)?|previously|prior|was|were|has (?:written|worked)|worked|"
                      r"before|earlier)\b", re.IGNORECASE)
ROLE_WORDS = frozenset("staff writer writers reporter reporters correspondent correspondents editor "
                       "editors contributor contributing columnist photographer photographers published "
                       "updated posted wire wires agency agencies special senior "
                       "associate large".split())
#: News agencies: a byline's or a prompt's agency wrote the story, a site republishes it.
WIRE_AGENCIES = frozenset(
    "reuters ap associatedpress afp agencefrancepresse bloomberg dpa efe ansa xinhua tass ria "
    "rianovosti interfax pa pressassociation upi kyodo yonhap anadolu europapress "
    "aap".split())
#: Words that alone are no site's name in a prompt: "Weekly Newsletter", "Get the Android app".
PROMPT_NOT_NAMES = frozenset(
    "daily weekly free email e mail news mobile official new latest morning evening breaking our your "
    "the app apps newsletter newsletters alerts sign signup subscribe get download google apple android "
    "ios iphone ipad facebook twitter whatsapp telegram youtube instagram tiktok linkedin messenger "
    "podcast podcasts store play weather best top edition eedition epaper digital print inscription see all "
    "view manage more personalised personalized premium plus pro descarga la el editorial report review "
    "update updates".split())
#: What a site-line name may not be.
NOT_SITE_NAMES = frozenset(
    "us our me my you your the team home page news more all menu contact site this here main "
    "content navigation comments top close open login account search skip sub reveal toggle "
    "author authors editor editors writer writers blog store shop classifieds gallery list "
    "overview übersicht nous".split())
#: Platforms a page links to ("Follow Facebook"): no lone evidence of the page's own name.
PLATFORM_NAMES = frozenset("facebook twitter instagram youtube linkedin pinterest whatsapp telegram "
                           "tiktok snapchat reddit google".split())
#: A domain written in the text: "TheHill.com", "www.albawaba.com", "ORF.at".
DOMAIN_TOKEN = re.compile(
    r"(?<![\w.@/-])(?:https?://)?(?P<host>(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.){1,4}"
    r"(?P<tld>[a-z]{2,6}))(?![\w-]|\.[a-z0-9])", re.IGNORECASE)
EMAIL_HOST = re.compile(r"[\w.+-]@(?P<host>(?:[a-z0-9-]+\.)+[a-z]{2,6})\b", re.IGNORECASE)
#: Top-level domains besides the two-letter country codes.
GENERIC_TLDS = frozenset(
    "com net org info biz edu gov int io tv fm news media online site blog press today live world "
    "global asia africa eu club tech digital agency network xyz cat eus gal scot wales app dev "
    "radio tv3 store space zone pro".split())
#: Country-code domains that are no ISO territory code.
EXTRA_COUNTRY_TLDS = frozenset("uk eu su ac".split())
#: Labels of a host that say nothing about the outlet.
GENERIC_HOST_LABELS = frozenset(
    "www www2 m mobile amp en de fr es it ru ar news edition co com org net gov ac ne or go "
    "online web site blog blogs".split())
#: Platforms, mail providers and services a page links to but is not.
PLATFORM_DOMAINS = frozenset(
    "facebook.com fb.com twitter.com x.com t.co instagram.com youtube.com youtu.be linkedin.com "
    "pinterest.com whatsapp.com wa.me telegram.org t.me tiktok.com reddit.com tumblr.com flickr.com "
    "vk.com ok.ru snapchat.com google.com goo.gl gmail.com googlemail.com yahoo.com hotmail.com "
    "outlook.com live.com msn.com aol.com icloud.com me.com mail.ru yandex.ru gmx.de web.de "
    "bit.ly ow.ly tinyurl.com buff.ly wordpress.com wordpress.org wp.com blogspot.com blogger.com "
    "medium.com substack.com gravatar.com disqus.com apple.com amazon.com amzn.to wikipedia.org "
    "wikimedia.org w3.org schema.org creativecommons.org github.com gettyimages.com imgur.com "
    "vimeo.com soundcloud.com spotify.com paypal.com patreon.com addthis.com sharethis.com "
    "doubleclick.net cloudfront.net akamaihd.net example.com "
    "scorecardresearch.com google-analytics.com googletagmanager.com googlesyndication.com "
    "googleapis.com gstatic.com adnxs.com taboola.com outbrain.com quantserve.com chartbeat.com "
    "cloudflare.com jsdelivr.net amazonaws.com typekit.net fbcdn.net twimg.com ytimg.com wp.me "
    "feedburner.com dmca.com enable-javascript.com".split())
#: A domain written only inside the article's sentences or a caption's credit ("Image: x.com",
#: "... campaign. (x.com)") is a site the story is about or quotes: it weighs this share.
PROSE_DOMAIN_FACTOR = 0.25
DOMAIN_CREDIT = re.compile(r"\b(?:photos?|images?|pictures?|pics?|foto|fotos|bild|bilder|imagen|immagine|"
                           r"illustration|video|graphics?|credits?|courtesy|source|quelle|fuente|fonte|"
                           r"фото|источник|powered|designed|developed|managed|maintained|built|hosted|theme|template|here)"
                           r"(?:\s*(?:by|of|de|von|por|par))?\s*:?\s*\Z", re.IGNORECASE)
#: What each kind of evidence weighs.
WEIGHTS = {"copyright-line": 3.0, "copyright-early": 1.0, "site-line": 2.0, "logo-line": 2.0,
           "masthead-line": 2.0,
           "self-line": 2.0,
           "repeated-line": 1.0,
           "domain": 2.0, "registered-line": 1.0, "masthead": 2.0, "variant": 2.0, "folder-line": 2.0,
           "prompt-line": 2.0, "byline-outlet": 2.0, "bio-line": 1.5, "notice-lead": 2.0,
           "motto-line": 1.0, "imprint-line": 3.0, "newsroom-line": 3.0}
#: A line on this share of a source's pages, and on this many at least, is the site's own.
FOLDER_SHARE = 0.5
FOLDER_MIN_PAGES = 3
#: Lines elsewhere on the page naming a candidate: each is worth this much, up to a cap.
MENTION_WEIGHT = 0.5
MENTIONS_MAX = 6
#: Weight of the domains written on a page for one site, outside prose, from which the site
#: alone may be the publisher (its name written elsewhere adds the rest).
DOMAIN_MIN_WEIGHT = 1.0
#: Weight of the domains written for the only site a page writes from which that is evidence of
#: its own (written twice in furniture, or once there and in an address).
SOLE_SITE_MIN_WEIGHT = 1.5
#: Lines naming a masthead line's name (itself included) that make it a candidate.
MASTHEAD_MENTIONS = 3
#: Evidence a candidate needs to be named the publisher.
FURNITURE_MIN_SCORE = 5.0
#: Lines naming the page's domain from which a name that does not spell it is in doubt.
DOMAIN_MENTIONS_CONFLICT = 3
#: How far ahead of a rival with nearly enough evidence the publisher must be.
RIVAL_MARGIN = 1.0
#: Short lines (menus, labels) from which a text reads as a whole page as copied.
PAGE_COPY_SHORT_LINES = 25
BYLINE_INITIALS = frozenset("BbPpWwVvDdAaRrАа")
#: A byline: the person's name after "By", up to a separator, a date or the end.
BYLINE = re.compile(
    r"^(?:by|posted by|written by|words by|von|por|par|door|av|di|autor|autore|auteur|author|"
    r"автор|reporter|reported by)\s*:?\s+(?P<name>[^\W\d_][^|,/•·\d()]{1,50}?)"
    r"(?=\s*(?:[|,/•·(]|\s[-–—]\s|\s(?:on|and|&|und|y|et|e|in|at)\s|\d|\Z))", re.IGNORECASE)
#: Lines at the top of a page copy where its header (the logo) is.
HEADER_LINES = 40
LOGO_LINE_MAX = 200
#: Longest line read for evidence; furniture lines are short.
EVIDENCE_LINE_MAX = 300
SHORT_LINE_MAX = 60
BULLETS = " \t•□☆○●▪◦·*-–—>»|[]"
MENU_BULLETS = frozenset("•□☆○●▪◦·*■")
SQUASH = re.compile(r"[\W_]+")


@lru_cache(maxsize=1)
def media_groups() -> frozenset[str]:
    """The companies that own many publications (archive/data/media_groups.txt), squashed."""
    return frozenset(squash(name) for name in data_lines("media_groups.txt"))


@lru_cache(maxsize=1)
def country_tlds() -> frozenset[str]:
    """Two-letter top-level domains: the territories CLDR knows (through Babel), and a few more."""
    from babel import Locale
    codes = {code.casefold() for code in Locale("en").territories if len(code) == 2 and code.isalpha()}
    return frozenset(codes | EXTRA_COUNTRY_TLDS)


def squash(text: str) -> str:
    """Letters and digits only, accents dropped, casefolded: 'CT Post' -> 'ctpost'."""
    # (the combining accents NFKD splits off are no word characters: SQUASH drops them too)
    return SQUASH.sub("", unicodedata.normalize("NFKD", text.casefold()))


def _squash_line(line: str) -> str:
    """`squash` of a line, the accents dropped only where there are any: the page's other lines,
    where a name is looked up ("Andalucía Información" ~ key 'andaluciainformacion')."""
    return SQUASH.sub("", line.casefold()) if line.isascii() else squash(line)


def _other_lines(ev: "_Evidence", lines: list[str]) -> list[str]:
    """The page's lines besides its notices, squashed (once per page: several rules count in them)."""
    if ev.others is None or ev.others[0] is not lines:
        ev.others = (lines, [_squash_line(line) for i, line in enumerate(lines) if line and i not in ev.notice_lines])
    return ev.others[1]


def site_label(host: str) -> str:
    """The distinctive label of a host: 'nytimes' of nytimes.com, 'orf' of orf.at."""
    labels = host.casefold().split(".")[:-1]
    useful = [lab for lab in labels if lab not in GENERIC_HOST_LABELS and len(lab) >= 2]
    return (useful[-1] if useful else labels[0] if labels else "").replace("-", "")


def name_matches_domain(name: str, host: str) -> bool:
    """Does a site name spell its domain? 'CT Post' ~ ctpost.com, 'NY Post' ~ nypost.com."""
    bare = LEADING_THE.sub("", name)
    return _spells(name, host) or bare != name and _spells(bare, host)


def _spells(name: str, host: str) -> bool:
    if not name.isascii():  # "Казинформ" ~ inform.kz: the name transliterated
        name = " ".join(outlet_slug(word) or "" for word in name.split())
    key, label = squash(name.rsplit(".", 1)[0] if host_of(name) else name), site_label(host)
    if len(key) < 2 or len(label) < 2:
        return False
    if key == label or (len(key) >= 3 and (key in label or label in key) and label not in GENERIC_HOST_LABELS):
        return True  # (news.com.au's 'news' is in every 'X News')
    words = [squash(w) for w in re.split(r"[\s\-.]+", name) if squash(w)]
    initials = "".join(w[0] for w in words)
    return len(words) >= 2 and (label.startswith(initials) or label.startswith(initials[:-1] + words[-1]))


@dataclass
class _Candidate:
    """One name for the publisher and the evidence for it."""

    forms: Counter = dc_field(default_factory=Counter)
    kinds: Counter = dc_field(default_factory=Counter)
    company: bool = False
    #: The distinct lines that named it.
    lines: set = dc_field(default_factory=set)
    #: The lines as written (notices included), to look up in the folder's other pages.
    sources: set = dc_field(default_factory=set)


class _Evidence:
    def __init__(self) -> None:
        self.names: dict[str, _Candidate] = {}
        self.domains: Counter = Counter()
        self.domain_forms: dict[str, str] = {}
        #: Labels of the sites written in furniture (a menu, a notice, an address), not only in
        #: prose, and how many times.
        self.furniture_sites: Counter = Counter()
        #: The part of each domain's weight written in copyright notices.
        self.notice_domains: Counter = Counter()
        self.short_lines: Counter = Counter()
        self.notice_lines: set[int] = set()
        #: Holders of notices before the last one (a story's credit), squashed.
        self.early_notices: set[str] = set()
        #: Names the page gives as its authors ("By Ed de Leon"), squashed.
        self.bylines: set[str] = set()
        #: (lines, their squashed forms besides the notices), computed once (see `_other_lines`).
        self.others: tuple[list[str], list[str]] | None = None
        #: Labels of the sites whose addresses the furniture gives as a page's own (a permalink).
        self.permalinks: Counter = Counter()

    def add_name(self, name: str, kind: str, company: bool = False, line: str | None = None,
                 source: str | None = None) -> None:
        name = " ".join(name.split()).strip(NAME_TRIM_CHARS)
        key = squash(LEADING_THE.sub("", name))
        if len(key) < 2 or len(name) > 60 or key in NOT_SITE_NAME_KEYS or not any(c.isalpha() for c in name):
            return
        cand = self.names.setdefault(key, _Candidate())
        cand.forms[name] += 1
        cand.kinds[kind] += 1
        cand.company = cand.company or company
        if line is not None:
            cand.lines.add(line)
        if source is not None:
            cand.sources.add(source)

    def add_domain(self, host: str, weight: float, written: str | None = None, prose: bool = False,
                   notice: bool = False) -> None:
        host = host_of(host) or ""
        if not host or host in PLATFORM_DOMAINS or ".".join(host.split(".")[-2:]) in PLATFORM_DOMAINS:
            return
        tld = host.rsplit(".", 1)[-1]
        if tld not in GENERIC_TLDS and tld not in country_tlds():
            return  # "EE.UU", "U.S": an abbreviation, not a domain
        if prose:
            weight *= PROSE_DOMAIN_FACTOR
        else:
            self.furniture_sites[site_label(host)] += 1
        self.domains[host] += weight
        if notice:
            self.notice_domains[host] += weight
        if written and written.casefold() == host and host not in self.domain_forms:
            self.domain_forms[host] = written


LEADING_THE = re.compile(r"^the\s+", re.IGNORECASE)
PRONOUNS = frozenset("us our me my you your we".split())
#: Words opening a button's label, never a site's name: "Reveal sub(navigation)".
UI_VERBS = frozenset("reveal toggle show hide open close skip jump expand collapse view click tap "
                     "select choose sign log read watch listen share print email send".split())
#: Words a site's name does not end in: "Skip To (Navigation)", "Make MSN my (homepage)".
NAME_END_WORDS = frozenset("to my your our the of and for with a an in on at icon arrow button".split())
NAME_TRIM_CHARS = " \t.,:;!?-–—()[]{}\"'“”‘’«»*_|/•"
NOT_SITE_NAME_KEYS = frozenset(squash(n) for n in NOT_SITE_NAMES)


def copyright_holder(line: str) -> tuple[str, bool, bool] | None:
    """The holder a copyright notice names, whether it reads as a company, and whether the
    notice is bare (no year, no rights, no legal form: "© Reuters" under a picture); None for
    a credit."""
    m = COPYRIGHT_MARK.search(line)
    if not m:
        return None
    if CLOCK.search(line, m.end()):  # "© Thu Dec 10 10:10:50 GMT-03:00 2020 O Tempo.": the year as a script wrote it
        line = line[:m.end()] + SCRIPT_DATE.sub(lambda d: " " + (d.group("year") or "") + " ", line[m.end():])
    before = LOGO_ALT_END.sub("", line[:m.start()])  # "Postmedia Logo © 2020 ...": the footer's logo, copied
    if CREDIT_BEFORE.search(before):
        return None
    rest = HOLDER_LEAD.sub("", line[m.start():])
    if not rest:
        return None
    if not (m.group(0).casefold() != "copyright" or COPYRIGHT_SIGN.search(line) or
            re.search(r"\d{4}|rights", line, re.IGNORECASE)):
        return None  # a menu's "Copyright Policy"
    end = HOLDER_END.search(rest)
    holder = rest[:end.start()] if end else rest
    holder = holder.strip(NAME_TRIM_CHARS)
    if not holder:  # the rights clause first: "© 2020 - All Rights Reserved - Beirut Observer - ..."
        holder = _holder_after_rights(rest) or _holder_before_mark(line[:m.start()], rest) or ""
    words = holder.split()
    legal = False
    while words and words[-1].strip(".,").replace(".", "").casefold() in LEGAL_FORMS:
        words.pop()
        legal = True
    while words and words[0].strip(".,«»\"").casefold() in LEGAL_FORMS:
        words.pop(0)
        legal = True
    if words and words[-1].strip(".,").casefold() == "&":
        words.pop()
    company = _company_name(words)
    bare = not legal and not NOTICE_CUES.search(line)
    holder = " ".join(words).strip(NAME_TRIM_CHARS)
    if CLOCK.search(holder):
        return None  # "Thu Dec 10 10:10:50 GMT-03:00": a script's date, not a holder
    return (holder, company, bare) if holder and len(words) <= 6 else None


def _company_name(words: list[str]) -> bool:
    """Do a name's words read as a company's: a group word ("Media", "Holdings"), a media group's name?
    A paper's "Digital" edition is not one: "Noticiero Digital", "Diario Digital"."""
    group = {w.strip(".,").casefold() for w in words} & GROUP_WORDS
    if group == {"digital"} and _masthead(" ".join(words)):
        return False
    return bool(group) or squash(LEADING_THE.sub("", " ".join(words))) in media_groups()


def notice_lead(line: str, holder: bool = True) -> str | None:
    """The site's name a notice opens with before its owner's ("Wccftech © 2019 NewAge ADS, LLC"),
    or before a year alone ("Breaking Soup Copyright © 2020."; `holder` False)."""
    m = COPYRIGHT_MARK.search(line)
    if not m or m.start() == 0:
        return None
    lead = line[:m.start()].strip(NAME_TRIM_CHARS)
    host = host_of(lead) if " " not in lead and "." in lead else None
    if not holder and not host and not NOTICE_ALONE.fullmatch(line[m.start():]):
        return None
    if host and lead.casefold().startswith("www."):
        lead = lead[4:]  # "www.alyaum.com © جميع الحقوق محفوظة ...": the site's address as its name
    words = lead.split()
    if not words or len(words) > 3 or any(c.isdigit() or c in "&™+" for c in lead) or CREDIT_BEFORE.search(lead) \
            or _company_name(words) \
            or not lead[0].isupper() and not host or len(squash(lead)) < 3 or squash(lead) in NOT_SITE_NAME_KEYS \
            or holder and all(w.casefold().strip(NAME_TRIM_CHARS) in _ordinary_words() for w in words):
        return None  # "Privacy Policy © 2021 ...": a menu's links run into the notice
    if any(squash(w) in RIGHTS_WORDS for w in words):
        return None
    if not holder and not host and (not _name_shaped(lead) or any(squash(w) in LINK_WORDS for w in words)):
        return None  # "Privacy Policy Copyright © 2020."
    return lead


#: Words of a footer's links that run into its notice.
LINK_WORDS = frozenset("privacy policy terms conditions cookie cookies contact about sitemap disclaimer "
                       "imprint impressum legal notice accessibility advertise help faq".split())
#: A notice of a year and perhaps rights alone, no holder: "Copyright © 2020.", "© 2019 All rights reserved".
NOTICE_ALONE = re.compile(r"(?:(?:copyright|©|ⓒ|\((?:c|с)\))\s*)+(?:\d{4}(?:\s*[-–—]\s*\d{2,4})?)?[\s.,]*"
                          r"(?:all rights reserved)?[\s.]*", re.IGNORECASE)


@lru_cache(maxsize=1)
def _ordinary_words() -> frozenset[str]:
    """Ordinary English words in lower case (archive/data/english_words.txt)."""
    return frozenset(data_lines("english_words.txt"))


#: A rights clause, and what may follow it before the holder's name.
RIGHTS_CLAUSE = re.compile(
    r"(?:all rights? reserved|todos os direitos reservados|todos los derechos reservados|"
    r"tous droits réservés|alle rechte vorbehalten|tutti i diritti riservati|все права защищены)"
    r"[\s.,:;|•·–—-]*", re.IGNORECASE)


def _holder_after_rights(rest: str) -> str | None:
    """The name after a leading rights clause, up to the next separator: "All Rights Reserved -
    Beirut Observer - Managed by ..." -> "Beirut Observer"."""
    m = RIGHTS_CLAUSE.match(rest)
    if not m or m.end() == len(rest):
        return None
    after = HOLDER_LEAD.sub("", rest[m.end():])
    end = HOLDER_END.search(after)
    name = (after[:end.start()] if end else after).strip(NAME_TRIM_CHARS)
    return name if _name_shaped(name) else None


def _holder_before_mark(before: str, rest: str) -> str | None:
    """The name a notice puts before its mark when only a rights clause follows it:
    "Diario Libre, 2019 © Todos los derechos reservados" -> "Diario Libre"."""
    if not RIGHTS_CLAUSE.fullmatch(rest.strip()):
        return None
    name = re.sub(r"[\s,.:;|•·–—-]*(?:\d{4}(?:\s*[-–—]\s*\d{2,4})?)?[\s,.:;|•·–—-]*\Z", "", before)
    name = name.strip(NAME_TRIM_CHARS)
    return name if _name_shaped(name) else None


#: Small words a name may hold in lower case: "Diario de Noticias", "Voice of America".
NAME_JOINERS = frozenset("de del da do dos das di du la le el the of and for y e et und van von".split())


def _name_shaped(name: str) -> bool:
    """Does the text read as a name and not as a link or a sentence? Capitalised words (two at
    least, or one with a capital inside or a domain's dot): "Beirut Observer", "CityAM", not "Terms"."""
    words = name.split()
    if not words or len(words) > 5 or not (words[0][:1].isupper() or words[0][:1].isdigit()):
        return False
    if not all(w[:1].isupper() or w[:1].isdigit() or w.casefold() in NAME_JOINERS for w in words):
        return False
    return len(words) >= 2 or any(c.isupper() for c in name[1:]) or "." in name


def site_line_name(line: str) -> str | None:
    """The site a navigation, logo or skip-link line names: 'Back to IndieWire' -> 'IndieWire'."""
    prefix = SITE_PREFIX.match(line)
    rest = line[prefix.end():] if prefix else line
    suffix = SITE_SUFFIX_WORDS.search(rest)
    if not prefix and not suffix:
        return None
    name = rest[:suffix.start()] if suffix else rest
    name = SITE_LINE_TAIL.sub("", name).strip(NAME_TRIM_CHARS)
    words = name.split()
    if not words or len(words) > 4 or not name[0].isupper() and not host_of(name) \
            or squash(name) in NOT_SITE_NAME_KEYS or squash(re.split(r"[/|]", words[0])[0]) in PRONOUNS \
            or words[-1].casefold() in NAME_END_WORDS or words[0].casefold() in UI_VERBS \
            or re.search(r"™|\^TM|\(TM\)", name):
        return None  # (a trademark sign: a product's or a feature's name, "Browse The Truth-O-Meter^TM")
    return name


def _plausible_site(name: str | None) -> str | None:
    """A prompt's, byline's or bio's name if it may be a site: not a role, an agency, a platform."""
    if not name:
        return None
    name = re.sub(r"['’]s\Z", "", name.strip(NAME_TRIM_CHARS))
    words = [squash(w) for w in name.split()]
    if not words or len(words) > 4 or not all(words) or all(w in PROMPT_NOT_NAMES for w in words) \
            or not any(c.isalpha() for c in name.split()[0]) \
            or any(w in ROLE_WORDS for w in words) or squash(name) in WIRE_AGENCIES \
            or words[0] in PRONOUNS or words[0] in UI_VERBS or words[-1] in NAME_END_WORDS \
            or squash(name) in NOT_SITE_NAME_KEYS or HAS_DIGITS_ONLY.fullmatch(name):
        return None
    return name


#: A prompt inside the article's closing sentence: "... and download the Yahoo News app from ...".
PROMPT_IN_SENTENCE = re.compile(
    r"\b(?i:download|get|install)\s+(?:the\s+|our\s+)?"
    rf"(?P<name>{_PROMPT_NAME})(?:'s|’s)?\s+(?i:(?:mobile|news|free)\s+)?(?i:apps?)\b")


#: The site speaking of itself in the first person: "You can also follow us on ... and download".
FIRST_PERSON = re.compile(r"\b(?:us|our|we)\b", re.IGNORECASE)


def prompt_in_sentence(line: str) -> str | None:
    """The site a sentence in the first person prompts to its app: "... follow us ... and download
    the Yahoo News app"; a story's "residents were urged to download the NHS app" is about another."""
    m = PROMPT_IN_SENTENCE.search(line) if FIRST_PERSON.search(line) else None
    return _plausible_site(m.group("name")) if m else None


ANY_DIGIT = re.compile(r"\d")


def imprint_name(line: str) -> str | None:
    """The site's name an imprint gives before its street address (see IMPRINT_LINE)."""
    m = IMPRINT_LINE.match(line) if ANY_DIGIT.search(line) else None
    if not m or not STREET_ADDRESS.search(m.group("rest")[:120]):
        return None
    name = m.group("name").strip(NAME_TRIM_CHARS)
    return name if (_name_shaped(name) or name.isupper()) and not _company_name(name.split()) \
        and squash(name) not in NOT_SITE_NAME_KEYS else None


#: Distinct names of bare "X newsletter" lines from which they are a list of newsletters.
BARE_PROMPTS_MAX = 2
#: Words of a notice's rights clause, no site's name before it: "All Rights Reserved ©",
#: "RIPRODUZIONE RISERVATA ©", "IPSO Regulated ©" (the press regulator's badge).
RIGHTS_WORDS = frozenset("rights reserved riproduzione riservata riservati regulated derechos reservados droits "
                         "réservés reserves vorbehalten права защищены захищені".split())


def prompt_line_name(line: str) -> str | None:
    """The site a newsletter, alert or app prompt names: "Sign up for PolitiFact's newsletter"."""
    m = PROMPT_LINE.match(line)
    return _plausible_site(next((g for g in m.groups() if g), None)) if m else None


def _byline_outlet(rest: str) -> str | None:
    """The site after a byline's author: "| Fox News" of "By Andy Sahadeo | Fox News"."""
    m = BYLINE_OUTLET.match(rest)
    name = _plausible_site(m.group("name")) if m else None
    return name if name and (_name_shaped(name) or name.isupper() and len(name) >= 2) else None


#: The site on the line under a byline, its separator left before the date's line: "Baltimore Sun |".
BYLINE_OUTLET_BELOW = re.compile(rf"\s*(?P<name>{_PROMPT_NAME})\s*[|•·]\s*\Z")


def _byline_outlet_below(line: str) -> str | None:
    """The site a byline's next line names before a trailing separator (see BYLINE_OUTLET_BELOW)."""
    m = BYLINE_OUTLET_BELOW.match(line) if len(line) <= SHORT_LINE_MAX else None
    name = _plausible_site(m.group("name")) if m else None
    return name if name and (_name_shaped(name) or name.isupper() and len(name) >= 2) else None


def bio_line_name(line: str) -> str | None:
    """The site an author's box says the author writes for: "Senior editor at Gizmodo."."""
    m = BIO_LINE.search(line)
    if not m or BIO_PAST.search(line[:m.start("name")]):
        return None
    return _plausible_site(m.group("name"))


#: Short lines at the very top of a page copy where the masthead (the logo's text or alt, the
#: site's name and motto) is.
MASTHEAD_LINES = 5
#: Lines of the page (blank ones too) the masthead is within: above the article, at the top.
MASTHEAD_SPAN = 15
#: "LinkNaija | Nigeria's popular news platform": a name, then its motto.
MOTTO_SEPARATOR = re.compile(r"\s+[|–—-]\s+|\s*[|]\s*")
IMAGE_ALT = re.compile(r"\[(?P<alt>[^\[\]]{2,40})\]\Z")


def masthead_line_name(line: str) -> str | None:
    """The site's name on a masthead line at the top of the page: the name alone ("Gizmodo"),
    before its motto ("LinkNaija | Nigeria's popular news platform"), or a logo's alt text
    ("[avaz]"). Only a candidate: the page has to write the name elsewhere too (see
    `candidate_features`), so a section name in the header's menu is not taken for it."""
    alt = IMAGE_ALT.fullmatch(line)
    if alt:
        name = alt.group("alt").strip(NAME_TRIM_CHARS)
        if " " not in name and name.isalnum() and len(name) >= 3:
            return name if squash(name) not in NOT_SITE_NAME_KEYS else None
        line = name
    head = MOTTO_SEPARATOR.split(line, maxsplit=1)[0].strip(NAME_TRIM_CHARS)
    if ":" in head:
        return None  # a label and its value: "Tags: US Syria ISIL"
    words = head.split()
    if not words or len(words) > 4 or squash(head) in NOT_SITE_NAME_KEYS or words[0].casefold() in UI_VERBS \
            or words[-1].casefold() in NAME_END_WORDS or HAS_DIGITS_ONLY.fullmatch(head):
        return None
    return head if _name_shaped(head) and not any(ch.isdigit() for ch in head) else None


HAS_DIGITS_ONLY = re.compile(r"[\d\W]+")
#: Words a site's motto is about: "Nigeria's popular news platform", "Noticias de Junín".
MOTTO_WORDS = frozenset("news platform portal source voice magazine newspaper daily online site blog "
                        "information noticias notícias nouvelles nachrichten notizie informação información "
                        "información periódico diario jornal journal".split())


def _has_motto(line: str) -> bool:
    """Does a masthead line give the site's motto after its name: a phrase of three words or more,
    some in lower case, about news?"""
    parts = MOTTO_SEPARATOR.split(line, maxsplit=1)
    if len(parts) < 2:
        return False
    words = parts[1].split()
    return len(words) >= 3 and any(w.islower() for w in words) \
        and any(squash(w) in MOTTO_WORDS for w in words)


def logo_line_name(line: str) -> str | None:
    """The name a logo's text and its alt text give together: "MoreBikesMoreBikes",
    "Revista Bohemia Revista Bohemia Revista Bohemia" -> the name once."""
    # the copies may run together ("La Prensa MediaLa Prensa Media") and differ in case and accents
    # ("Junin24 Junin24 Junín 24")
    glued = line.replace(" ", "").casefold()
    if not glued.isascii():
        glued = "".join(unicodedata.normalize("NFKD", ch)[0] for ch in glued)
    for k in (4, 3, 2):  # the most copies first: the shortest name
        n = len(glued) // k
        if len(glued) % k == 0 and n >= 3 and glued == glued[:n] * k:
            end, seen = 0, 0
            while seen < n:
                seen += line[end] != " "
                end += 1
            return _logo_name(line[:end].strip())
    return None


def _logo_name(name: str) -> str | None:
    words = name.split()
    if len(squash(name)) < 3 or len(words) > 4 or not name[0].isupper() and not name[0].isdigit() \
            or squash(name) in NOT_SITE_NAME_KEYS or words[0].casefold() in UI_VERBS:
        return None
    capitalised = [w for w in words if w[:1].isupper()]
    camel = any(any(c.isupper() for c in w[1:]) and not w.isupper() for w in words)
    coined = any(c.isdigit() for c in name) and sum(c.isalpha() for c in name) >= 3  # "Junin24"
    return name if camel or coined or len(capitalised) >= 2 else None  # "MoreBikes", "Revista Bohemia"; not "Lifestyle"


def _gather(lines: list[str], content: frozenset[int] | set[int] | None = None) -> _Evidence:
    """The evidence the page's lines give; `content` indexes the article's own lines (the
    rest is furniture), so a domain in a sentence of the furniture (a paywall's "content
    on example.com") still counts."""
    ev = _Evidence()
    notices: list[tuple[int, tuple[str, bool, bool], str]] = []
    header_seen = 0
    bare_prompts: list[tuple[str, str, str]] = []
    previous_masthead: str | None = None
    masthead_end = min(MASTHEAD_SPAN, min(content)) if content else MASTHEAD_SPAN
    for i, raw in enumerate(lines):
        if not raw or len(raw) > EVIDENCE_LINE_MAX:
            continue
        line = raw.strip(BULLETS)
        if not line:
            continue
        if COPYRIGHT_CUE.search(line):
            found = copyright_holder(line)
            if found:
                notices.append((i, found, raw))
                ev.notice_lines.add(i)
                for m in DOMAIN_TOKEN.finditer(line):  # not its designer's: "Managed by Webco.com"
                    ev.add_domain(m.group("host"), 2.0, m.group("host"), _domain_credit(line, m.start()),
                                  notice=True)
            lead = notice_lead(line, holder=bool(found))
            if lead:
                ev.add_name(lead, "notice-lead", line=line.casefold(), source=raw)
        if "." in line:
            prose = (content is None or i in content) and i not in ev.notice_lines \
                and len(line) > SHORT_LINE_MAX and looks_like_sentence(line)
            # "• SiliconValley.com" in a menu: a link to a sister site, not the site itself
            prose = prose or len(line) <= SHORT_LINE_MAX and raw.lstrip()[:1] in MENU_BULLETS \
                and " " not in line
            # "1. Meetup.com" heading an item of a listicle: the article's own line, a site it is about
            prose = prose or content is not None and i in content and LIST_ITEM.match(line) is not None
            if "@" in line:
                for m in EMAIL_HOST.finditer(line):
                    ev.add_domain(m.group("host"), 0.5)
            for m in DOMAIN_TOKEN.finditer(line):
                host, tld = m.group("host"), m.group("tld")
                if tld[0].isupper() and not host.isupper() and tld.casefold() not in ("com", "net", "org"):
                    continue  # "said.It": two sentences run together (a site writes "PanARMENIAN.Net")
                permalink = _permalink(line, m)
                if permalink and not prose:
                    ev.permalinks[site_label(host_of(host) or host)] += 1
                weight = PERMALINK_WEIGHT if permalink else \
                    1.0 if m.start() == 0 or "://" not in m.group(0) else 0.5
                in_story = content is not None and i in content and POSSESSIVE.match(line, m.end()) is not None
                ev.add_domain(host, weight, host,  # "The fact that Meetup.com's tagline is ...": the story's subject
                              prose or in_story or _domain_credit(line, m.start()), i in ev.notice_lines)
        if line[:1].isupper() and (content is None or i not in content) and SELF_LINE_CUE.search(line):
            # in the furniture only: the story's "Facebook is owned by Meta" is about another company
            m = SELF_LINE.match(line) or SELF_LINE_FOREIGN.match(line)
            name = m and (m.group("name") or m.groupdict().get("hu"))
            if name and name.split()[0].casefold() not in PRONOUNS | UI_VERBS:
                ev.add_name(name, "self-line", line=line.casefold(), source=raw)
        if len(line) <= 120 and line[:1] in BYLINE_INITIALS:
            m = BYLINE.match(line)
            if m:
                ev.bylines.add(squash(m.group("name")))
                name = _byline_outlet(line[m.end():])
                if name:
                    ev.add_name(name, "byline-outlet", line=line.casefold(), source=raw)
                elif not line[m.end():].strip():  # "By Ana Faguy" and, on the next line, "Baltimore Sun Media |"
                    after = next((j for j in range(i + 1, min(i + 3, len(lines))) if lines[j].strip()), None)
                    name = _byline_outlet_below(lines[after]) if after is not None else None
                    if name:
                        ev.add_name(name, "byline-outlet", line=lines[after].strip().casefold(), source=lines[after])
        if (content is None or i not in content) and len(line) <= 220:
            name = imprint_name(line)
            if name:
                ev.add_name(name, "imprint-line", line=line.casefold(), source=raw)
        if line[:1] in "FfLlSsF" and len(line) <= 160:
            m = FOLLOW_US_LINE.match(line)
            name = _plausible_site(m.group("name")) if m else None
            if name:
                ev.add_name(name, "site-line", line=line.casefold(), source=raw)
        if len(line) <= SHORT_LINE_MAX and line[:1] in "DdRrPp" and NEWSROOM_LINE.match(line):
            name = _plausible_site(NEWSROOM_LINE.match(line).group("name"))
            if name:
                ev.add_name(name, "newsroom-line", line=line.casefold(), source=raw)
        if PROMPT_CUE.search(line):
            # a prompt line, or one inside a sentence: "... and download the Yahoo News app from the"
            m = PROMPT_LINE.match(line) if len(line) <= 120 else None
            if m and m.group("bare"):  # "NHL newsletter": one of a list of newsletters, perhaps
                name = _plausible_site(m.group("bare"))
                if name:
                    bare_prompts.append((name, line.casefold(), raw))
            else:
                name = (prompt_line_name(line) if m else None) or prompt_in_sentence(line)
                if name:
                    ev.add_name(name, "prompt-line", line=line.casefold(), source=raw)
        if (content is None or i not in content) and (" at " in line or " for " in line or " with " in line):
            name = bio_line_name(line)
            if name:
                ev.add_name(name, "bio-line", line=line.casefold(), source=raw)
        if len(line) <= SHORT_LINE_MAX and not looks_like_sentence(line):
            ev.short_lines[line] += 1
            name = site_line_name(line)
            # a menu's "• Best of the Capital Region", "□ Support Local Businesses": a section's link
            bullet = raw.lstrip()[:1] in MENU_BULLETS | {"□", "■"}
            if name and bullet and (SECTION_PREFIX.match(line) or MENU_PREFIX.match(line)
                                    and (" " in name or name[1:].islower())):  # "• Browse IGN" names the site
                name = None
            if name and " " not in name and name[1:].islower() and name.casefold() in _ordinary_words() \
                    and not re.search(r"\bthe\s+" + re.escape(name), line, re.IGNORECASE) \
                    and not default_registry().resolve(name):
                name = None  # "Back to Reading": a word, not a name ("Back to The Sun" is one)
            if name:
                ev.add_name(name, "site-line", line=line.casefold(), source=raw)
        if i < HEADER_LINES and len(line) <= LOGO_LINE_MAX and not looks_like_sentence(line):
            name = logo_line_name(line)  # the header's logo; an author's box further down repeats a person
            motto = None
            if not name and MOTTO_SEPARATOR.search(line):  # "Junin24 Junin24 Junín 24 – Noticias de Junín"
                name = logo_line_name(MOTTO_SEPARATOR.split(line, maxsplit=1)[0])
                motto = name and _has_motto(line)
            if name:
                ev.add_name(name, "logo-line", line=line.casefold(), source=raw)
                if motto:
                    ev.add_name(name, "motto-line", line=line.casefold(), source=raw)
        # a menu's item ("• Al Dia", "□ Last Man") is a section, not the masthead, and a menu
        # above the logo ("• Home", "• About", then "LinkNaija | ...") does not use up the header
        if header_seen < MASTHEAD_LINES and i < masthead_end and len(line) <= SHORT_LINE_MAX \
                and raw.lstrip()[:1] not in MENU_BULLETS | {"□", "■"}:
            header_seen += 1
            name = masthead_line_name(line)
            if previous_masthead and previous_masthead != line and squash(previous_masthead) == squash(line):
                # the logo's text and its alt text on two lines: "Business Today", "Businesstoday"
                ev.add_name(previous_masthead, "logo-line", line=line.casefold(), source=raw)
            previous_masthead = name if name == line else None
            if name:
                ev.add_name(name, "masthead-line", line=line.casefold(), source=raw)
                if _has_motto(line):  # "LinkNaija | Nigeria's popular news platform": a site and its motto
                    ev.add_name(name, "motto-line", line=line.casefold(), source=raw)
    # a page listing its newsletters ("NHL newsletter", "Raptors newsletter", "Blue Jays newsletter")
    # names them, not itself: bare "X newsletter" lines count only when there are one or two
    if len({squash(name) for name, _, _ in bare_prompts}) <= BARE_PROMPTS_MAX:
        for name, folded, raw in bare_prompts:
            ev.add_name(name, "prompt-line", line=folded, source=raw)
    article_end = max(content) if content else None
    # the footer's notice is the last one; a bare credit after it ("© Reuters" under the story, on a
    # page whose footer copied above the article) leaves it the footer's
    footer_at = notices[-1][0] if notices else None
    if len(notices) >= 2 and notices[-1][1][2] and not _below_article(notices[-1][0], lines, content, article_end) \
            and not notices[-2][1][2]:
        footer_at = notices[-2][0]
    for i, (holder, company, bare), raw in notices:
        last = i == notices[-1][0]
        footer = i == footer_at and (not bare or _below_article(i, lines, content, article_end))
        ev.add_name(holder, "copyright-line" if footer else "copyright-early", company,
                    source=raw)
        if not last and not footer:
            ev.early_notices.add(squash(LEADING_THE.sub("", holder)))
    for line, count in ev.short_lines.items():  # a recurring line supports a name, never makes one
        if count >= 2 and squash(line) in ev.names:
            ev.add_name(line, "repeated-line")
    return ev


#: Furniture lines between the article's last line and a bare notice below it that make the
#: notice the footer's: a story's credit ("© Wire Agency") follows its last line at once.
FOOTER_NOTICE_GAP = 2


def _below_article(i: int, lines: list[str], content, article_end: int | None) -> bool:
    """Is line `i` in the footer: below the article's last line, with furniture between?"""
    if article_end is None or i <= article_end:
        return False
    between = sum(1 for j in range(article_end + 1, i) if lines[j].strip() and j not in content)
    return between >= FOOTER_NOTICE_GAP


#: A page's own address on a line of its furniture: "Printable version: https://x.com/moscow/8836033",
#: "Short URL [http://www.x.com]", a print header's logo and link. No source line ("Via https://...").
PERMALINK_LABEL = re.compile(r"^(?:\[?[^\[\]]{1,30}\]\s*)?(?:[^\W\d_][\w\s,.-]{0,40}[:\s]\s*)?\[?\Z")
PERMALINK_WEIGHT = 1.5


#: A numbered item of the article: "1. Meetup.com", "3) Duolingo".
LIST_ITEM = re.compile(r"\d{1,2}[.)]\s")
#: A possessive after a domain: "Meetup.com's tagline".
POSSESSIVE = re.compile(r"['’]s\b")


def _permalink(line: str, m: re.Match) -> bool:
    """Is the URL at `m` the line's end, after at most a short label, with a path or in brackets?"""
    if "://" not in m.group(0):
        return False
    end = line.find(" ", m.end())
    url_end = len(line) if end < 0 else end
    tail = line[url_end:].strip()
    bracketed = line[m.end():url_end].startswith("]")  # "Short URL [http://www.x.com] Copy": a button after
    if tail and not ((tail.startswith("]") or bracketed) and len(tail) <= 8):
        return False
    label = line[:m.start()]
    if SOURCE_LINE.match(line) or len(label.split()) > 4 or not PERMALINK_LABEL.match(label):
        return False
    path = line[m.end():url_end]
    return len(path) > 1 or label.rstrip().endswith("[")


def _domain_credit(line: str, start: int) -> bool:
    """Is the domain at `start` a caption's credit: "Image: meetup.com", "... campaign. (onmeth.com)"?"""
    if start and line[start - 1] == "(" and len(line) > SHORT_LINE_MAX:
        return True
    end = line.find(" ", start)
    slash = line.find("/", start, end if end > 0 else len(line))
    if 0 < slash < len(line) - 1 and line[slash + 1].isupper():
        return True  # a photographer's credit: "afp.com/Michael Regan"
    return bool(start and DOMAIN_CREDIT.search(line[max(0, start - 16):start]))


def _sites(ev: _Evidence) -> tuple[Counter, dict[str, str], Counter]:
    """The domains written, grouped by site (data.spokesman.com with spokesman.com): each
    site's weight, the host that stands for it (the most written, then the shortest), and
    the weight written outside copyright notices."""
    sites: Counter = Counter()
    outside: Counter = Counter()
    best: dict[str, tuple[float, int, str]] = {}
    for host, weight in ev.domains.items():
        label = site_label(host)
        if len(label) < 2:
            continue
        sites[label] += weight
        outside[label] += weight - ev.notice_domains.get(host, 0.0)
        rank = (-weight, len(host), host)
        if label not in best or rank < best[label]:
            best[label] = rank
    return sites, {label: rank[2] for label, rank in best.items()}, +outside


def _spelt_site(name: str, cand: _Candidate, outside: Counter, hosts: dict[str, str]) -> str | None:
    """The site whose domain the footer's notice or a site line names, written elsewhere on the
    page too (a notice's own "© example.com" confirms nothing), if any."""
    if not {"copyright-line", "site-line", "logo-line", "self-line", "prompt-line"} & set(cand.kinds):
        return None  # an early notice: a story's wire credit ("© 2020 Cable News Network")
    return next((label for label in outside if name_matches_domain(name, hosts[label])), None)


#: Evidence from inside the article: an early notice is a story's credit ("© 2020 Cable News
#: Network" under wire copy), so the domain its name spells may be the wire's byline.
EARLY_KINDS = frozenset({"copyright-early", "repeated-line"})


def _masthead(name: str) -> bool:
    """Is the name a publication's, by a masthead word: "The Frontier Post", "Nordseezeitung"?"""
    words = [squash(w) for w in name.split()]
    return any(w in MASTHEAD_WORDS or len(w) > 6 and w.endswith(MASTHEAD_ENDINGS) for w in words)


def _variant_support(key: str, cand: _Candidate, names: dict[str, _Candidate]) -> float:
    """Another kind of evidence for a form of the same name: the notice's "Washington Examiner"
    and a menu's "Examiner", a site line's "The Real Deal" and the notice's "The Real Deal is a"."""
    kinds = set(cand.kinds)
    for other, found in names.items():
        if other != key and len(min(key, other, key=len)) >= 4 and _variants(key, other) \
                and not set(found.kinds) <= kinds and not found.company:
            return WEIGHTS["variant"]
    return 0.0


def _seconded(cand: _Candidate) -> bool:
    """Has a name more than one site line for it: a notice, a domain, or two different site lines?"""
    return any(kind not in ("site-line", "logo-line", "self-line", "repeated-line", "masthead-line",
                            "prompt-line", "byline-outlet", "bio-line", "notice-lead", "motto-line",
                            "imprint-line", "newsroom-line")
               for kind in cand.kinds) \
        or len(cand.lines) >= 2


def _variants(key: str, other: str) -> bool:
    """Two forms of one name: 'presseportalde' and 'presseportal', 'thehillcom' and 'hill'."""
    if key.startswith(other) or other.startswith(key) or len(min(key, other, key=len)) >= 5 \
            and (key in other or other in key):
        return True
    core, other_core = _core(key), _core(other)
    return (core, other_core) != (key, other) and len(min(core, other_core, key=len)) >= 3 and core == other_core


def _core(key: str) -> str:
    """A squashed name without a leading 'the' and a domain's ending: 'thehillcom' -> 'hill'."""
    key = re.sub(r"(?:com|net|org)\Z", "", key) if len(key) > 6 else key
    return key[3:] if key.startswith("the") and len(key) > 6 else key


def _common_word(name: str, lines: list[str]) -> bool:
    """Is a one-word name a common word the page also writes in lower case ("Health", "health")?"""
    name = LEADING_THE.sub("", name)
    if " " in name or not name[1:].islower():
        return False
    word = re.compile(r"(?<![\w./@#-])" + re.escape(name.casefold()) + r"(?![\w@/-]|\.\w)")  # not in a URL
    return any(word.search(line) for line in lines if line and len(line) > SHORT_LINE_MAX)


def _in_prose(name: str, lines: list[str]) -> bool:
    """Does a sentence of the page write the name as the masthead does ("Senior editor at
    Gizmodo.")? A section's name in a menu is seldom written so in the prose."""
    several = " " in name.strip()  # "Como Educar Seus Filhos" as the prose's "Como Educar seus Filhos"
    word = re.compile(r"(?<![\w@#/.-])" + re.escape(name) + r"(?![\w@/-]|\.\w)", re.IGNORECASE if several else 0)
    folded = name.casefold()
    return any(word.search(line) for line in lines
               if line and len(line) > SHORT_LINE_MAX and (folded in line.casefold() if several else name in line)
               and looks_like_sentence(line))


def _mentions(key: str, squashed_lines: list[str]) -> int:
    """In how many other lines of the page the name is written."""
    return sum(1 for s in squashed_lines if key in s) if len(key) >= 3 else \
        sum(1 for s in squashed_lines if s == key)


def outlet_from_furniture(lines: list[str], registry: OutletRegistry | None = None,
                          explain: list | None = None,
                          furniture: FurnitureModel | None = None) -> FoundOutlet | None:
    """The publisher the page's furniture names, by the rules above; None when it is not clear.

    `furniture` is what the other pages of the source repeat: a notice or site line on most
    of them is the site's own (a folder of one site's pages names its publisher on each).
    """
    return _decide(_gather(lines), lines, registry or default_registry(), explain, furniture)


def _on_most_pages(sources: set, furniture: FurnitureModel) -> bool:
    """Is one of these lines on most pages of the source (and on a few at least)?"""
    if furniture.pages < FOLDER_MIN_PAGES:
        return False
    least = max(FOLDER_MIN_PAGES, FOLDER_SHARE * furniture.pages)
    return any(furniture.counts.get(unit_key(text), 0) >= least for text in sources)


#: The furniture scorer's hand-set weights, one per candidate feature (see `candidate_features`):
#: a candidate's score is their sum over its features.
HAND_WEIGHTS = {**{f"kind:{k}": w for k, w in WEIGHTS.items()},
                "mentions": MENTION_WEIGHT, "registered": 1.0, "spelt": WEIGHTS["domain"], "spelt-weight": 0.5,
                "company": -2.5, "masthead": WEIGHTS["masthead"], "variant": 1.0, "folder": WEIGHTS["folder-line"],
                "domain-weight": 0.5, "sole-site": 1.5, "permalink": 2.0}


def candidate_features(ev: _Evidence, lines: list[str], registry: OutletRegistry,
                       furniture: FurnitureModel | None = None) -> tuple[list[tuple], str | None]:
    """([(features, key, form, outlet, candidate)], the page's own domain or None).

    Names that cannot be the publisher (an author's, a menu's section) are left out;
    the features are what the evidence for each name is (see HAND_WEIGHTS).
    """
    if not ev.names and not ev.domains:
        return [], None
    sites, hosts, outside = _sites(ev)
    label, domain_weight = (sites.most_common(1) or [(None, 0.0)])[0]
    domain = hosts.get(label)
    if domain and len(sites) > 1 and sites.most_common(2)[1][1] * 1.5 > domain_weight:
        domain, domain_weight = None, 0.0  # two domains as strong as each other: none is the site's
    others = _other_lines(ev, lines)
    # the one site the page writes, more than once: its address, an editor's mail, a permalink
    sole = bool(domain) and len(sites) == 1 and domain_weight >= SOLE_SITE_MIN_WEIGHT
    out = []
    for key, cand in ev.names.items():
        form = _display_form(cand.forms)
        outlet = registry.resolve(form) or next(
            (found for f, _ in cand.forms.most_common() if (found := registry.resolve(f))), None)
        in_story = key in ev.early_notices and set(cand.kinds) <= EARLY_KINDS
        spells_domain = bool(domain and not in_story and name_matches_domain(form, domain))
        spelt = label if spells_domain else None if domain else _spelt_site(form, cand, outside, hosts)
        if not outlet and not spelt and key in ev.bylines:
            continue  # an author's name
        features = {f"kind:{k}": float(min(c, 2)) for k, c in cand.kinds.items()}
        common = _common_word(form, lines)
        if not common:  # "Experience", "The Channel": the prose's word, not the name, is what recurs
            features["mentions"] = float(min(_mentions(key, others), MENTIONS_MAX))
        if set(cand.kinds) <= {"masthead-line", "repeated-line"} and (
                common or features.get("mentions", 0.0) < MASTHEAD_MENTIONS
                or not spells_domain and not _in_prose(form, lines)):
            continue  # a header line the page does not name itself by elsewhere: a menu's section
        if outlet and _seconded(cand):  # a lone "More from NBC News" may be an aggregator's
            features["registered"] = 1.0
        if spelt:  # the name and a domain the page writes agree: "The Spokesman-Review", spokesman.com
            features["spelt"] = 1.0
            features["spelt-weight"] = min(sites[spelt], 4.0)
            if sole:
                features["sole-site"] = 1.0
        if not spelt and not _seconded(cand) and common:
            continue  # "About Health", "Back To School": a menu's section, not the site
        if cand.company and not spells_domain:
            features["company"] = 1.0
        elif "copyright-line" in cand.kinds and _masthead(form):
            features["masthead"] = 1.0
        variant = _variant_support(key, cand, ev.names)
        if variant:
            features["variant"] = variant
        if furniture is not None and _on_most_pages(cand.sources, furniture):
            features["folder"] = 1.0
        out.append((features, key, form, outlet, cand))
        if cand.company and "copyright-line" in cand.kinds:  # (spelling the domain or not: "Globo" of globo.com)
            out.extend(_brand_of(form, ev, lines))
    _seconded_brands(out, ev, lines)
    if domain and domain_weight >= DOMAIN_MIN_WEIGHT and label in ev.furniture_sites \
            and not any(name_matches_domain(c[2], domain) for c in out):
        form = ev.domain_forms.get(domain, domain)
        features = {"kind:domain": 1.0, "domain-weight": min(domain_weight, 6.0), "sole-site": float(sole),
                    "permalink": float(bool(ev.permalinks.get(label))),
                    "mentions": float(min(_mentions(squash(domain) if label in GENERIC_HOST_LABELS else label,
                                                    others), MENTIONS_MAX))}
        out.append((features, label, form, registry.resolve(domain), _Candidate(kinds=Counter({"domain": 1}))))
    return out, domain


def _display_form(forms: Counter) -> str:
    """The form a name is shown in: the most written, a capitalised one before capitals only
    ("Boing Boing", not a prompt's "BOING BOING")."""
    return max(forms, key=lambda f: (f != f.upper() and f != f.lower(), f != f.lower(), forms[f]))


def _brand_of(holder: str, ev: _Evidence, lines: list[str]) -> list[tuple]:
    """The publication a company's notice is named after, when the page keeps writing it:
    "Al Jazeera Media Network" and the page's "Al Jazeera"; "Forbes Media", "Forbes".

    The brand stands as written, not through the registry: "CBS" of "CBS Broadcasting" on a
    local station's page is that station's network, not the registry's CBS News."""
    found = _brand(holder, ev, lines)
    if not found or found[1] in ev.names:
        return []
    brand, key, mentions = found
    cand = _Candidate(forms=Counter({brand: 1}), kinds=Counter({"copyright-line": 1}))
    features = {"kind:copyright-line": 1.0, "mentions": float(min(mentions, MENTIONS_MAX))}
    return [(features, key, brand, None, cand)]


def _brand(holder: str, ev: _Evidence, lines: list[str]) -> tuple[str, str, int] | None:
    """(brand, its key, lines writing it) of a company's notice, if the page keeps writing it."""
    words = holder.split()
    while words and (squash(words[-1]) in GROUP_SQUASHED or squash(words[-1]) in BRAND_JOINERS):
        words.pop()  # "Globo Comunicação e Participações" -> "Globo"
    brand = " ".join(words).strip(NAME_TRIM_CHARS)
    key = squash(LEADING_THE.sub("", brand))
    short = len(key) == 2 and (brand.isupper() or any(c.isupper() for c in brand[1:]))  # "iG", "BT"
    if not brand or brand == holder or len(key) < 3 and not short or key in NOT_SITE_NAME_KEYS \
            or _common_word(brand, lines):
        return None  # "Gamer" of "Gamer Network": a word the page writes, not a name
    word = re.compile(r"(?<![\w@#/.-])" + re.escape(brand) + r"(?![\w@/-]|\.\w)", re.IGNORECASE)
    mentions = sum(1 for i, line in enumerate(lines) if line and i not in ev.notice_lines and word.search(line))
    if mentions < BRAND_MENTIONS:  # as a word: "Gamer" inside "Eurogamer" is another name
        return None
    return brand, key, mentions


def _seconded_brands(out: list[tuple], ev: _Evidence, lines: list[str]) -> None:
    """A company's notice seconds the brand it is named after when the site's own lines name
    that brand already ("More about The Week" and "® 2020 The Week Publications Inc."): the
    candidate of those lines gains the notice's evidence."""
    holders = [form for _, _, form, _, cand in out if cand.company and "copyright-line" in cand.kinds]
    for holder in holders:
        found = _brand(holder, ev, lines)
        if not found:
            continue
        for n, (features, key, form, outlet, cand) in enumerate(out):
            if key == found[1] and set(cand.kinds) & SELF_KINDS \
                    and set(cand.kinds) <= SELF_KINDS | {"repeated-line"}:
                features["kind:copyright-line"] = 1.0
                if outlet is None:  # as the notice writes it: "The Week", where a menu's lead-in took "The"
                    out[n] = (features, key, found[0], outlet, cand)


GROUP_SQUASHED = frozenset(squash(w) for w in GROUP_WORDS)
BRAND_JOINERS = frozenset("e y et and und".split()) | {""}
#: Lines besides the notice writing a company notice's brand, from which it is a candidate.
BRAND_MENTIONS = 3


def _score(features: Mapping[str, float], weights: Mapping[str, float]) -> float:
    return weights.get("bias", 0.0) + sum(weights.get(name, 0.0) * value for name, value in features.items())


def _decide(ev: _Evidence, lines: list[str], registry: OutletRegistry,
            explain: list | None = None, furniture: FurnitureModel | None = None) -> FoundOutlet | None:
    """The candidate most evidence agrees on, if it has enough and no rival comes close."""
    found, domain = candidate_features(ev, lines, registry, furniture)
    scored = sorted(((_score(f, HAND_WEIGHTS), key, form, outlet, cand) for f, key, form, outlet, cand in found),
                    key=lambda s: -s[0])
    if explain is not None:
        explain.extend([(round(s[0], 1), s[2], dict(s[4].kinds), s[4].company) for s in scored[:5]]
                       + [("domain", domain, None)])
    return _chosen(scored, ev, lines, domain, FURNITURE_MIN_SCORE, RIVAL_MARGIN)


#: Score from which a page's copyright holder is its publisher when no other name has evidence
#: (below FURNITURE_MIN_SCORE: one notice, "© 2019 Newsweek", and the name once more elsewhere).
NOTICE_ALONE_MIN = 3.0
#: Highest score a rival may have for such a notice to stand uncontested.
NOTICE_ALONE_RIVAL = 1.0
#: Lines besides the notices that must write its holder's name: a parent company ("© Gannett")
#: is named in the notice only.
NOTICE_ALONE_MENTIONS = 1


def _uncontested_notice(scored: list[tuple], ev: _Evidence, lines: list[str]) -> bool:
    """Is the best candidate a notice's holder, not a company's name, that the page writes
    elsewhere too (its own name, where a parent company's is only in the notice), with no
    rival to speak of?"""
    score, key, form, outlet, cand = scored[0]
    if score < NOTICE_ALONE_MIN or cand.company or "copyright-line" not in cand.kinds or not cand.sources:
        return False  # (a brand read off a company's notice, "Breaking" of "Breaking Media", has no line)
    others = _other_lines(ev, lines)
    coined = " " not in form and not form.isupper() and any(c.isupper() for c in form[1:])  # "ScienceAlert"
    if _common_word(form, lines) or _mentions(key, others) < NOTICE_ALONE_MENTIONS and not coined:
        return False  # "© 2019 Experience" and the prose's "experience": a word, not a name
    # (a story's credit, "© Reuters" under wire copy, is its source's, no rival to the footer's notice)
    return all(s[0] <= NOTICE_ALONE_RIVAL or _variants(s[1], key) or set(s[4].kinds) <= EARLY_KINDS
               for s in scored[1:])


#: Score from which a name the site calls itself by in its furniture (its prompts, its author
#: boxes, its logo, its menus) is the publisher when no other name has evidence to speak of.
SELF_ALONE_MIN = 3.0
#: Highest score a rival may have for such a name to stand uncontested.
SELF_ALONE_RIVAL = 1.0


def _uncontested_self(scored: list[tuple]) -> bool:
    """Is the best candidate a name the site's own furniture gives itself, not a notice's holder
    (which may be a parent company), with nearly enough evidence and no rival to speak of?"""
    score, key, form, outlet, cand = scored[0]
    if score < SELF_ALONE_MIN or cand.company or not set(cand.kinds) & SELF_KINDS \
            or set(cand.kinds) & NOTICE_KINDS:
        return False
    if key in PLATFORM_NAMES or set(cand.kinds) <= {"site-line", "repeated-line"} and len(cand.lines) < 2:
        return False  # one menu line ("Über Moritz Bachmann", an author's page) is not enough
    return all(s[0] <= SELF_ALONE_RIVAL or _variants(s[1], key) or _parent_of(s[4], cand) for s in scored[1:])


def _uncontested_address(scored: list[tuple], ev: _Evidence) -> bool:
    """Is the best candidate the domain of the page's own address, as its furniture gives it (a
    permalink: "Printable version: https://x.com/...", a print header's link), with nearly enough
    evidence and no rival to speak of?"""
    score, key, form, outlet, cand = scored[0]
    if score < SELF_ALONE_MIN or set(cand.kinds) != {"domain"} or not ev.permalinks.get(key):
        return False
    return all(s[0] <= SELF_ALONE_RIVAL or _variants(s[1], key) or _parent_of(s[4], cand) for s in scored[1:])


#: What a site names itself by in its furniture, and what a notice says.
SELF_KINDS = frozenset({"site-line", "logo-line", "masthead-line", "self-line", "prompt-line",
                        "byline-outlet", "bio-line", "notice-lead", "motto-line", "imprint-line",
                        "newsroom-line"})
NOTICE_KINDS = frozenset({"copyright-line", "copyright-early"})


def _parent_of(rival: _Candidate, best: _Candidate) -> bool:
    """May a rival be the best candidate's owner rather than another publisher? A name only in the
    notices ("© CBS Interactive") against one the site's furniture calls itself ("ZDNet" on its
    lines): a company owns the site, the site is the publisher."""
    return set(rival.kinds) <= NOTICE_KINDS and bool(set(best.kinds) & SELF_KINDS) \
        and not set(best.kinds) & NOTICE_KINDS


def _chosen(scored: list[tuple], ev: _Evidence, lines: list[str], domain: str | None,
            least: float, margin: float) -> FoundOutlet | None:
    """The best-scored candidate, unless it has less than `least`, a rival with nearly as
    much is within `margin`, or the page's domain speaks against it."""
    if not scored or scored[0][0] < least and not _uncontested_notice(scored, ev, lines) \
            and not _uncontested_self(scored) and not _uncontested_address(scored, ev):
        return None
    best_outlet = scored[0][3]
    rival = max((s[0] for s in scored[1:] if not _variants(s[1], scored[0][1])
                 and not _parent_of(s[4], scored[0][4])
                 and not (best_outlet is not None and s[3] == best_outlet)), default=None)  # MailOnline, Daily Mail
    if rival is not None and rival >= least - margin and scored[0][0] - rival < margin:
        return None  # two names with as much evidence: the page does not say which is its own
    score, key, form, outlet, cand = scored[0]
    others = _other_lines(ev, lines)
    label = site_label(domain) if domain else ""
    written = squash(domain) if label in GENERIC_HOST_LABELS else label  # news.com.au: not every 'news'
    if domain and not name_matches_domain(form, domain) and key != label \
            and _mentions(written, others) >= max(DOMAIN_MENTIONS_CONFLICT, _mentions(key, others) + 1):
        return None  # the page writes a domain more than the name, which does not spell it: a parent company
    if cand.company:  # "Editora Listín Diario" and the menus' "Listín Diario": the paper's own name
        plain = [s for s in scored[1:] if not s[4].company and _variants(s[1], key) and s[0] >= least]
        if plain:
            score, key, form, outlet, cand = plain[0]
    rule = max(cand.kinds, key=lambda k: WEIGHTS[k] * cand.kinds[k])
    return FoundOutlet(outlet or _as_given(form), f"inferred:{rule}")


__all__ = ["FoundOutlet", "Outlet", "outlet_from_furniture", "outlet_from_hints", "outlet_from_text",
           "resolve_outlet"]
