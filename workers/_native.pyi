"""Type stub of the compiled core (``workers/native/``, a Rust crate built by setuptools-rust)."""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from workers.pipeline.article import LabelResult, Sentence

def version() -> str: ...

class ContentRules:
    """The rules of ``content_lines`` and ``_ascii_text``, compiled once."""

    def __init__(
        self,
        *,
        related_header: re.Pattern[str],
        bullet_line: re.Pattern[str],
        boilerplate_line: re.Pattern[str],
        byline: re.Pattern[str],
        photo_credit_end: re.Pattern[str],
        dateline: re.Pattern[str],
        agency_inline: re.Pattern[str],
        boilerplate_heads: list[str],
        bullet_heads: str,
        terminal_chars: str,
        to_ascii: dict[str, str],
        tidy_table: bytes,
        tidy_delete: bytes,
        limits: dict[str, int],
        letters: dict[str, str],
        nfkc_ascii: dict[str, str],
        widened: str,
    ) -> None: ...
    def ascii_text(self, text: str) -> bytes | None:
        """``_ascii_text(content_lines(text))`` if ``text`` is safe, else None (raises
        UnicodeEncodeError for lone surrogates)."""

class FingerprintTables:
    """The dedup fingerprint's tables and constants (from ``dedup.fingerprint``)."""

    def __init__(
        self,
        *,
        poly: int,
        mix: list[int],
        fmix32: tuple[int, int],
        shingle_size: int,
        num_perm: int,
        bin_shift: int,
        probe_bins: list[list[int]],
        stopword_table: bytes,
        units: dict[str, int],
        tens: dict[str, int],
        generic_names: list[str],
        number_sketch: int,
        name_sketch: int,
    ) -> None: ...
    def fingerprint_ascii(self, text: bytes) -> tuple[bytes, bytes, int, bytes, int, bytes, int]:
        """(digest, signature as LE u16, shingle count, number sketch as LE u32, number count,
        name sketch as LE u32, name count) of an ASCII text from ``_fast_ascii_text``."""
    def fingerprint_text(
        self, rules: ContentRules, text: str
    ) -> tuple[bytes, bytes, int, bytes, int, bytes, int] | None:
        """``fingerprint_ascii(rules.ascii_text(text))``, None where that text is None."""

# --- classify (workers.pipeline.classify) ---

class Classifier:
    """The classify stage (scan, ``Matcher.match_key``, ``score_military`` and
    ``score_diplomatic``) on a cue lexicon and the scoring constants, passed from Python."""

    def __init__(
        self,
        *,
        labels: tuple[str, str],
        outcome_limit: int,
        text_rules: dict[str, object],
        cues: list[tuple[str, str, float, list[tuple[list[str], list[str]]]]],
        by_token: list[tuple[str, list[int]]],
        by_prefix: list[tuple[str, list[int]]],
        geo: list[str],
        state: list[str],
        domain_of: list[tuple[str, str]],
        domains: list[str],
        background_domains: set[str],
        off_diplomatic_domains: set[str],
        old_years: list[str],
        weights: dict[str, float],
        rounded_score: Callable[[float, float], float],
        sentence_threshold: float,
    ) -> None: ...
    def article(self, scan: str) -> tuple[int, list[int]]:
        """(generation, outcome number of each sentence) of an article's ``scan_string``, the
        article's context applied."""
    def article_texts(self, texts: list[str]) -> tuple[int, list[int]]:
        """``article(scan_string(texts))``; UnicodeEncodeError for lone surrogates."""
    def scan_string(self, texts: list[str]) -> str:
        """``scanning.scan_string(texts)``."""
    def sentences(self, scan: str) -> tuple[int, list[tuple[bool, int, int]]]:
        """(generation, per sentence: strong military cue, quiet and at-war outcome numbers)."""
    def outcome(
        self, number: int
    ) -> tuple[tuple[float, float, list[str]] | None, tuple[float, float, list[str]] | None]:
        """Military and diplomatic (1 - prod(1 - w), factor, cues) of an outcome, or None."""
    def article_sentences(self, sentences: list[Sentence]) -> tuple[int, list[int], list[int]]:
        """``article_texts`` of the sentences' texts, and the numbers not yet published."""
    def label_sentences(self, sentences: list[Sentence]) -> tuple[list[int], list[int]]:
        """``article_sentences``, the missing outcomes published (scores by ``rounded_score``,
        labels from ``sentence_threshold``), then ``apply``: the positions of the sentences
        labelled military, then diplomatic; UnicodeEncodeError for lone surrogates."""
    def unpublished(self, ids: list[int]) -> list[int]:
        """The numbers of ``ids`` not yet published, each once, in order."""
    def publish(
        self,
        number: int,
        military: float,
        diplomatic: float,
        military_cues: list[str],
        diplomatic_cues: list[str],
        labels: list[str],
    ) -> None:
        """Keep the rounded scores, cue texts and labels of an outcome for ``apply``."""
    def apply(self, sentences: list[Sentence], ids: list[int]) -> tuple[list[int], list[int]]:
        """Set each sentence's scores, cues and labels from its outcome; the positions of the
        sentences labelled military, then diplomatic."""

