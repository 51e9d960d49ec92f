"""A quiz over one Result: the student fills in the forward values, then the gradients, gate by gate.

The blanks come in the order a student works the lecture's example by hand: each gate's forward
value from the inputs to the output, then, from the output back, the upstream gradient at each
node (and at a branch point first the downstream each consumer sends, then their sum).  Every
wrong answer is diagnosed by :func:`backcalc.feedback.explain_mistake`, the same code that grades
answer keys (sign flipped, branch not summed, upstream not multiplied, a value for a gradient),
and marked with the grading rule (:func:`backcalc.grading.accepts`).

Nothing here reads or prints: :func:`run` is handed a function that reads a line and one that
writes text (the CLI passes stdin and stdout; the tests pass lists).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from .display import one_line
from .result import Result

QUIT = ("q", "quit", "exit", ":q")
DEFAULT_RTOL = 1e-3  # an answer within 0.1% is right (the four digits backcalc shows)
DEFAULT_ATOL = 5e-5


@dataclass
class Blank:
    """One answer the student fills in."""

    key: str  # unique: "value:n1", "grad:x", "part:x<-n1#0"
    what: str  # "value" | "gradient" | "part"
    node: str
    quantity: str  # what is asked, as written: n1, ∂f/∂x, ∂f/∂x (from n1)
    correct: Any
    formula: str = ""  # the gate over its inputs (value blanks)
    consumer: str = ""  # part blanks: the gate that sends it


@dataclass
class Mark:
    blank: Blank
    answers: list[Any] = field(default_factory=list)
    right: bool = False
    hints: list[str] = field(default_factory=list)

    @property
    def first_try(self) -> bool:
        return self.right and len(self.answers) == 1


@dataclass
class Score:
    marks: list[Mark]
    total: int
    stopped: bool = False

    @property
    def right(self) -> int:
        return sum(1 for m in self.marks if m.right)

    @property
    def first_try(self) -> int:
        return sum(1 for m in self.marks if m.first_try)


def blanks(result: Result) -> list[Blank]:
    """The forward values of the gates, then the gradients in backward order."""
    by_id = {n.id: n for n in result.nodes}
    out = result.output
    gates = [n for n in result.nodes if n.op not in ("input", "const")]
    items = [Blank(f"value:{n.id}", "value", n.id, n.id, n.value, formula=n.formula) for n in gates]
    # how many gates use each node: its gradient is complete after the last of them
    users: dict[str, int] = {}
    for n in gates:
        for i in dict.fromkeys(n.inputs):
            if not by_id[i].is_const:
                users[i] = users.get(i, 0) + 1
    seen: dict[str, int] = {}
    for n in reversed(gates):
        if n.downstream is None:
            continue
        for i in dict.fromkeys(n.inputs):  # x*x: one part from the gate, both edges summed
            src = by_id[i]
            if src.is_const:
                continue
            seen[i] = seen.get(i, 0) + 1
            if users[i] > 1:
                part = sum_parts([n.downstream[k] for k, j in enumerate(n.inputs) if j == i])
                items.append(
                    Blank(f"part:{i}<-{n.id}", "part", i, f"∂{out}/∂{i} ({n.id} → {i})", part, consumer=n.id)
                )
            if seen[i] == users[i]:
                items.append(Blank(f"grad:{i}", "gradient", i, f"∂{out}/∂{i}", src.grad))
    return items


def sum_parts(parts: list[Any]) -> Any:
    total = parts[0]
    for v in parts[1:]:
        total = total + v
    return total


def rule_for(decimals: int | None) -> Any:
    from .grading import Rule

    if decimals is not None:
        return Rule(decimals=decimals)
    return Rule(rtol=DEFAULT_RTOL, atol=DEFAULT_ATOL)


def shown(v: Any, decimals: int | None, precision: int = 6) -> str:
    """The correct answer as the student should write it (rounded with --decimals)."""
    if decimals is not None and type(v) is float:
        return f"{round(v, decimals):.{decimals}f}"
    if decimals is not None:
        import numpy as np

        return one_line(np.round(np.asarray(v, dtype=float), decimals), precision)
    return one_line(v, precision)


class Quiz:
    """The blanks of one Result, marked as the grading feature marks an answer key."""

    def __init__(self, result: Result, lang: str = "en", decimals: int | None = None) -> None:
        from .grading import AskItem, KeyProblem
        from .i18n import Messages

        self.result = result
        self.m = Messages(lang)
        self.decimals = decimals
        self.rule = rule_for(decimals)
        self.blanks = blanks(result)
        self.items = {
            b.key: AskItem(
                b.key, "value" if b.what == "value" else "node", b.node, b.quantity, b.correct, 1.0
            )
            for b in self.blanks
        }
        self.problem = KeyProblem(0, "quiz", result.expression, self.rule, list(self.items.values()), result)
        self.read: dict[str, Any] = {}  # answers given so far (a swap is found against them)

    def is_right(self, blank: Blank, answer: Any) -> bool:
        from .grading import accepts

        return accepts(self.rule, answer, blank.correct)

    def diagnose(self, blank: Blank, answer: Any) -> tuple[str | None, str | None]:
        """(kind, message) of the wrong answer's likely mistake, as grading names it (None, None if no guess)."""
        from .feedback import explain_mistake
        from .grading import accepts

        it = self.items[blank.key]
        if blank.what == "part":  # a part is not the sum: no 'branch not summed' for it
            it = type(it)(
                it.key, "value" if blank.what == "value" else "node", "", it.quantity, it.correct, 1.0
            )
        try:
            return explain_mistake(self.problem, it, answer, self.read, self.m, accepts)
        except (TypeError, ValueError):  # an array answer of another shape: no diagnosis
            return None, None

    def answer(self, mark: Mark, answer: Any) -> str:
        """Mark one attempt; the message to show."""
        b = mark.blank
        mark.answers.append(answer)
        self.read[b.key] = answer
        if self.is_right(b, answer):
            mark.right = True
            return self.m("quiz.right")
        kind, why = self.diagnose(b, answer)
        if kind:
            mark.hints.append(kind)
        if len(mark.answers) >= 2:  # the second miss: the answer, and the grading's full diagnosis
            return self.m("quiz.reveal", correct=shown(b.correct, self.decimals)) + (
                f" ({why})" if why else ""
            )
        if kind is None:
            return self.m("quiz.wrong")
        return (
            self.m("quiz.wrong") + " " + self.m("quiz.hint." + kind, node=b.node, consumer=self._consumer(b))
        )

    def _consumer(self, b: Blank) -> str:
        info = self.problem.info
        cons = info.consumers.get(b.node, []) if info is not None else []
        return ", ".join(dict.fromkeys(c for c, _, _ in cons)) or self.result.output

    def prompt(self, b: Blank) -> str:
        if b.what == "value":
            return self.m("quiz.ask_value", node=b.node, formula=b.formula)
        if b.what == "part":
            return self.m(
                "quiz.ask_part", grad=f"∂{self.result.output}/∂{b.node}", consumer=b.consumer, node=b.node
            )
        return self.m("quiz.ask_grad", grad=b.quantity)


