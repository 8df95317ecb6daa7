//! Did-you-mean suggestions.

/// The candidate closest to `word` by Damerau-Levenshtein distance (case-insensitive), if it is
/// close enough to be a plausible typo: at most a third of the word's length, and at least 1.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let length = lower.chars().count();
    let limit = (length / 3).max(1);
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        let candidate_lower = candidate.to_lowercase();
        // The distance is at least the difference in length: skip the far ones cheaply.
        if candidate_lower.chars().count().abs_diff(length) > limit {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&lower, &candidate_lower);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

#[cfg(test)]
mod tests {
    #[test]
    fn suggests_close_words_only() {
        assert_eq!(super::closest("scope", ["scopes", "name"]), Some("scopes"));
        assert_eq!(super::closest("xyz", ["scopes", "name"]), None);
    }
}