# -- entities (workers.pipeline.enrich.spans) ------------------------------------------------

class CapitalScanner:
    """``spans.capitalised_runs`` over the word lists and character classes of ``spans``."""

    def __init__(
        self,
        *,
        classes: bytes,
        classify: Callable[[str], int],
        token: Callable[[str, int, int, bool, str], Any],
        fold: Callable[[str], str],
        connectors: list[str],
        arabic_prefixes: list[str],
        abbreviations: list[str],
    ) -> None: ...
    def runs(self, text: str) -> list[list[Any]] | None:
        """The capitalised runs of ``text`` (lists of ``token`` results), or None when the text
        holds lone surrogates."""
    @property
    def stores_token_slots(self) -> bool:
        """True when ``token`` is a plain slots dataclass whose instances are made by storing
        their slots (its ``__init__`` is not run); False when the class is called."""

class HeadScanner:
    """``weapons._head_matches`` over the head nouns of ``weapons``."""

    def __init__(
        self, *, classes: bytes, classify: Callable[[str], int], heads: list[tuple[str, bool]]
    ) -> None: ...
    def matches(self, lower: str) -> list[tuple[int, int, str]] | None:
        """(start, end, head) of every whole-word head noun in the lower-cased text, sorted, or
        None when it holds lone surrogates."""
    def matches_text(self, text: str) -> list[tuple[int, int, str]] | None:
        """``matches(text.lower())``, lower-cased natively character by character; None when
        that may differ from ``str.lower`` (a character lowers to several, a capital sigma, a
        lone surrogate)."""

# --- events (workers/native/src/events*.rs) ---

class EventTriggers:
    """The event catalogue compiled: candidate gates, trigger patterns and their filters."""

    def __init__(
        self,
        *,
        anchors: dict[str, list[int]],
        military_cues: list[str],
        diplomatic_cues: list[str],
        types: list[dict[str, object]],
        prefixes: list[tuple[int, list[str]]],
        triggers: list[dict[str, object]],
        filters: dict[str, object],
        classes: dict[str, list[tuple[int, int]]],
        required: list[tuple[int, list[str]]] = ...,
    ) -> None: ...
    def find(self, text: str, lowered: str) -> list[tuple[int, int, int]] | None:
        """(type index, start, end) of the sentence's triggers; None: ask the reference."""
    def find_all(self, texts: list[str]) -> list[tuple[int, list[tuple[int, int, int]] | None]]:
        """``find`` of each sentence lower-cased: (sentence index, its triggers) of those with
        a trigger, and (sentence index, None) of those to ask the reference about."""

# --- casualties (workers/native/src/casualties.rs) ---

class CueTokens:
    """The casualty cue tokens (``casualties._CUE_TOKENS``), compiled once."""

    def __init__(self, tokens: list[str]) -> None: ...
    def sentences_with_cue(self, texts: list[str]) -> list[int]:
        """Indices of the texts with a whitespace-separated word whose ``str.lower()`` is a
        cue token."""

class CountStarts:
    """Where a count can begin (``casualties._QUAL_COUNT_AHEAD``'s words), compiled once."""

    def __init__(self, words: list[str]) -> None: ...
    def starts(self, text: str) -> list[int]:
        """Ascending positions that include every one where ``\\b(?=\\d|(?:words)\\b)``
        holds."""

# --- segment (workers/native/src/segment.rs) ---

