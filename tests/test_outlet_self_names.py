"""Where a copied page names itself: its newsletter and app prompts, a byline's site, an author's
box, a media group's notice (archive/extract/outlets.py)."""
from __future__ import annotations

import pytest

from archive.extract.outlets import (bio_line_name, copyright_holder, masthead_line_name,
                                     outlet_from_furniture, prompt_line_name)
from archive.extract.outlets import _byline_outlet as byline_outlet
from test_outlet_page_names import PROSE, outlet_name

MENU = ["• Home", "• Local", "• Sport", "• Weather", "• Opinion", "• Contact"]  # a bulleted menu


@pytest.mark.parametrize("line, name", [
    ("Sign up for Harbour Courier's newsletter", "Harbour Courier"),
    ("GET THE ISLAND POST NEWSLETTER", "ISLAND POST"),
    ("CLICK HERE TO GET THE FJORD TIMES APP", "FJORD TIMES"),
    ("Get The Ferryman newsletter", "The Ferryman"),
    ("Quayside247 newsletter!", "Quayside247"),
    ("Join the Quayside Deals Newsletter.", "Quayside Deals"),
    ("Suscríbete al newsletter de puertonoticias.cl y entérate de lo que sucede", "puertonoticias.cl"),
])
def test_a_prompt_to_the_sites_newsletter_or_app_names_the_site(line, name):
    assert prompt_line_name(line) == name


@pytest.mark.parametrize("line", [
    "Sign up for our newsletter",
    "Get the Android app",
    "Weekly Newsletter",
    "Sign up for the daily newsletter",
    "5. Dating apps",
])
def test_a_prompt_naming_no_site_names_nothing(line):
    assert prompt_line_name(line) is None


def test_a_byline_names_the_site_after_the_author_but_not_a_role_or_an_agency():
    assert byline_outlet(" | Harbour Courier") == "Harbour Courier"
    assert byline_outlet(" | Staff Writer") is None
    assert byline_outlet(" | Associated Press") is None
    assert byline_outlet(" | Reuters") is None


def test_an_authors_box_names_the_site_the_author_writes_for_now():
    assert bio_line_name("Senior editor at Quayside.") == "Quayside"
    assert bio_line_name("Science writer at Quayside and pug aficionado elsewhere") == "Quayside"
    assert bio_line_name("She was previously a reporter at the Island Post.") is None


def test_a_label_and_its_value_is_no_masthead():
    assert masthead_line_name("Tags: US Syria Harbour") is None
    assert masthead_line_name("Como Educar Seus Filhos") == "Como Educar Seus Filhos"


def test_a_media_groups_notice_reads_as_a_company():
    holder = copyright_holder("© 2021 Gannett. All rights reserved.")
    assert holder is not None and holder[0] == "Gannett" and holder[1] is True
    holder = copyright_holder("© 2021 Harbour Courier. All rights reserved.")
    assert holder is not None and holder[1] is False


def test_the_name_a_sites_prompts_and_author_boxes_give_it_stands_alone():
    lines = [*MENU, "", PROSE, PROSE, "", "Senior editor at Quayside.", "", "Quayside newsletter!"]
    assert outlet_name(lines) == "Quayside"


def test_one_menu_line_alone_names_no_publisher():
    lines = [*MENU, "", PROSE, PROSE, "", "Über Anna Berger"]
    assert outlet_name(lines) is None


def test_a_media_groups_notice_with_no_other_evidence_names_no_publisher():
    lines = [*MENU, "", PROSE, PROSE, "", "Support Local Businesses", "© 2021 Gannett. All rights reserved."]
    assert outlet_name(lines) is None


def test_two_names_of_one_registered_outlet_are_no_rivals():
    # the registry lists "MailOnline" as an alias of the Daily Mail
    lines = ["MailOnline - Sports", "", *MENU, "", PROSE, PROSE, "", "• Follow MailOnline",
             "• Follow Daily Mail", "• Follow DailyMail", "Daily Mail sport", "MailOnline sport"]
    assert outlet_name(lines) == "Daily Mail"


