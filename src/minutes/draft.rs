//! The first draft of a meeting's minutes, written from its record by a template of its kind:
//! who attended for each party and who was absent, each item with its notes, positions or votes,
//! hands, outcome and where it was handed on, and the tasks set. Minutes are an archive document
//! of the compound, so they are written in Chinese whatever the recorder reads. People acting for
//! a party are named; owners and residents appear by room only.
use std::{collections::HashMap, fmt::Write};

use crate::{
    china_time,
    meetings::{Capacity, ItemOutcome, ItemSource, ItemView, MeetingKind, MeetingView, Position, kinds::Decision},
};

/// A linked vote's result, as the minutes quote it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct VoteFigures {
    pub title: String,
    /// `None` while the vote has not closed.
    pub counted: Option<Counted>,
}

/// A closed vote's arithmetic: areas in m² as printed (two decimals), heads as counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Counted {
    pub total_area: String,
    pub total_heads: i64,
    pub participating_area: String,
    pub participating_heads: i64,
    pub agree_area: String,
    pub agree_heads: i64,
    pub passed: bool,
}

/// What the draft is written from, besides the meeting itself.
pub struct Record<'a> {
    pub meeting: &'a MeetingView,
    pub community: String,
    pub compounds: Vec<String>,
    /// The rooms of the owners and residents who signed in, e.g. `3栋-1201`.
    pub rooms_present: Vec<String>,
    /// The votes items are drawn from or handed on to, by id.
    pub votes: HashMap<i64, VoteFigures>,
}

fn kind_name(kind: MeetingKind) -> &'static str {
    match kind {
        MeetingKind::Consultation => "三方协同协商会议",
        MeetingKind::Committee => "业主委员会会议",
        MeetingKind::AssemblySitting => "业主大会现场会议",
        MeetingKind::ResidentsCouncil => "居民议事会",
        MeetingKind::ResidentsMeeting => "居民会议",
        MeetingKind::Mediation => "调解会",
    }
}

/// 一, 二, … 三十: the items' numbers as minutes print them.
pub fn numeral(n: usize) -> String {
    const D: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0 => "〇".into(),
        1..=9 => D[n].into(),
        10..=19 => format!("十{}", D[n % 10]),
        _ => format!("{}十{}", D[(n / 10) % 10], D[n % 10]),
    }
}

fn position_word(p: Position) -> &'static str {
    match p {
        Position::Agree => "同意",
        Position::Disagree => "不同意",
        Position::Reserve => "保留意见",
    }
}

fn outcome_word(kind: MeetingKind, o: Option<ItemOutcome>) -> &'static str {
    match (kind.rules().decision, o) {
        (_, None) => "未作结论",
        (_, Some(ItemOutcome::Deferred)) => "暂缓，留待下次会议续议",
        (Decision::PartyPositions | Decision::AgreementText, Some(ItemOutcome::Agreed)) => "达成一致",
        (Decision::PartyPositions | Decision::AgreementText, Some(ItemOutcome::NotAgreed)) => "未达成一致",
        (Decision::Recorded, Some(ItemOutcome::Agreed)) => "同意",
        (Decision::Recorded, Some(ItemOutcome::NotAgreed)) => "不同意",
        (_, Some(ItemOutcome::Agreed)) => "通过",
        (_, Some(ItemOutcome::NotAgreed)) => "未通过",
    }
}

fn joined(names: &[String]) -> String {
    if names.is_empty() { "无".into() } else { names.join("、") }
}

