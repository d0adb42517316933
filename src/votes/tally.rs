//! The Art. 278 count: pure integer arithmetic over holders, no database in sight.
//!
//! * Quorum (all matters): participants hold ≥ 2/3 of the total exclusive area **and** are
//!   ≥ 2/3 of the total headcount.
//! * Ordinary matters: agreeing owners hold > 1/2 of the participating area **and** are > 1/2 of
//!   the participating headcount.
//! * Special matters (Art. 278 ¶1 items 6–8): ≥ 3/4 of both.
//!
//! "以上" includes the figure and "过半数" does not, so exactly 2/3 meets the quorum, exactly 3/4
//! passes a special matter and exactly 1/2 fails an ordinary one. Areas are in 0.01 m² and every
//! ratio is compared by cross-multiplying, never in floating point.
use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

/// The matter a vote decides (民法典 Art. 278 ¶1), which sets its threshold.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Matter {
    /// (1) adopt or amend the assembly's rules of procedure
    Rules,
    /// (2) adopt or amend the management covenant
    Covenant,
    /// (3) elect or replace owners' committee members
    Committee,
    /// (4) hire or dismiss the property company or other manager
    Manager,
    /// (5) use the building maintenance fund
    FundUse,
    /// (6) raise the building maintenance fund
    FundRaise,
    /// (7) rebuild or reconstruct buildings and facilities
    Rebuild,
    /// (8) change the use of common parts or run business on them
    CommonUse,
    /// (9) other major matters
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Threshold {
    Ordinary,
    Special,
}

impl Matter {
    pub const ALL: [Matter; 9] = [
        Matter::Rules,
        Matter::Covenant,
        Matter::Committee,
        Matter::Manager,
        Matter::FundUse,
        Matter::FundRaise,
        Matter::Rebuild,
        Matter::CommonUse,
        Matter::Other,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Matter::Rules => "rules",
            Matter::Covenant => "covenant",
            Matter::Committee => "committee",
            Matter::Manager => "manager",
            Matter::FundUse => "fund_use",
            Matter::FundRaise => "fund_raise",
            Matter::Rebuild => "rebuild",
            Matter::CommonUse => "common_use",
            Matter::Other => "other",
        }
    }

    pub fn parse(s: &str) -> Option<Matter> {
        Matter::ALL.into_iter().find(|m| m.as_str() == s.trim())
    }

    pub fn threshold(self) -> Threshold {
        match self {
            Matter::FundRaise | Matter::Rebuild | Matter::CommonUse => Threshold::Special,
            _ => Threshold::Ordinary,
        }
    }
}

/// A ballot's choice on a motion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, ToSchema)]
#[serde(rename_all = "snake_case")]
pub enum Choice {
    Agree,
    Oppose,
    Abstain,
}

impl Choice {
    pub fn as_str(self) -> &'static str {
        match self {
            Choice::Agree => "agree",
            Choice::Oppose => "oppose",
            Choice::Abstain => "abstain",
        }
    }

    /// `agree`/`oppose`/`abstain`, or 同意/反对/弃权.
    pub fn parse(s: &str) -> Option<Choice> {
        match s.trim() {
            "agree" | "同意" => Some(Choice::Agree),
            "oppose" | "反对" => Some(Choice::Oppose),
            "abstain" | "弃权" => Some(Choice::Abstain),
            _ => None,
        }
    }
}

/// Area (0.01 m²) and headcount, the two weights the law counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Weight {
    pub area: i64,
    pub heads: i64,
}

impl Weight {
    fn add(&mut self, area: i64) {
        self.area += area;
        self.heads += 1;
    }
}

/// `num/den` of `part` reaches at least `whole`·num/den: `part·den ≥ whole·num`.
pub fn at_least(part: i64, whole: i64, num: i64, den: i64) -> bool {
    (part as i128) * (den as i128) >= (whole as i128) * (num as i128)
}

/// `part` is more than `num/den` of `whole`.
fn more_than(part: i64, whole: i64, num: i64, den: i64) -> bool {
    (part as i128) * (den as i128) > (whole as i128) * (num as i128)
}

/// The quorum: ≥ 2/3 of the total area and ≥ 2/3 of the total heads took part.
pub fn quorum_met(participating: Weight, total: Weight) -> bool {
    at_least(participating.area, total.area, 2, 3) && at_least(participating.heads, total.heads, 2, 3)
}