def test_a_site_named_before_its_owners_notice_is_the_site():
    from archive.extract.outlets import notice_lead
    assert notice_lead("Quaysidetech © 2019 Harbour Ads, LLC. All rights reserved.") == "Quaysidetech"
    assert notice_lead("Privacy Policy © 2019 Harbour Ads, LLC.") is None
    assert notice_lead("Harbour Media Group © 2019 Harbour Ads, LLC.") is None  # a company
    assert notice_lead("Breaking Kelp Copyright © 2020.", holder=False) == "Breaking Kelp"
    assert notice_lead("Privacy Policy Copyright © 2020.", holder=False) is None


def test_a_name_with_accents_is_found_where_the_page_writes_it_again():
    lines = [*MENU, "", PROSE, PROSE, "", "• Gaceta Información", "Autor en Gaceta Información",
             "© 2021 Gaceta Información. Todos los derechos reservados."]
    assert outlet_name(lines) == "Gaceta Información"


def test_a_coined_name_alone_in_the_footers_notice_is_the_publisher_and_a_plain_one_is_not():
    lines = [*MENU, "", PROSE, PROSE, "", "© Quaysidealert Pty Ltd. All rights reserved."]
    assert outlet_name(lines) is None  # one word, no capital inside: perhaps the owner
    lines[-1] = "© QuaysideAlert Pty Ltd. All rights reserved."
    assert outlet_name(lines) == "QuaysideAlert"


def test_a_menus_ordinary_word_is_no_site_but_a_name_with_its_article_is():
    from archive.extract.outlets import site_line_name
    lines = [*MENU, "", PROSE, PROSE, "", "Back to Reading", "Trending Now on Quaysidepost.com",
             "Tips: desk@quaysidepost.com"]
    assert outlet_name(lines) == "Quaysidepost.com"
    assert site_line_name("Back to The Sun") == "Sun"


def test_a_notice_in_a_groups_name_in_another_script_reads_as_a_company():
    holder = copyright_holder("© 2021 Медиахолдинг Гавань. Все права защищены.")
    assert holder is not None and holder[1] is True


def test_a_papers_digital_edition_is_no_company():
    holder = copyright_holder("©2020 Noticiero Digital")
    assert holder is not None and holder[1] is False
    holder = copyright_holder("©2020 Harbour Digital")
    assert holder is not None and holder[1] is True


def test_a_notices_holder_after_a_separator_and_before_its_trademark_clause():
    holder = copyright_holder("Copyright © 2014-2020 | “Χανιώτικα Νέα” is a registered trademark. All rights reserved")
    assert holder is not None and holder[0] == "Χανιώτικα Νέα"


def test_a_prompt_inside_the_articles_closing_sentence_names_the_site():
    from archive.extract.outlets import prompt_in_sentence
    assert prompt_in_sentence("You can also follow us on Facebook and download the Quayside News app from the") \
        == "Quayside"
    assert prompt_in_sentence("Officials urged residents to download the Android app to report leaks") is None
    assert prompt_in_sentence("Officials urged residents to download the Harbour Council app to report leaks") is None


def test_the_domain_of_the_pages_own_address_stands_alone():
    lines = [*MENU, "", PROSE, PROSE, "", "Printable version: https://quaysidepost.com/harbour/8836033"]
    assert outlet_name(lines) == "quaysidepost.com"
    lines[-1] = "Printable version: quaysidepost.com"  # the site, not the page's address
    assert outlet_name(lines) is None


def test_a_masthead_with_its_motto_names_the_site():
    from archive.extract.outlets import _has_motto
    assert _has_motto("QuayNaija | Harbour's popular news platform")
    assert not _has_motto("QuayNaija | Home")
    lines = ["• Home", "• About", "", "QuayNaija | Harbour's popular news platform", "",
             PROSE, PROSE, "", "QuayNaija October 06, 2018", "QuayNaija on the ferry strike"]
    assert outlet_name(lines) == "QuayNaija"
    lines[3] = "QuayNaija"  # the name alone, not written in the prose: perhaps a section
    assert outlet_name(lines) is None


