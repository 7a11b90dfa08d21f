"""What each kind of notification says, rendered when it is read, in the reader's language.

A notification stores its kind and parameters (Notification.params), never its text: the in-app
list and the API render it in the language of the request, the email and the agency digest in the
recipient's (User.language, under translation.override). So a report submitted from an English
session still reads in Chinese to a Chinese procurator, and a reader who switches language reads
every notification, old and new, in the new one.

The parameters are plain values (names, numbers, ISO dates, free text typed by a user) and, for
words that are themselves translatable — a choice label such as a report's kind, a deadline rule's
name — their untranslated msgid (`msgid()`), translated here with gettext. This module belongs to
the notifications app, a low layer: it knows the kinds (Notification.Kind) but imports none of the
apps that send them; each sender passes the parameters its kind's renderer below reads.
"""

from __future__ import annotations

from collections.abc import Callable

from django.utils import translation
from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

Params = dict
Renderer = Callable[[Params], tuple[str, str]]

_RENDERERS: dict[str, Renderer] = {}


def msgid(label: str | Promise) -> str:
    """The untranslated msgid of a lazily translated label (e.g. `Report.Kind(kind).label`), to
    store in a notification's parameters and translate when it is read."""
    with translation.override(None):
        return str(label)


def render(kind: str, params: Params) -> tuple[str, str]:
    """(title, body) of a notification of `kind` with `params`, in the active language."""
    renderer = _RENDERERS.get(kind)
    if renderer is None:
        return gettext(kind), ""
    return renderer(params)


def kinds() -> set[str]:
    """The kinds that have a renderer (every Notification.Kind: tests/notifications)."""
    return set(_RENDERERS)


def renders(*kinds: str) -> Callable[[Renderer], Renderer]:
    def register(renderer: Renderer) -> Renderer:
        for kind in kinds:
            _RENDERERS[kind] = renderer
        return renderer

    return register


def _word(value: str | None) -> str:
    """A stored msgid, translated (an empty one stays empty: gettext("") is the catalog header)."""
    return gettext(value) if value else ""


def _lines(*lines: str) -> str:
    return "\n".join(line for line in lines if line)


# --- Approvals (cases/services/recommendations.py, litigation/services/decision.py) ---------------
# params: subject ("recommendation" or "lawsuit_proposal"), case ("<number> <title>"), and
#   requested: handler, submitter, agency (recommendation) or reasons (lawsuit proposal);
#   decided: approved (bool), approver, comment.

_APPROVAL_REQUESTED_TITLES = {
    "recommendation": _("请审批检察建议：%(case)s"),
    "lawsuit_proposal": _("请审批起诉：%(case)s"),
    "referral": _("请审批线索移送：%(case)s"),
}
_APPROVAL_DECIDED_TITLES = {
    ("recommendation", True): _("检察建议已审批同意：%(case)s"),
    ("recommendation", False): _("检察建议被退回：%(case)s"),
    ("lawsuit_proposal", True): _("起诉已获批准：%(case)s"),
    ("lawsuit_proposal", False): _("起诉审批被退回：%(case)s"),
    ("referral", True): _("线索移送已审批同意：%(case)s"),
    ("referral", False): _("线索移送被退回：%(case)s"),
}


@renders("approval_requested")
def _approval_requested(p: Params) -> tuple[str, str]:
    title = _APPROVAL_REQUESTED_TITLES[p["subject"]] % {"case": p["case"]}
    if p["subject"] == "recommendation":
        body = _("承办检察官：%(handler)s；提请人：%(submitter)s；被建议机关：%(agency)s。") % p
    elif p["subject"] == "referral":  # agency: the receiving commission (referrals/services.py)
        body = _("承办检察官：%(handler)s；提请人：%(submitter)s；接收机关：%(agency)s。") % p
    else:
        body = _lines(
            _("承办检察官：%(handler)s；提请人：%(proposer)s。")
            % {"handler": p["handler"], "proposer": p["submitter"]},
            _("起诉理由：%(reasons)s") % {"reasons": p["reasons"]},
        )
    return title, body


@renders("approval_decided")
def _approval_decided(p: Params) -> tuple[str, str]:
    title = _APPROVAL_DECIDED_TITLES[(p["subject"], bool(p["approved"]))] % {"case": p["case"]}
    body = _lines(
        _("审批人：%(name)s") % {"name": p["approver"]},
        _("审批意见：%(comment)s") % {"comment": p["comment"]} if p.get("comment") else "",
    )
    return title, body


# --- The agency portal (feedback/services.py) -----------------------------------------------------


