//! Error messages in Chinese for readers whose `Accept-Language` puts Chinese first.
//!
//! Handlers write their messages in English (the API's reference language, which tests and
//! programs read); this catalogue, keyed by the English text as gettext is, renders them in
//! Chinese on the way out. A message it does not know is left in English.

/// The Chinese name of a request field.
/// Request fields by their Chinese names.
const FIELD_LABELS: &[(&str, &str)] = &[
    ("login", "账号"),
    ("password", "密码"),
    ("current_password", "当前密码"),
    ("new_password", "新密码"),
    ("phone", "手机号"),
    ("username", "用户名"),
    ("display_name", "姓名"),
    ("code", "邀请码"),
    ("recovery_code", "找回码"),
    ("name", "名称"),
    ("address", "地址"),
    ("office_name", "社区办公室名称"),
    ("property_company_name", "物业公司名称"),
    ("committee_name", "业委会名称"),
    ("community_id", "社区"),
    ("compound_id", "小区"),
    ("role", "角色"),
    ("is_active", "账号状态"),
    ("id", "编号"),
    ("file", "文件"),
    ("title", "标题"),
    ("body", "正文"),
    ("matter", "表决事项类别"),
    ("seats", "席位数"),
    ("candidates", "候选人"),
    ("building_ids", "楼栋"),
    ("attachment_ids", "附件"),
    ("opens_at", "开始时间"),
    ("closes_at", "截止时间"),
    ("reason", "原因"),
    ("choice", "选择"),
    ("holder_id", "房屋"),
    ("serial", "纸质票编号"),
    ("scan_file_id", "扫描件"),
    ("proxy_login", "受托人账号"),
    ("valid_from", "委托开始时间"),
    ("valid_until", "委托结束时间"),
    ("note", "备注"),
    ("notice_days", "公告期天数"),
    ("publicity_days", "公示期天数"),
    ("idempotency_key", "请求编号"),
    ("text", "内容"),
    ("category_id", "类别"),
    ("building_id", "楼栋"),
    ("location", "位置"),
    ("party_kind", "责任方"),
    ("rating", "满意度评分"),
    ("comment", "评价"),
    ("department", "部门"),
    ("request", "请求事项"),
    ("response", "部门答复"),
    ("key", "类别代码"),
    ("name_zh", "中文名称"),
    ("name_en", "英文名称"),
    ("time_limit_hours", "办理时限"),
    ("description", "说明"),
    ("decision", "决定"),
    ("vote_id", "表决"),
    ("questionnaire_id", "问卷"),
    ("parent_id", "回复对象"),
    ("q", "搜索词"),
    ("questions", "题目"),
    ("answers", "回答"),
    ("audience", "填写对象"),
    ("answer_per", "填写方式"),
    ("allow_edit", "允许修改"),
    ("results_visibility", "结果公开方式"),
    ("agenda_id", "议题"),
    ("party", "发布方"),
];