/// Whether `agree` carries the matter among `participating`, quorum aside.
pub fn threshold_met(threshold: Threshold, agree: Weight, participating: Weight) -> bool {
    match threshold {
        Threshold::Ordinary => {
            more_than(agree.area, participating.area, 1, 2) && more_than(agree.heads, participating.heads, 1, 2)
        }
        Threshold::Special => {
            at_least(agree.area, participating.area, 3, 4) && at_least(agree.heads, participating.heads, 3, 4)
        }
    }
}

/// The result of a motion.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tally {
    pub matter: Matter,
    pub threshold: Threshold,
    pub total: Weight,
    pub participating: Weight,
    pub agree: Weight,
    pub oppose: Weight,
    pub abstain: Weight,
    pub quorum_met: bool,
    pub passed: bool,
}

/// Count a motion. `electorate` is each eligible holder's total exclusive area (0.01 m²);
/// `ballots` pairs an index into `electorate` with that holder's one choice. Each holder must
/// appear at most once in `ballots` (callers enforce it: the database by a unique index, the CSV
/// reader by refusing conflicting lines).
pub fn tally(matter: Matter, electorate: &[i64], ballots: &[(usize, Choice)]) -> Tally {
    let mut total = Weight::default();
    for &area in electorate {
        total.add(area);
    }
    let (mut agree, mut oppose, mut abstain) = (Weight::default(), Weight::default(), Weight::default());
    for &(holder, choice) in ballots {
        let area = electorate[holder];
        match choice {
            Choice::Agree => agree.add(area),
            Choice::Oppose => oppose.add(area),
            Choice::Abstain => abstain.add(area),
        }
    }
    let participating =
        Weight { area: agree.area + oppose.area + abstain.area, heads: agree.heads + oppose.heads + abstain.heads };
    let threshold = matter.threshold();
    let quorum_met = quorum_met(participating, total);
    let passed = quorum_met && threshold_met(threshold, agree, participating);
    Tally { matter, threshold, total, participating, agree, oppose, abstain, quorum_met, passed }
}

/// One candidate's standing in an election.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateResult {
    pub candidate: usize,
    pub support: Weight,
    /// Supporters hold more than half of the participating area and heads.
    pub qualified: bool,
    pub elected: bool,
}

/// The result of electing `seats` committee members.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    pub total: Weight,
    pub participating: Weight,
    pub quorum_met: bool,
    /// Candidates in rank order: supporting heads, then area.
    pub candidates: Vec<CandidateResult>,
    /// Candidates tied for the last seat(s); none of them is elected, and the tie is reported.
    pub tied: Vec<usize>,
}

