//! Templates to start a convention from: a covenant (管理规约), rules of procedure for the
//! owners' assembly (业主大会议事规则) and a residents' convention (居民公约). Written for this
//! project; 【…】 marks what a compound fills in. Each is plain text in the canonical form
//! [`render`](super::text::render) writes, after a title line.

use super::text::{DraftBody, parse_text};

/// A template of a convention.
#[derive(Debug)]
pub struct Template {
    pub key: &'static str,
    /// The kind of convention it starts.
    pub kind: &'static str,
    pub title: &'static str,
    /// One sentence on what it is for.
    pub summary: &'static str,
    /// The title line, then the text.
    pub text: &'static str,
}

const COVENANT: &str = "管理规约
为了维护本物业管理区域内全体业主的共同利益，规范物业的使用、维护和管理，营造安全、整洁、和睦的居住环境，依据《中华人民共和国民法典》及有关法律、法规，结合本小区实际，制定本规约。

第一章 总则
第一条 本规约适用于【小区名称】物业管理区域（坐落于【地址】）内的全体业主和物业使用人。物业使用人是指承租人、借用人以及其他实际使用物业的人。
第二条 本规约由业主大会依照《中华人民共和国民法典》第二百七十八条的规定表决通过：参与表决的业主，其专有部分面积须占总面积的三分之二以上，人数须占总人数的三分之二以上；并须经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。修改本规约，程序相同。
第三条 本规约对全体业主和物业使用人具有约束力。业主转让或者出租物业时，应当将本规约告知受让人或者承租人，并在合同中约定由其遵守。
第四条 业主大会或者业主委员会的决定侵害业主合法权益的，受侵害的业主可以依照《中华人民共和国民法典》第二百八十条的规定，请求人民法院撤销该决定。

第二章 物业的使用
第五条 业主对自己的专有部分依法享有占有、使用、收益和处分的权利；行使权利时，不得危及建筑物安全，不得损害其他业主的合法权益（《中华人民共和国民法典》第二百七十二条）。
第六条 业主应当按照规划用途使用物业。将住宅改为经营性用房的，除遵守法律、法规和本规约外，还须取得有利害关系的业主一致同意（《中华人民共和国民法典》第二百七十九条）。
第七条 业主装饰装修房屋，应当事先告知物业服务人，遵守有关规定和物业服务人告知的注意事项；不得拆改承重结构，不得擅自改变建筑外观，不得占用或者损坏共有部分。产生噪声的施工只在【每日施工时段】进行，法定节假日不施工。
第八条 业主和物业使用人不得有下列行为：
（一）违章搭建建筑物或者构筑物；
（二）占用、堵塞消防通道、楼道等共用通道；
（三）随意丢弃垃圾，排放污染物或者超标噪声；
（四）违反规定饲养动物；
（五）从建筑物中抛掷物品；
（六）法律、法规和本规约禁止的其他行为。
第九条 依照《中华人民共和国民法典》第二百七十五条、第二百七十六条，规划用于停放汽车的车位、车库首先满足本区业主的需要；利用业主共有的道路或者场地设置的车位归全体业主共有，其使用办法和收益分配由业主大会决定。

第三章 共有部分的管理与维修资金
第十条 本物业管理区域内的道路、绿地、公共场所、公用设施和物业服务用房等共有部分，由全体业主共同管理。业主不得以放弃权利为由拒绝履行对共有部分的义务（《中华人民共和国民法典》第二百七十三条、第二百七十四条）。
第十一条 改变共有部分的用途或者利用共有部分从事经营活动，应当由业主大会依照《中华人民共和国民法典》第二百七十八条决定，并经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。所得收入扣除合理成本后归全体业主共有（第二百八十二条），收支情况每【半年】公布一次。
第十二条 建筑物及其附属设施的维修资金属于全体业主共有，经业主共同决定，可以用于电梯、屋顶、外墙、无障碍设施等共有部分的维修、更新和改造；筹集和使用情况应当定期公布（《中华人民共和国民法典》第二百八十一条）。
第十三条 遇有危及房屋安全等紧急情况，需要立即维修建筑物及其附属设施的，业主大会或者业主委员会可以依法申请使用维修资金。
第十四条 建筑物及其附属设施的费用分摊和收益分配，本规约没有约定的，按照业主专有部分面积所占比例确定（《中华人民共和国民法典》第二百八十三条）。

第四章 业主的权利与义务
第十五条 业主享有下列权利：
（一）参加业主大会会议，行使表决权；
（二）选举业主委员会委员，并享有被选举权；
（三）监督业主委员会和物业服务人的工作；
（四）查阅业主大会和业主委员会的决定、会议记录，以及维修资金和共有部分收益的收支情况；
（五）法律、法规规定的其他权利。
第十六条 业主应当履行下列义务：
（一）遵守本规约、业主大会议事规则和业主大会的决定；
（二）按时交纳物业费；物业服务人已经按照约定提供服务的，不以未接受或者无需接受服务为由拒交（《中华人民共和国民法典》第九百四十四条）；
（三）按照规定交存维修资金；
（四）配合物业服务人执行政府依法实施的应急处置措施和其他管理措施（《中华人民共和国民法典》第二百八十六条）；
（五）法律、法规规定的其他义务。
第十七条 业主委员会执行业主大会的决定，接受业主的监督，每【季度】向业主通报一次工作情况。