class SegmentRules:
    """The sentence splitter's characters, words and limits (from ``segment.py``)."""

    def __init__(
        self,
        *,
        terminal_marks: str,
        closers: str,
        line_end_punct: str,
        leading_bullets: str,
        inline_marks: str,
        bullet_start: str,
        openers: str,
        dashes: str,
        dateline_head: str,
        next_word_stops: str,
        plain_punctuation: str,
        never_final: list[str],
        before_number: list[str],
        ambiguous: list[str],
        never_after_dotted: list[str],
        sentence_openers: list[str],
        dateline_max_line: int,
        dateline_max_middle: int,
        dateline_max_paren: int,
        wrap_window: int,
        dotted_abbreviation_max: int,
    ) -> None: ...
    def split(self, text: str) -> list[tuple[int, int]] | None:
        """``split_sentences_reference(text)``, or None if ``text`` holds a character that is
        not plain."""

# --- normalise (workers/native/src/normalise.rs) ---

class CleanText:
    """What ``normalise.clean_text`` leaves alone: an NFC-stability table and its specials."""

    def __init__(self, nfc_stable: bytes, special: str) -> None: ...
    def is_clean(self, text: str) -> bool:
        """True only if ``clean_text_reference(text) == text``."""

# --- event roles (workers/native/src/events_roles.rs) ---

class RoleScanner:
    """The fallback actor lexicon and ``str.isalnum``, for the scans behind event roles."""

    def __init__(
        self,
        *,
        forms: list[str],
        first_words: list[str],
        lexicon_words: list[str],
        classes: bytes,
        classify: Callable[[str], int],
    ) -> None: ...
    @staticmethod
    def inert_characters() -> str:
        """The characters outside ASCII the compiled roles read (as the bytes 1 to 8)."""
    def lexicon_forms(self, text: str) -> list[tuple[int, int, int]]:
        """(start, end, form id) as ``events_roles._lexicon_forms_reference`` finds them."""
    def sentence_surfaces(
        self,
        texts: list[str],
        named: list[tuple[str, ...]],
        weapons: list[tuple[str, ...]],
    ) -> list[tuple[list[tuple[int, int, int]], list[int]]] | None:
        """Per text, ``events_roles._sentence_surfaces_reference``; None if a text holds a lone
        surrogate."""

class RoleWords:
    """The word lists and patterns of the mention predicates and the fallback place of
    ``events_roles``, for ASCII sentences."""

    def __init__(
        self,
        *,
        speaker_after: str,
        own_action: str,
        territory_after: str,
        located: list[str],
        object_verbs: list[str],
        agent_adjectives: list[str],
        not_agent_before_by: list[str],
        speaker_words: list[str],
        speaker_words_before: list[str],
        place_words: list[str],
        place_nouns: list[str],
        not_places: list[str],
        forms: list[str],
    ) -> None: ...
    def flags(self, text: str, spans: list[tuple[int, int]]) -> bytes | None:
        """Per span (one byte each), ``events_roles._mention_flags_reference``; None unless
        ``text`` is ASCII and the spans lie in it."""
    def fallback_place(self, text: str) -> tuple[bool, str | None]:
        """(True, ``events_roles._fallback_place_reference(text)``) for an ASCII text, else
        (False, None)."""

class RoleChoice:
    """The regexes and words of ``events_roles.resolve_roles``' choice, for ASCII sentences."""

    def __init__(
        self,
        *,
        clause_break: str,
        coordination_gap: str,
        infra_noun: str,
        infra_adjectives: list[str],
    ) -> None: ...
    def sentence(
        self,
        text: str,
        parties: list[tuple[int, int, str, str, str | None, int]],
        speaker: tuple[int, int, str, str, str | None, int] | None,
    ) -> SentenceRoles | None:
        """The sentence with its parties (mention fields and flags) and first self-reporting
        speaker; None unless ``text`` is ASCII and the spans lie in it."""

class SentenceRoles:
    """One ASCII sentence and its parties, for the roles of each of its triggers."""

    def choose(
        self, start: int, end: int, inside_is_actor: bool
    ) -> tuple[int | None, int | None] | None:
        """Actor and target of a trigger as indices of the parties (their number for the
        speaker); None for a trigger outside the text."""
    def infrastructure(self, start: int, end: int) -> str | None:
        """``events_roles._infrastructure(text, (start, end))``."""

