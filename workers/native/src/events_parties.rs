//! Every event's roles of an article in one call (`events_roles.event_roles`): the entities
//! named in each sentence with events, the fallback lexicon's countries, capitals and groups,
//! people introduced by a title, the mention predicates, the sentence's parties, location and
//! weapons, and each trigger's actor and target, as the Python reference
//! (`events_roles.event_roles_reference`) finds them. ASCII sentences only, their curly
//! quotes and dashes read as ASCII stand-ins (`events_inert`): the others are answered None
//! and left to Python. The word lists, forms and patterns come from Python at
//! construction; the scans reuse `events_roles.rs`.

use std::borrow::Cow;
use std::cmp::Reverse;
use std::ops::Range;
use std::sync::Arc;

use pyo3::exceptions::PyValueError;
use pyo3::intern;
use pyo3::prelude::*;
use pyo3::types::{PyList, PyString, PyType};
use regex::Regex;
use regex_automata::meta;

use crate::events_inert::{original, stand_in_of, stood_in, stood_in_word};
use crate::events_roles::{
    ascii_capitalised_words, ascii_pattern, is_ascii_space, last_word, word_set, words_before,
    words_of, MentionKind, Party, RoleChoice, RoleScanner, RoleWords, SentenceHits, SentenceRoles,
    LOCATED, OWN_ACTION, SPEAKER, TERRITORY,
};
use crate::hashing::{FnvMap, FnvSet};

/// Bits of a trigger's options: the roles of a diplomatic event name people; a party named
/// inside the trigger is its actor; the event reports the sentence's weapons.
const PREFER_PEOPLE: u8 = 1;
const INSIDE_IS_ACTOR: u8 = 2;
const WITH_WEAPONS: u8 = 4;
/// The lookahead that ends every weapon pattern of `events_roles._build_weapons`.
const WEAPON_END: &str = r"(?![\w])";

/// One event's trigger text, actor, target, location and weapons (None: no weapons). The
/// names are shared with the sentence's parties and its other events (no copy per event).
pub(crate) type Row = (
    String,
    Option<Arc<str>>,
    Option<Arc<str>>,
    Option<Arc<str>>,
    Option<Arc<[String]>>,
);
/// A `Row` as Python reads it.
type RowStrings = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Vec<String>,
);
/// What a mention of an entity is (`events_roles.MentionOf`): name, kind, country and the
/// state it stands for as a capital outside a prepositional phrase.
type MentionOf = (Arc<str>, MentionKind, Option<Arc<str>>, Option<Arc<str>>);
/// A weapon system of the fallback lexicon: name, pattern source, case-insensitive.
type WeaponSpec = (String, String, bool);

/// The fallback lexicon, the title and weapon patterns and the compiled role scans.
#[pyclass(frozen, module = "workers._native")]
pub struct EventParties {
    scanner: Py<RoleScanner>,
    words: Py<RoleWords>,
    choice: Py<RoleChoice>,
    forms: Vec<Arc<str>>,
    /// Per form id: (canonical name, kind).
    form_roles: Vec<(Arc<str>, MentionKind)>,
    capitals: FnvSet<String>,
    place_context: FnvSet<String>,
    title_person: Regex,
    title_gap: meta::Regex,
    not_names: FnvSet<String>,
    /// Cue word -> (name, pattern) of the weapon systems it may announce.
    weapon_cues: FnvMap<String, Vec<(String, Regex)>>,
    weapon_tokens: FnvSet<String>,
    /// The lengths (bit `min(length, 63)`) and first bytes of `weapon_tokens`: a word with
    /// neither is looked up no further.
    weapon_token_lengths: u64,
    weapon_token_firsts: [bool; 256],
    strip: Vec<char>,
    weapon_class: Py<PyType>,
    /// `events_roles._mention_of`, asked of the entities `native_mention_of` leaves to it.
    mention_of: Py<PyAny>,
    person_class: Py<PyType>,
    organization_class: Py<PyType>,
    place_class: Py<PyType>,
    military_kinds: FnvSet<String>,
    /// ISO alpha-2 code -> country name (`events_roles.country_name`).
    country_by_iso2: FnvMap<String, String>,
}