第五章 违约责任
第十八条 业主或者物业使用人违反本规约的，业主委员会和物业服务人应当劝阻、制止；拒不改正的，业主大会或者业主委员会可以依照《中华人民共和国民法典》第二百八十六条，请求其停止侵害、排除妨碍、消除危险、恢复原状、赔偿损失。
第十九条 违反本规约损害他人合法权益的，受损害的业主可以依法提起诉讼；造成损失的，行为人依法承担赔偿责任。
第二十条 业主委员会和物业服务人处理违约行为，应当留有书面记录，并告知当事人提出异议的途径。

第六章 附则
第二十一条 本规约未尽事宜，由业主大会按照制定本规约的程序补充；本规约与法律、法规相抵触的，以法律、法规为准。
第二十二条 本规约自业主大会表决通过之日起生效，由业主委员会报【街道办事处或者乡镇人民政府】和物业所在地房地产行政主管部门备案。";

const RULES: &str = "业主大会议事规则
为了规范【小区名称】业主大会的议事活动，保障业主依法行使共同管理的权利，依据《中华人民共和国民法典》及有关法律、法规，制定本规则。

第一章 总则
第一条 业主大会由本物业管理区域内的全体业主组成，代表和维护全体业主在物业管理活动中的合法权益。
第二条 依照《中华人民共和国民法典》第二百七十八条，下列事项由业主大会决定：
（一）业主大会议事规则的制定和修改；
（二）管理规约的制定和修改；
（三）业主委员会的选举及其委员的更换；
（四）物业服务企业或者其他管理人的选聘和解聘；
（五）维修资金的使用；
（六）维修资金的筹集；
（七）建筑物及其附属设施的改建、重建；
（八）共有部分用途的改变，以及利用共有部分从事的经营活动；
（九）其他有关共有和共同管理权利的重大事项。
第三条 业主大会的决定对全体业主具有约束力（《中华人民共和国民法典》第二百八十条）。业主委员会是业主大会的执行机构。

第二章 业主大会会议的召集
第四条 业主大会会议分为定期会议和临时会议。定期会议每年召开【一】次，由业主委员会召集。
第五条 有下列情形之一的，业主委员会应当召集临时会议：
（一）百分之二十以上的业主提议；
（二）发生重大事故或者紧急事件，需要及时处理；
（三）管理规约或者本规则规定的其他情形。
第六条 召开业主大会会议，业主委员会应当在会议召开十五日前，将会议的时间、地点、形式和议题通知全体业主，并在物业管理区域内的显著位置公告。
第七条 业主大会会议可以集体讨论，也可以书面征求意见或者采用业主大会同意的电子投票方式。采用书面或者电子方式的，表决票应当送达每一位业主，并写明表决事项和表决期限。
第八条 业主不能亲自表决的，可以书面委托他人代为表决；受托人表决时应当出示授权委托书。

第三章 表决
第九条 依照《中华人民共和国民法典》第二百七十八条，业主大会的表决须有专有部分面积占比三分之二以上的业主且人数占比三分之二以上的业主参与；参与表决的业主未达到上述比例的，该次表决不发生效力。
第十条 筹集维修资金，改建、重建建筑物及其附属设施，改变共有部分的用途或者利用共有部分从事经营活动，即第二条第（六）项至第（八）项所列事项，须经参与表决专有部分面积四分之三以上的业主且参与表决人数四分之三以上的业主同意。其他事项，须经参与表决专有部分面积过半数的业主且参与表决人数过半数的业主同意。
第十一条 专有部分面积以不动产登记簿记载的面积为准；尚未登记的，以测绘机构的实测面积为准；尚未实测的，以房屋买卖合同记载的面积为准。业主人数按专有部分的数量计算，一个专有部分计一人；同一买受人拥有多个专有部分的，计一人。
第十二条 表决结束后【三】日内，业主委员会应当在物业管理区域内公告表决结果，写明参与表决和表示同意的专有部分面积及人数。

第四章 业主委员会
第十三条 业主委员会由业主大会选举产生，由【五】至【十一】名委员组成，每届任期【五】年，可以连选连任。委员应当是本物业管理区域内的业主。
第十四条 业主委员会会议应当有过半数委员出席，作出决定须经全体委员过半数同意。会议应当制作书面记录，由出席会议的委员签字。
第十五条 业主委员会应当向业主公开管理规约、本规则、业主大会和业主委员会的决定，以及维修资金的筹集和使用情况、共有部分的经营和收益情况。

第五章 附则
第十六条 本规则由业主大会表决通过，修改时程序相同，自通过之日起生效。
第十七条 本规则未尽事宜，依照有关法律、法规和管理规约执行。";

