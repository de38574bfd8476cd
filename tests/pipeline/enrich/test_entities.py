"""Focused behaviour tests for the extract_entities stage."""

from __future__ import annotations

from workers.pipeline.article import Article, Entity, Organization, Person, Place, Weapon
from workers.pipeline.enrich.entities import extract_entities, find_entities


def _people(text: str) -> dict[str, Person]:
    return {e.name: e for e in find_entities(text) if isinstance(e, Person)}


def _places(text: str) -> dict[str, Place]:
    return {e.name: e for e in find_entities(text) if isinstance(e, Place)}


def _weapons(text: str) -> dict[str, Weapon]:
    return {e.name: e for e in find_entities(text) if isinstance(e, Weapon)}


def _orgs(text: str) -> dict[str, Organization]:
    return {e.name: e for e in find_entities(text) if isinstance(e, Organization)}


def test_stage_fills_article_entities() -> None:
    """The stage writes entities onto the article and falls back to title + body without text."""
    article = Article(id="a1", source="test", title="Strike on Kyiv", body="Drones hit Kyiv.")
    out = extract_entities(article)
    assert any(isinstance(e, Place) and e.name == "Kyiv" for e in out.entities)


def test_governor_title_gives_role() -> None:
    """A capitalised title before a name becomes the person's role."""
    person = _people("Governor Alexander Bogomaz said the region was hit.")["Alexander Bogomaz"]
    assert person.role == "governor"


def test_nationality_adjective_gives_country_and_role() -> None:
    """A nationality adjective before the title sets the person's country."""
    people = _people("U.S. Senator Marco Rubio spoke to Russian Foreign Minister Sergei Lavrov.")
    assert (people["Marco Rubio"].role, people["Marco Rubio"].country) == ("senator", "US")
    lavrov = people["Sergei Lavrov"]
    assert (lavrov.role, lavrov.country) == ("foreign minister", "RU")


def test_zelensky_spellings_merge() -> None:
    """Zelensky, Zelenskyy and Zelenskiy resolve to one canonical person."""
    text = "President Volodymyr Zelenskyy spoke. Zelensky said more. Zelenskiy left."
    people = [e for e in find_entities(text) if isinstance(e, Person)]
    assert len(people) == 1
    assert people[0].mentions == ["Volodymyr Zelenskyy", "Zelensky", "Zelenskiy"]


def test_surname_only_mention_merges_with_full_name() -> None:
    """A later surname-only mention joins the unlisted person named in full earlier."""
    text = "said Maria Ivanenko, a nurse in the city. Later Ivanenko added that power was out."
    person = _people(text)["Maria Ivanenko"]
    assert person.mentions == ["Maria Ivanenko", "Ivanenko"]
    assert person.role == "nurse"


def test_trump_and_donald_trump_merge() -> None:
    """ "Trump" and "Donald Trump" are the same person."""
    people = _people("Donald Trump met allies. Trump said talks went well.")
    assert list(people) == ["Donald Trump"]


def test_lowercase_title_before_unlisted_name() -> None:
    """A lower-case role before an unlisted name ("military spokesman Ivan Petrenko") is found."""
    person = _people("the army's military spokesman Ivan Petrenko said on Monday.")["Ivan Petrenko"]
    assert person.role == "spokesman"


def test_abbreviated_military_rank() -> None:
    """An abbreviated rank ("Gen.") introduces an unlisted officer."""
    assert (
        _people("Gen. John Harlow Smith inspected the troops.")["John Harlow Smith"].role
        == "general"
    )


def test_speech_verb_finds_unlisted_person() -> None:
    """An unlisted two-word name followed by "said" is a person."""
    assert "Olena Kravets" in _people("Olena Kravets said the shelter was full.")


def test_no_people_from_months_places_or_sentence_starts() -> None:
    """Months, places, organisations and capitalised sentence starts are not people."""
    text = "In March Kyiv said NATO and Emergency Services said the Black Sea was calm."
    assert _people(text) == {}


def test_curated_organisations_and_kinds() -> None:
    """Acronyms of international bodies, armed groups and media resolve with kinds."""
    orgs = _orgs("NATO, the IAEA, Hezbollah and Reuters all commented, as did the Kremlin.")
    assert orgs["North Atlantic Treaty Organization"].kind == "international"
    assert orgs["Hezbollah"].kind == "armed group"
    assert orgs["Reuters"].kind == "media"
    assert orgs["Kremlin"].country == "RU"


def test_defence_ministry_variants_merge() -> None:
    """Different phrasings of Russia's defence ministry become one organisation."""
    text = "The Russian defence ministry said so. Russia's Defense Ministry later repeated it."
    orgs = [e for e in find_entities(text) if isinstance(e, Organization)]
    assert [(o.name, o.country) for o in orgs] == [("Ministry of Defence of Russia", "RU")]
    assert len(orgs[0].mentions) == 2