/// An article's entities, as Python holds them: each entity, whether it is a weapon and the
/// range of its surfaces (name, then mentions) in `surfaces`, all of them in one vector.
struct EntityStrings<'py> {
    entities: Vec<(Bound<'py, PyAny>, bool, Range<usize>)>,
    surfaces: Vec<Bound<'py, PyString>>,
}

/// An article's entities as the scans read them (borrowing the Python strings).
struct Entities<'py, 'a> {
    /// Parties and places: the objects and their non-empty UTF-8 surfaces (ranges of
    /// `readable`).
    named: Vec<&'a Bound<'py, PyAny>>,
    named_surfaces: Vec<Range<usize>>,
    /// Per named entity, what a mention of it is, once asked (None inside: not UTF-8, or
    /// `mention_of` did not answer a tuple of strings with one of the known kinds).
    mentions: Vec<Option<Option<MentionOf>>>,
    weapon_surfaces: Vec<Range<usize>>,
    /// Per weapon, its name (None: not UTF-8).
    weapon_names: Vec<Option<&'a str>>,
    /// The readable surfaces of all entities, each entity's a range.
    readable: Vec<Cow<'a, str>>,
}

/// The name and mentions of each entity (`article_names`), and whether it is a weapon.
fn entity_strings<'py>(
    entities: &[Bound<'py, PyAny>],
    weapon_class: &Bound<'py, PyType>,
    party_classes: &[&Bound<'py, PyType>],
) -> PyResult<EntityStrings<'py>> {
    let mut strings = EntityStrings {
        entities: Vec::with_capacity(entities.len()),
        surfaces: Vec::with_capacity(entities.len() * 3),
    };
    for entity in entities {
        let py = entity.py();
        let first = strings.surfaces.len();
        let surfaces = &mut strings.surfaces;
        surfaces.push(
            entity
                .getattr(intern!(py, "name"))?
                .cast_into::<PyString>()?,
        );
        let mentions = entity.getattr(intern!(py, "mentions"))?;
        // An exact list (as the entity classes hold) is read in place, without an iterator,
        // as CPython reads it; a subclass goes through its `__iter__`.
        if let Ok(list) = mentions.cast_exact::<PyList>() {
            surfaces.reserve(list.len());
            for mention in list.iter() {
                surfaces.push(mention.cast_into::<PyString>()?);
            }
        } else {
            for mention in mentions.try_iter()? {
                surfaces.push(mention?.cast_into::<PyString>()?);
            }
        }
        // Most entities are exactly of their class: no subclass walk for them.
        let class = entity.get_type();
        let is_weapon = class.is(weapon_class)
            || (!party_classes.iter().any(|party| class.is(party))
                && entity.is_instance(weapon_class)?);
        let range = first..strings.surfaces.len();
        strings.entities.push((entity.clone(), is_weapon, range));
    }
    Ok(strings)
}

/// The surfaces of an entity as a stood-in sentence (`events_inert`) would hold them, without
/// the empty ones and those no such sentence holds (unreadable, with a character outside
/// ASCII that is not inert, or with a stand-in byte itself), appended to `out`; their range
/// in it.
fn readable_into<'a>(
    surfaces: &'a [Bound<'_, PyString>],
    out: &mut Vec<Cow<'a, str>>,
) -> Range<usize> {
    let first = out.len();
    out.extend(
        surfaces
            .iter()
            .filter_map(|surface| surface.to_str().ok())
            .filter(|surface| !surface.is_empty())
            .filter_map(stood_in),
    );
    first..out.len()
}

/// The entity classes whose mentions `native_mention_of` reads.
enum MentionClass {
    Person,
    Organization,
    Place,
}

/// A field that is None (Some(None)) or an exact UTF-8 `str` (Some(Some(text))); None for
/// anything else (another type, a `str` subclass, lone surrogates), which Python decides.
#[allow(clippy::option_option)]
fn text_field<'a>(value: &'a Bound<'_, PyAny>) -> Option<Option<&'a str>> {
    if value.is_none() {
        return Some(None);
    }
    let text = value.cast_exact::<PyString>().ok()?;
    text.to_str().ok().map(Some)
}

