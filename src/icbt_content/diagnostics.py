"""Diagnostics: every problem an author or translator can cause, with a stable code and a place.

The library collects :class:`Diagnostic` objects and raises :class:`ContentError` carrying them;
only the CLI prints. Every code is listed once in :data:`CODES`, which the documentation is
generated from, so a code cannot be used without being documented.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path

from icbt_content.errors import IcbtError


class Severity(StrEnum):
    ERROR = "error"
    WARNING = "warning"


@dataclass(frozen=True)
class Code:
    """A diagnostic code: what it means and how to fix it in general."""

    code: str
    severity: Severity
    title: str
    explanation: str
    example: str = ""


def _c(code: str, severity: Severity, title: str, explanation: str, example: str = "") -> Code:
    return Code(code, severity, title, explanation, example)


E, W = Severity.ERROR, Severity.WARNING

#: Every diagnostic code. 1xx files and YAML, 2xx ids and references, 3xx content,
#: 4xx measures, 5xx guidance templates, 6xx translation, 7xx build and site, 8xx clinical
#: safety (crisis services, safety text, hazard log, releases, weekly monitoring), 9xx the
#: deployment's connection to the service (the guidance loop).
CODES: dict[str, Code] = {
    c.code: c
    for c in [
        _c(
            "ICBT100",
            E,
            "File cannot be read",
            "A file could not be read as UTF-8 text, or is larger than the size limit.",
        ),
        _c(
            "ICBT101",
            E,
            "Invalid YAML",
            "A YAML manifest or front matter block is not valid YAML.",
            "title: [unclosed",
        ),
        _c(
            "ICBT102",
            E,
            "Unknown field",
            "A manifest, front matter or directive has a field the format does not define. "
            "Usually a misspelling: the hint names the closest field.",
            "titel: Welcome",
        ),
        _c(
            "ICBT103",
            E,
            "Missing required field",
            "A required field is missing from a manifest, front matter or directive.",
        ),
        _c(
            "ICBT104",
            E,
            "Invalid value",
            "A field has a value of the wrong type or outside the allowed values.",
        ),
        _c(
            "ICBT105",
            E,
            "YAML feature not allowed",
            "Anchors, aliases and custom tags are refused in content YAML to keep it simple "
            "and safe.",
        ),
        _c(
            "ICBT106",
            E,
            "Missing file",
            "A file the programme needs (programme.yaml, a module folder or module.md) is missing.",
        ),
        _c(
            "ICBT110",
            E,
            "Path leaves the project",
            "A symbolic link in the project's sources (a media folder, a page, a module folder, a "
            "whole programme, a PO file, a locale file...) leads outside the source folders "
            "programmes/, locales/, templates/ and licensed/. Nothing is read through it, so no "
            "file from elsewhere on the machine can be published. Links between source folders "
            "are followed.",
            "programmes/sad/media -> /home/me/Pictures",
        ),
        _c(
            "ICBT111",
            E,
            "Media file not allowed",
            "Only passive media are published from media/: PNG, JPEG, GIF, WebP and AVIF images, "
            "SVG drawings without scripts, MP3, M4A, Ogg, Opus and WAV audio, MP4 and WebM video, "
            "and WebVTT captions. Anything else (HTML, scripts, PDF, office files...) or a file "
            "whose content is not what its name says could run in the site's origin and read "
            "clients' saved answers.",
            "programmes/sad/media/worksheet.html",
        ),
        _c(
            "ICBT112",
            E,
            "SVG with active content",
            "An SVG drawing in media/ contains a script, an event attribute (onload=...), a "
            "foreignObject, an element from another language (HTML), an animation of a link, or "
            "a reference to another file or site (href, url(), @import, xml-stylesheet). Export "
            "it again as a plain drawing, or as PNG.",
            '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)">',
        ),
        _c(
            "ICBT115",
            E,
            "YAML too deep or too large",
            "A YAML block is nested more than 32 levels deep or holds more than 20,000 values. "
            "Content YAML needs a few levels and a few hundred values: check the brackets and "
            "indentation, or split the content.",
            "options: [[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[1]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]]",
        ),
        _c(
            "ICBT116",
            E,
            "Page too complex",
            "A page, box or translated text has more links, headings, table columns or cells, "
            "emphasis markers or backticks than the limits allow, or nests quotes and lists "
            "more than 20 levels deep. The limits are far above real content and keep every "
            "page quick to build: split the page.",
        ),
        _c(
            "ICBT117",
            E,
            "Too many pages in a module",
            "A module has more pages than the limit (200). A module is a week or so of work: "
            "split it into several modules.",
        ),
        _c(
            "ICBT201",
            E,
            "Duplicate id",
            "Two modules, pages, exercises, fields or anchors share an id. Ids must be unique so "
            "links and saved answers stay attached to the right thing.",
        ),
        _c(
            "ICBT202",
            E,
            "Invalid id",
            "Ids are lower-case letters, digits and hyphens, starting with a letter.",
            "id: Page One",
        ),
        _c(
            "ICBT203",
            E,
            "Unknown module",
            "A reference names a module that is not in the programme.",
        ),
        _c(
            "ICBT204",
            E,
            "Broken link",
            "A link points to a page, module or anchor that does not exist.",
        ),
        _c(
            "ICBT205",
            E,
            "Unknown questionnaire",
            "A questionnaire directive or programme.yaml names a measure that is not defined.",
        ),
        _c(
            "ICBT206",
            E,
            "Unsafe link",
            "Only https, mailto, tel and relative links are allowed in content.",
            "[click](javascript:alert(1))",
        ),
        _c(
            "ICBT207",
            E,
            "Exercise or field id removed without a migration",
            "An exercise or field id recorded in ids.lock no longer exists. Clients' saved "
            "answers are keyed by these ids: rename through `migrations:` in programme.yaml, "
            "or record the removal there, then run `icbt lock`.",
        ),
        _c(
            "ICBT208",
            E,
            "Invalid migration",
            "A migration in programme.yaml renames from or to an id that does not exist.",
        ),
        _c(
            "ICBT209",
            E,
            "Reserved id",
            "The site keeps some ids for its own elements, or the page's own elements (such as "
            "a questionnaire and its crisis alert) would stop working: `main`, `locked-notice`, "
            "`module-opened`, `export-title`, `export-answers`, `import-answers`, "
            "`delete-answers`, `answers-status`, `check-in-title`, `notes`, `pages`, `messages`, "
            "`modules`, `measures`, and every id starting with `q-`, `measure-`, `icbt-`, `ex-`, "
            "`f-` or "
            "`message-`. An author's `{#id}` or box id cannot be one of them. A heading whose "
            "words would make one gets `section-` in front of its id.",
            "{#measure-phq9}",
        ),
        _c(
            "ICBT210",
            E,
            "Attribute not allowed",
            "Only `{#id}` on the line before a heading is allowed. Classes, `data-` and other "
            "attributes, and ids on other blocks, are refused: the site's look and scripts "
            "depend on markup that content must not imitate.",
            '{.notice data-x="1"}',
        ),
        _c(
            "ICBT211",
            E,
            "Duplicate id in a generated page",
            "A generated page has two elements with the same id, so links, labels or scripts "
            "would find the wrong one. Usually two exercises, boxes or anchors on one page "
            "give the same id: rename one.",
        ),
        _c(
            "ICBT301",
            E,
            "Unknown exercise type",
            "An exercise directive names a type that no installed package registers.",
        ),
        _c("ICBT302", E, "Unknown directive", "A ::: block names a directive that does not exist."),
        _c(
            "ICBT303",
            E,
            "Media without alternative",
            "Images need alt text; audio and video need a transcript.",
        ),
        _c("ICBT304", E, "Empty module", "A module has no pages."),
        _c(
            "ICBT305",
            W,
            "Hard to read",
            "An English client page scores below 60 on the Flesch reading ease scale. Use "
            "shorter sentences and everyday words.",
        ),
        _c(
            "ICBT306",
            W,
            "Distressing content without a route to help",
            "A page marked `distressing: true` (or a trauma narrative exercise) has no "
            "help callout or link to the crisis page on the page.",
        ),
        _c(
            "ICBT308",
            W,
            "Missing therapist notes",
            "A module has no notes for the therapist in module.md.",
        ),
        _c("ICBT309", E, "Empty page", "A page has no content."),
        _c(
            "ICBT401",
            E,
            "Bands leave a gap",
            "A measure's severity bands must cover every possible total. Some totals have no "
            "band, so a client with that score would see no meaning.",
            "bands: [{id: low, min: 0, max: 4, ...}, {id: high, min: 6, max: 27, ...}]",
        ),
        _c(
            "ICBT402",
            E,
            "Bands overlap",
            "Two severity bands of a measure include the same total, so the meaning of that "
            "score would be ambiguous.",
            "bands: [{id: low, min: 0, max: 5, ...}, {id: high, min: 5, max: 27, ...}]",
        ),
        _c(
            "ICBT403",
            E,
            "Option outside its range",
            "An answer's value lies outside the min-max range of its option set, two answers "
            "share a value, or the range's ends are not answers, so totals would be wrong.",
            "option_sets: [{id: frequency, min: 0, max: 3, options: [{value: 4, ...}]}]",
        ),
        _c(
            "ICBT404",
            E,
            "Threshold outside the score range",
            "A caseness threshold, band limit, reliable-change value or risk threshold lies "
            "outside the totals or answers the measure can produce, so it could never apply.",
            "caseness: 30    # on a measure scored 0-27",
        ),
        _c(
            "ICBT405",
            E,
            "Unknown option set or item",
            "An item names an option set the measure does not define, or a subscale names an "
            "item that does not exist.",
        ),
        _c(
            "ICBT406",
            E,
            "Risk rule without crisis help",
            "A risk answer never stands alone: it must show crisis help at once and flag the "
            "result for the therapist.",
            "risk: {above: 0, triggers: [flag-therapist]}",
        ),
        _c(
            "ICBT407",
            E,
            "Score range does not match the items",
            "The measure's `score_range` differs from the range its items and option values "
            "give: an item or an option value is probably missing or wrong.",
        ),
        _c(
            "ICBT408",
            E,
            "Missing wording",
            "An item or answer of a measure that may be published has no text.",
        ),
        _c(
            "ICBT409",
            E,
            "Measure file name does not match its id",
            "A measure is found by its file name: measures/<id>.yaml must have `id: <id>`.",
        ),
        _c(
            "ICBT410",
            E,
            "Licensed wording not supplied",
            "A measure whose wording needs permission is used on a page, but the deploying "
            "service has not supplied the wording in licensed/<measure-id>.yaml. The build "
            "refuses to publish it.",
        ),
        _c(
            "ICBT411",
            E,
            "Licensed wording in shipped content",
            "A measure marked `licence: permission-required` contains wording. Such wording "
            "may only come from the deploying service's own licensed/<measure-id>.yaml.",
        ),
        _c(
            "ICBT412",
            E,
            "Incomplete or mismatched measure wording",
            "A validated translation or licensed wording file must supply the whole wording of "
            "its measure (every item and every answer) and nothing else. Partial translations "
            "are refused: a measure is validated as a whole.",
        ),
        _c(
            "ICBT413",
            W,
            "No validated translation",
            "A measure is shown in a locale whose language differs from the measure's, and no "
            "validated translation was found in locales/<locale>/measures/<measure-id>.yaml. "
            "Clients will see the original wording.",
        ),
        _c(
            "ICBT414",
            W,
            "Measure translation out of date",
            "A validated translation of a measure records the hash of the source wording it was "
            "made from (`source_hash:`). When the measure's wording has changed since, or the "
            "translation records no hash, the translation is not used: the questionnaire is "
            "shown with its original wording, inside the client's language, until the "
            "translation is checked against the new wording and its `source_hash` updated.",
            "source_hash: 0123456789abcdef   # the wording has changed since",
        ),
        _c(
            "ICBT415",
            E,
            "Programme measure shadows a built-in measure",
            "A programme's measures/<id>.yaml has the id of a built-in or installed measure. It "
            "would replace it, and could publish wording whose licence needs permission. Give "
            "the programme's measure its own id, or remove the file to use the built-in one.",
            "programmes/sad/measures/spin.yaml  (id: spin, licence: own)",
        ),
        _c(
            "ICBT416",
            E,
            "Outcome measures cannot be decided",
            "Recovery and reliable change (NHS Talking Therapies) are worked out from the "
            "programme's depression measure and its anxiety measure (a disorder-specific measure "
            "such as SPIN or the PCL-5 when there is one). They are named in `outcome_measures:` "
            "of programme.yaml, or found from the roles of the measures it lists. A named "
            "measure that is not listed, has the wrong role or no caseness and reliable-change "
            "values, or two measures with the same role and no `outcome_measures:`, is an error.",
            "outcome_measures: {depression: phq9, anxiety: gad7}   # gad7 for social anxiety",
        ),
        _c(
            "ICBT431",
            E,
            "Code system is not a URI",
            "A coding of a measure, item, answer or score names its terminology by a URI, as "
            "FHIR does, so other systems can recognise it.",
            "codes: [{system: LOINC, code: 44249-1}]    # use http://loinc.org",
        ),
        _c(
            "ICBT432",
            E,
            "Malformed code",
            "A code is empty, has spaces around it, or is not a valid code of its terminology. "
            "LOINC codes are checked for their form and their check digit, which catches most "
            "typing errors.",
            "codes: [{system: http://loinc.org, code: 44249-2}]    # the check digit is 1",
        ),
        _c(
            "ICBT433",
            E,
            "Two codes from one terminology",
            "A measure, item, answer or score has two codes from the same terminology, so a "
            "system reading it could not tell which one is meant.",
        ),
        _c(
            "ICBT434",
            E,
            "Same code on two things",
            "Two items, two scores, the measure and a score, or two answers of one option set "
            "share a code, so other systems would merge them. Usually a copy-and-paste slip.",
        ),
        _c(
            "ICBT435",
            E,
            "Answers coded in part",
            "Some answers of an option set have codes and others do not. Give every answer its "
            "code, or none, so an exported answer list uses one terminology.",
        ),
        _c(
            "ICBT436",
            E,
            "Invalid measure version",
            "A measure's own version is written MAJOR.MINOR.PATCH, like 1.0.0. It names the "
            "measure's FHIR Questionnaire version, so raise it whenever items, answers, scoring "
            "or codes change.",
            "version: v1",
        ),
        _c(
            "ICBT501",
            E,
            "Template syntax error",
            "A guidance template is not valid Jinja: an unclosed `{{`, `{%` or `{% if %}`, or a "
            "misspelt keyword.",
            "{% if days_since_login > 7 %}It's been a while.",
        ),
        _c(
            "ICBT502",
            E,
            "Unknown template variable",
            "A guidance template uses a variable or field the message context does not have. "
            "The hint names the closest one. Available: client.first_name, therapist.name, "
            "module.id, module.title, exercises_done, measure.id, measure.title, latest_score, "
            "previous_score, change, days_since_login, risk_flagged, and section_link() and "
            "plural().",
            "{{ client.first_nme }}",
        ),
        _c(
            "ICBT503",
            E,
            "Template reaches for internals",
            "A guidance template tries to reach Python or Jinja internals (a name or attribute "
            "starting with `_`, or `self`, `cycler`, `lipsum`, `range`...). Such templates are "
            "never rendered.",
            "{{ client.__class__ }}",
        ),
        _c(
            "ICBT504",
            E,
            "Call not allowed",
            "Only section_link() and plural() can be called in a guidance template. Use a filter "
            "instead of a method: `{{ client.first_name|upper }}`.",
            "{{ client.first_name.upper() }}",
        ),
        _c(
            "ICBT505",
            E,
            "Unknown filter or test",
            "A guidance template uses a filter or test that is not available. Filters: abs, "
            "capitalize, default, first, int, join, last, length, lower, round, title, trim, "
            "upper.",
            "{{ exercises_done|sort }}",
        ),
        _c(
            "ICBT506",
            E,
            "Template feature not allowed",
            "Guidance templates are single messages: extends, include, import, macro, call and "
            "block tags, the ** operator, and * on anything but numbers are not available.",
            "{% include 'footer.md' %}",
        ),
        _c(
            "ICBT507",
            E,
            "Unknown section",
            "section_link() names a module, or a section anchor in it, that does not exist.",
            '{{ section_link("your-model", "self-focs") }}',
        ),
        _c(
            "ICBT508",
            E,
            "Helper used wrongly",
            "section_link() takes a module id and an anchor, written as quoted text; plural() "
            "takes a number and then the forms as quoted text: "
            '`plural(n, "one exercise", "{n} exercises")`.',
        ),
        _c(
            "ICBT509",
            E,
            "Value missing for this message",
            "The message uses a value the client's context does not have, such as module.title "
            "when no module was given. Guard it: `{% if module %}...{% endif %}`.",
        ),
        _c(
            "ICBT510",
            E,
            "Message could not be rendered",
            "The template failed with this context: it printed an empty value (none), a whole "
            "list or object, compared none with a number, or called a helper with a wrong value.",
            "{% if days_since_login > 7 %} when days_since_login is none",
        ),
        _c(
            "ICBT511",
            E,
            "Empty message",
            "A guidance template has front matter but no message text.",
        ),
        _c(
            "ICBT512",
            E,
            "Message too long",
            "A guidance template produced more than 100,000 characters while rendering (its own "
            "text and every printed value, counted also inside `{% set %}` blocks). A message "
            "is a few hundred words.",
            "{% for title in exercises_done %}...a very long text...{% endfor %}",
        ),
        _c(
            "ICBT513",
            E,
            "Too many loop iterations",
            "A guidance template's loops ran more than 10,000 times in one message, all loops "
            "together. Loop over a list of the context once; do not nest loops.",
            "{% for a in exercises_done %}{% for b in exercises_done %}"
            "{% for c in exercises_done %}...",
        ),
        _c(
            "ICBT514",
            E,
            "Nested too deeply",
            "A guidance template nests statements and brackets more than 16 deep (`{% if %}` "
            "inside `{% if %}`, brackets inside brackets, or a run of `not` or `-`), or makes "
            "an expression more than 50 levels deep (a long chain of operators or filters). "
            "Found while reading the template, before it runs.",
            "{{ ((((((((((((((((((1)))))))))))))))))) }}",
        ),
        _c(
            "ICBT515",
            E,
            "Number too large",
            "A guidance template writes or makes a whole number larger than "
            "1,000,000,000,000,000 (by multiplying, adding or formatting). Messages use small "
            "numbers such as scores and days.",
            "{{ 99999999 * 99999999 * 99999999 }}",
        ),
        _c(
            "ICBT516",
            E,
            "Text or list too long",
            "A guidance template would make a text or list longer than 100,000 characters or "
            "items, by joining (`~`, `+`, `join`) or repeating it. The check happens before the "
            "text is made, so the machine never runs out of memory.",
            "{% set s = s ~ s %} repeated twenty times",
        ),
        _c(
            "ICBT517",
            E,
            "Template took too long",
            "Rendering a guidance template took more than 2 seconds of processor time. A real "
            "message renders "
            "in a few milliseconds: the template does far more work than a message needs.",
        ),
        _c(
            "ICBT518",
            E,
            "Formatting not allowed",
            "`%` formatting and the `format` filter take only text and numbers, never a whole "
            "object; `%r` and `%a` (a value's internal form), `*` widths, and widths or "
            "precisions over 100 are refused.",
            "{{ '%r' % client }}",
        ),
        _c(
            "ICBT601",
            E,
            "Catalog cannot be read",
            "A PO file has a line that is not valid PO syntax, a message that appears twice, or "
            "cannot be read as UTF-8. Open it in a PO editor such as Poedit, or compare the line "
            "with the entries around it.",
            'msgstr "Bonjour',
        ),
        _c(
            "ICBT602",
            E,
            "Placeholders changed",
            "A translation must keep every `{placeholder}` (and every `{{ ... }}` and `{% ... %}` "
            "of a guidance message) of the source exactly as written, in any order. Placeholders "
            "are filled in by the program, so a translated or missing one breaks the text.",
            'msgid "Module {module} of {modules}"  msgstr "Modul {Modul} von {modules}"',
        ),
        _c(
            "ICBT603",
            E,
            "Link targets changed",
            "A translation must link to the same pages, sections, addresses and images as the "
            "source (the link text may change). Anchors are the same in every language.",
            'msgid "[get help now](../../crisis.md)"  msgstr "[obtenir de l\'aide](crisis.md)"',
        ),
        _c(
            "ICBT604",
            E,
            "Markdown structure changed",
            "A translation of one block must be one block of the same kind: a paragraph cannot "
            "become a heading, a list or two paragraphs. Check for a `#`, `-` or `1.` at the start "
            "of the translation, or an empty line inside it.",
            'msgid "Take a break."  msgstr "# Faites une pause."',
        ),
        _c(
            "ICBT605",
            E,
            "HTML in a translation",
            "Translations are Markdown: HTML tags are never rendered (they would be shown as "
            "text), and a translation that adds any tag, comment or processing instruction a "
            "browser could read (`<svg/onload=...>`, `<!--`, `<?`) is refused.",
            'msgstr "Bonjour <svg onload=alert(1)>"',
        ),
        _c(
            "ICBT606",
            E,
            "Unsafe link in a translation",
            "Only https, mailto, tel and relative links are allowed in translations, as in the "
            "source.",
            'msgstr "[cliquez](javascript:alert(1))"',
        ),
        _c(
            "ICBT607",
            E,
            "Bidirectional control character",
            "A translation contains an invisible formatting or bidirectional control character: "
            "a zero-width space, joiner or direction mark (U+200B-U+200F), the Arabic letter mark "
            "(U+061C), a byte order mark (U+FEFF), an embedding or override (U+202A-U+202E) or an "
            "isolate (U+2066-U+2069). They can make text display differently from what it says. "
            "The site sets the direction of each language itself: remove them.",
        ),
        _c(
            "ICBT608",
            E,
            "Plural forms missing",
            "The language needs a number of plural forms (from CLDR: one for Chinese, six for "
            "Arabic) and a translation gives fewer, or the catalog's Plural-Forms header does "
            "not match the language.",
            'plural(n, "one exercise", "{n} exercises")  # Arabic needs 6 forms',
        ),
        _c(
            "ICBT609",
            W,
            "Adaptation needs review",
            "The source passage an adaptation replaces has changed since the adaptation was "
            "made (its hash differs). Read the new source, update the adaptation if needed, and "
            "copy the new hash from `icbt i18n adaptations` into its `source_hash`.",
        ),
        _c(
            "ICBT610",
            E,
            "Adaptation target not found",
            "An adaptation replaces a box, page or image that does not exist in the programme, "
            "or an adapted page lacks a section anchor of the page it replaces.",
        ),
        _c(
            "ICBT611",
            W,
            "Catalog out of date",
            "The source has changed since the catalog was last updated: some messages are "
            "missing from it. Run `icbt i18n update`; nothing already translated is lost.",
        ),
        _c(
            "ICBT612",
            W,
            "Crisis page not translated: locale not published",
            "The crisis page of a programme is not fully translated into a locale, so the "
            "programme is not published in that locale: a client in crisis must understand the "
            "page in their own language. Translate the crisis page first.",
        ),
        _c(
            "ICBT613",
            E,
            "Translation refused",
            "A translated guidance message failed its checks (see the message), so the source "
            "message is used in that locale until the translation is fixed.",
        ),
        _c(
            "ICBT616",
            E,
            "Inline markup changed",
            "A translation must keep the source's *emphasis*, **strong emphasis**, "
            "~~strikethrough~~ and `code` spans, as many of each as the source has, around the "
            "words that translate them: a dropped one loses meaning the author marked, an added "
            "code span shows words in a code font.",
            'msgid "Try **one** task."  msgstr "Essayez une tâche."',
        ),
        _c(
            "ICBT617",
            E,
            "Markup left open",
            "A `*`, `**`, backtick, `~~` or `_` in a translation opens or closes nothing, so it "
            "would reach the page as a literal character. Close the markup as in the source, or "
            "write a backslash before the character (`\\*`) to show it.",
            'msgid "Try **one** task."  msgstr "Essayez **une tâche."',
        ),
        _c(
            "ICBT800",
            E,
            "No crisis services",
            "A published locale has no locale.yaml or lists no crisis services, so its crisis "
            "page would have no number to call. Every published locale lists the services of "
            "its country, checked by a clinician.",
            "crisis: []",
        ),
        _c(
            "ICBT801",
            E,
            "Crisis services for no named country",
            "Crisis services differ from country to country. A locale with a region (zh-Hant-HK) "
            "lists that region's services; a language-only locale (ar) must say which country's "
            "services it lists with `country:` (an ISO 3166 code such as GB).",
            "country: Arabia",
        ),
        _c(
            "ICBT802",
            E,
            "Crisis service incomplete",
            "Every crisis service needs a name, the number or words shown, a link (`href:`) and "
            "the hours it answers.",
        ),
        _c(
            "ICBT803",
            E,
            "Unsafe crisis link",
            "A crisis service's link must be `tel:`, `sms:` or `https://`. Any other scheme "
            "(`javascript:`, `data:`, `http:`, `//host`) is refused.",
            'href: "javascript:alert(1)"',
        ),
        _c(
            "ICBT804",
            E,
            "Wrong crisis number",
            "A crisis number is checked against the numbering plan of the locale's country "
            "(with the phonenumbers package): it must be a valid full or short number there, and "
            "the number shown must be the number the link dials. A real number the numbering "
            "data does not list yet is accepted only with `unlisted_number:` saying who "
            "confirmed it.",
            'contact: "116 123"\nhref: "tel:116124"',
        ),
        _c(
            "ICBT805",
            E,
            "Crisis services not checked recently",
            "Every crisis service carries the date a person last checked it (`checked:` on the "
            "service, or `crisis_checked:` for all). No date, a date in the future, or a date "
            "older than the deployment allows (12 months unless `crisis_max_age_months:` in "
            "deploy.yaml says otherwise) is an error.",
            'crisis_checked: "2024-01-10"',
        ),
        _c(
            "ICBT806",
            W,
            "Crisis service not verified",
            "A crisis service is marked `verified: false`: nobody has confirmed it yet. It is "
            "shown, but `--strict` refuses to publish the site until a clinician has confirmed "
            "it and the line is removed.",
            "verified: false",
        ),
        _c(
            "ICBT807",
            W,
            "Locale not published: safety text untranslated",
            "A locale is published only when a client in crisis can understand it: the site's "
            "safety words in interface.po (the risk alert of questionnaires, 'Need help now?', "
            "the crisis links and the crisis page's own words) must be translated, like the "
            "crisis page itself (ICBT612). Until they are, no programme is built in that locale.",
        ),
        _c(
            "ICBT614",
            E,
            "Plural number out of range",
            "The Plural-Forms header gives `nplurals=` outside 1-10, or a `msgstr[n]` has an "
            "index outside 0-9. Languages need at most 6 plural forms.",
            'msgstr[100000000000000000000] "..."',
        ),
        _c(
            "ICBT615",
            E,
            "Catalog too large",
            "A PO file is larger than 10 MB, has more than 50,000 messages, or a string longer "
            "than 100,000 characters. Real catalogs are far smaller: check that the file is "
            "the right one.",
        ),
        _c(
            "ICBT630",
            W,
            "Fuzzy translation not published",
            "A translation is marked `fuzzy`: `icbt i18n update` kept it when its source "
            "changed (the `#| msgid` line shows the text it was made from), or a translator "
            "was unsure. Fuzzy translations are never published, so until someone checks it "
            "the passage is not shown in this language (its module falls back whole). "
            "`icbt check`, `icbt build` and `icbt i18n check` all report it.",
            '#, fuzzy\n#| msgid "Take a short break."\nmsgid "Take a long break."',
        ),
        _c(
            "ICBT631",
            W,
            "Translation of text the source no longer has",
            "A catalog holds a message the source no longer has, so its translation is never "
            "shown: the catalog has not been updated since the source changed. Run "
            "`icbt i18n update`, which keeps the translation as an obsolete `#~` entry for "
            "reuse.",
        ),
        _c(
            "ICBT632",
            W,
            "Interface not fully translated",
            "Some of the site's own words (menus, buttons, messages in interface.po) are not "
            "translated into a locale. The safety words must be (ICBT807); the others are "
            "shown in English, marked as English, while the translation is under way, and a "
            "release built with `--strict` refuses the locale until every one is translated.",
        ),
        _c(
            "ICBT701",
            E,
            "External resource",
            "A template or asset refers to a resource on another host; the site must make no "
            "third-party requests.",
        ),
        _c("ICBT702", E, "Template error", "A project template override could not be rendered."),
        _c(
            "ICBT715",
            E,
            "Site template not allowed",
            "A site template in the project's `templates/` folder tried something the site "
            "template sandbox refuses: a name or attribute starting with `_`, an attribute or "
            "method that is not a field of the page's data or one of the listed methods, "
            "calling something that cannot be called, or formatting a whole object. Project "
            "templates are not trusted: they run in the same sandbox as guidance templates.",
            "{{ ''.__class__.__mro__ }}",
        ),
        _c(
            "ICBT716",
            E,
            "Site template limit",
            "A site template went past a limit of the sandbox: it produced more than "
            "20,000,000 characters, ran its loops more than 1,000,000 times, nested more than "
            "16 deep (or called a macro more than 32 deep), made a number larger than "
            "1,000,000,000,000,000 or a text or list longer than 10,000,000, took more than "
            "20 seconds of processor time, or the template file is larger than 1 MB.",
            "{% for i in range(100000) %}{% for j in range(100000) %}...",
        ),
        _c(
            "ICBT717",
            E,
            "Site template outside the project",
            "A file in the project's `templates/` folder is a link to a file outside that "
            "folder. Site templates are read only from the project itself.",
        ),
        _c(
            "ICBT725",
            E,
            "Build worker stopped",
            "A worker process building a programme stopped without a result (killed, or out of "
            "memory). Nothing is written; build again, or with fewer processes (`--jobs 1`).",
        ),
        _c(
            "ICBT730",
            E,
            "Embed block not understood",
            "An `icbt` fenced block in a page of an MkDocs site must say which programme and "
            "which one exercise or questionnaire to show, as `key: id` lines: `programme:` and "
            "either `exercise:` or `questionnaire:`.",
            "programme: sad\nexercize: first-experiment",
        ),
        _c(
            "ICBT731",
            E,
            "Embedded exercise or questionnaire not found",
            "An `icbt` block names an exercise that is on none of the programme's pages, or a "
            "questionnaire that is not one of the programme's measures.",
            "programme: sad\nquestionnaire: phq8",
        ),
        _c(
            "ICBT732",
            E,
            "Embedded programme not published",
            "An `icbt` block names a programme that no `icbt` plugin in `mkdocs.yml` publishes. "
            "The plugin publishes the programme so that an embedded exercise can link to its "
            "pages, and a questionnaire to its crisis page.",
            "programme: ptsd\nexercise: hot-spots",
        ),
        _c(
            "ICBT733",
            E,
            "Embeds of two programmes on one page",
            "One page has `icbt` blocks of two programmes. Each page carries the data of one "
            "programme for the site's scripts (where answers are saved, which crisis page to "
            "show), so a page can show the exercises and questionnaires of one programme only.",
        ),
        _c(
            "ICBT703",
            E,
            "Output folder not writable",
            "The build could not write or swap in the output folder.",
        ),
        _c(
            "ICBT704",
            E,
            "Output folder would replace sources",
            "The output folder is, contains, or is inside the project or one of its sources "
            "(programmes/, locales/, templates/, licensed/, a programme, its media/), or is the "
            "home folder, the root or one of their parents. Writing there would replace an "
            "author's work, so nothing is written.",
            "icbt build --out programmes",
        ),
        _c(
            "ICBT705",
            E,
            "Output folder not made by icbt",
            "The output is an existing file, a symbolic link, or a folder that is not empty and "
            "has no marker file (.icbt-site for a site, .icbt-export for an export) showing that "
            "an earlier run made it. It may be someone's work, so nothing is written or removed.",
            "icbt build --out ~/Documents",
        ),
        _c(
            "ICBT706",
            E,
            "Write outside the command's own files",
            "A command that updates files in the project (the i18n commands) would write through "
            "a symbolic link, or outside the folder it owns (locales/). Nothing is written.",
            "locales/fr/sad.po -> /etc/passwd",
        ),
        _c(
            "ICBT820",
            E,
            "Risk does not match the risk matrix",
            "A hazard's written risk differs from the risk its severity and likelihood give on the "
            "DCB0129 risk matrix. Correct the severity, the likelihood or the risk.",
            "initial: {severity: major, likelihood: medium, risk: 4}    # the matrix gives 3",
        ),
        _c(
            "ICBT821",
            E,
            "Control names an unknown diagnostic code",
            "A control in the hazard log says a diagnostic code enforces it, but no such code "
            "exists, so nothing checks it. A name that is not a code at all, such as a mistyped "
            "one, is reported as ICBT823.",
        ),
        _c(
            "ICBT822",
            E,
            "Control names a test that does not exist",
            "A control in the hazard log names a test (`tests/<file>.py::<test name>`) whose file "
            "or test function does not exist, so nothing checks it.",
            "enforced_by: [tests/test_build.py::test_that_was_renamed]",
        ),
        _c(
            "ICBT823",
            E,
            "Control enforced by nothing",
            "A control the manufacturer owns must name the diagnostic code (`ICBT306`) or the test "
            "(`tests/<file>.py::<test name>`) that enforces it. A control only the deploying "
            "service can carry out says `owner: deployer` instead.",
            "enforced_by: [a careful reviewer]",
        ),
        _c(
            "ICBT824",
            W,
            "Residual risk not acceptable",
            "After its controls a hazard is still at risk 4 or 5, which DCB0129 does not accept "
            "for release, or at risk 3 without a `rationale` saying why further reduction is "
            "impractical.",
        ),
        _c(
            "ICBT825",
            W,
            "Residual risk above the initial risk",
            "A hazard's risk after its controls is higher than before them. Controls reduce risk: "
            "check the two assessments.",
        ),
        _c(
            "ICBT830",
            E,
            "Released version changed",
            "programme.yaml names a version that was released and signed off, but its sources or "
            "translations have changed since. A released version never changes: set a new "
            "`version:` and record a release with `icbt release` once it is signed off.",
        ),
        _c(
            "ICBT831",
            E,
            "Release record does not match",
            "A release record under releases/ names another programme or version than its file "
            "name, or its total hash does not match its files: records are written by "
            "`icbt release` and never edited.",
        ),
        _c(
            "ICBT840",
            E,
            "Weekly measure not listed",
            "A measure under `weekly:` in programme.yaml is not under `measures:`.",
            "weekly: [phq9]    # but measures: [gad7]",
        ),
        _c(
            "ICBT841",
            E,
            "Weekly measure asks about too long a period",
            "A measure asked every week looks back more than two weeks (its `recall_days`), so "
            "answers overlap and a change shows weeks late. Use a past-week version, such as "
            "`pcl5-weekly` for the PCL-5.",
            "weekly: [pcl5]    # asks about the past month",
        ),
        _c(
            "ICBT842",
            W,
            "Risk asked only at the start and end",
            "The programme has a measure with a risk question (such as PHQ-9 item 9) but none of "
            "its weekly measures has one, so risk is not asked during treatment.",
        ),
        _c(
            "ICBT843",
            E,
            "Check-in page missing or empty",
            "A programme with weekly measures needs check-in.md, the page they are shown on; a "
            "check-in.md needs weekly measures under `weekly:` in programme.yaml.",
        ),
        _c(
            "ICBT844",
            W,
            "Message about worse scores ignores risk",
            "A guidance template for `scores-worse` never reads `risk_flagged`, so it reads the "
            "same to a client who has just reported thoughts of self-harm.",
        ),
        _c(
            "ICBT940",
            E,
            "The console has no FHIR server",
            "`icbt console` reads the FHIR server from the connected site's `fhir:` section of "
            "deploy.yaml, or from `fhir_base` under `console:`; deploy.yaml has neither, so the "
            "console has no server to read clients' work from.",
            "console:\n  fhir_base: https://fhir.example.nhs.uk/R4",
        ),
        _c(
            "ICBT941",
            E,
            "The console's client secret is not set",
            "The console is a confidential SMART client: its secret comes from the environment "
            "variable named by `client_secret_env` (default `ICBT_CONSOLE_CLIENT_SECRET`), never "
            "from deploy.yaml, and that variable is empty.",
        ),
        _c(
            "ICBT942",
            E,
            "The FHIR server's SMART configuration cannot be read",
            "The console asks `<fhir_base>/.well-known/smart-configuration` where to sign "
            "therapists in; the server did not answer with authorization and token endpoints.",
        ),
        _c(
            "ICBT943",
            E,
            "The console and the site name different FHIR servers",
            "`fhir_base` under `console:` differs from the site's `fhir: base_url`: the console "
            "would never see what the site sends. Leave `fhir_base` out when there is `fhir:`.",
        ),
        # 92x: the deployment's connection to the service (deploy.yaml, the guidance loop).
        _c(
            "ICBT920",
            E,
            "FHIR connection without its settings",
            "`connection: fhir` needs a `fhir:` section (the FHIR server and the two SMART apps) "
            "and a `service:` section (its name, contact and risk response time): without them "
            "the site could not say truthfully what happens to a risk answer.",
            "connection: fhir",
        ),
        _c(
            "ICBT921",
            E,
            "Server address not allowed",
            "The FHIR base URL, the authorisation server and the canonical base must be https "
            "addresses without a query or fragment; http is accepted only on 127.0.0.1 or "
            "localhost, for a trial on one machine.",
            "base_url: http://fhir.example.org/r4",
        ),
        _c(
            "ICBT922",
            W,
            "Connection settings not used",
            "deploy.yaml has a `fhir:` or `service:` section but `connection:` is not `fhir`, "
            "so nothing in it is used and the site keeps every answer on the device.",
        ),
        _c(
            "ICBT923",
            E,
            "Scopes do not fit the guidance loop",
            "The SMART scopes of the client site or the console do not grant what the loop "
            "needs (the client writes QuestionnaireResponse and Flag, reads Communication and "
            "CarePlan), or the client site asks for `user/` or `system/` scopes, which reach "
            "other clients' records.",
            "scopes: openid fhirUser launch/patient patient/Observation.rs",
        ),
        _c(
            "ICBT924",
            E,
            "Service wording missing for a locale",
            "`service:` wording given per locale (`name`, `contact`, `risk_response`) must "
            "cover every locale of the project: a client is told what happens after a risk "
            "answer in their own language.",
            "risk_response: {en-GB: one working day}",
        ),
        _c(
            "ICBT925",
            E,
            "One client id for both apps",
            "The client site (a public client) and the therapist console (a confidential "
            "client) must be registered as two apps with their own client ids.",
        ),
        # 96x: the client's records.
        _c(
            "ICBT960",
            E,
            "Exercise cannot be repeatable",
            "`repeatable: true` keeps many dated entries of an exercise; a type that is one "
            "piece of work revised over time (a trauma narrative) cannot be repeated.",
            "repeatable: true",
        ),
        _c(
            "ICBT961",
            E,
            "Exit address not allowed",
            '`exit_url` in programme.yaml, where "Exit this page" takes the client, must be an '
            "https address of a neutral site, without a user name or password.",
            "exit_url: http://example.org",
        ),
        _c(
            "ICBT962",
            E,
            "Repeatable exercise made single",
            "`ids.lock` records that this exercise was released with `repeatable: true`, so "
            "clients may have many dated entries saved under it. Taking `repeatable` away "
            "would leave those entries with no place on the page. Keep it repeatable; for a "
            "single record, add a new exercise with its own id.",
            "repeatable: true",
        ),
        _c(
            "ICBT963",
            E,
            "No such field",
            "`relabel:` or an added field's `after:` names a field the exercise type does not "
            "have. The hint lists the type's fields.",
            "relabel: {situaton: {label: Where I was}}",
        ),
        _c(
            "ICBT964",
            E,
            "Added field clashes",
            "An added field has the id of one of the type's fields, or of another added field: "
            "answers to both would be saved under one id. Give it an id of its own, or use "
            "`relabel:` to change the words of the type's field.",
            "add_fields: [{id: situation, label: Where}]",
        ),
        _c(
            "ICBT965",
            E,
            "Bad field kind",
            "An added field's `kind` is not one of text, longtext, rating, percent, checkbox, "
            "choice or date, or a choice field has no `choices` (or another kind has some).",
            "kind: paragraph",
        ),
        _c(
            "ICBT966",
            E,
            "Field without words",
            "An added field has no `label`, or a relabelled field has neither a `label` nor a "
            "`hint`: the client would see an unnamed box.",
            "add_fields: [{id: sensations}]",
        ),
        _c(
            "ICBT967",
            E,
            "Recalled exercise not found",
            "A `::: recall` directive names an exercise that no page of the programme has.",
            "exercise: drop-sb-experiments",
        ),
        _c(
            "ICBT968",
            E,
            "Recalled field not found",
            "A `::: recall` directive names a field that its exercise does not have.",
            "field: belief",
        ),
        _c(
            "ICBT969",
            E,
            "Nowhere to pre-fill",
            "A `::: recall` directive's `into:` names a field that the next exercise on the "
            "page does not have, or no exercise follows it on the page.",
            "into: belief-now",
        ),
    ]
}


@dataclass(frozen=True, order=True)
class Diagnostic:
    """One problem, at a place, with a hint on how to fix it."""

    file: str
    line: int
    col: int
    code: str
    message: str
    hint: str = ""
    severity: Severity = field(default=Severity.ERROR, compare=False)

    def format(self) -> str:
        text = f"{self.file}:{self.line}:{self.col}: {self.severity}: {self.message} [{self.code}]"
        if self.hint:
            text += f"\n    hint: {self.hint}"
        return text


def diagnostic(
    code: str,
    message: str,
    file: str | Path,
    line: int = 1,
    col: int = 1,
    hint: str = "",
) -> Diagnostic:
    """Make a diagnostic whose severity comes from the code's definition."""
    return Diagnostic(
        file=str(file),
        line=max(1, line),
        col=max(1, col),
        code=code,
        message=message,
        hint=hint,
        severity=CODES[code].severity,
    )