fn attendance(out: &mut String, r: &Record<'_>) {
    let m = r.meeting;
    out.push_str("## 出席情况\n\n");
    let present = |cap: Capacity| m.invitations.iter().filter(move |i| i.capacity == cap && i.signed_in_at.is_some());
    if m.kind == MeetingKind::Mediation {
        let sides: Vec<String> = present(Capacity::Side).map(|i| i.person.name.clone()).collect();
        let _ = writeln!(out, "- 当事双方：{}", joined(&sides));
    }
    for p in &m.attendance.parties {
        let of_party = |signed: bool| -> Vec<String> {
            m.invitations
                .iter()
                .filter(|i| i.party_name.as_deref() == Some(p.party_name.as_str()))
                .filter(|i| matches!(i.capacity, Capacity::Party | Capacity::Member))
                .filter(|i| i.signed_in_at.is_some() == signed)
                .map(|i| match &i.deputy_name {
                    Some(d) if signed => format!("{d}（代{}）", i.person.name),
                    _ => i.person.name.clone(),
                })
                .collect()
        };
        let (here, away) = (of_party(true), of_party(false));
        let _ = write!(out, "- {}：出席 {}", p.party_name, joined(&here));
        if !away.is_empty() {
            let _ = write!(out, "；缺席 {}", away.join("、"));
        }
        out.push('\n');
    }
    if !r.rooms_present.is_empty() {
        let who = if m.kind == MeetingKind::ResidentsMeeting { "到会居民" } else { "到会业主" };
        let _ = writeln!(out, "- {who}（{} 户，按房号）：{}", r.rooms_present.len(), r.rooms_present.join("、"));
    }
    if !m.attendance.absent_parties.is_empty() {
        let names: Vec<&str> = m
            .attendance
            .absent_parties
            .iter()
            .map(|k| match k {
                crate::policy::PartyKind::CommunityOffice => "社区居委会",
                crate::policy::PartyKind::PropertyCompany => "物业服务企业",
                crate::policy::PartyKind::OwnersCommittee => "业主委员会",
            })
            .collect();
        let _ = writeln!(out, "- 未到会的一方：{}（记录在案，不影响会议进行）", names.join("、"));
    }
    let a = &m.attendance;
    if a.quorum_expected > 0 {
        let met = if a.quorum_met { "已达到" } else { "未达到" };
        let _ = writeln!(
            out,
            "- 法定人数：应到 {} 人，实到 {} 人，须过半数即至少 {} 人，{met}。",
            a.quorum_expected, a.quorum_present, a.quorum_needed
        );
    }
    out.push('\n');
}

fn vote_line(v: &VoteFigures) -> String {
    match &v.counted {
        None => format!("“{}”，表决尚未结束", v.title),
        Some(c) => format!(
            "“{}”：专有部分面积共 {} ㎡、业主共 {} 人；参与表决 {} ㎡、{} 人；同意 {} ㎡、{} 人；{}",
            v.title,
            c.total_area,
            c.total_heads,
            c.participating_area,
            c.participating_heads,
            c.agree_area,
            c.agree_heads,
            if c.passed { "表决通过" } else { "表决未通过" }
        ),
    }
}

fn item(out: &mut String, r: &Record<'_>, n: usize, i: &ItemView) {
    let kind = r.meeting.kind;
    let _ = writeln!(out, "### {}、{}\n", numeral(n), i.title.trim());
    if !i.description.trim().is_empty() {
        let _ = writeln!(out, "{}\n", i.description.trim());
    }
    // Only people acting for a party are named; an owner presenting is not.
    let named = |id: i64| {
        r.meeting
            .invitations
            .iter()
            .any(|v| v.person.id == id && !matches!(v.capacity, Capacity::Owner | Capacity::Resident))
    };
    if let Some(p) = i.presenter.as_ref().filter(|p| named(p.id)) {
        let _ = writeln!(out, "- 汇报人：{}", p.name);
    }
    if !i.notes.trim().is_empty() {
        let _ = writeln!(out, "- 讨论情况：{}", i.notes.trim().replace('\n', " "));
    }
    let parties: Vec<String> = i
        .positions
        .iter()
        .filter(|p| p.person.is_none())
        .map(|p| format!("{}：{}", p.party_name.clone().unwrap_or_default(), position_word(p.position)))
        .collect();
    if !parties.is_empty() {
        let _ = writeln!(out, "- 各方意见：{}", parties.join("；"));
    }
    let members: Vec<&crate::meetings::PositionView> = i.positions.iter().filter(|p| p.person.is_some()).collect();
    if !members.is_empty() {
        let count = |pos: Position| members.iter().filter(|p| p.position == pos).count();
        let names: Vec<String> = members
            .iter()
            .map(|p| {
                format!("{} {}", p.person.as_ref().map(|x| x.name.as_str()).unwrap_or(""), position_word(p.position))
            })
            .collect();
        let _ = write!(
            out,
            "- 委员表决：{}。计同意 {} 票、不同意 {} 票、保留 {} 票",
            names.join("；"),
            count(Position::Agree),
            count(Position::Disagree),
            count(Position::Reserve)
        );
        if kind == MeetingKind::Committee && r.meeting.attendance.quorum_expected > 0 {
            let all = r.meeting.attendance.quorum_expected;
            let _ = write!(out, "（全体委员 {all} 人，须至少 {} 票同意）", (all + 1) / 2);
        }
        out.push('\n');
    }
    if let Some(h) = &i.hands {
        let _ = writeln!(out, "- 举手表决：赞成 {}，反对 {}，弃权 {}", h.in_favour, h.against, h.abstaining);
    }
    let label = if kind == MeetingKind::Mediation { "调解结果" } else { "结论" };
    let _ = write!(out, "- {label}：{}", outcome_word(kind, i.outcome));
    if let Some(t) = i.outcome_text.as_deref().map(str::trim).filter(|t| !t.is_empty()) {
        let _ = write!(out, "。{}", t.replace('\n', " "));
    }
    out.push('\n');
    let linked = |source: Option<ItemSource>, id: Option<i64>| {
        (source == Some(ItemSource::Vote)).then_some(id).flatten().and_then(|id| r.votes.get(&id))
    };
    if let Some(v) = linked(i.source, i.source_id) {
        let _ = writeln!(out, "- 所涉表决：{}", vote_line(v));
    }
    match (i.handed_to, i.handed_to_id) {
        (Some(ItemSource::Vote), Some(id)) => match r.votes.get(&id) {
            Some(v) => {
                let _ = writeln!(out, "- 转交业主表决：{}", vote_line(v));
            }
            None => {
                let _ = writeln!(out, "- 转交业主表决（第 {id} 号表决）");
            }
        },
        (Some(ItemSource::Questionnaire), Some(id)) => {
            let _ = writeln!(out, "- 转交问卷征询业主意见（第 {id} 号问卷）");
        }
        _ => {}
    }
    for t in &i.tasks {
        let _ = writeln!(out, "- 督办：{}", task_line(t));
    }
    out.push('\n');
}