# --- entities walk (workers/native/src/entities_walk.rs) ---

class EntityWalker:
    """The walk over an article's capitalised runs (``entities._Walk.walk_reference``), built
    from ``entities._walker_tables``."""

    def __init__(self, **tables: Any) -> None: ...
    def scan(self, text: str) -> tuple[ScannedRuns, list[int]] | None:
        """The capitalised runs of ``text`` held natively, and the offsets where a country
        institution may start (``InstitutionGate``-passed); None for lone surrogates."""
    def walk_scanned(
        self, scanned: ScannedRuns, claimed: bytearray
    ) -> tuple[list[tuple[Any, ...]], list[Any], list[list[Any]], list[Any]]:
        """(actions for ``_Walk.apply``, place mentions as ``PlaceMention``s, unknown groups,
        stray tokens), over the runs ``scan`` found."""
    @property
    def stores_mention_slots(self) -> bool:
        """True when ``place_mention`` is a plain slots dataclass whose instances are made by
        storing their slots (its ``__init__`` is not run); False when the class is called."""

# --- entities after the walk (workers/native/src/entities_post.rs) ---

class NameContextGates:
    """Cheap tests on the text before unknown names, for the entity passes after the walk."""

    def __init__(
        self,
        *,
        title_ends: list[str],
        title_window: int,
        locality_words: list[str],
        locality_window: int,
    ) -> None: ...
    def gates(self, text: str, starts: list[int]) -> bytes:
        """Per offset: bit 1 = ``title_may_end_before``, bit 2 = ``locality_may_end`` of the
        window before it."""

class InstitutionGate:
    """Where ``orgs.TEMPLATE_RE`` may match: an institution phrase after one or two words."""

    def __init__(self, *, phrases: list[str]) -> None: ...
    def starts(self, text: str, starts: list[int]) -> list[int]:
        """The offsets of ``starts`` (in order) where ``TEMPLATE_RE`` may match."""

# --- event roles of an article (workers/native/src/events_parties.rs) ---

class EventParties:
    """Every event's roles of an article in one call, for its ASCII sentences (curly quotes,
    dashes and bullets allowed)."""

    def __init__(
        self,
        *,
        scanner: RoleScanner,
        words: RoleWords,
        choice: RoleChoice,
        forms: list[str],
        form_roles: list[tuple[str, str]],
        capitals: list[str],
        place_context: list[str],
        title_person: str,
        title_gap: str,
        not_names: list[str],
        weapons: list[tuple[str, list[tuple[str, str, bool]]]],
        weapon_tokens: list[str],
        strip: str,
        weapon_class: type,
        mention_of: Callable[[Any], tuple[str, str, str | None, str | None]],
        person_class: type,
        organization_class: type,
        place_class: type,
        military_kinds: list[str],
        country_by_iso2: list[tuple[str, str]],
    ) -> None: ...
    def events(
        self,
        texts: list[str],
        triggers: list[list[tuple[int, int, int]]],
        entities: list[Any],
    ) -> list[list[tuple[str, str | None, str | None, str | None, list[str]]] | None]:
        """Per text, ``events_roles.event_roles_reference`` of its triggers ((start, end,
        options) each) with the article's entities; None for a text that is not ASCII."""

# --- entity walk over natively held runs (workers/native/src/entities_walk.rs) ---

class ScannedRuns:
    """An article's capitalised runs as ``EntityWalker.scan`` found them (opaque)."""

# -- casualties start gates (workers.pipeline.enrich.casualties) ------------------------------

class StartGate:
    """A casualty pattern without its look-arounds (``casualties.relaxed_pattern``), compiled
    to an automaton: where the pattern can begin a match."""

    def __init__(self, relaxed: str) -> None: ...
    def prune(self, text: str, starts: list[int]) -> list[int]:
        """The ``starts`` where the relaxed pattern matches; all of them when the text is not
        ASCII or holds U+001C..U+001F."""

# --- entities: place resolution (workers/native/src/entities_places.rs) ---