const RESIDENTS: &str = "居民公约
为了把【小区名称】建设成和睦、文明、整洁的家园，经【居民会议或者业主大会】讨论通过，制定本公约，由全体居民共同遵守。
第一条 邻里之间互相尊重、互相帮助；有了矛盾先当面沟通，协商不成的，可以请居民委员会或者业主委员会调解。
第二条 饲养犬只依法登记、按时免疫；带犬出门束犬绳，及时清理粪便，不在公共区域放任宠物活动，不饲养禁止饲养的犬只和其他动物。
第三条 车辆在划定的位置停放，不占用消防通道、盲道和他人车位；电动自行车不进楼道、不进家门充电，在集中充电点充电。
第四条 晚间二十二时至次日七时不进行产生噪声的活动；在家中和公共区域娱乐、健身时控制音量，不影响他人休息。
第五条 生活垃圾按照可回收物、有害垃圾、厨余垃圾和其他垃圾分类，投放到指定地点；大件垃圾和装修垃圾按规定预约清运。
第六条 装修房屋前告知物业服务人，在规定的时间内施工，不拆改承重结构，不在公共部位堆放材料和垃圾。
第七条 爱护公共设施和绿化，不乱贴乱画，不高空抛物，不在楼道堆放杂物。
第八条 本公约由全体居民共同监督执行；需要修改时，经居民会议或者业主大会讨论决定。";

const TEMPLATES: &[Template] = &[
    Template {
        key: "covenant",
        kind: "covenant",
        title: "管理规约",
        summary: "业主使用、维护和管理物业的共同约定，由业主大会依照民法典第二百七十八条以双过半数表决通过。",
        text: COVENANT,
    },
    Template {
        key: "rules",
        kind: "rules",
        title: "业主大会议事规则",
        summary: "业主大会怎样召集、怎样表决、业主委员会怎样工作，含民法典第二百七十八条的计票规则。",
        text: RULES,
    },
    Template {
        key: "residents",
        kind: "residents",
        title: "居民公约",
        summary: "邻里相处、饲养宠物、停车、噪声、垃圾分类和装修的共同约定，不分章。",
        text: RESIDENTS,
    },
];

/// Every template, in the order they are offered.
pub fn templates() -> &'static [Template] {
    TEMPLATES
}

/// The template with `key`.
pub fn template(key: &str) -> Option<&'static Template> {
    TEMPLATES.iter().find(|t| t.key == key)
}

/// A template's text as a draft to start from (its title line left out).
pub fn draft_of(t: &Template) -> DraftBody {
    let lines: Vec<String> = t.text.lines().map(str::to_owned).collect();
    // Every template reads without a problem; the unit tests below hold them to it.
    parse_text(&lines).map(|p| p.draft).unwrap_or_default()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::conventions::text::{numbered, render, settle};

    fn chapter_titles(t: &Template) -> Vec<String> {
        draft_of(t).chapters.into_iter().map(|c| c.title).collect()
    }

    #[test]
    fn every_template_reads_without_notes_and_renders_back() {
        for t in templates() {
            let lines: Vec<String> = t.text.lines().map(str::to_owned).collect();
            let parsed = parse_text(&lines).unwrap_or_else(|e| panic!("{}: {e:?}", t.key));
            assert!(parsed.notes.is_empty(), "{}: {:?}", t.key, parsed.notes);
            assert_eq!(parsed.title.as_deref(), Some(t.title), "{}", t.key);
            assert_eq!(parsed.draft, draft_of(t));
            let (body, issued) = settle(parsed.draft, None, 0).unwrap_or_else(|e| panic!("{}: {e:?}", t.key));
            assert!(issued > 0);
            assert_eq!(format!("{}\n{}", t.title, render(&body)), t.text, "{}", t.key);
            assert_eq!(template(t.key).map(|x| x.kind), Some(t.kind));
        }
        assert!(template("nothing").is_none());
    }

    #[test]
    fn the_covenant_and_rules_have_their_chapters() {
        let covenant = template("covenant").unwrap();
        assert_eq!(
            chapter_titles(covenant),
            ["总则", "物业的使用", "共有部分的管理与维修资金", "业主的权利与义务", "违约责任", "附则"]
        );
        let rules = template("rules").unwrap();
        assert_eq!(chapter_titles(rules), ["总则", "业主大会会议的召集", "表决", "业主委员会", "附则"]);
        let count = |t: &Template| numbered(&settle(draft_of(t), None, 0).unwrap().0).len();
        assert_eq!(count(covenant), 22);
        assert_eq!(count(rules), 17);
    }

    #[test]
    fn the_residents_convention_has_no_chapters_and_placeholders_only_in_its_preamble() {
        let t = template("residents").unwrap();
        let draft = draft_of(t);
        assert_eq!(chapter_titles(t), [""]);
        assert_eq!(draft.chapters[0].articles.len(), 8);
        assert!(draft.preamble.contains("【小区名称】"));
        assert!(draft.chapters[0].articles.iter().all(|a| !a.text.contains('【')));
    }

    #[test]
    fn the_rules_state_the_counting_rule_of_article_278() {
        let text = template("rules").unwrap().text;
        for phrase in ["三分之二以上", "四分之三以上", "过半数", "第（六）项至第（八）项"] {
            assert!(text.contains(phrase), "{phrase}");
        }
    }
}