fn overlaps(taken: &[Party], start: usize, end: usize) -> bool {
    taken.iter().any(|m| m.start < end && start < m.end)
}

fn party(
    start: usize,
    end: usize,
    name: &Arc<str>,
    kind: MentionKind,
    country: Option<Arc<str>>,
) -> Party {
    Party {
        start,
        end,
        name: Arc::clone(name),
        kind,
        country,
        flags: 0,
    }
}

fn strip_spaces(text: &str) -> &str {
    text.trim_matches(|c: char| c.is_ascii() && is_ascii_space(c as u8))
}

/// `_party_name`: people and groups of a country stand for it in a conflict event.
fn party_name(party: Option<&Party>, prefer_people: bool) -> Option<Arc<str>> {
    let party = party?;
    if !prefer_people && matches!(party.kind, MentionKind::Person | MentionKind::Group) {
        if let Some(country) = party.country.as_ref().filter(|c| !c.is_empty()) {
            return Some(Arc::clone(country));
        }
    }
    Some(Arc::clone(&party.name))
}

/// A row with its names as owned strings.
fn row_strings(row: Row) -> RowStrings {
    let owned = |name: Option<Arc<str>>| name.map(|name| String::from(&*name));
    let (trigger, actor, target, location, weapons) = row;
    (
        trigger,
        owned(actor),
        owned(target),
        owned(location),
        weapons.map_or_else(Vec::new, |weapons| weapons.to_vec()),
    )
}

/// `_absorb_nationality`: the country mention right before a title is dropped and its
/// country returned.
fn absorb_nationality(text: &str, title_start: usize, taken: &mut Vec<Party>) -> Option<Arc<str>> {
    let index = taken.iter().position(|m| {
        let gap = text.get(m.end..title_start).unwrap_or("");
        m.kind == MentionKind::Country
            && gap.len() <= 10
            && matches!(strip_spaces(gap), "" | "former")
    })?;
    taken.remove(index).country
}

impl EventParties {
    fn read_entities<'py, 'a>(strings: &'a EntityStrings<'py>) -> Entities<'py, 'a> {
        let count = strings.entities.len();
        let mut read = Entities {
            named: Vec::with_capacity(count),
            named_surfaces: Vec::with_capacity(count),
            mentions: Vec::with_capacity(count),
            weapon_surfaces: Vec::new(),
            weapon_names: Vec::new(),
            readable: Vec::with_capacity(strings.surfaces.len()),
        };
        for (entity, is_weapon, range) in &strings.entities {
            let surfaces = &strings.surfaces[range.clone()];
            let readable = readable_into(surfaces, &mut read.readable);
            if *is_weapon {
                read.weapon_surfaces.push(readable);
                read.weapon_names.push(surfaces[0].to_str().ok());
            } else {
                read.named.push(entity);
                read.named_surfaces.push(readable);
                read.mentions.push(None);
            }
        }
        read
    }