def test_a_logos_copies_may_differ_in_accents_and_spaces():
    from archive.extract.outlets import logo_line_name
    assert logo_line_name("Puertó24 Puerto24 Puerto 24") == "Puertó24"
    assert logo_line_name("Lifestyle Lifestyle") is None


def test_a_trademarked_feature_is_no_site():
    from archive.extract.outlets import site_line_name
    assert site_line_name("Browse The Truth-O-Meter^TM") is None
    assert site_line_name("Browse Quayside") == "Quayside"


def test_a_network_portals_generic_label_is_not_spelt_by_every_news_name():
    from archive.extract.outlets import name_matches_domain
    assert not name_matches_domain("Harbour News", "news.com.au")
    assert name_matches_domain("Harbour News", "harbournews.com.au")
    # the page writes its network's portal often, and 'news' oftener: the portal does not outvote the name
    lines = [*MENU, "", PROSE, PROSE, "", "Back to Harbour-Mail", "Follow Harbour-Mail", "Harbour-Mail news",
             "More news at News.com.au", "Breaking news", "Local news", "Business news"]
    assert outlet_name(lines) == "Harbour-Mail"


@pytest.mark.parametrize("line, name", [
    ("Sign up to FREE email alerts from Harbour Mirror - football", "Harbour Mirror"),
    ("Sign up to daily Quayside Football email", "Quayside Football"),
    ("Подписываясь на рассылку Qday вы принимаете условия пользовательского соглашения", "Qday"),
])
def test_more_prompts_name_the_site(line, name):
    assert prompt_line_name(line) == name


def test_a_link_to_click_names_the_site_before_its_button():
    from archive.extract.outlets import site_line_name
    assert site_line_name("READ MORE ON QUAYSIDE BUSINESS BY CLICKING HERE") == "QUAYSIDE BUSINESS"


def test_a_domain_written_with_a_capital_ending_is_a_domain_but_two_sentences_are_not():
    lines = [*MENU, "", PROSE, PROSE, "", "QuayARMENIAN.Net - ● ●", "Harbour desk: news@quayarmenian.net",
             "QuayARMENIAN.Net"]
    assert outlet_name(lines) == "QuayARMENIAN.Net"
    lines = [*MENU, "", PROSE, PROSE, "", "The council said.It will vote again", "Harbour desk said.It closed"]
    assert outlet_name(lines) is None


def test_a_portuguese_holding_is_a_company_and_its_brand_the_site():
    holder = copyright_holder("© Copyright 2000-2021 Porto Comunicação e Participações S.A.")
    assert holder is not None and holder[0] == "Porto Comunicação e Participações" and holder[1] is True
    lines = [*MENU, "", PROSE, PROSE, "", "☆ Porto Rural", "○ Porto Esporte", "■ Porto Comunidade",
             "■ Porto Comunidade PE", "○ Porto Rural RJ", "■ Porto Esporte SP",
             "© Copyright 2000-2021 Porto Comunicação e Participações S.A."]
    assert outlet_name(lines) == "Porto"


def test_the_newsroom_signing_a_story_is_the_site():
    from archive.extract.outlets import NEWSROOM_LINE
    assert NEWSROOM_LINE.match("Direto da Redação da Revista Quaysider.").group("name").rstrip(".") \
        == "Revista Quaysider"
    assert NEWSROOM_LINE.match("Redacción La Gaceta 2").group("name") == "La Gaceta"
    assert NEWSROOM_LINE.match("Por Redação") is None