def read_answer(text: str) -> Any:
    """A typed answer: a number (-4, 0.5, 1/3) or an array ([1, 2]); BackcalcError otherwise."""
    from .values import parse_array, parse_scalar

    text = text.strip()
    if text.startswith("["):
        return parse_array(text, "answer")
    return parse_scalar(text, "answer")


def run(
    result: Result,
    read_line: Callable[[], str | None],
    write: Callable[[str], None],
    lang: str = "en",
    decimals: int | None = None,
    echo: bool = False,
) -> Score:
    """The quiz, one blank at a time: ``read_line`` gives the next answer (None at the end of input).
    ``echo`` writes each answer after its prompt (input from a pipe is not echoed by a terminal)."""
    from .errors import BackcalcError

    q = Quiz(result, lang, decimals)
    m = q.m
    out = result.output
    write(m("quiz.intro", count=len(q.blanks), expr=result.expression.strip()) + "\n")
    if decimals is not None:
        write(m("quiz.decimals", decimals=decimals) + "\n")
    marks: list[Mark] = []
    section = None
    stopped = False
    for b in q.blanks:
        sec = "value" if b.what == "value" else "grad"
        if sec != section:
            section = sec
            write("\n" + m("quiz.forward" if sec == "value" else "quiz.backward", out=out) + "\n")
        mark = Mark(b)
        marks.append(mark)
        while len(mark.answers) < 2 and not mark.right:
            write(q.prompt(b) + " ")
            line = read_line()
            if line is None or line.strip().lower() in QUIT:
                stopped = True
                break
            if not line.strip():
                if echo:
                    write("\n")
                continue
            if echo:
                write(line.strip() + "\n")
            try:
                a = read_answer(line)
            except BackcalcError as e:
                write("  " + m("quiz.unreadable", reason=str(e)) + "\n")
                continue
            write("  " + q.answer(mark, a) + "\n")
        if stopped:
            if not mark.answers:
                marks.pop()
            break
    score = Score(marks, len(q.blanks), stopped)
    write("\n" + m("quiz.score", right=score.right, total=score.total, first=score.first_try) + "\n")
    if stopped:
        write(m("quiz.stopped", answered=len(marks), total=score.total) + "\n")
    return score


__all__ = ["Blank", "Mark", "Score", "Quiz", "blanks", "read_answer", "run", "shown"]