    /// What a mention of named entity `index` is, found once per article (by
    /// `native_mention_of`, else by asking Python).
    fn mention_of<'a>(
        &self,
        entities: &'a mut Entities<'_, '_>,
        index: usize,
    ) -> PyResult<Option<&'a MentionOf>> {
        if entities.mentions[index].is_none() {
            let entity = entities.named[index];
            let answer = match self.native_mention_of(entity) {
                Some(found) => Some(found),
                None => {
                    let answer = self.mention_of.bind(entity.py()).call1((entity,))?;
                    // A kind that is no `MentionKind` leaves the sentence to Python.
                    answer
                        .extract::<(String, String, Option<String>, Option<String>)>()
                        .ok()
                        .and_then(|(name, kind, country, state)| {
                            Some((
                                Arc::from(name),
                                MentionKind::parse(&kind)?,
                                country.map(Arc::from),
                                state.map(Arc::from),
                            ))
                        })
                }
            };
            entities.mentions[index] = Some(answer);
        }
        Ok(entities.mentions[index].as_ref().and_then(Option::as_ref))
    }

    /// `_mention_of(entity)` for a `Person`, `Organization` or `Place` (exactly) whose
    /// fields read are UTF-8 `str`s or None; None for any other entity, left to Python.
    fn native_mention_of(&self, entity: &Bound<'_, PyAny>) -> Option<MentionOf> {
        let py = entity.py();
        let class = entity.get_type();
        let class = if class.is(self.person_class.bind(py)) {
            MentionClass::Person
        } else if class.is(self.organization_class.bind(py)) {
            MentionClass::Organization
        } else if class.is(self.place_class.bind(py)) {
            MentionClass::Place
        } else {
            return None;
        };
        // An attribute that cannot be read is left to Python, which may not read it.
        let name_value = entity.getattr(intern!(py, "name")).ok()?;
        let country_value = entity.getattr(intern!(py, "country")).ok()?;
        let name = text_field(&name_value)??;
        let country = text_field(&country_value)?;
        let kind_value = || entity.getattr(intern!(py, "kind")).ok();
        let (kind, country, state) = match class {
            MentionClass::Person => (MentionKind::Person, self.country_name(country)?, None),
            MentionClass::Organization => {
                let kind_value = kind_value()?;
                let military =
                    text_field(&kind_value)?.is_some_and(|k| self.military_kinds.contains(k));
                match country.filter(|code| military && !code.is_empty()) {
                    Some(code) => (MentionKind::Group, self.country_name(Some(code))?, None),
                    None => (MentionKind::Group, None, None),
                }
            }
            MentionClass::Place => {
                let kind_value = kind_value()?;
                if text_field(&kind_value)? == Some("country") {
                    (MentionKind::Country, Some(name), None)
                } else {
                    (
                        MentionKind::Place,
                        country,
                        country.filter(|c| !c.is_empty()),
                    )
                }
            }
        };
        Some((
            Arc::from(name),
            kind,
            country.map(Arc::from),
            state.map(Arc::from),
        ))
    }

    /// `country_name(code)` of a readable code; None (left to Python) for a code that is
    /// not ASCII, whose Unicode upper case only Python decides.
    #[allow(clippy::option_option)]
    fn country_name<'a>(&'a self, code: Option<&'a str>) -> Option<Option<&'a str>> {
        let Some(code) = code.filter(|c| !c.is_empty()) else {
            return Some(None);
        };
        if !code.is_ascii() {
            return None;
        }
        let upper = code.to_ascii_uppercase();
        Some(Some(
            self.country_by_iso2
                .get(upper.as_str())
                .map_or(code, String::as_str),
        ))
    }

    /// `_after_preposition(text, start, _PLACE_CONTEXT)`.
    fn after_place_context(&self, lowered: &str, start: usize) -> bool {
        last_word(words_before(lowered, start, 24))
            .is_some_and(|word| self.place_context.contains(word))
    }

    /// `_TITLE_GAP_RE.fullmatch(text, start, end)`.
    fn title_gap(&self, text: &str, start: usize, end: usize) -> bool {
        start <= end
            && end <= text.len()
            && RoleWords::anchored_match(&self.title_gap, &text.as_bytes()[..end], start)
    }

    /// `_entity_mentions`: the named entities of the sentence, capitals outside a
    /// prepositional phrase standing for their state; None if one is not UTF-8.
    fn entity_mentions(
        &self,
        text: &str,
        lowered: &str,
        hits: &SentenceHits,
        entities: &mut Entities<'_, '_>,
    ) -> PyResult<Option<Vec<Party>>> {
        let mut found = Vec::with_capacity(hits.0.len());
        for &(index, start, end) in &hits.0 {
            let Some((name, kind, country, state)) = self.mention_of(entities, index)? else {
                return Ok(None);
            };
            let mention = match state {
                Some(state)
                    if self.capitals.contains(&text[start..end])
                        && !self.after_place_context(lowered, start) =>
                {
                    party(
                        start,
                        end,
                        state,
                        MentionKind::Country,
                        Some(Arc::clone(state)),
                    )
                }
                _ => party(start, end, name, *kind, country.clone()),
            };
            found.push(mention);
        }
        Ok(Some(found))
    }

    /// `_lexicon_mentions`: the lexicon forms among the capitalised words not overlapping an
    /// entity mention.
    fn lexicon_mentions(
        &self,
        text: &str,
        lowered: &str,
        capitalised: &[(usize, usize)],
        taken: &[Party],
    ) -> Vec<Party> {
        let scanner = self.scanner.get();
        let mut out = Vec::new();
        for (start, end, form) in scanner.lexicon_forms_of_words(text, capitalised) {
            if overlaps(taken, start, end) {
                continue;
            }
            let (name, kind) = &self.form_roles[form];
            let written = &self.forms[form];
            if self.capitals.contains(&**written) && self.after_place_context(lowered, start) {
                out.push(party(
                    start,
                    end,
                    written,
                    MentionKind::Place,
                    Some(Arc::clone(name)),
                ));
            } else {
                out.push(party(start, end, name, *kind, Some(Arc::clone(name))));
            }
        }
        out
    }

    /// `_titled_people`: people introduced by a title, with the country before the title.
    fn titled_people(&self, text: &str, taken: &mut Vec<Party>) -> Vec<Party> {
        let bytes = text.as_bytes();
        let mut out = Vec::new();
        // Most sentences name no title: one search without capture slots tells.
        if !self.title_person.is_match(text) {
            return out;
        }
        for captures in self.title_person.captures_iter(text) {
            let (Some(whole), Some(group)) = (captures.get(0), captures.get(1)) else {
                continue;
            };
            if whole.start() > 0 && bytes[whole.start() - 1].is_ascii_alphanumeric() {
                continue;
            }
            let name = group.as_str();
            let last = last_word(name).unwrap_or("");
            if overlaps(taken, group.start(), group.end()) || self.not_names.contains(last) {
                continue;
            }
            let country = absorb_nationality(text, whole.start(), taken);
            out.push(party(
                group.start(),
                group.end(),
                &Arc::from(original(name)),
                MentionKind::Person,
                country,
            ));
        }
        out
    }

    /// `_absorb_titles`: a country right before a titled person is part of the title.
    fn absorb_titles(&self, text: &str, mut mentions: Vec<Party>) -> Vec<Party> {
        let mut dropped = vec![false; mentions.len()];
        for index in 1..mentions.len() {
            let (head, tail) = mentions.split_at_mut(index);
            let (before, mention) = (&head[index - 1], &mut tail[0]);
            if mention.kind == MentionKind::Person
                && before.kind == MentionKind::Country
                && self.title_gap(text, before.end, mention.start)
            {
                dropped[index - 1] = true;
                if mention.country.is_none() {
                    mention.country.clone_from(&before.country);
                }
            }
        }
        let mut keep = dropped.iter().map(|&gone| !gone);
        mentions.retain(|_| keep.next().unwrap_or(true));
        mentions
    }

    /// `_lexicon_weapons`: the lexicon's weapon systems named in the sentence.
    fn lexicon_weapons(&self, text: &str, lowered: &str) -> Vec<String> {
        let mut names: Vec<String> = Vec::new();
        if !words_of(lowered).any(|token| self.may_be_weapon_token(token)) {
            return names;
        }
        let mut cues: Vec<&str> = words_of(lowered)
            .map(|token| token.trim_matches(|c: char| self.strip.contains(&c)))
            .filter(|cue| self.weapon_cues.contains_key(*cue))
            .collect();
        cues.sort_unstable();
        cues.dedup();
        for cue in cues {
            for (name, pattern) in self.weapon_cues.get(cue).into_iter().flatten() {
                if !names.contains(name) && pattern.is_match(text) {
                    names.push(name.clone());
                }
            }
        }
        names
    }

    /// Whether `token` is one of `weapon_tokens` (its length and first byte checked first).
    fn may_be_weapon_token(&self, token: &str) -> bool {
        let length_bit = 1u64 << token.len().min(63);
        token.as_bytes().first().is_some_and(|&first| {
            self.weapon_token_lengths & length_bit != 0
                && self.weapon_token_firsts[usize::from(first)]
                && self.weapon_tokens.contains(token)
        })
    }

    /// `_location` of a sentence that names no place: the fallback place, else a country
    /// named after 'in' as written (or followed by 'territory', 'regions'...).
    fn location(
        &self,
        text: &str,
        lowered: &str,
        capitalised: &[(usize, usize)],
        located: &[Party],
    ) -> Option<Arc<str>> {
        if let Some(place) = self
            .words
            .get()
            .fallback_place_lowered(text, lowered, capitalised)
        {
            return Some(Arc::from(place));
        }
        located
            .iter()
            .find(|m| *original(&text[m.start..m.end]) == *m.name || m.flags & TERRITORY != 0)
            .map(|m| Arc::clone(&m.name))
    }

    /// The rows of one ASCII (or stood-in) sentence's triggers; None where Python must
    /// answer.
    fn sentence_rows(
        &self,
        py: Python<'_>,
        text: &str,
        hits: &SentenceHits,
        triggers: &[(usize, usize, u8)],
        entities: &mut Entities<'_, '_>,
    ) -> PyResult<Option<Vec<Row>>> {
        if triggers
            .iter()
            .any(|&(start, end, _)| start > end || end > text.len())
        {
            return Ok(None);
        }
        let lowered = text.to_ascii_lowercase();
        let Some(mut found) = self.entity_mentions(text, &lowered, hits, entities)? else {
            return Ok(None);
        };
        let capitalised = ascii_capitalised_words(text.as_bytes());
        let lexicon = self.lexicon_mentions(text, &lowered, &capitalised, &found);
        found.extend(lexicon);
        let titled = self.titled_people(text, &mut found);
        found.extend(titled);
        found.sort_by_key(|m| (m.start, Reverse(m.end)));
        let mentions = self.absorb_titles(text, found);
        let weapons = if hits.1.is_empty() {
            self.lexicon_weapons(text, &lowered)
        } else {
            let named: Option<Vec<String>> = hits
                .1
                .iter()
                .map(|&i| entities.weapon_names[i].map(str::to_owned))
                .collect();
            let Some(named) = named else {
                return Ok(None);
            };
            named
        };
        let words = self.words.get();
        let mut first_place = None;
        let mut parties = Vec::with_capacity(mentions.len());
        let mut located = Vec::new();
        let mut speaker = None;
        for mut mention in mentions {
            // Places are no parties: their flags are never read.
            if mention.kind == MentionKind::Place {
                if first_place.is_none() {
                    first_place = Some(Arc::clone(&mention.name));
                }
                continue;
            }
            mention.flags =
                words.party_flags_at(text.as_bytes(), &lowered, mention.start, mention.end);
            if mention.flags & SPEAKER != 0 {
                if speaker.is_none() && mention.flags & OWN_ACTION != 0 {
                    speaker = Some(mention);
                }
            } else if mention.flags & LOCATED != 0 {
                located.push(mention);
            } else {
                parties.push(mention);
            }
        }
        let location =
            first_place.or_else(|| self.location(text, &lowered, &capitalised, &located));
        // Shared by the sentence's events that carry weapons (None: none named).
        let weapons: Option<Arc<[String]>> = (!weapons.is_empty()).then(|| Arc::from(weapons));
        let roles = SentenceRoles::new(self.choice.clone_ref(py), text, lowered, parties, speaker);
        let mut rows = Vec::with_capacity(triggers.len());
        for &(start, end, options) in triggers {
            let Some((actor, target)) = roles.choose(start, end, options & INSIDE_IS_ACTOR != 0)
            else {
                return Ok(None);
            };
            let prefer_people = options & PREFER_PEOPLE != 0;
            let actor = party_name(actor.and_then(|i| roles.party(i)), prefer_people);
            let mut target = party_name(target.and_then(|i| roles.party(i)), prefer_people);
            if target.is_none() && !prefer_people {
                target = roles
                    .infrastructure(start, end)
                    .filter(|found| !found.is_empty())
                    .map(Arc::from)
                    .or_else(|| location.clone());
            }
            let weapons = if options & WITH_WEAPONS != 0 {
                weapons.clone()
            } else {
                None
            };
            let trigger = original(strip_spaces(&text[start..end])).into_owned();
            rows.push((trigger, actor, target, location.clone(), weapons));
        }
        Ok(Some(rows))
    }
}

