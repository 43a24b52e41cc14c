"""Seeded English prose for the corpus: sentences, paragraphs, headings, list items, tables.

The words are the everyday words of a CBT self-help text, drawn with Zipf-like weights so that
some words are common and most are rare, as in real prose (a memo of per-word work, such as a
syllable count, then gets the hit rate it would get on real pages).
"""

from __future__ import annotations

import itertools
import random

_VOCABULARY = """
you the and to a of your it is that in what for this when with can do be about people not
they feel may how more think or other will what if at as are one have so thoughts way time
anxiety notice some things help would try each day week might them something which there
then their worry could say often want because before after out all like just see talk
feeling anxious fear safe safety behaviours attention focus yourself around others
situation situations happened predicted prediction belief believe rating experiment
experiments therapist programme module page practice practise small step steps plan
planned test tested learned learning memory memories image images picture pictures
self conscious blushing shaking sweating voice hands face heart breathing mind blank
conversation conversations meeting meetings friends family colleagues party parties shop
phone call calls message messages evening morning weekend work school home town bus train
careful carefully gently slowly quickly usually sometimes rarely never always together
alone quietly clearly honest kind useful helpful difficult harder easier better worse
strong stronger weak tired calm nervous embarrassed ashamed worried relieved surprised
notice noticed noticing remember remembered imagine imagined expect expected hope hoped
decide decided choose chose write wrote read answer answers question questions goal goals
progress review reviewed record records diary list lists rule rules assumption assumptions
cycle pattern patterns keeps going stops starts change changes changed changing new old
first second third last next later earlier early late often enough whole part parts
really quite very rather much many few little less least most best worst same different
"""
WORDS = list(dict.fromkeys(_VOCABULARY.split()))

HEADING_PHRASES = (
    """
What you might notice|How the worry keeps going|Why this happens|Trying something different
Looking back at the week|Planning your next step|When things feel hard|What other people see
Your own words|A closer look at safety behaviours|Shifting your attention outwards
Testing a prediction|What happened instead|Making sense of the results|Keeping it going
Small steps first|Building on what works|Common questions|If you get stuck|Before you start
After the experiment|Noticing your thoughts|Finding another view|Talking to your therapist
Setting a goal|Checking your progress|What the research says|A week in practice
Reading the signs|Coming back to the present|Letting go of rehearsing|Dropping the script
Asking for feedback|Recording what you learned|Choosing a situation|Rating your belief
Looking outwards|Staying in the moment|When memories come back|Planning for setbacks
The bigger picture|Putting it together|Your plan for the weeks ahead|Thinking about next time
Questions to ask yourself|What helped most|What got in the way|How sure are you now
""".strip()
    .replace("\n", "|")
    .split("|")
)

TABLE_HEADERS = (
    ("Situation", "What I predicted", "How strongly (0-100)"),
    ("Day", "What I tried", "What happened"),
    ("Safety behaviour", "What I fear would happen without it", "What I will try"),
    ("Thought", "Another way of seeing it", "Belief now (0-100)"),
)


class Writer:
    """Seeded prose: the same seed always writes the same text."""

    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        weights = [1.0 / (rank + 3) for rank in range(len(WORDS))]
        self._cumulative = list(itertools.accumulate(weights))

    def words(self, count: int) -> list[str]:
        return self.rng.choices(WORDS, cum_weights=self._cumulative, k=count)

    def sentence(self, low: int = 8, high: int = 18, emphasis: bool = True) -> str:
        words = self.words(self.rng.randint(low, high))
        if emphasis and self.rng.random() < 0.15:
            i = self.rng.randrange(1, len(words))
            words[i] = f"**{words[i]}**" if self.rng.random() < 0.5 else f"*{words[i]}*"
        text = " ".join(words)
        return text[0].upper() + text[1:] + "."

    def paragraph(self, sentences: int) -> str:
        return " ".join(self.sentence() for _ in range(sentences))

    def short(self, low: int = 2, high: int = 5) -> str:
        """A few words, capitalised, without a full stop (a table cell, a title)."""
        text = " ".join(self.words(self.rng.randint(low, high)))
        return text[0].upper() + text[1:]

    def headings(self, count: int) -> list[str]:
        """Distinct heading texts (so their anchors are distinct too)."""
        return self.rng.sample(HEADING_PHRASES, count)

    def table(self, rows: int) -> str:
        header = self.rng.choice(TABLE_HEADERS)
        lines = ["| " + " | ".join(header) + " |", "|" + "---|" * len(header)]
        for _ in range(rows):
            cells = [self.short(), self.short(3, 7), str(self.rng.randrange(0, 101, 5))]
            lines.append("| " + " | ".join(cells) + " |")
        return "\n".join(lines)


def slug(text: str) -> str:
    """The anchor of a heading of plain ASCII words (icbt, MkDocs and Hugo all agree on it)."""
    return "-".join(text.lower().split())
