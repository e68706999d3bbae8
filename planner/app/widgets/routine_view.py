"""A routine laid out for reading: header, then each step with a hanging indent.

Names, summaries and how-to texts come from routine files, so everything is plain
`Content`, never markup.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.widgets import Static

from planner.domain.vocabulary import TECHNIQUE_WORDS

SIDES = {"both": "both sides", "left": "left side", "right": "right side"}


def side_words(step) -> str:
    """Which side a step works on: a point on the midline (the CV and GV vessels, Yintang)
    has no sides, and reads "midline" as in the session. (Which points lie on the midline
    belongs in the point catalog; until it says so, this is the session screen's test.)"""
    if step.point and step.side == "both" and (
            step.point.startswith(("CV", "GV")) or step.point == "EX-HN3"):
        return "midline"
    return SIDES.get(step.side, step.side)


def duration(seconds: int) -> str:
    m, s = divmod(seconds, 60)
    if not m:
        return f"{s} s"
    return f"{m} min {s} s" if s else f"{m} min"


def step_title(i: int, step, points) -> str:
    point = points.get(step.point) if step.point else None
    if point is not None:
        where = f"{point.code} {point.pinyin} ({point.english}) · {point.zone}"
    else:
        where = step.point or step.zone or "?"
    return f"{i:>2}. {where} · {side_words(step)}"


def step_body(step, points) -> list[tuple[str, str]]:
    """(label, text) lines: where, technique/pressure/direction/time, how, cautions."""
    point = points.get(step.point) if step.point else None
    lines: list[tuple[str, str]] = []
    if point is not None and point.location:
        lines.append(("Where: ", point.location))
    detail = [TECHNIQUE_WORDS.get(step.technique, step.technique), step.action,
              f"{step.pressure} pressure"]
    if step.direction:
        detail.append(step.direction)
    reps = f"{step.seconds} s × {step.repetitions}" if step.repetitions > 1 else f"{step.seconds} s"
    lines.append(("", " · ".join(detail) + f" · {reps}"))
    if step.how:
        lines.append(("How: ", step.how))
    if point is not None:
        for caution in point.cautions:
            lines.append(("⚠ ", caution))
    return lines


class RoutineView(Vertical):
    """Shows one routine (or a message); `plain` holds all its text, for tests and search."""

    DEFAULT_CSS = """
    RoutineView { height: auto; }
    RoutineView .rv-head { height: auto; }
    RoutineView .rv-step { height: auto; text-style: bold; margin: 1 0 0 0; }
    RoutineView .rv-body { height: auto; padding: 0 0 0 4; }
    RoutineView .rv-total { height: auto; margin: 1 0 0 0; }
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.plain = ""

    def show_message(self, message: str) -> None:
        self._replace([Static(Content(message), classes="rv-head")], message)

    def show(self, routine, points, *, header: bool = True) -> None:
        widgets = []
        texts = []
        head: list = []
        if header:
            tags = [routine.id, "user" if routine.source == "user" else "shipped"]
            if routine.starter:
                tags.append("★ starter")
            head += [(routine.name, "bold"),
                     f"\n{' · '.join(tags)} · {duration(routine.total_seconds)}\n"]
            if routine.summary:
                head.append(f"\n{routine.summary}\n")
        head += [("\nTechniques: ", "bold"),
                 ", ".join(TECHNIQUE_WORDS.get(t, t) for t in routine.techniques),
                 ("   Concerns: ", "bold"), ", ".join(routine.concerns)]
        content = Content.assemble(*head)
        widgets.append(Static(content, classes="rv-head"))
        texts.append(content.plain)
        for i, step in enumerate(routine.steps, 1):
            title = step_title(i, step, points)
            widgets.append(Static(Content(title), classes="rv-step"))
            body = step_body(step, points)
            parts: list = []
            for n, (label, text) in enumerate(body):
                if label:
                    parts.append((label, "dim" if label != "⚠ " else "bold"))
                parts.append(text + ("\n" if n < len(body) - 1 else ""))
            body_content = Content.assemble(*parts)
            widgets.append(Static(body_content, classes="rv-body"))
            texts += [title, body_content.plain]
        total = f"Total: {duration(routine.total_seconds)} ({len(routine.steps)} steps)"
        widgets.append(Static(Content.assemble(("Total: ", "bold"), total[7:]), classes="rv-total"))
        texts.append(total)
        self._replace(widgets, "\n".join(texts))

    def _replace(self, widgets, plain: str) -> None:
        self.plain = plain
        with self.app.batch_update():
            self.remove_children()
            self.mount_all(widgets)