/// A weapon pattern of `events_roles._build_weapons` (`\b(?:...)(?![\w])`) for ASCII text,
/// without the lookahead: a word-boundary check after the match. Only whether it matches is
/// asked, and a match followed by a non-word character or the end exists exactly when a match
/// of the original does.
fn weapon_regex(source: &str, ignore_case: bool) -> PyResult<Regex> {
    let body = source
        .strip_suffix(WEAPON_END)
        .ok_or_else(|| PyValueError::new_err(format!("weapon pattern without {WEAPON_END}")))?;
    let body = ascii_pattern(body).map_err(PyValueError::new_err)?;
    let flags = if ignore_case { "(?i)" } else { "" };
    Regex::new(&format!("{flags}(?:{body})(?:[^0-9A-Za-z_]|\\z)"))
        .map_err(|error| PyValueError::new_err(error.to_string()))
}

#[pymethods]
impl EventParties {
    /// `forms` and `form_roles`: the lexicon's forms (a form's id is its index, as for
    /// `scanner`) and their (name, kind); `weapons`: per cue word, the (name, pattern source,
    /// case-insensitive) of the systems it announces; `mention_of(entity)`: what a mention of
    /// a party or place entity is (asked only of entities `person_class`, `organization_class`
    /// and `place_class` with `military_kinds` and `country_by_iso2` do not settle).
    #[new]
    #[pyo3(signature = (*, scanner, words, choice, forms, form_roles, capitals, place_context,
        title_person, title_gap, not_names, weapons, weapon_tokens, strip, weapon_class,
        mention_of, person_class, organization_class, place_class, military_kinds,
        country_by_iso2))]
    #[allow(clippy::too_many_arguments)]
    fn new(
        scanner: Py<RoleScanner>,
        words: Py<RoleWords>,
        choice: Py<RoleChoice>,
        forms: Vec<String>,
        form_roles: Vec<(String, String)>,
        capitals: Vec<String>,
        place_context: Vec<String>,
        title_person: &str,
        title_gap: &str,
        not_names: Vec<String>,
        weapons: Vec<(String, Vec<WeaponSpec>)>,
        weapon_tokens: Vec<String>,
        strip: &str,
        weapon_class: Py<PyType>,
        mention_of: Py<PyAny>,
        person_class: Py<PyType>,
        organization_class: Py<PyType>,
        place_class: Py<PyType>,
        military_kinds: Vec<String>,
        country_by_iso2: Vec<(String, String)>,
    ) -> PyResult<Self> {
        if forms.len() != form_roles.len() {
            return Err(PyValueError::new_err("one (name, kind) per form"));
        }
        let form_roles = form_roles
            .into_iter()
            .map(|(name, kind)| {
                let kind = MentionKind::parse(&kind)
                    .ok_or_else(|| PyValueError::new_err(format!("unknown kind {kind}")))?;
                Ok((Arc::from(name), kind))
            })
            .collect::<PyResult<Vec<_>>>()?;
        // `lexicon_mentions` indexes `forms` and `form_roles` with the scanner's form ids.
        if forms.len() != scanner.get().form_count() {
            return Err(PyValueError::new_err(
                "forms must be the role scanner's forms, one per form id",
            ));
        }
        let title_person = ascii_pattern(title_person).map_err(PyValueError::new_err)?;
        let title_gap = ascii_pattern(title_gap).map_err(PyValueError::new_err)?;
        let mut weapon_cues = FnvMap::default();
        for (cue, systems) in weapons {
            let compiled = systems
                .into_iter()
                .map(|(name, source, ignore_case)| Ok((name, weapon_regex(&source, ignore_case)?)))
                .collect::<PyResult<Vec<_>>>()?;
            // A cue with an inert character is also read in its stood-in spelling.
            if let Some(stood) = stood_in_word(&cue) {
                weapon_cues.insert(stood, compiled.clone());
            }
            weapon_cues.insert(cue, compiled);
        }
        let weapon_tokens = word_set(weapon_tokens);
        let mut weapon_token_lengths = 0u64;
        let mut weapon_token_firsts = [false; 256];
        for token in &weapon_tokens {
            weapon_token_lengths |= 1u64 << token.len().min(63);
            if let Some(&first) = token.as_bytes().first() {
                weapon_token_firsts[usize::from(first)] = true;
            }
        }
        Ok(Self {
            scanner,
            words,
            choice,
            forms: forms.into_iter().map(Arc::from).collect(),
            form_roles,
            capitals: word_set(capitals),
            place_context: word_set(place_context),
            title_person: Regex::new(&title_person)
                .map_err(|error| PyValueError::new_err(error.to_string()))?,
            title_gap: meta::Regex::new(&format!(r"(?:{title_gap})\z"))
                .map_err(|error| PyValueError::new_err(error.to_string()))?,
            not_names: word_set(not_names),
            weapon_cues,
            weapon_token_lengths,
            weapon_token_firsts,
            weapon_tokens,
            strip: strip
                .chars()
                .chain(strip.chars().filter_map(stand_in_of).map(char::from))
                .collect(),
            weapon_class,
            mention_of,
            person_class,
            organization_class,
            place_class,
            military_kinds: word_set(military_kinds),
            country_by_iso2: country_by_iso2.into_iter().collect(),
        })
    }

    /// Per sentence of `texts`, the (trigger, actor, target, location, weapons) of each of its
    /// `triggers` ((start, end, options) each), from the article's `entities`; None for a
    /// sentence with a character outside ASCII other than the inert ones of `events_inert`
    /// (or whose names are not UTF-8), which Python answers.
    fn events(
        &self,
        py: Python<'_>,
        texts: Vec<Bound<'_, PyString>>,
        triggers: Vec<Vec<(usize, usize, u8)>>,
        entities: Vec<Bound<'_, PyAny>>,
    ) -> PyResult<Vec<Option<Vec<RowStrings>>>> {
        if texts.len() != triggers.len() {
            return Err(PyValueError::new_err("one list of triggers per text"));
        }
        let rows = self.rows(py, &texts, &triggers, &entities)?;
        Ok(rows
            .into_iter()
            .map(|row| row.map(|row| row.into_iter().map(row_strings).collect()))
            .collect())
    }
}

