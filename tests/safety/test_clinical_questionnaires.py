"""A client's questionnaire and crisis help stay in their locale (issue 10, defect 2).

Where a locale has no validated translation of a measure, the questionnaire is shown on the
client's own page: navigation, buttons, risk alert and crisis link in their language and for their
country, and only the measure's validated words in English, marked as English. Modules served in
the source language (fallback) still give safety advice in the client's language.
"""

from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path

import pytest

SAFETY_WORDS = {
    "zh-Hant-HK": {
        "help": "現在需要幫助？",
        "alert": "不會有人自動得知這個答案",
        "link": "立即求助",
    },
    "ar": {
        "help": "هل تحتاج إلى مساعدة الآن؟",
        "alert": "لن يُبلَّغ أحد بهذه الإجابة تلقائيًا",
        "link": "اطلب المساعدة الآن",
    },
}


class _Page(HTMLParser):
    """The language of the page, and each link to a crisis page with its text and language
    ("site" links: "Need help now?", the risk alert's and help boxes'; "content" links: the
    author's)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.lang = ""
        self.stack: list[tuple[str, str]] = []
        self.links: list[dict[str, str]] = []
        self.legends: list[str] = []
        self._link: dict[str, str] | None = None
        self._in_help_box = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {k: v or "" for k, v in attrs}
        if tag == "html":
            self.lang = values.get("lang", "")
        inherited = self.stack[-1][1] if self.stack else ""
        lang = values.get("lang", inherited)
        if tag not in {"input", "meta", "link", "br", "img", "source", "track", "hr"}:
            self.stack.append((tag, lang))
        if tag == "legend":
            self.legends.append(lang)
        if tag == "p" and "callout-help-link" in values.get("class", "").split():
            self._in_help_box = True
        site = (
            "help-now" in values.get("class", "").split()
            or "data-crisis-link" in values
            or self._in_help_box
        )
        # The language list (links with hreflang) leads to the same page in another language,
        # the crisis page included, for a client who chooses that language: not a crisis link.
        language_choice = "hreflang" in values
        if (
            tag == "a"
            and not language_choice
            and (site or values.get("href", "").endswith("crisis/"))
        ):
            kind = "site" if site else "content"
            self._link = {"href": values.get("href", ""), "lang": lang, "text": "", "kind": kind}

    def handle_endtag(self, tag: str) -> None:
        if tag == "p":
            self._in_help_box = False
        if tag == "a" and self._link is not None:
            self.links.append(self._link)
            self._link = None
        while self.stack:
            if self.stack.pop()[0] == tag:
                break

    def handle_data(self, data: str) -> None:
        if self._link is not None:
            self._link["text"] += data


def _parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def _target(site: Path, page: Path, href: str) -> str:
    folder = page.parent.relative_to(site).as_posix()
    return posixpath.normpath(posixpath.join(folder, href)) + "/"


def _client_pages(site: Path, programme: str, locale: str) -> list[Path]:
    root = site / programme / locale
    return [p for p in sorted(root.rglob("index.html")) if "therapist" not in p.parts]


LOCALES = [("sad", "zh-Hant-HK"), ("sad", "ar"), ("ptsd", "zh-Hant-HK"), ("sad", "en-GB")]


@pytest.mark.parametrize(("programme", "locale"), LOCALES)
def test_every_crisis_link_leads_to_the_clients_own_crisis_page(
    sample_site: Path, programme: str, locale: str
) -> None:
    for path in _client_pages(sample_site, programme, locale):
        page = _parse(path)
        assert page.links, path
        for link in page.links:
            assert _target(sample_site, path, link["href"]) == f"{programme}/{locale}/crisis/", (
                path,
                link,
            )
            if locale in SAFETY_WORDS and link["kind"] == "site":  # the site's own crisis links
                assert link["lang"] == locale, (path, link)
                assert link["text"].strip() in {
                    SAFETY_WORDS[locale]["help"],
                    SAFETY_WORDS[locale]["link"],
                }, (path, link)


@pytest.mark.parametrize(
    "page",
    [
        "sad/zh-Hant-HK/introduction/your-questionnaires",
        "sad/ar/introduction/your-questionnaires",
        "ptsd/zh-Hant-HK/introduction/your-goals",
    ],
)
def test_a_questionnaire_without_a_translation_stays_in_the_clients_locale(
    sample_site: Path, page: str
) -> None:
    locale = page.split("/")[1]
    path = sample_site / page / "index.html"
    text = path.read_text(encoding="utf-8")
    parsed = _parse(path)
    assert parsed.lang == locale
    # Never a link to the English questionnaire (and its English risk alert and UK numbers),
    # but for the language list's, which the client follows only by choosing English.
    english = [line for line in text.splitlines() if f"/en-GB/{page.split('/', 2)[2]}" in line]
    assert all('hreflang="en-GB"' in line for line in english), english
    assert len(english) <= 1 and 'hreflang="en"' not in text
    # The measure's own words are the validated English, marked as English (measures with a
    # validated translation, such as the weekly ratings, are in the client's language).
    assert "en" in parsed.legends and set(parsed.legends) <= {"en", locale}
    assert ">See my score<" not in text and "Need help now?" not in text
    alert = text[text.index('data-risk-alert="q9"') :]
    alert = alert[: alert.index("</div>")]
    assert SAFETY_WORDS[locale]["alert"] in alert and "lang=" not in alert.split(">")[0]


@pytest.mark.parametrize(
    ("page", "locale", "direction"),
    [
        ("ptsd/zh-Hant-HK/blueprint/checking-your-progress", "zh-Hant-HK", ""),
        ("sad/ar/blueprint/looking-back", "ar", "rtl"),
    ],
)
def test_a_page_served_in_the_source_language_gives_safety_advice_in_the_clients(
    sample_site: Path, page: str, locale: str, direction: str
) -> None:
    path = sample_site / page / "index.html"
    text = path.read_text(encoding="utf-8")
    assert _parse(path).lang == "en-GB"  # the module is not translated yet
    marks = f' lang="{locale}"' + (f' dir="{direction}"' if direction else "")
    assert f'<a class="help-now" href="../../crisis/"{marks}>{SAFETY_WORDS[locale]["help"]}' in text
    start = text.index('data-risk-alert="q9"')
    alert = text[start : text.index("</div>", start)]
    assert f'role="alert"{marks} hidden' in alert
    assert SAFETY_WORDS[locale]["alert"] in alert
    assert f'href="../../crisis/">{SAFETY_WORDS[locale]["link"]}</a>' in alert


def test_every_page_of_a_translated_locale_says_need_help_in_its_language(
    sample_site: Path,
) -> None:
    for programme, locale in LOCALES[:3]:
        for path in _client_pages(sample_site, programme, locale):
            assert SAFETY_WORDS[locale]["help"] in path.read_text(encoding="utf-8"), path