@renders("feedback_submitted")
def _feedback_submitted(p: Params) -> tuple[str, str]:
    # params: agency, report_kind (msgid of the report kind's label), number, summary
    title = _("%(agency)s报送了%(kind)s：%(number)s") % {
        "agency": p["agency"],
        "kind": _word(p["report_kind"]),
        "number": p["number"],
    }
    return title, p.get("summary", "")


@renders("recommendation_acknowledged")
def _recommendation_acknowledged(p: Params) -> tuple[str, str]:
    # params: agency, number, ack, served
    title = _("%(agency)s已签收检察建议 %(number)s") % {"agency": p["agency"], "number": p["number"]}
    body = _("签收日期：%(ack)s；检察院登记的送达日期：%(served)s。") % {"ack": p["ack"], "served": p["served"]}
    return title, body


@renders("supplement_requested")
def _supplement_requested(p: Params) -> tuple[str, str]:
    # params: number, due, text
    title = _("检察院要求就检察建议 %(number)s 补充说明") % {"number": p["number"]}
    body = _("请于 %(due)s 前报送补充说明：%(text)s") % {"due": p["due"], "text": p["text"]}
    return title, body


@renders("completion_date_decided")
def _completion_date_decided(p: Params) -> tuple[str, str]:
    # params: accepted (bool), n (the item's number), date, note
    if p["accepted"]:
        title = _("检察院同意了第%(n)d项建议事项的整改完成日期") % {"n": p["n"]}
    else:
        title = _("检察院不同意第%(n)d项建议事项的整改完成日期") % {"n": p["n"]}
    body = _("拟完成日期：%(date)s。%(note)s") % {"date": p["date"], "note": p.get("note", "")}
    return title, body


# --- The defendant agency's court duties (litigation/services/court.py) --------------------------
# Every body starts with the lawsuit: params court, court_case_number.


def _court(p: Params, title: str, body: str) -> tuple[str, str]:
    subject = f"{p.get('court', '')} {p.get('court_case_number', '')}"
    return title, _lines(subject, body)


def _or_dash(value: str | None) -> str:
    return value or "—"


@renders("court_defence")
def _court_defence(p: Params) -> tuple[str, str]:
    # params: due (the defence deadline's due date, or None), received
    return _court(
        p,
        _("请按期提交答辩状：%(due)s 届满") % {"due": _or_dash(p.get("due"))},
        _("贵单位于 %(day)s 收到起诉状副本，应在收到之日起十五日内提交答辩状及证据材料。") % {"day": p["received"]},
    )


@renders("court_hearing")
def _court_hearing(p: Params) -> tuple[str, str]:
    # params: event (scheduled, rescheduled, cancelled, held), day, room, and by event: before,
    # reason, registered (bool); appearance (msgid of the label), violation (bool)
    event, day = p["event"], p["day"]
    if event == "rescheduled":
        title = _("开庭改期：%(day)s") % {"day": day}
        body = _("原定 %(before)s 的庭审改于 %(day)s 开庭，法庭：%(room)s。") % {
            "before": p["before"],
            "day": day,
            "room": _or_dash(p.get("room")),
        }
        body += _("改期原因：%(reason)s。") % {"reason": p.get("reason", "")}
        if p.get("registered"):
            body += _("已报备的出庭人员继续有效，如有变化请修改报备。")
        else:
            body += _("请在系统中报备出庭人员。")
    elif event == "cancelled":
        title = _("取消开庭：%(day)s") % {"day": day}
        body = _("原定 %(day)s 的庭审已取消。取消原因：%(reason)s。") % {"day": day, "reason": p.get("reason", "")}
    elif event == "scheduled":
        title = _("开庭通知：%(day)s") % {"day": day}
        body = _("法庭：%(room)s。") % {"room": _or_dash(p.get("room"))} + _(
            "行政机关负责人应当出庭应诉；不能出庭的，应当委托本机关工作人员出庭，不得仅委托律师出庭。请在系统中报备出庭人员。"
        )
    else:
        title = _("已开庭：%(day)s") % {"day": day}
        body = _("出庭情况：%(appearance)s") % {"appearance": _word(p.get("appearance"))}
        if p.get("violation"):
            body += _("（违反行政机关负责人出庭应诉规定）")
    return _court(p, title, body)


@renders("court_ruling")
def _court_ruling(p: Params) -> tuple[str, str]:
    # params: event (recorded, effective), instance, ruling_kind, outcome (msgids of the labels),
    # decided, served, effective, and when the ruling orders an action: due, action
    label = f"{_word(p['instance'])}{_word(p['ruling_kind'])}（{_word(p['outcome'])}）"
    if p["event"] == "recorded":
        title = _("法院裁判：%(ruling)s") % {"ruling": label}
        body = _("裁判日期 %(decided)s，送达日期 %(served)s。") % {"decided": p["decided"], "served": p["served"]}
    else:
        title = _("裁判已生效：%(ruling)s") % {"ruling": label}
        body = _("生效日期 %(day)s。") % {"day": p["effective"]}
    if p.get("action"):
        body += _("请于 %(due)s 前履行：%(action)s") % {"due": p["due"], "action": p["action"]}
    return _court(p, title, body)


