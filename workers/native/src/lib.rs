//! newsflow's compiled core (the Python module `workers._native`).

use pyo3::prelude::*;

mod casualties;
mod casualties_gate;
mod casualties_scan;
mod classify;
mod classify_label;
mod classify_publish;
mod content;
mod dedup_keys;
mod entities;
mod entities_collect;
mod entities_localities;
mod entities_places;
mod entities_post;
mod entities_token;
mod entities_walk;
mod entities_weapons;
mod entities_words;
mod events;
mod events_coded;
mod events_gates;
mod events_inert;
mod events_parties;
mod events_prefixes;
mod events_relaxed;
mod events_roles;
mod events_text;
mod fingerprint;
mod hashing;
mod minhash;
mod normalise;
mod pystr;
mod record_json;
mod records;
mod segment;
mod segment_sentences;
mod spans;

/// The module's version, to check that the built extension matches the sources.
#[pyfunction]
fn version() -> &'static str {
    env!("CARGO_PKG_VERSION")
}

#[pymodule]
fn _native(m: &Bound<'_, PyModule>) -> PyResult<()> {
    m.add_function(wrap_pyfunction!(version, m)?)?;
    m.add_class::<classify::Classifier>()?;
    m.add_class::<classify_label::LabelResults>()?;
    m.add_class::<content::ContentRules>()?;
    m.add_class::<fingerprint::FingerprintTables>()?;
    m.add_class::<dedup_keys::IndexKeys>()?;
    m.add_class::<entities::CapitalScanner>()?;
    m.add_class::<entities::HeadScanner>()?;
    m.add_class::<entities_walk::EntityWalker>()?;
    m.add_class::<entities_walk::ScannedRuns>()?;
    m.add_class::<entities_post::NameContextGates>()?;
    m.add_class::<entities_post::InstitutionGate>()?;
    m.add_class::<entities_places::PlaceResolver>()?;
    m.add_class::<entities_localities::LocalityGate>()?;
    m.add_class::<entities_weapons::GenericWeaponRules>()?;
    m.add_function(wrap_pyfunction!(entities_collect::collected_entities, m)?)?;
    m.add_class::<events::EventTriggers>()?;
    m.add_class::<events_roles::RoleScanner>()?;
    m.add_class::<events_roles::RoleWords>()?;
    m.add_class::<events_roles::RoleChoice>()?;
    m.add_class::<events_roles::SentenceRoles>()?;
    m.add_class::<events_parties::EventParties>()?;
    m.add_class::<events_coded::EventCoder>()?;
    m.add_class::<casualties::CueTokens>()?;
    m.add_class::<casualties::CountStarts>()?;
    m.add_class::<casualties_gate::StartGate>()?;
    m.add_class::<casualties_scan::CasualtyScan>()?;
    m.add_class::<segment::SegmentRules>()?;
    m.add_class::<segment_sentences::SentenceSplitter>()?;
    m.add_class::<normalise::CleanText>()?;
    m.add_class::<records::RecordFactory>()?;
    m.add_class::<record_json::RecordJson>()?;
    Ok(())
}