/// Whole messages, English to Chinese.
const MESSAGES: &[(&str, &str)] = &[
    // Fields
    ("is required", "不能为空"),
    ("must not contain control characters", "不能含有不可见的控制字符"),
    ("must not contain invisible or direction-changing characters", "不能含有不可见或改变文字方向的字符"),
    ("must not contain an official title such as 书记, 物业 or admin", "不能含有书记、物业、管理员等官方称谓"),
    ("text in the body must not contain NUL characters", "请求中的文字不能含有 NUL 字符"),
    ("is not an 11-digit mobile number", "不是 11 位手机号"),
    ("must be at least 8 characters", "至少 8 个字符"),
    ("must be at most 128 characters", "最多 128 个字符"),
    ("is too long", "太长"),
    ("is not your current password", "与当前密码不符"),
    ("is not a valid invitation code", "不是有效的邀请码"),
    ("has expired; ask the community office for a new one", "已过期，请向社区重新领取"),
    ("no account has this user name or phone number", "没有使用该用户名或手机号的账号"),
    ("may contain only letters, digits, '_', '-' and '.'", "只能包含字母、数字、下划线、短横线和点"),
    ("you cannot deactivate your own account", "不能停用自己的账号"),
    ("you cannot remove your own administrator role", "不能移除自己的管理员角色"),
    ("owners are verified against the roster, not granted a role", "业主需按名册核实身份，不能直接授予"),
    (
        "an owner's role follows their verified holdings; unlink the holder instead",
        "业主角色随核实的房屋而定，请改为解除绑定",
    ),
    ("is required for this role", "该角色必须填写"),
    ("no such community", "社区不存在"),
    ("no such compound", "小区不存在"),
    ("this compound has no such party", "该小区没有这一方"),
    ("the request carries no file", "请求中没有文件"),
    ("must be a JPEG, PNG or PDF file", "须为 JPEG、PNG 或 PDF 文件"),
    ("the JPEG file is damaged", "JPEG 文件已损坏"),
    ("the PNG file is damaged", "PNG 文件已损坏"),
    ("must be after opens_at", "须晚于开始时间"),
    ("is already past", "已经过去"),
    ("must be later than the current closing time", "须晚于当前截止时间"),
    ("an election is a 'committee' matter", "选举应选择“选举业委会”事项"),
    ("list between 1 and 50 candidates", "请列出 1 至 50 名候选人"),
    ("must be at least 1 and at most the number of candidates", "至少 1 席，且不多于候选人数"),
    ("a building is not in this compound", "有楼栋不属于本小区"),
    ("attach at most 20 files", "最多 20 个附件"),
    ("a file was not uploaded to this compound", "有文件未上传到本小区"),
    ("choose agree, oppose or abstain", "请选择同意、反对或弃权"),
    ("list the candidates you support", "请选择您支持的候选人"),
    ("no such candidate", "没有该候选人"),
    ("a candidate is listed twice", "同一候选人选了两次"),
    ("you may vote for several holdings: choose one", "您可为多处房屋投票，请先选择一处"),
    ("you cannot vote for this holder", "您不能为该房屋投票"),
    ("no such holder in this compound", "本小区没有该业主"),
    ("no such file in this compound", "本小区没有该文件"),
    ("must be after valid_from and in the future", "须晚于开始时间且在将来"),
    ("must be between 0 and 90", "须在 0 至 90 之间"),
    ("must be 1 to 100 characters", "须为 1 至 100 个字符"),
    // Whole errors
    ("wrong user name, phone number or password", "账号或密码不正确"),
    ("the access token has expired; refresh it or sign in again", "登录已过期，请重新登录"),
    ("the token is not valid; sign in again", "登录凭证无效，请重新登录"),
    (
        "this refresh token was already used, so the session was ended; sign in again",
        "登录凭证已被使用，为安全起见已退出，请重新登录",
    ),
    ("sign in first", "请先登录"),
    ("your role does not allow this", "您的角色无权进行此操作"),
    ("no such resource", "找不到该内容"),
    ("the request body is too large", "提交的内容太大"),
    ("internal server error", "服务器内部错误"),
    ("this invitation code has already been used", "该邀请码已被使用"),
    ("this invitation code has expired", "该邀请码已过期"),
    (
        "this invitation code has not yet been confirmed by a second person of another party",
        "该邀请码尚未由另一方的工作人员确认，暂不能使用",
    ),
    ("is not a valid recovery code for this account", "不是本账号有效的找回码"),
    (
        "this recovery code has not yet been confirmed by a second clerk of the community office",
        "该找回码尚未由第二位社区工作人员确认，暂不能使用",
    ),
    ("this recovery code has been used or has expired", "该找回码已使用或已过期"),
    ("this has already been confirmed", "已经有人确认过了"),
    ("this request was withdrawn", "该申请已撤回"),
    ("this account is already waiting to be confirmed for this holder", "该账号绑定此业主的申请正在等待确认"),
    (
        "only a member of the community office or the owners' committee may do this",
        "只有社区居委会或业主委员会的成员可以办理",
    ),
    ("you started this; a second person of another party must confirm it", "这是您发起的，须由另一方的人员确认"),
    (
        "a second person of another party must confirm this, not one of your own",
        "须由另一方的人员确认，本方人员不能确认",
    ),
    ("the account that would gain the right cannot start or confirm it", "将获得该权利的账号本人不能发起或确认"),
    ("you are linked to this account's home; another clerk must", "您与该账号同属一户，须由其他工作人员办理"),
    ("this account is already verified for this holder", "该账号已绑定此业主"),
    ("this vote is not open for ballots", "本表决当前不在投票时间内"),
    ("this vote has closed", "本表决已结束"),
    ("this vote has been cancelled", "本表决已取消"),
    ("this holder is not on the vote's frozen roster", "该业主不在本表决锁定的名册中"),
    ("you hold no unit on this vote's roster", "您在本表决的名册中没有房屋"),
    ("the written proxy is not valid now", "书面委托当前无效"),
    (
        "a paper ballot for this holder is awaiting a second clerk's confirmation",
        "该业主的纸质票正在等待第二位工作人员确认",
    ),
    (
        "this is the scan of a secret vote's signed slip: it is sealed, and opened only on an unsealing asked by one party and approved by another",
        "这是无记名表决签名票的扫描件，已封存：须由一方申请、另一方批准启封后方可查看",
    ),
    ("only the scan of a secret vote's slip is sealed", "只有无记名表决签名票的扫描件才会封存"),
    (
        "an unsealing is approved by a person of another party than the one who asked",
        "启封须由申请方以外另一方的人员批准",
    ),
    ("this unsealing has already been approved", "该启封申请已获批准"),
    ("this holder's ballot has already been counted online by the owner", "该业主已在线投票，已计票"),
    ("this holder's ballot has already been counted on a paper ballot", "该业主已通过纸质票投票，已计票"),
    ("this holder's ballot has already been counted by a proxy", "该业主已由受托人投票，已计票"),
    ("this holder's ballot has already been counted", "该业主的票已计入"),
    (
        "the clerk who entered a paper ballot cannot confirm it: a second person must",
        "录入纸质票的工作人员不能自行确认，须由第二人确认",
    ),
    ("this paper ballot has already been confirmed", "该纸质票已确认"),
    ("only a draft can be changed", "只有草稿可以修改"),
    ("this vote has already been published", "本表决已发布"),
    ("only an open vote can be extended", "只有进行中的表决可以延期"),
    ("a closed or cancelled vote cannot be cancelled", "已结束或已取消的表决不能再取消"),
    ("this proxy has already been revoked", "该委托已撤销"),
    ("objections are taken while the result is on public display", "只能在结果公示期内提出异议"),
    ("only owners on this vote's roster may object", "只有本表决名册中的业主可以提出异议"),
    ("choices are revealed only after the vote closes", "表决结束后才公开选择"),
    ("must be a whole number from 1 to 5", "须为 1 至 5 的整数"),
    ("must be a JPEG or PNG photo", "须为 JPEG 或 PNG 照片"),
    ("no such category in this community", "本社区没有该类别"),
    ("use 1 to 40 lowercase letters, digits or '_'", "请使用 1 至 40 个小写字母、数字或下划线"),
    ("must be between 1 and 8784 hours", "须在 1 至 8784 小时之间"),
    ("no such vote where this agenda lives", "本议题所在范围内没有该表决"),
    ("no such questionnaire", "没有该问卷"),
    ("no such comment on this agenda", "本议题没有该评论"),
    ("answer the comment at the top of the thread", "请回复楼主的评论（仅支持一层回复）"),
    ("this concern has not been routed yet", "该诉求尚未分派"),
    ("this concern is not waiting to be acknowledged", "该诉求当前无需受理"),
    ("this concern is already resolved", "该诉求已办结"),
    ("a resolved concern cannot be routed again", "已办结的诉求不能再分派"),
    ("only a resolved concern can be confirmed or reopened", "只有已办结的诉求才能确认或重新打开"),
    ("a concern is rated once it is resolved", "诉求办结后才能评价"),
    ("this concern has been confirmed as settled", "该诉求已确认办结"),
    ("this concern has already been raised", "该诉求已提交"),
    ("the concern changed meanwhile; reload it", "诉求已被他人更新，请刷新后重试"),
    ("this concern has already been rated", "该诉求已评价过"),
    ("the department's response is already on record", "部门答复已记录"),
    ("a concern carries at most 6 photos", "每条诉求最多 6 张照片"),
    ("this concern has already been turned into an agenda", "该诉求已转为议题"),
    ("this community already has a category with this key", "本社区已有该代码的类别"),
    ("co-signing counts the owners of one compound", "附议按单个小区的业主计算"),
    ("this agenda no longer takes co-signs", "该议题已不再接受附议"),
    ("this holding has already co-signed the agenda", "该房屋已附议过本议题"),
    ("the discussion of this agenda is closed", "本议题的讨论已结束"),
    ("this comment is already hidden", "该评论已被隐藏"),
    ("the agenda changed meanwhile; reload it", "议题已被他人更新，请刷新后重试"),
    ("only an open agenda can go to deliberation", "只有开放中的议题才能进入审议"),
    ("an agenda is closed after it is decided", "议题作出决定后才能关闭"),
    ("this agenda has already been decided, closed or withdrawn", "该议题已决定、关闭或撤回"),
    ("ask between 1 and 50 questions", "请设置 1 至 50 道题"),
    ("offer between 2 and 20 options", "请设置 2 至 20 个选项"),
    ("is offered twice", "选项重复"),
    ("only choice questions have options", "只有选择题有选项"),
    ("must be at least 1 and at most the number of options", "至少 1 项，且不多于选项数"),
    ("only multiple-choice questions have a pick limit", "只有多选题可以限制选择数"),
    ("an option is picked twice", "同一选项选了两次"),
    ("no such option", "没有该选项"),
    ("pick exactly one option", "请选择一项"),
    ("rate from 1 to 5", "请打 1 至 5 分"),
    ("does not fit the kind of question", "与题型不符"),
    ("everyone with a role answers for themselves: choose per person", "面向全体居民的问卷只能每人一份"),
    ("answers to an anonymous questionnaire cannot be changed", "匿名问卷的答卷不能修改"),
    ("is not an agenda", "不是有效的议题"),
    ("choose at least one building", "请至少选择一栋楼"),
    ("only a buildings audience lists buildings", "只有按楼栋发放时才选择楼栋"),
    ("you cannot answer for this holder", "您不能代表该户填写"),
    ("you hold several households here: choose one", "您在本小区有多处房屋，请先选择一处"),
    ("this household has already answered this questionnaire", "您家已填写过本问卷"),
    ("you have already answered this questionnaire", "您已填写过本问卷"),
    ("this questionnaire has already been published", "本问卷已发布"),
    ("only a published questionnaire can be closed", "只有已发布的问卷可以结束"),
    ("this questionnaire has closed", "本问卷已结束"),
    ("this questionnaire is not taking answers now", "本问卷当前不在填写时间内"),
    ("answers to this questionnaire cannot be changed", "本问卷的答卷不能修改"),
    ("the results are shown when the questionnaire closes", "问卷结束后公布结果"),
];