/// Count an election. `ballots` pairs a holder with the candidates they support (at most
/// `seats`, checked by the caller); an empty list is a blank ballot that takes part.
pub fn elect(electorate: &[i64], candidates: usize, seats: usize, ballots: &[(usize, Vec<usize>)]) -> Election {
    let mut total = Weight::default();
    for &a in electorate {
        total.add(a);
    }
    let mut participating = Weight::default();
    let mut support = vec![Weight::default(); candidates];
    for (holder, picks) in ballots {
        let area = electorate[*holder];
        participating.add(area);
        for &c in picks {
            support[c].add(area);
        }
    }
    let quorum = quorum_met(participating, total);
    let mut ranked: Vec<CandidateResult> = support
        .into_iter()
        .enumerate()
        .map(|(candidate, support)| CandidateResult {
            candidate,
            support,
            qualified: quorum && threshold_met(Threshold::Ordinary, support, participating),
            elected: false,
        })
        .collect();
    ranked.sort_by(|a, b| {
        (b.support.heads, b.support.area).cmp(&(a.support.heads, a.support.area)).then(a.candidate.cmp(&b.candidate))
    });
    let qualified: Vec<usize> = (0..ranked.len()).filter(|&i| ranked[i].qualified).collect();
    let mut tied = Vec::new();
    if qualified.len() <= seats {
        for i in qualified {
            ranked[i].elected = true;
        }
    } else {
        // The candidate in the last seat, and everyone level with them.
        let last = &ranked[qualified[seats - 1]];
        let key = (last.support.heads, last.support.area);
        let level: Vec<usize> =
            qualified.iter().copied().filter(|&i| (ranked[i].support.heads, ranked[i].support.area) == key).collect();
        let above = qualified.iter().copied().filter(|&i| (ranked[i].support.heads, ranked[i].support.area) > key);
        let above: Vec<usize> = above.collect();
        if above.len() + level.len() <= seats {
            for i in above.iter().chain(level.iter()) {
                ranked[*i].elected = true;
            }
        } else {
            for i in &above {
                ranked[*i].elected = true;
            }
            tied = level.iter().map(|&i| ranked[i].candidate).collect();
        }
    }
    Election { total, participating, quorum_met: quorum, candidates: ranked, tied }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Choice::*;

    /// `n` holders of equal area.
    fn equal(n: usize) -> Vec<i64> {
        vec![10_000; n]
    }

    fn ballots(spec: &[(usize, Choice)]) -> Vec<(usize, Choice)> {
        spec.to_vec()
    }

    #[test]
    fn exactly_two_thirds_meets_the_quorum() {
        // 3 equal holders; 2 take part: exactly 2/3 of area and heads.
        let t = tally(Matter::Covenant, &equal(3), &ballots(&[(0, Agree), (1, Agree)]));
        assert!(t.quorum_met);
        assert!(t.passed);
    }

    #[test]
    fn just_under_two_thirds_of_area_misses_the_quorum() {
        // Heads 2/3 but area 19999/30000 < 2/3.
        let t = tally(Matter::Covenant, &[10_000, 9_999, 10_001], &ballots(&[(0, Agree), (1, Agree)]));
        assert_eq!(t.participating, Weight { area: 19_999, heads: 2 });
        assert!(!t.quorum_met);
        assert!(!t.passed);
    }

    #[test]
    fn exactly_half_fails_an_ordinary_matter() {
        let t = tally(Matter::Manager, &equal(4), &ballots(&[(0, Agree), (1, Agree), (2, Oppose), (3, Oppose)]));
        assert!(t.quorum_met);
        assert!(!t.passed);
    }

    #[test]
    fn more_than_half_of_both_passes_an_ordinary_matter() {
        let t = tally(Matter::Manager, &equal(3), &ballots(&[(0, Agree), (1, Agree), (2, Oppose)]));
        assert!(t.passed);
    }

    #[test]
    fn area_majority_without_head_majority_fails() {
        // One big holder agrees, two small oppose: area yes, heads no.
        let t = tally(Matter::Other, &[50_000, 10_000, 10_000], &ballots(&[(0, Agree), (1, Oppose), (2, Oppose)]));
        assert!(more_than(t.agree.area, t.participating.area, 1, 2));
        assert!(!t.passed);
    }

    #[test]
    fn exactly_three_quarters_passes_a_special_matter() {
        let t = tally(Matter::FundRaise, &equal(4), &ballots(&[(0, Agree), (1, Agree), (2, Agree), (3, Oppose)]));
        assert_eq!(t.threshold, Threshold::Special);
        assert!(t.passed);
    }

    #[test]
    fn just_under_three_quarters_fails_a_special_matter() {
        let t = tally(
            Matter::Rebuild,
            &[10_000, 10_000, 9_999, 10_000],
            &ballots(&[(0, Agree), (1, Agree), (2, Agree), (3, Oppose)]),
        );
        // Heads 3/4, area 29999/39999 < 3/4.
        assert!(!t.passed);
    }

    #[test]
    fn abstentions_count_towards_quorum_but_do_not_agree() {
        let t = tally(Matter::Covenant, &equal(3), &ballots(&[(0, Agree), (1, Abstain), (2, Abstain)]));
        assert!(t.quorum_met);
        assert_eq!(t.abstain.heads, 2);
        assert!(!t.passed);
    }

    #[test]
    fn a_multi_unit_holder_is_one_head_with_all_their_area() {
        // The roster reader folds a holder's units into one electorate entry.
        let t = tally(Matter::Covenant, &[30_000, 10_000, 10_000], &ballots(&[(0, Agree)]));
        assert_eq!(t.agree, Weight { area: 30_000, heads: 1 });
        assert_eq!(t.total, Weight { area: 50_000, heads: 3 });
    }

    #[test]
    fn special_matters_are_items_six_to_eight() {
        let special: Vec<Matter> = Matter::ALL.into_iter().filter(|m| m.threshold() == Threshold::Special).collect();
        assert_eq!(special, [Matter::FundRaise, Matter::Rebuild, Matter::CommonUse]);
    }

    #[test]
    fn an_election_fills_seats_by_heads_then_area() {
        // 5 holders all vote; 2 seats; candidates 0,1,2.
        let e = elect(
            &[10_000, 10_000, 10_000, 20_000, 10_000],
            3,
            2,
            &[(0, vec![0, 1]), (1, vec![0, 1]), (2, vec![0, 2]), (3, vec![1, 2]), (4, vec![2, 0])],
        );
        // Candidate 0: 4 heads; 1: 3 heads (area 40000); 2: 3 heads (area 40000) → tie for seat 2.
        assert!(e.quorum_met);
        let elected: Vec<usize> = e.candidates.iter().filter(|c| c.elected).map(|c| c.candidate).collect();
        assert_eq!(elected, [0]);
        assert_eq!(e.tied, [1, 2]);
    }

    #[test]
    fn a_candidate_needs_a_majority_of_participants() {
        let e = elect(&equal(4), 2, 2, &[(0, vec![0]), (1, vec![0]), (2, vec![0, 1]), (3, vec![])]);
        let by: Vec<(usize, bool)> = e.candidates.iter().map(|c| (c.candidate, c.elected)).collect();
        assert_eq!(by, [(0, true), (1, false)]);
        assert!(e.tied.is_empty());
    }
}

