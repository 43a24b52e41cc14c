"""No page promises contact its deployment cannot deliver (issue 10, defect 1).

With no connection to the service (deploy.yaml ``connection: none``, the only one today), nothing
leaves the client's device: no answer is marked, flagged, sent or shown to anyone. Every file of
the built sample site, in every locale, is scanned for such promises with patterns in each
shipped language; the patterns are first shown to catch the promises the site used to make.
"""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest

#: Promises that something reaches the therapist or service by itself, in English.
ENGLISH = (
    r"\b(?:marked|flagged)\s+(?:for|to)\s+(?:you|your therapist|the therapist|your service|"
    r"the service|your care team)\b",
    r"\b(?:has|have|had)\s+been\s+(?:marked|flagged)\b",
    r"\b(?:will|would)\s+be\s+(?:marked|flagged)\b",
    r"\b(?:sent|passed on|forwarded|reported|shown|shared)\s+(?:automatically\s+)?(?:to|with)\s+"
    r"(?:your|the)\s+(?:therapist|service|care team|clinician|GP|doctor)\b",
    r"\bautomatically\s+(?:sent|shared|passed on|forwarded|notified|told|alerted|reported|"
    r"flagged|marked)\b",
    r"\b(?:your therapist|your service|the service|your care team|the care team|a clinician)\s+"
    r"(?:will|shall|is going to)\s+(?:be\s+)?(?:told|notified|alerted|informed)\b",
    r"\b(?:your therapist|your service|the service|your care team|we|they)\s*(?:will|'ll)\s+"
    r"(?:contact|call|phone|ring)\s+you\b",
    r"\b(?:your therapist|your service|they)\s+(?:will|can)\s+(?:see|check|review)\s+"
    r"(?:your|this|these|the)\s+(?:answers?|results?|scores?)\s+"
    r"(?:at once|straight away|automatically|right away)",
    r"\b(?:we|this site|this website|the site|the programme|this programme)\s+(?:will\s+)?"
    r"(?:tell|notify|alert|inform)s?\s+(?:your|the)\s+(?:therapist|service|care team)\b",
)
#: The same in Traditional Chinese.
CHINESE = (
    r"標示給[^。]{0,8}(?:治療師|你)",
    r"(?:已|會|將)(?:被)?(?:標示|標記|通知|告知|轉告|傳送給|發送給|轉交|通報)[^。，]{0,6}"
    r"(?:治療師|服務單位|醫護)",
    r"治療師(?:會|將)(?:即時)?(?:收到|看到|得知|知道)(?:你的)?(?:答案|結果|分數)",
    r"(?:會|將)(?:主動)?(?:聯絡|致電)你",
    # "不會自動傳送" (is not sent automatically) is the honest wording, not a promise.
    r"(?<!不會)(?<!不)自動(?:通知|傳送|發送|轉交|通報|標示)",
)
#: The same in Arabic (matched with diacritics and tatweel removed).
ARABIC = (
    r"(?:ستوضع|وضعت|سيتم وضع|تم وضع)\s+علامة",
    r"سيتم\s+(?:إبلاغ|ابلاغ|إخطار|اخطار|إرسال|ارسال|تنبيه|إعلام|اعلام)",
    r"(?:سيبلغ|سيخطر|سينبه|سيعلم)\s+(?:معالج|المعالج|فريق|الخدمة)",
    r"(?:سترسل|سيرسل|أرسلت|ارسلت)\s+(?:إجاب|اجاب|نتيج)",
    r"(?:سيتصل|ستتصل|سنتصل|سيتواصل|سنتواصل)\s+(?:بك|معك)",
)
PATTERNS = [re.compile(p, re.IGNORECASE) for p in (*ENGLISH, *CHINESE, *ARABIC)]
_ARABIC_MARKS = re.compile("[\u0640\u064b-\u065f\u0670]")