impl EventParties {
    /// `events` of arguments already read.
    pub(crate) fn rows(
        &self,
        py: Python<'_>,
        texts: &[Bound<'_, PyString>],
        triggers: &[impl AsRef<[(usize, usize, u8)]>],
        entities: &[Bound<'_, PyAny>],
    ) -> PyResult<Vec<Option<Vec<Row>>>> {
        let readable: Vec<Option<Cow<'_, str>>> = texts
            .iter()
            .map(|text| text.to_str().ok().and_then(stood_in))
            .collect();
        let mut ascii: Vec<&str> = Vec::with_capacity(readable.len());
        ascii.extend(readable.iter().flatten().map(|text| &**text));
        let party_classes = [
            self.person_class.bind(py),
            self.organization_class.bind(py),
            self.place_class.bind(py),
        ];
        let strings = entity_strings(entities, self.weapon_class.bind(py), &party_classes)?;
        let mut entities = Self::read_entities(&strings);
        let surfaces_of = |ranges: &[Range<usize>]| -> Vec<&[Cow<'_, str>]> {
            let readable = &entities.readable;
            ranges
                .iter()
                .map(|range| &readable[range.clone()])
                .collect()
        };
        let hits = self.scanner.get().surfaces_in(
            py,
            &ascii,
            &surfaces_of(&entities.named_surfaces),
            &surfaces_of(&entities.weapon_surfaces),
        );
        let mut hits = hits.iter();
        let mut rows = Vec::with_capacity(texts.len());
        for (text, sentence_triggers) in readable.iter().zip(triggers) {
            let text = text.as_deref();
            let Some((text, sentence_hits)) = text.zip(text.and_then(|_| hits.next())) else {
                rows.push(None);
                continue;
            };
            let found = self.sentence_rows(
                py,
                text,
                sentence_hits,
                sentence_triggers.as_ref(),
                &mut entities,
            )?;
            rows.push(found);
        }
        Ok(rows)
    }
}