fn task_line(t: &crate::meetings::tasks::TaskSummary) -> String {
    let who = t.assignee.as_ref().map(|p| format!("（{}）", p.name)).unwrap_or_default();
    format!("{}——{}{who}，{} 前完成", t.title.trim(), t.party.name, t.due_on.format("%Y年%-m月%-d日"))
}

/// The draft of the minutes of the meeting in `r`.
pub fn draft(r: &Record<'_>) -> String {
    let m = r.meeting;
    let mut out = String::new();
    let _ = writeln!(out, "# 会议纪要\n");
    let _ = writeln!(out, "- 会议名称：{}", m.title.trim());
    let starts = china_time::local(m.starts_at);
    let ends = m.closed_at.map(china_time::local);
    let _ = writeln!(out, "- 会议类型：{}", kind_name(m.kind));
    let _ = writeln!(out, "- 社区：{}；小区：{}", r.community, joined(&r.compounds));
    let _ = write!(out, "- 时间：{}", starts.format("%Y年%-m月%-d日 %H:%M"));
    if let Some(e) = ends.filter(|e| e > &starts) {
        let _ = write!(out, "—{}", e.format("%H:%M"));
    }
    out.push('\n');
    let place = [m.place.clone(), m.online_link.clone().map(|l| format!("线上 {l}"))];
    let place: Vec<String> = place.into_iter().flatten().collect();
    if !place.is_empty() {
        let _ = writeln!(out, "- 地点：{}", place.join("；"));
    }
    let _ = writeln!(out, "- 主持人：{}；记录人：{}\n", m.chair.name, m.recorder.name);
    attendance(&mut out, r);
    out.push_str(if m.kind == MeetingKind::Mediation { "## 调解事项\n\n" } else { "## 议题与结论\n\n" });
    for (n, i) in m.items.iter().enumerate() {
        item(&mut out, r, n + 1, i);
    }
    let tasks: Vec<&crate::meetings::tasks::TaskSummary> = m.items.iter().flat_map(|i| &i.tasks).collect();
    if !tasks.is_empty() {
        out.push_str("## 督办事项\n\n| 事项 | 责任方 | 负责人 | 完成期限 |\n|---|---|---|---|\n");
        for t in tasks {
            let who = t.assignee.as_ref().map(|p| p.name.as_str()).unwrap_or("—");
            let _ = writeln!(out, "| {} | {} | {who} | {} |", t.title.trim(), t.party.name, t.due_on);
        }
    }
    out.trim_end().to_owned() + "\n"
}

#[cfg(test)]
mod tests {
    use chrono::{DateTime, NaiveDate, Utc};

    use super::*;
    use crate::{
        meetings::{
            AnswerCounts, Attendance, ItemStatus, MeetingCan, MeetingInvitationView, MeetingStatus, PartyAttendance,
            Person, PositionView,
            tasks::{TaskParty, TaskSummary},
        },
        policy::PartyKind,
    };

