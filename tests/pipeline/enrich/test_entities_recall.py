"""Recall of untitled people, generic and model-designated weapons, regions and localities."""

from __future__ import annotations

from tests.pipeline.enrich.test_entities import _people, _places, _weapons


def test_name_with_age_appositive_is_a_person() -> None:
    """ "Name, 42, said" marks an unlisted name as a person."""
    assert "Emeka Obi" in _people("Emeka Obi, 42, said his cattle had been sold.")


def test_according_to_name_beats_small_town_reading() -> None:
    """A known given name keeps "Priya Raman" a person although Raman is also a town."""
    people = _people("The push stalled, according to Priya Raman, an analyst in London.")
    assert people["Priya Raman"].role == "analyst"
    assert "Raman" not in _places("The push stalled, according to Priya Raman, an analyst.")


def test_dash_attributed_quote_names_a_person() -> None:
    """A quote attributed with an em dash ("— Name") names a person."""
    assert "Maria Gonzalez" in _people('"We will rebuild," — Maria Gonzalez')


def test_sports_players_and_coach() -> None:
    """Players found by sports verbs and possessives, coaches by their title."""
    people = _people(
        "Jannik Sinner's serve held. Lionel Messi scored twice. Coach Darren Cahill said so."
    )
    assert {"Jannik Sinner", "Lionel Messi", "Darren Cahill"} <= set(people)
    assert people["Darren Cahill"].role == "coach"


def test_hyphenated_korean_names_joined_by_and() -> None:
    """Two hyphenated East Asian names joined by "and" are two people."""
    people = _people("South Korea's Park Min-soo and Kim Ji-hoon met in Seoul.")
    assert {"Park Min-soo", "Kim Ji-hoon"} <= set(people)


def test_curated_caucasus_ministers() -> None:
    """A curated foreign minister is found by surname alone with role and country."""
    person = _people("Bayramov said the text of the treaty was close.")["Jeyhun Bayramov"]
    assert (person.role, person.country) == ("foreign minister", "AZ")


def test_naval_and_armoured_generic_weapons() -> None:
    """Warships, frigates, armoured vehicles and machine guns get generic weapon names."""
    weapons = _weapons(
        "Two warships and a frigate escorted armoured vehicles carrying heavy machine guns."
    )
    assert {"warship", "frigate", "armoured vehicle", "machine gun"} <= set(weapons)
    assert weapons["frigate"].weapon_type == "warship"


def test_ballistic_missile_ranges_and_interceptors() -> None:
    """Range-qualified ballistic missiles are ballistic missiles; interceptors have a name."""
    weapons = _weapons("It fired a short-range ballistic missile; interceptor missiles rose.")
    assert weapons["ballistic missile"].mentions == ["short-range ballistic missile"]
    assert "interceptor missile" in weapons


def test_tank_with_mark_designation() -> None:
    """ "Mark IV tanks" is a tank."""
    assert _weapons("British Mark IV tanks rolled forward.")["tank"].mentions == ["Mark IV tanks"]


def test_aircraft_designators_in_weapon_context() -> None:
    """Model designators near weapon words are weapons typed by the following noun."""
    weapons = _weapons("Chinese H-6 bombers and Zulfiqar-3 missiles were seen.")
    assert weapons["H-6"].weapon_type == "bomber aircraft"
    assert weapons["Zulfiqar-3"].weapon_type == "missile"
    assert "missile" not in weapons


def test_designator_needs_weapon_context() -> None:
    """A hyphenated code with no weapon nearby (a summit, a virus) is not a weapon."""
    assert _weapons("The G-7 summit discussed Covid-19 recovery plans.") == {}


def test_regions_rivers_and_lakes() -> None:
    """Foreign regions, rivers and lakes resolve from the regions table and curated data."""
    places = _places("Floods hit Punjab, Normandy and the Sagaing Region near the Scheldt.")
    assert places["Punjab"].kind == "region"
    assert places["Normandy"].country_code == "FR"
    assert places["Sagaing Region"].country_code == "MM"
    assert places["Scheldt"].kind == "river"
    assert _places("Boats on Lake Tanganyika sank.")["Lake Tanganyika"].kind == "lake"


def test_unknown_village_becomes_locality_with_country() -> None:
    """ "the village of X, Nigeria" yields a locality in Nigeria without coordinates."""
    place = _places("Gunmen raided the village of Kutumbi, Nigeria, at dawn.")["Kutumbi"]
    assert (place.kind, place.country_code, place.latitude) == ("locality", "NG", None)


def test_neighbourhood_is_a_place_not_a_sheikh() -> None:
    """ "the Sheikh Radwan neighbourhood" is a locality, not a person titled sheikh."""
    text = "A strike hit the Sheikh Radwan neighbourhood of Gaza City."
    assert _places(text)["Sheikh Radwan"].country_code == "PS"
    assert _people(text) == {}