def test_general_staff_of_named_country() -> None:
    """ "Ukraine's General Staff" names the General Staff of Ukraine's armed forces."""
    org = _orgs("Ukraine's General Staff confirmed the strike.")
    assert org["General Staff of the Armed Forces of Ukraine"].kind == "military"


def test_city_has_coordinates_and_geonames_id() -> None:
    """A city carries country, ISO code, region, coordinates and a GeoNames id."""
    izmail = _places("Drones hit Izmail overnight.")["Izmail"]
    assert (izmail.country, izmail.country_code, izmail.admin1) == ("Ukraine", "UA", "Odesa Oblast")
    assert izmail.geonames_id is not None and izmail.latitude is not None


def test_spelling_variants_resolve_to_one_city() -> None:
    """Kiev/Kyiv and Zaporozhye/Zaporizhzhia are single places."""
    places = _places("Kiev and Kyiv were hit, as were Zaporozhye and Zaporizhzhia.")
    assert set(places) == {"Kyiv", "Zaporizhzhia"}
    assert places["Kyiv"].mentions == ["Kiev", "Kyiv"]


def test_region_phrase_versus_city() -> None:
    """ "the Bryansk region" is the oblast while "Bryansk" alone is the city."""
    places = _places("Drones hit the Bryansk region. Later, Bryansk itself was hit.")
    assert places["Bryansk Oblast"].kind == "region"
    assert places["Bryansk"].kind == "city"


def test_river_sea_and_subregion() -> None:
    """Rivers, seas and named sub-regions come from curated data with their kinds."""
    places = _places("Ships on the Danube River and the Black Sea; fighting in Donbas.")
    assert places["Danube"].kind == "river"
    assert places["Black Sea"].kind == "sea"
    assert places["Donbas"].kind == "region"


def test_ambiguous_city_prefers_populous_candidate() -> None:
    """ "London" in a Ukraine story is London in Great Britain."""
    assert _places("Allies of Ukraine will meet in London.")["London"].country_code == "GB"


def test_georgia_country_versus_us_state_by_context() -> None:
    """Georgia is the country in a Caucasus story and the US state beside Atlanta."""
    assert _places("Protests in Tbilisi, Georgia, grew.")["Georgia"].kind == "country"
    assert _places("Voters in Atlanta, Georgia, queued.")["Georgia"].kind == "state"


def test_demonyms_and_first_names_are_not_places() -> None:
    """ "Russian" is not a place and "Victoria Nuland" is not Victoria."""
    places = _places("Russian officials met Victoria Nuland, who said little.")
    assert places == {}


def test_named_weapon_aliases_and_origin() -> None:
    """Storm Shadow and SCALP are one British-French cruise missile."""
    weapon = _weapons("Storm Shadow missiles, also known as SCALP, hit the port.")["Storm Shadow"]
    assert (weapon.weapon_type, weapon.origin) == ("cruise missile", ["GB", "FR"])
    assert weapon.mentions == ["Storm Shadow", "SCALP"]


def test_shahed_and_geran_are_one_drone() -> None:
    """Geran-2 is the Russian name for the Shahed-136 drone."""
    weapons = _weapons("Russia launched Geran-2 drones; Ukraine says the Shahed-136 is Iranian.")
    assert list(weapons) == ["Shahed-136"]


def test_generic_weapons_are_typed() -> None:
    """Generic phrases like "kamikaze drones" and "glide bombs" get canonical names and types."""
    weapons = _weapons(
        "Twenty kamikaze drones and several glide bombs hit, with ballistic missiles."
    )
    assert weapons["kamikaze drone"].weapon_type == "drone"
    assert weapons["glide bomb"].weapon_type == "glide bomb"
    assert weapons["ballistic missile"].weapon_type == "ballistic missile"


def test_generic_noun_after_named_weapon_is_not_separate() -> None:
    """ "Tomahawk missiles" yields only the Tomahawk, not an extra generic missile."""
    assert list(_weapons("The U.S. may supply Tomahawk missiles.")) == ["Tomahawk"]


def test_ambiguous_weapon_word_needs_a_weapon_context() -> None:
    """ "Patriot" is a weapon only near weapon words."""
    assert "Patriot" in _weapons("Germany sent another Patriot battery.")
    assert "Patriot" not in _weapons("Patriot Day was marked in Boston.")


def test_think_tank_is_not_a_tank() -> None:
    """ "think tank" is not an armoured vehicle."""
    assert "tank" not in _weapons("A Washington think tank published a report.")


def test_entities_are_deduplicated_in_order() -> None:
    """Each entity appears once, ordered by first mention, mentions unique."""
    entities: list[Entity] = find_entities("Kyiv was hit. Kyiv again. Lviv too.")
    names = [e.name for e in entities]
    assert names == ["Kyiv", "Lviv"]
    assert entities[0].mentions == ["Kyiv"]
