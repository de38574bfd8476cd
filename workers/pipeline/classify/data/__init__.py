"""Data files of the classifier: cue lexicon and term sets (package so they ship)."""