class PlaceResolver:
    """``entities._Walk.resolve_places`` in one call per article (built by
    ``places.place_resolver``; ``_Walk.resolve_places_reference`` is its reference)."""

    def __init__(
        self,
        *,
        source_curated: int,
        source_country: int,
        source_city: int,
        major_city: int,
        distinct_town: int,
        small_town: int,
        strong_bonus: float,
        weak_bonus: float,
        primary_bonus: float,
        ambiguous_names: list[str],
        fold: Callable[[str], str],
        place_key: Callable[[Any], tuple[str, str]],
        place_fields: Callable[[Any], tuple[Any, ...]],
        area_entry: Callable[[Any, Any], Any],
        place_class: type,
        cache_limit: int,
    ) -> None: ...
    def resolve(
        self, mentions: list[Any], context: Any, collector: Any, name_words: set[str]
    ) -> None:
        """Adds the countries of unambiguous ``mentions`` to ``context``, then every mention
        not in ``name_words`` whose place ``places.choose`` accepts to ``collector``."""
    @property
    def stores_place_slots(self) -> bool:
        """True when ``place_class`` records are made by storing their slots (their
        ``__init__`` is not run); False when the class is called."""

# --- entities: locality gate (workers/native/src/entities_localities.rs) ---

class LocalityGate:
    """Which unknown names ``entities._Walk.localities`` must judge (the others it surely
    skips)."""

    def __init__(
        self, *, after_prefixes: list[str], locality_bit: int, max_tokens: int
    ) -> None: ...
    def candidates(
        self, text: str, groups: list[list[Any]], claimed: bytearray, gates: bytes
    ) -> list[int]:
        """Indices (in order) of the ``groups`` that may be localities, given the article's
        ``claimed`` offsets and ``name_gates`` bits."""

# --- entities: generic weapons (workers/native/src/entities_weapons.rs) ---

class GenericWeaponRules:
    """``weapons.add_generic_weapons``'s decisions for all head nouns of an article at once."""

    def __init__(
        self,
        *,
        generics: list[tuple[str, str]],
        last_words: dict[str, list[str]],
        modifying: list[str],
        not_weapon: list[str],
        max_words: int,
        window: int,
        classes: bytes,
        classify: Callable[[str], int],
    ) -> None: ...
    def accepted(
        self,
        text: str,
        matches: list[tuple[int, int, str]],
        claimed: bytearray,
        named_ends: set[int],
    ) -> list[tuple[int, int, int]]:
        """(start, end, generic id) of every free generic weapon phrase, in head-noun order."""

# --- classify: article label results (workers/native/src/classify_label.rs) ---

class LabelResults:
    """``classify._label_result`` and ``scoring.article_score`` of both labels at once."""

    def __init__(
        self,
        *,
        labels: tuple[str, str],
        sentence_threshold: float,
        rank_weights: list[float],
        evidence_limit: int,
        evidence: Callable[..., Any],
        label_result: Callable[..., LabelResult],
    ) -> None: ...
    def results(
        self, sentences: list[Sentence], supporting: tuple[list[int], list[int]]
    ) -> tuple[LabelResult, LabelResult]:
        """The ``LabelResult`` of each label from the positions of the sentences carrying it."""

# --- segment: sentence records (workers/native/src/segment_sentences.rs) ---

class SentenceSplitter:
    """``SegmentRules.split`` and the ``Sentence`` of each span in one call."""

    def __init__(self, *, rules: SegmentRules, sentence: type[Sentence]) -> None: ...
    def sentences(self, body: str, offset: int, first: int) -> list[Sentence] | None:
        """The sentences of ``body`` (offsets shifted by ``offset``, numbered from ``first``),
        or None when ``SegmentRules.split`` gives None."""

# --- dedup one-call paths (workers.pipeline.dedup) ---

class IndexKeys:
    """The dedup index's key layout (from ``dedup.index``): the keys a check reads."""

    def __init__(
        self,
        *,
        id_prefix: bytes,
        id_digest_size: int,
        hash_prefix: bytes,
        band_prefix: bytes,
        bands: int,
        rows: int,
    ) -> None: ...
    def id_key(self, article_id: str) -> bytes:
        """The id prefix and the blake2b digest (``id_digest_size`` bytes) of the id."""
    def band_keys(self, signature: bytes) -> list[bytes]:
        """One key per band: prefix, band byte, the band's slots big-endian (``signature``:
        little-endian u16 slots)."""
    def article_keys(self, article_id: str, digest: bytes, signature: bytes) -> list[bytes]:
        """``[id key, hash prefix + digest, *band keys]``."""