/// Messages with one number in them: the English before and after it, and the Chinese with
/// `{}` where it goes.
const PATTERNS: &[(&str, &str, &str)] = &[
    ("must be at most ", " characters", "最多 {} 个字"),
    ("support at most ", " candidate(s)", "最多支持 {} 名候选人"),
    ("pick at most ", " option(s)", "最多选择 {} 项"),
    ("give one item per question, in order (", " questions)", "请按顺序逐题作答（共 {} 题）"),
    ("too many attempts; try again in ", " s", "尝试次数过多，请 {} 秒后再试"),
];

/// The Chinese name of a request field.
pub fn field_label(field: &str) -> &str {
    let base = field.split('[').next().unwrap_or(field);
    FIELD_LABELS.iter().find(|(en, _)| *en == base).map_or(field, |(_, zh)| zh)
}

/// The Chinese text of an English message, when the catalogue has it.
pub fn to_chinese(msg: &str) -> Option<String> {
    if let Some((_, zh)) = MESSAGES.iter().find(|(en, _)| *en == msg) {
        return Some((*zh).to_owned());
    }
    for (before, after, zh) in PATTERNS {
        if let Some(x) = msg.strip_prefix(before).and_then(|r| r.strip_suffix(after)) {
            return Some(zh.replace("{}", x));
        }
    }
    let (days, rest) = msg.strip_prefix("owners must have ")?.split_once(" days' notice: the vote may open at ")?;
    let at = rest.strip_suffix(" at the earliest")?;
    Some(format!("须提前 {days} 天公告：最早可于 {at}（UTC）开始投票"))
}

