//! Which lines a page's inline suppressions cover, rule by rule, answered in logarithmic time:
//! a page with many thousands of suppression comments and diagnostics stays linear.

use foldhash::HashMap;

use crate::rule::Rule;

/// Line ranges sorted by first line; at each position, the two furthest-reaching ranges so
/// far that belong to different suppression comments.
#[derive(Debug, Default)]
pub(super) struct Intervals {
    ranges: Vec<(u32, u32, usize)>,
    from: Vec<u32>,
    reach: Vec<[Reach; 2]>,
}

/// How far a range reaches (its last line) and the comment it belongs to.
#[derive(Debug, Clone, Copy)]
struct Reach {
    to: u32,
    comment: usize,
}

/// No range: reaches no line (lines start at 1).
const NOWHERE: Reach = Reach {
    to: 0,
    comment: usize::MAX,
};

impl Intervals {
    /// Adds the lines `from..=to` of the suppression comment starting at byte `comment`.
    pub(super) fn add(&mut self, from: u32, to: u32, comment: usize) {
        self.ranges.push((from, to, comment));
    }

    /// Sorts the ranges and computes the running reach; call once after the last `add`.
    pub(super) fn finish(&mut self) {
        self.ranges.sort_unstable();
        let mut best = [NOWHERE; 2];
        for &(from, to, comment) in &self.ranges {
            let new = Reach { to, comment };
            if best[0].comment == comment {
                best[0].to = best[0].to.max(to);
            } else if best[1].comment == comment {
                best[1].to = best[1].to.max(to);
                if best[1].to > best[0].to {
                    best.swap(0, 1);
                }
            } else if to > best[0].to {
                best = [new, best[0]];
            } else if to > best[1].to {
                best[1] = new;
            }
            self.from.push(from);
            self.reach.push(best);
        }
    }

    /// Whether a range of a comment other than the one starting at byte `except` covers `line`.
    pub(super) fn covers(&self, line: u32, except: Option<usize>) -> bool {
        let started = self.from.partition_point(|&from| from <= line);
        started > 0
            && self.reach[started - 1]
                .iter()
                .any(|r| r.to >= line && Some(r.comment) != except)
    }
}

/// The ranges of the suppressions naming every rule, and of those naming each rule.
#[derive(Debug, Default)]
pub(super) struct Coverage {
    every_rule: Intervals,
    by_rule: HashMap<Rule, Intervals>,
}

impl Coverage {
    /// Adds a suppression: its lines, the rules it names (`None`: every rule) and its comment.
    pub(super) fn add(&mut self, lines: (u32, u32), rules: Option<&[Rule]>, comment: usize) {
        match rules {
            None => self.every_rule.add(lines.0, lines.1, comment),
            Some(rules) => {
                for rule in rules {
                    self.by_rule
                        .entry(*rule)
                        .or_default()
                        .add(lines.0, lines.1, comment);
                }
            }
        }
    }

    /// Prepares the lookups; call once after the last `add`.
    pub(super) fn finish(&mut self) {
        self.every_rule.finish();
        self.by_rule.values_mut().for_each(Intervals::finish);
    }

    /// Whether a suppression of a comment other than `except` covers `rule` on `line`.
    pub(super) fn covers(&self, rule: Rule, line: u32, except: Option<usize>) -> bool {
        self.every_rule.covers(line, except)
            || self
                .by_rule
                .get(&rule)
                .is_some_and(|ranges| ranges.covers(line, except))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The obvious answer, for comparison.
    fn naive(ranges: &[(u32, u32, usize)], line: u32, except: Option<usize>) -> bool {
        ranges
            .iter()
            .any(|&(from, to, c)| from <= line && line <= to && Some(c) != except)
    }

    #[test]
    fn agrees_with_a_scan_of_every_range() {
        // Deterministic pseudo-random ranges, some long, some sharing a comment.
        let mut seed = 7u64;
        let mut next = |n: u32| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            u32::try_from((seed >> 33) % u64::from(n)).unwrap()
        };
        for _ in 0..200 {
            let count = next(12);
            let ranges: Vec<(u32, u32, usize)> = (0..count)
                .map(|_| {
                    let from = next(30) + 1;
                    let longest = if next(4) == 0 { 40 } else { 3 };
                    let to = from + next(longest);
                    (from, to, next(5) as usize)
                })
                .collect();
            let mut intervals = Intervals::default();
            for &(from, to, c) in &ranges {
                intervals.add(from, to, c);
            }
            intervals.finish();
            for line in 1..80 {
                for except in [None, Some(0), Some(1), Some(4)] {
                    assert_eq!(
                        intervals.covers(line, except),
                        naive(&ranges, line, except),
                        "{ranges:?} line {line} except {except:?}"
                    );
                }
            }
        }
    }

    #[test]
    fn rules_are_kept_apart() {
        let mut coverage = Coverage::default();
        coverage.add((3, 3), Some(&[Rule::LinkTargetMissing]), 10);
        coverage.add((5, 9), None, 20);
        coverage.finish();
        assert!(coverage.covers(Rule::LinkTargetMissing, 3, None));
        assert!(!coverage.covers(Rule::LinkTargetCaseMismatch, 3, None));
        assert!(coverage.covers(Rule::LinkTargetCaseMismatch, 7, None));
        assert!(!coverage.covers(Rule::LinkTargetCaseMismatch, 7, Some(20)));
    }
}