# --- coded events of an article (workers/native/src/events_coded.rs) ---

class EventCoder:
    """An article's events, roles and codes, in one call."""

    def __init__(
        self,
        *,
        parties: EventParties,
        types: list[tuple[Any, str, Any, Any, Any, int]],
        event_class: type,
        fallback: Callable[
            [list[str], list[list[tuple[int, int, int]]], list[Any]],
            list[list[tuple[str, str | None, str | None, str | None, list[str]]]],
        ],
    ) -> None: ...
    def events(
        self,
        with_events: list[tuple[Any, tuple[tuple[Any, tuple[int, int]], ...]]],
        entities: list[Any],
    ) -> list[Any]:
        """The ``event_class`` events of the sentences ``with_events`` ((sentence, ((event
        type, (start, end)), ...)) each), their roles from ``entities``."""
    def events_of_rows(
        self,
        sentences: list[Any],
        rows: list[tuple[int, list[tuple[int, int, int]] | None]],
        entities: list[Any],
        reference: Callable[[str], list[tuple[int, int, int]]] | None = None,
    ) -> list[Any]:
        """``events`` of the article's ``sentences`` with triggers as
        ``EventTriggers.find_all`` gives them ((sentence index, (type index, start, end)
        triggers, or None: ``reference``'s triggers for the sentence's text)); sentences
        left without triggers have no events."""
    @property
    def stores_event_slots(self) -> bool:
        """True when events are made by storing their slots (``event_class.__init__`` is not
        run); False when the class is called."""

# --- records made by storing their slots (workers/native/src/records.rs) ---

class RecordFactory:
    """Makes instances of ``cls`` from the values of its first two fields ``names`` as the
    compiled stages make their records (for tests)."""

    def __init__(self, cls: object, names: tuple[str, str]) -> None: ...
    @property
    def stores_slots(self) -> bool:
        """True when ``cls`` is a plain slots dataclass whose instances are made by storing
        their slots; False when it is called."""
    def make(self, first: object, second: object) -> Any:
        """An instance with ``first`` and ``second`` as its first two fields, the others
        their defaults."""

# --- the collected entities (workers/native/src/entities_collect.rs) ---

def collected_entities(
    records: dict[Any, Any], first_seen: dict[Any, int], spans: list[Any]
) -> list[Any]:
    """``records``' values ordered by ``first_seen`` (stable), each with ``mentions`` set to the
    distinct surfaces of its (start, end, key, surface) ``spans`` in order of start (stable)."""

# --- casualties: one scan per article (workers/native/src/casualties_scan.rs) ---

class CasualtyScan:
    """The cue sentences of an article and what the casualty patterns ask of each
    (``casualties.scan_sentences``), compiled once from ``casualties.py``'s words, parts and
    relaxed patterns."""

    def __init__(
        self,
        *,
        cue_tokens: list[str],
        count_words: list[str],
        zero_words: list[str],
        number_tokens: list[str],
        verb_tokens: list[str],
        among_words: list[str],
        parts: list[list[str]],
        object_prefixes: list[str],
        zero_prefixes: list[str],
        coordinated_part: str,
        gates: list[str],
    ) -> None: ...
    def scan(
        self, texts: list[str]
    ) -> list[tuple[int, str, tuple[int, list[int], list[int], list[int], list[int]]]]:
        """(index, ``str.lower()``, (flags, starts of the zero, coordinated, subject and object
        patterns)) of each text holding a cue token, in order."""

# --- finished records written as JSON in one pass (workers/native/src/record_json.rs) ---

class RecordJson:
    """Writes the registered dataclasses (and plain JSON values) as ``orjson.dumps`` writes
    the dicts ``workers.processor.json_object`` makes of them."""

    def __init__(
        self, classes: list[tuple[type, list[str]]], fallback: Callable[[Any], bytes]
    ) -> None: ...
    @property
    def slot_fields(self) -> int:
        """How many registered fields are read straight from their slots (the others through
        attribute access)."""
    def dumps(self, value: object) -> bytes:
        """The JSON bytes of ``value``; values it does not write itself go to ``fallback``."""