#: What the site said before (interface strings and their translations): each is a promise.
OLD_PROMISES = [
    "Your answer will be marked for your therapist.",
    "One of your answers has been marked for your therapist. Please also tell them about it.",
    "crisis help is shown at once and the result is flagged for you",
    "你的答案會標示給你的治療師留意。",
    "你其中一個答案已標示給你的治療師留意。請你也親自告訴他們。",
    "會即時顯示危機求助資料，並把結果標示給你留意",
    "ستوضع علامة على إجابتك ليطّلع عليها معالجك.",
    "وُضعت علامة على إحدى إجاباتك ليطّلع عليها معالجك. يُرجى أن تخبره بها أنت أيضًا.",
    # Promises a translator or author could write.
    "Your answers are sent automatically to your therapist.",
    "Your therapist will be notified straight away.",
    "We will contact you within two working days.",
    "這個答案會自動通知你的治療師。",
    "سيتم إبلاغ معالجك بإجابتك.",
    "سيتصل بك أحد أفراد الفريق.",
]

#: What the site says now: honest, and must not trip the patterns.
HONEST = [
    "No one is told about this answer automatically. It stays on this device.",
    "One of your answers needs attention. No one is told about it automatically, so please "
    "contact your therapist or your service yourself. If you are not safe right now, get help now.",
    "the client sees crisis help at once and is asked to contact you or the service. You are not "
    "told: nothing is sent from the client's device.",
    "Your answers are saved only on this device. Nothing is sent over the internet.",
    "不會有人自動得知這個答案。它只會留在這部裝置上。",
    "你不會收到通知：服務使用者裝置上的資料不會傳送出去。",
    "لن يُبلَّغ أحد بهذه الإجابة تلقائيًا. فهي تبقى على هذا الجهاز فقط.",
    "لن تُبلَّغ أنت: لا يُرسَل شيء من جهاز العميل.",
]


def promises(text: str) -> list[str]:
    """The promises of contact in a text (HTML entities decoded, Arabic marks removed)."""
    plain = _ARABIC_MARKS.sub("", html.unescape(text))
    return [m.group(0) for p in PATTERNS for m in p.finditer(plain)]


@pytest.mark.parametrize("text", OLD_PROMISES)
def test_the_patterns_catch_promises_in_every_shipped_language(text: str) -> None:
    assert promises(text), text


@pytest.mark.parametrize("text", HONEST)
def test_the_patterns_leave_honest_wording_alone(text: str) -> None:
    assert promises(text) == []


def test_no_file_of_the_built_site_promises_contact(sample_site: Path) -> None:
    found: dict[str, list[str]] = {}
    scanned = 0
    for path in sorted(sample_site.rglob("*")):
        if not path.is_file():
            continue
        try:
            text = path.read_text(encoding="utf-8")
        except UnicodeDecodeError:  # images and other binary files hold no words
            continue
        scanned += 1
        hits = promises(text)
        if hits:
            found[path.relative_to(sample_site).as_posix()] = hits
    assert scanned > 300  # pages, therapist guides, scripts, styles, in every locale
    assert found == {}


@pytest.mark.parametrize(
    ("page", "words"),
    [
        ("sad/en-GB/introduction/your-questionnaires", "No one is told about this answer"),
        ("sad/zh-Hant-HK/introduction/your-questionnaires", "不會有人自動得知這個答案"),
        ("sad/ar/introduction/your-questionnaires", "لن يُبلَّغ أحد بهذه الإجابة تلقائيًا"),
        ("ptsd/en-GB/blueprint/checking-your-progress", "No one is told about this answer"),
        ("ptsd/zh-Hant-HK/introduction/your-goals", "不會有人自動得知這個答案"),
    ],
)
def test_the_risk_alert_says_no_one_is_told_and_what_to_do(
    sample_site: Path, page: str, words: str
) -> None:
    text = (sample_site / page / "index.html").read_text(encoding="utf-8")
    start = text.index('data-risk-alert="q9"')
    alert = text[start : text.index("</div>", start)]
    assert words in alert
    assert 'class="crisis-link"' in alert  # what to do now if not safe
    therapist = sample_site / page.split("/")[0] / page.split("/")[1] / "therapist/index.html"
    guide = therapist.read_text(encoding="utf-8")
    assert promises(guide) == []