/// Put an error body's message (and each field's) in Chinese, where the catalogue knows them.
pub fn translate_error(error: &mut serde_json::Value) {
    let translate = |m: &str| to_chinese(m).unwrap_or_else(|| m.to_owned());
    if let Some(fields) = error.get_mut("fields").and_then(|f| f.as_object_mut()) {
        let mut list = Vec::new();
        for (k, m) in fields.iter_mut() {
            if let Some(text) = m.as_str() {
                *m = translate(text).into();
                list.push((k.clone(), m.as_str().unwrap_or_default().to_owned()));
            }
        }
        error["message"] = fields_message(&list).into();
    } else if let Some(m) = error.get("message").and_then(|m| m.as_str()) {
        error["message"] = translate(m).into();
    }
}

/// A validation error's whole message from its fields, in Chinese.
pub fn fields_message(fields: &[(String, String)]) -> String {
    fields.iter().map(|(f, m)| format!("{}：{m}", field_label(f))).collect::<Vec<_>>().join("；")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn known_messages_and_patterns_are_translated() {
        assert_eq!(to_chinese("is required").as_deref(), Some("不能为空"));
        assert_eq!(to_chinese("must be at most 50 characters").as_deref(), Some("最多 50 个字"));
        assert_eq!(to_chinese("too many attempts; try again in 42 s").as_deref(), Some("尝试次数过多，请 42 秒后再试"));
        assert_eq!(to_chinese("something new"), None);
    }

    #[test]
    fn fields_are_named_in_chinese() {
        let m =
            fields_message(&[("phone".into(), "不是 11 位手机号".into()), ("candidates[2]".into(), "不能为空".into())]);
        assert_eq!(m, "手机号：不是 11 位手机号；候选人：不能为空");
    }
}
