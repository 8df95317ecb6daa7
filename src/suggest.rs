//! Did-you-mean suggestions.

/// How many did-you-means of one kind a page gets: each costs a scan of the candidates, so a
/// pathological page with many thousands of mistakes is bounded.
const PER_PAGE: usize = 100;

/// A page's allowance of did-you-means of one kind: the first [`PER_PAGE`] get one.
#[derive(Debug, Clone, Copy)]
pub struct Budget {
    left: usize,
}

impl Default for Budget {
    fn default() -> Self {
        Budget { left: PER_PAGE }
    }
}

impl Budget {
    /// Whether one more did-you-mean may be computed; counts it.
    pub fn take(&mut self) -> bool {
        let granted = self.left > 0;
        self.left = self.left.saturating_sub(1);
        granted
    }
}

/// How many candidates on each side of a word's place in sorted order [`closest_sorted`]
/// weighs: enough for every real page, and a bound on the work for a pathological one.
const WINDOW: usize = 500;

/// The candidate closest to `word` by Damerau-Levenshtein distance (case-insensitive), if it is
/// close enough to be a plausible typo: at most a third of the word's length, and at least 1.
/// Ties go to the earliest candidate.
pub fn closest<'a>(word: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    let lower = word.to_lowercase();
    let length = lower.chars().count();
    let limit = (length / 3).max(1);
    let bag = Bag::of(&lower);
    let mut candidate_lower = String::new();
    let mut best: Option<(usize, &'a str)> = None;
    for candidate in candidates {
        // The distance is at least the difference in length: skip the far ones cheaply.
        if char_count(candidate).abs_diff(length) > limit {
            continue;
        }
        lowercase_into(candidate, &mut candidate_lower);
        // … and at least the difference in the letters used.
        if bag.distance(&candidate_lower) > limit {
            continue;
        }
        let distance = strsim::damerau_levenshtein(&lower, &candidate_lower);
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, c)| c)
}

/// [`closest`] among sorted candidates, weighing only those nearest to `word` in sorted order
/// when there are very many: typos mostly keep a word's first letters.
pub fn closest_sorted<'a, S: AsRef<str>>(word: &str, sorted: &'a [S]) -> Option<&'a str> {
    let at = sorted.partition_point(|c| c.as_ref() < word);
    let window = &sorted[at.saturating_sub(WINDOW)..sorted.len().min(at + WINDOW)];
    closest(word, window.iter().map(AsRef::as_ref))
}

/// The Damerau-Levenshtein distance of `a` and `b` (case-sensitive) when it is at most `max`:
/// pairs further apart in length or in the letters they use are ruled out without working the
/// distance out.
pub fn distance_within(a: &str, b: &str, max: usize) -> Option<usize> {
    if char_count(a).abs_diff(char_count(b)) > max || Bag::of(a).distance(b) > max {
        return None;
    }
    let distance = strsim::damerau_levenshtein(a, b);
    (distance <= max).then_some(distance)
}

fn char_count(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        text.chars().count()
    }
}

/// `text` lower-cased into `out`, without allocating when `out` has room.
fn lowercase_into(text: &str, out: &mut String) {
    out.clear();
    if text.is_ascii() {
        out.extend(text.bytes().map(|b| char::from(b.to_ascii_lowercase())));
    } else {
        out.extend(text.chars().flat_map(char::to_lowercase));
    }
}

/// How often each character (folded into 64 buckets) occurs in a word. Every edit changes the
/// difference between two bags by at most one, so it is a lower bound on the edit distance.
struct Bag([i32; 64]);

impl Bag {
    fn of(word: &str) -> Bag {
        let mut bag = Bag([0; 64]);
        for c in word.chars() {
            bag.0[c as usize % 64] += 1;
        }
        bag
    }

    /// A lower bound on the edit distance between this bag's word and `other`.
    fn distance(&self, other: &str) -> usize {
        let mut difference = self.0;
        for c in other.chars() {
            difference[c as usize % 64] -= 1;
        }
        let (mut more, mut fewer) = (0, 0);
        for d in difference {
            if d > 0 {
                more += d;
            } else {
                fewer -= d;
            }
        }
        usize::try_from(more.max(fewer)).unwrap_or(0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Lengths and letter counts only rule out pairs further apart than asked: the distance
    /// is the Damerau-Levenshtein distance whenever it is within the limit.
    #[test]
    fn distances_within_a_limit_are_exact() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "ca",
            "Read",
            "Raed",
            "ReadWrite",
            "WriteAll",
            "Al",
            "All",
            "Group",
            "Gruop",
            "Userflow",
            "User",
            "Files",
            "Mail",
            "Send",
            "é",
            "éa",
        ];
        for a in words {
            for b in words {
                let distance = strsim::damerau_levenshtein(a, b);
                for max in 0..4 {
                    let expected = (distance <= max).then_some(distance);
                    assert_eq!(distance_within(a, b, max), expected, "{a} {b} {max}");
                }
            }
        }
    }

    #[test]
    fn suggests_close_words_only() {
        assert_eq!(closest("scope", ["scopes", "name"]), Some("scopes"));
        assert_eq!(closest("xyz", ["scopes", "name"]), None);
        assert_eq!(closest("Scope", ["SCOPES"]), Some("SCOPES"));
        assert_eq!(closest("naem", ["name"]), Some("name"));
        assert_eq!(closest("grüße", ["grüsse", "grüßen"]), Some("grüßen"));
    }

    #[test]
    fn a_budget_grants_a_fixed_number() {
        let mut budget = Budget::default();
        assert_eq!((0..150).filter(|_| budget.take()).count(), PER_PAGE);
    }

    #[test]
    fn bag_distance_never_exceeds_the_edit_distance() {
        let words = [
            "",
            "a",
            "ab",
            "ba",
            "abc",
            "section-12",
            "section-21",
            "no-such-section",
        ];
        for a in words {
            for b in words {
                let bound = Bag::of(a).distance(b);
                assert!(bound <= strsim::damerau_levenshtein(a, b), "{a} {b}");
            }
        }
    }

    #[test]
    fn sorted_candidates_are_searched_near_the_word() {
        let names: Vec<String> = (0..5000).map(|i| format!("section-{i:04}")).collect();
        let sorted: Vec<&str> = names.iter().map(String::as_str).collect();
        assert_eq!(
            closest_sorted("section-4242x", &sorted),
            Some("section-4242")
        );
        assert_eq!(closest_sorted("section-000", &sorted), Some("section-0000"));
    }
}
