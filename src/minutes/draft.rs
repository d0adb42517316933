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
    use super::*;

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