# --- The deadline scan (deadlines/services.py) ----------------------------------------------------


@renders("deadline_reminder", "deadline_overdue", "deadline_escalated")
def _deadline(p: Params) -> tuple[str, str]:
    # params: level (a DeadlineAlert level: remind_<n>, overdue, escalated), rule (the rule's name,
    # a msgid), due, provisional (bool), days (left before the due date, or overdue when
    # escalated), subject (the case's number and title, or the recommendation's document number for
    # the agency), agency, procuratorate (escalations)
    rule = _word(p["rule"])
    due = p["due"] + (gettext("（暂定）") if p.get("provisional") else "")
    level, days = p["level"], p.get("days", 0)
    if level == "escalated":
        title = _("逾期升级督办：%(rule)s已逾期%(n)d天") % {"rule": rule, "n": days}
    elif level == "overdue":
        title = _("已逾期：%(rule)s（%(due)s届满）") % {"rule": rule, "due": due}
    elif days == 0:
        title = _("今天到期：%(rule)s") % {"rule": rule}
    else:
        title = _("期限提醒：%(rule)s还剩%(n)d天（%(due)s届满）") % {"rule": rule, "n": days, "due": due}
    body = _lines(
        (p.get("subject") or "").strip(),
        _("被建议机关：%(agency)s") % {"agency": p["agency"]} if p.get("agency") else "",
        _("%(rule)s，届满日 %(due)s。") % {"rule": rule, "due": due},
        _("承办检察院：%(name)s") % {"name": p["procuratorate"]} if level == "escalated" else "",
    )
    return title, body


# --- Supervision by the discipline commission (supervision/services.py) ---------------------------


@renders("supervision_action_recorded")
def _supervision_action_recorded(p: Params) -> tuple[str, str]:
    # params: commission, number (document number), agency, action (msgid of the kind's label), date, note
    title = _("%(commission)s对检察建议 %(number)s 采取督办措施：%(action)s") % {
        "commission": p["commission"],
        "number": p["number"],
        "action": _word(p["action"]),
    }
    body = _lines(
        _("被建议机关：%(agency)s；督办日期：%(date)s。") % {"agency": p["agency"], "date": p["date"]},
        p.get("note", ""),
    )
    return title, body


# --- Two-way lead referral (referrals/services.py) ------------------------------------------------
# params: number, title, sender, receiver; acknowledged: date; outcome: outcome (msgid of the
# outcome's label), text, date.


@renders("referral_sent")
def _referral_sent(p: Params) -> tuple[str, str]:
    title = _("%(sender)s移送线索 %(number)s") % {"sender": p["sender"], "number": p["number"]}
    return title, _lines(p["title"], _("请及时签收。"))


@renders("referral_acknowledged")
def _referral_acknowledged(p: Params) -> tuple[str, str]:
    title = _("%(receiver)s已签收移送线索 %(number)s") % {"receiver": p["receiver"], "number": p["number"]}
    return title, _lines(p["title"], _("签收日期：%(date)s") % {"date": p["date"]})


@renders("referral_outcome")
def _referral_outcome(p: Params) -> tuple[str, str]:
    title = _("移送线索 %(number)s 处理结果：%(outcome)s") % {"number": p["number"], "outcome": _word(p["outcome"])}
    return title, _lines(p["title"], p.get("text", ""), _("反馈日期：%(date)s") % {"date": p["date"]})


# --- Assistance requests (assistance/services.py) -------------------------------------------------
# params: procuratorate, kind (msgid of the request kind's label), subject, due (ISO date); the
# answer: agency, subject.


@renders("assistance_requested")
def _assistance_requested(p: Params) -> tuple[str, str]:
    title = _("%(procuratorate)s请求协助：%(subject)s") % {"procuratorate": p["procuratorate"], "subject": p["subject"]}
    body = _("协助事项：%(kind)s；请于 %(due)s 前答复。") % {"kind": _word(p["kind"]), "due": p["due"]}
    return title, body


@renders("assistance_answered")
def _assistance_answered(p: Params) -> tuple[str, str]:
    title = _("%(agency)s答复了协助请求：%(subject)s") % {"agency": p["agency"], "subject": p["subject"]}
    return title, ""