@pytest.mark.parametrize("line, name", [
    ("The Harbour-Guard ~ 3500 Chad Drive, Suite 600, Eugene, OR 97408 ~ Do Not Sell My Personal Information",
     "The Harbour-Guard"),
    ("La Gaceta. Calle Condesa de Venadito nº 1, Planta 1ª. Madrid, 28027, España", "La Gaceta"),
    ("Quayside News - Monroe, Michigan ~ 20 W. First St., Monroe, MI 48161", "Quayside News"),
])
def test_the_footers_imprint_names_the_site_before_its_address(line, name):
    from archive.extract.outlets import imprint_name
    assert imprint_name(line) == name


def test_a_label_a_price_or_a_company_before_an_address_is_no_imprint():
    from archive.extract.outlets import imprint_name
    assert imprint_name("Price Point: $2.3 million in Lake Street district") is None
    assert imprint_name("Harbour Media Group, 20 Main Street, Monroe") is None
    lines = [*MENU, "", PROSE, PROSE, "", "Quayside Local Upton",
             "Quayside Local Upton ~ 197 Main St., Milford, MA 01757 ~ Cookie Policy",
             "© 2021 Gannett. All rights reserved."]
    assert outlet_name(lines) == "Quayside Local Upton"


def test_the_sites_page_on_a_platform_names_the_site():
    lines = [*MENU, "", PROSE, PROSE, "", "Síguenos en Facebook: La Gaceta Oficial y en Twitter: @lagacetaoem",
             "", PROSE, "Síguenos en Facebook: La Gaceta Oficial y en Twitter: @lagacetaoem"]
    assert outlet_name(lines) == "La Gaceta Oficial"


def test_a_newsroom_signature_alone_names_the_site():
    lines = [*MENU, "", PROSE, PROSE, "", "Direto da Redação da Revista Quaysider.", "Revista Quaysider TV"]
    assert outlet_name(lines) == "Revista Quaysider"


def test_a_hindi_publishing_house_is_a_company_and_its_brand_the_site():
    holder = copyright_holder("Copyright © 2021 Quaygran Prakashan Limited. All rights reserved.")
    assert holder is not None and holder[0] == "Quaygran Prakashan" and holder[1] is True


def test_a_wire_credit_under_the_story_leaves_the_footers_notice_above_it_the_sites():
    story = [f"HARBOUR (Reuters) - {PROSE}", PROSE, PROSE]
    lines = [*MENU, "", "© QuaysideAlert Pty Ltd. All rights reserved.", "", *story, "© Reuters"]
    assert outlet_name(lines) == "QuaysideAlert"


def test_a_short_url_with_its_copy_button_is_the_pages_address():
    lines = [*MENU, "", PROSE, PROSE, "", "Short URL [http://www.quaysideseven.com] Copy"]
    assert outlet_name(lines) == "quaysideseven.com"
    lines[-1] = "Short URL [http://www.quaysideseven.com] Copy this link to share it with friends"
    assert outlet_name(lines) is None


def test_the_sites_address_before_its_notice_is_its_name():
    from archive.extract.outlets import notice_lead
    assert notice_lead("www.quaysideyaum.com © جميع الحقوق محفوظة لدار اليوم", holder=False) == "quaysideyaum.com"


def test_a_list_of_newsletters_names_them_not_the_site():
    newsletters = ["Harbour Sport newsletter", "Ferry Times newsletter", "Pier Gossip newsletter"]
    lines = [*MENU, "", PROSE, PROSE, "", *newsletters, "", "Harbour Sport newsletter"]
    assert outlet_name(lines) is None
    lines = [*MENU, "", PROSE, PROSE, "", "Quayside247 newsletter!", "", "Quayside247 newsletter!",
             "Quayside247 TV"]
    assert outlet_name(lines) == "Quayside247"


def test_a_rights_clause_or_a_regulators_badge_before_the_mark_is_no_site():
    from archive.extract.outlets import notice_lead
    assert notice_lead("All Rights Reserved © 2021 Harbour Courier") is None
    assert notice_lead("RIPRODUZIONE RISERVATA © Copyright Gazzetta del Porto") is None
    assert notice_lead("IPSO Regulated © 2021 Harbour Courier") is None