#[cfg(test)]
mod properties {
    use proptest::prelude::*;

    use super::*;

    fn case() -> impl Strategy<Value = (Vec<i64>, Vec<(usize, Choice)>, Matter)> {
        prop::collection::vec(1i64..50_000, 1..40).prop_flat_map(|electorate| {
            let n = electorate.len();
            let choices = prop::collection::vec(
                prop::option::of(prop_oneof![Just(Choice::Agree), Just(Choice::Oppose), Just(Choice::Abstain)]),
                n,
            );
            (Just(electorate), choices, prop::sample::select(Matter::ALL.to_vec())).prop_map(|(e, cs, m)| {
                let ballots = cs.into_iter().enumerate().filter_map(|(i, c)| c.map(|c| (i, c))).collect();
                (e, ballots, m)
            })
        })
    }

    /// A recount the slow, obvious way, with fractions as exact rationals.
    fn naive(matter: Matter, electorate: &[i64], ballots: &[(usize, Choice)]) -> bool {
        let total_area: i64 = electorate.iter().sum();
        let total_heads = electorate.len() as i64;
        let part: Vec<_> = ballots.iter().collect();
        let p_area: i64 = part.iter().map(|(h, _)| electorate[*h]).sum();
        let p_heads = part.len() as i64;
        let a_area: i64 = part.iter().filter(|(_, c)| *c == Choice::Agree).map(|(h, _)| electorate[*h]).sum();
        let a_heads = part.iter().filter(|(_, c)| *c == Choice::Agree).count() as i64;
        let quorum = 3 * p_area >= 2 * total_area && 3 * p_heads >= 2 * total_heads;
        let carried = match matter.threshold() {
            Threshold::Ordinary => 2 * a_area > p_area && 2 * a_heads > p_heads,
            Threshold::Special => 4 * a_area >= 3 * p_area && 4 * a_heads >= 3 * p_heads,
        };
        quorum && carried
    }

    proptest! {
        #[test]
        fn ballot_order_never_matters((electorate, mut ballots, matter) in case(), seed in any::<u64>()) {
            let before = tally(matter, &electorate, &ballots);
            let n = ballots.len();
            if n > 1 {
                for i in 0..n {
                    let j = (seed as usize).wrapping_mul(i + 7) % n;
                    ballots.swap(i, j);
                }
            }
            prop_assert_eq!(before, tally(matter, &electorate, &ballots));
        }

        #[test]
        fn an_extra_agreeing_ballot_never_turns_a_pass_into_a_fail((electorate, ballots, matter) in case()) {
            let before = tally(matter, &electorate, &ballots);
            let voted: std::collections::HashSet<usize> = ballots.iter().map(|(h, _)| *h).collect();
            if let Some(absent) = (0..electorate.len()).find(|h| !voted.contains(h)) {
                let mut more = ballots.clone();
                more.push((absent, Choice::Agree));
                let after = tally(matter, &electorate, &more);
                prop_assert!(!before.passed || after.passed);
            }
        }

        #[test]
        fn the_result_equals_a_naive_recount((electorate, ballots, matter) in case()) {
            let t = tally(matter, &electorate, &ballots);
            prop_assert_eq!(t.passed, naive(matter, &electorate, &ballots));
            prop_assert!(!t.passed || t.quorum_met);
            prop_assert_eq!(t.participating.heads, t.agree.heads + t.oppose.heads + t.abstain.heads);
        }
    }
}