class Diagnostics:
    """An ordered collection of diagnostics from one run."""

    def __init__(self, items: Iterable[Diagnostic] = ()) -> None:
        self._items: list[Diagnostic] = list(items)

    def add(self, item: Diagnostic) -> None:
        self._items.append(item)

    def extend(self, items: Iterable[Diagnostic]) -> None:
        self._items.extend(items)

    def __iter__(self) -> Iterator[Diagnostic]:
        return iter(sorted(set(self._items)))

    def __len__(self) -> int:
        return len(set(self._items))

    @property
    def errors(self) -> list[Diagnostic]:
        return [d for d in self if d.severity is Severity.ERROR]

    @property
    def warnings(self) -> list[Diagnostic]:
        return [d for d in self if d.severity is Severity.WARNING]

    def fails(self, strict: bool = False) -> bool:
        return bool(self.errors or (strict and self.warnings))


class ContentError(IcbtError):
    """Raised when content has errors; carries every diagnostic found."""

    def __init__(self, diagnostics: Iterable[Diagnostic]) -> None:
        super().__init__(diagnostics=diagnostics)


def closest(word: str, candidates: Iterable[str]) -> str | None:
    """Return the closest candidate to a misspelled word, if any is close."""
    matches = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return matches[0] if matches else None


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    match = closest(word, candidates)
    return f"did you mean '{match}'?" if match else ""