    fn who(id: i64, name: &str) -> Person {
        Person { id, name: name.into() }
    }

    fn invited(id: i64, name: &str, capacity: Capacity, party: Option<&str>, here: bool) -> MeetingInvitationView {
        MeetingInvitationView {
            id,
            person: who(id, name),
            capacity,
            party_kind: None,
            party_name: party.map(str::to_owned),
            answer: crate::meetings::Answer::Attending,
            deputy_name: None,
            answered_at: None,
            signed_in_at: here.then(Utc::now),
            sign_in_method: None,
        }
    }

    fn party_row(id: i64, kind: PartyKind, name: &str, present: i64) -> PartyAttendance {
        PartyAttendance { party_id: id, party_kind: Some(kind), party_name: name.into(), invited: 1, present }
    }

    fn item(title: &str, outcome: Option<ItemOutcome>) -> ItemView {
        ItemView {
            id: 1,
            position: 1,
            title: title.into(),
            description: String::new(),
            description_html: String::new(),
            source: None,
            source_id: None,
            source_link: None,
            presenter: None,
            minutes: 30,
            status: ItemStatus::Done,
            outcome,
            notes: String::new(),
            outcome_text: None,
            positions: Vec::new(),
            hands: None,
            tasks: Vec::new(),
            carried_from: None,
            handed_to: None,
            handed_to_id: None,
            handed_to_link: None,
            consultation: None,
        }
    }

    fn meeting(kind: MeetingKind, items: Vec<ItemView>, invitations: Vec<MeetingInvitationView>) -> MeetingView {
        let at: DateTime<Utc> = "2026-12-06T06:00:00Z".parse().unwrap();
        MeetingView {
            id: 7,
            community_id: 1,
            compound_ids: vec![2],
            kind,
            title: "北门外垃圾清运协商".into(),
            description: String::new(),
            description_html: String::new(),
            status: MeetingStatus::Held,
            starts_at: at,
            duration_minutes: 90,
            place: Some("党群服务中心".into()),
            online_link: None,
            chair: who(1, "李书记"),
            recorder: who(1, "李书记"),
            convened_by: who(1, "李书记"),
            convening_party: PartyKind::CommunityOffice,
            cancel_reason: None,
            items,
            invitations,
            answers: AnswerCounts::default(),
            my_invitation: None,
            attendance: Attendance {
                present: 0,
                invited: 0,
                parties: Vec::new(),
                absent_parties: Vec::new(),
                quorum_present: 0,
                quorum_expected: 0,
                quorum_needed: 0,
                quorum_met: false,
            },
            current_item_id: None,
            opened_at: Some(at),
            closed_at: Some(at + chrono::Duration::minutes(80)),
            sign_in_sheet: None,
            attachments: Vec::new(),
            open_tasks: Vec::new(),
            can: MeetingCan::default(),
            created_at: at,
        }
    }

    fn record(m: &MeetingView) -> Record<'_> {
        Record {
            meeting: m,
            community: "太阳城社区".into(),
            compounds: vec!["太阳城二期".into()],
            rooms_present: Vec::new(),
            votes: HashMap::new(),
        }
    }

    #[test]
    fn a_consultation_draft_names_each_partys_people_flags_the_absent_party_and_gives_each_position() {
        let mut i = item("垃圾清运分工", Some(ItemOutcome::Agreed));
        i.notes = "物业同意每日清运".into();
        i.positions = vec![PositionView {
            party_id: Some(20),
            party_kind: Some(PartyKind::PropertyCompany),
            party_name: Some("阳光物业".into()),
            person: None,
            position: Position::Agree,
        }];
        i.tasks = vec![TaskSummary {
            id: 1,
            meeting_id: 7,
            item_id: 1,
            title: "每日清运".into(),
            party: TaskParty { id: 20, kind: Some(PartyKind::PropertyCompany), name: "阳光物业".into() },
            assignee: Some(who(3, "赵经理")),
            due_on: NaiveDate::from_ymd_opt(2026, 12, 10).unwrap(),
            status: crate::meetings::tasks::TaskStatus::Open,
            overdue: false,
        }];
        let inv = vec![
            invited(1, "李书记", Capacity::Party, Some("社区居委会"), true),
            invited(3, "赵经理", Capacity::Party, Some("阳光物业"), true),
            invited(4, "钱经理", Capacity::Party, Some("阳光物业"), false),
        ];
        let mut m = meeting(MeetingKind::Consultation, vec![i], inv);
        m.attendance.parties = vec![
            party_row(10, PartyKind::CommunityOffice, "社区居委会", 1),
            party_row(20, PartyKind::PropertyCompany, "阳光物业", 1),
        ];
        m.attendance.absent_parties = vec![PartyKind::OwnersCommittee];
        let text = draft(&record(&m));
        assert!(text.contains("- 会议名称：北门外垃圾清运协商"), "{text}");
        assert!(text.contains("- 时间：2026年12月6日 14:00—15:20"), "China time: {text}");
        assert!(text.contains("- 阳光物业：出席 赵经理；缺席 钱经理"), "{text}");
        assert!(text.contains("- 未到会的一方：业主委员会"), "{text}");
        assert!(text.contains("### 一、垃圾清运分工"), "{text}");
        assert!(text.contains("- 讨论情况：物业同意每日清运"), "{text}");
        assert!(text.contains("- 各方意见：阳光物业：同意"), "{text}");
        assert!(text.contains("- 结论：达成一致"), "{text}");
        assert!(text.contains("| 每日清运 | 阳光物业 | 赵经理 | 2026-12-10 |"), "{text}");
    }

    #[test]
    fn owners_are_written_by_room_never_by_name() {
        let mut i = item("加装电梯", None);
        i.presenter = Some(who(9, "王业主"));
        let inv = vec![invited(9, "王业主", Capacity::Owner, None, true)];
        let m = meeting(MeetingKind::AssemblySitting, vec![i], inv);
        let mut r = record(&m);
        r.rooms_present = vec!["3栋-1201".into()];
        let text = draft(&r);
        assert!(text.contains("- 到会业主（1 户，按房号）：3栋-1201"), "{text}");
        assert!(!text.contains("王业主"), "an owner is never named: {text}");
        assert!(text.contains("- 结论：未作结论"), "{text}");
    }

    #[test]
    fn a_committee_draft_counts_the_members_votes_against_half_of_all_members() {
        let mut i = item("审议养犬公约", Some(ItemOutcome::Agreed));
        let vote = |id: i64, name: &str, position| PositionView {
            party_id: None,
            party_kind: None,
            party_name: None,
            person: Some(who(id, name)),
            position,
        };
        i.positions = vec![vote(1, "刘主任", Position::Agree), vote(2, "陈委员", Position::Disagree)];
        i.handed_to = Some(ItemSource::Vote);
        i.handed_to_id = Some(5);
        let mut m = meeting(MeetingKind::Committee, vec![i], Vec::new());
        m.attendance.quorum_expected = 5;
        let mut r = record(&m);
        let counted = Counted {
            total_area: "10000.00".into(),
            total_heads: 100,
            participating_area: "8000.00".into(),
            participating_heads: 80,
            agree_area: "7000.00".into(),
            agree_heads: 70,
            passed: true,
        };
        r.votes.insert(5, VoteFigures { title: "养犬公约表决".into(), counted: Some(counted) });
        let text = draft(&r);
        assert!(
            text.contains(
                "刘主任 同意；陈委员 不同意。计同意 1 票、不同意 1 票、保留 0 票（全体委员 5 人，须至少 3 票同意）"
            ),
            "{text}"
        );
        assert!(text.contains("- 结论：通过"), "{text}");
        assert!(text.contains("同意 7000.00 ㎡、70 人；表决通过"), "{text}");
    }

    #[test]
    fn items_are_numbered_as_minutes_print_them() {
        let n: Vec<String> = [1, 9, 10, 11, 20, 21, 30].into_iter().map(numeral).collect();
        assert_eq!(n, ["一", "九", "十", "十一", "二十", "二十一", "三十"]);
    }

    #[test]
    fn each_kind_words_its_outcome_as_its_decision_is_reached() {
        assert_eq!(outcome_word(MeetingKind::Consultation, Some(ItemOutcome::Agreed)), "达成一致");
        assert_eq!(outcome_word(MeetingKind::Committee, Some(ItemOutcome::NotAgreed)), "未通过");
        assert_eq!(outcome_word(MeetingKind::ResidentsCouncil, Some(ItemOutcome::Agreed)), "同意");
        assert_eq!(outcome_word(MeetingKind::Mediation, None), "未作结论");
        assert_eq!(outcome_word(MeetingKind::Committee, Some(ItemOutcome::Deferred)), "暂缓，留待下次会议续议");
    }
}
