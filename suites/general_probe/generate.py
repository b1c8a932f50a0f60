"""Deterministic generator of the general-capability probe (catastrophic forgetting).

Project-written multiple-choice questions over several subjects: arithmetic, comparison, units,
calendar, geography, science and English vocabulary. Facts come from small fixed tables below;
questions, distractors and answer positions are drawn with a seed. Scored by log-likelihood of
each choice through lm-eval (``general_probe.yaml``); a variant's score minus the base model's is
its forgetting.

    python suites/general_probe/generate.py     # rewrites probe.jsonl
"""

from __future__ import annotations

import json
import random
from pathlib import Path

CAPITALS = {"France": "Paris", "Italy": "Rome", "Spain": "Madrid", "Germany": "Berlin", "Japan": "Tokyo",
            "Egypt": "Cairo", "Canada": "Ottawa", "Australia": "Canberra", "Portugal": "Lisbon",
            "Greece": "Athens", "Norway": "Oslo", "Sweden": "Stockholm", "Ireland": "Dublin",
            "Austria": "Vienna", "Poland": "Warsaw", "Kenya": "Nairobi", "Peru": "Lima", "Chile": "Santiago",
            "Russia": "Moscow", "China": "Beijing", "India": "New Delhi", "Argentina": "Buenos Aires"}
SCIENCE = [("What do plants need from the air to make sugar?", "carbon dioxide", ["oxygen", "nitrogen", "helium"]),
           ("At sea level, water boils at how many degrees Celsius?", "100", ["50", "0", "212"]),
           ("Which planet is closest to the Sun?", "Mercury", ["Mars", "Jupiter", "Neptune"]),
           ("What is the chemical symbol for gold?", "Au", ["Ag", "Gd", "Go"]),
           ("How many legs does an insect have?", "six", ["eight", "four", "ten"]),
           ("What gas do humans need to breathe to live?", "oxygen", ["carbon dioxide", "argon", "hydrogen"]),
           ("Which organ pumps blood through the body?", "the heart", ["the liver", "the lungs", "the kidney"]),
           ("What is frozen water called?", "ice", ["steam", "fog", "salt"]),
           ("Which planet is known as the Red Planet?", "Mars", ["Venus", "Saturn", "Mercury"]),
           ("What force pulls objects toward the Earth?", "gravity", ["magnetism", "friction", "light"]),
           ("How many days does the Earth take to orbit the Sun?", "about 365", ["about 30", "about 100",
                                                                                 "about 1000"]),
           ("What is the largest ocean on Earth?", "the Pacific", ["the Atlantic", "the Indian",
                                                                   "the Arctic"])]
ANTONYMS = {"hot": "cold", "big": "small", "fast": "slow", "happy": "sad", "early": "late", "open": "closed",
            "light": "dark", "strong": "weak", "rich": "poor", "full": "empty", "young": "old", "wet": "dry",
            "high": "low", "hard": "soft", "loud": "quiet", "thick": "thin", "true": "false", "win": "lose"}
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December"]


def _mc(rng: random.Random, question: str, answer: str, distractors: list[str], subject: str) -> dict:
    choices = [answer, *rng.sample([d for d in dict.fromkeys(distractors) if d != answer], 3)]
    rng.shuffle(choices)
    return {"question": question, "choices": choices, "answer": choices.index(answer), "subject": subject}


def arithmetic(rng):
    a, b = rng.randint(2, 60), rng.randint(2, 40)
    op = rng.choice(["+", "-", "*"])
    value = {"+": a + b, "-": a - b, "*": a * b}[op]
    wrong = [value + d for d in (-10, -2, -1, 1, 2, 10)]
    return _mc(rng, f"What is {a} {op} {b}?", str(value), [str(w) for w in wrong], "arithmetic")


def comparison(rng):
    nums = rng.sample(range(1, 999), 4)
    return _mc(rng, f"Which number is the largest: {', '.join(map(str, nums))}?", str(max(nums)),
               [str(n) for n in nums], "comparison")


def units(rng):
    kind = rng.choice(["km", "hours", "kg"])
    n = rng.randint(2, 9)
    if kind == "km":
        return _mc(rng, f"How many metres are in {n} kilometres?", str(n * 1000),
                   [str(n * 100), str(n * 10), str(n * 10000), str(n)], "units")
    if kind == "hours":
        return _mc(rng, f"How many minutes are in {n} hours?", str(n * 60),
                   [str(n * 100), str(n * 30), str(n * 24), str(n * 6)], "units")
    return _mc(rng, f"How many grams are in {n} kilograms?", str(n * 1000),
               [str(n * 100), str(n * 10), str(n * 10000), str(n)], "units")


def calendar(rng):
    if rng.random() < 0.5:
        i, k = rng.randrange(7), rng.randint(1, 3)
        return _mc(rng, f"What day comes {k} day{'s' if k > 1 else ''} after {DAYS[i]}?", DAYS[(i + k) % 7],
                   DAYS, "calendar")
    i = rng.randrange(12)
    return _mc(rng, f"Which month comes right after {MONTHS[i]}?", MONTHS[(i + 1) % 12], MONTHS, "calendar")


def geography(rng):
    country = rng.choice(list(CAPITALS))
    return _mc(rng, f"What is the capital of {country}?", CAPITALS[country], list(CAPITALS.values()), "geography")


def science(rng):
    question, answer, wrong = rng.choice(SCIENCE)
    return _mc(rng, question, answer, wrong, "science")


def vocabulary(rng):
    word = rng.choice(list(ANTONYMS))
    return _mc(rng, f"What is the opposite of '{word}'?", ANTONYMS[word],
               [w for w in list(ANTONYMS.values()) + list(ANTONYMS) if w not in (word, ANTONYMS[word])],
               "vocabulary")


SUBJECTS = [arithmetic, comparison, units, calendar, geography, science, vocabulary]


def generate(n: int = 240, seed: int = 7) -> list[dict]:
    """``n`` items with distinct questions, subjects in rotation until a subject runs out of facts."""
    rng = random.Random(seed)
    items, seen = [], set()
    subjects = list(SUBJECTS)
    turn = 0
    while len(items) < n and subjects:
        make = subjects[turn % len(subjects)]
        for _ in range(200):
            item = make(rng)
            if item["question"] not in seen:
                seen.add(item["question"])
                items.append({"id": f"probe-{len(items):04d}", **item})
                turn += 1
                break
        else:
            subjects.remove(make)  # every fact of this subject is used
    if len(items) < n:
        raise RuntimeError(f"only {len(items)} distinct questions")
    return items


def main() -> None:
    path = Path(__file__).parent / "probe.jsonl"
    with open(path, "w", encoding="utf-8") as f:
        for item in generate():
            f.write(json.dumps(item, ensure_ascii=False) + "\n")
    print(f"probe: {sum(1 for _ in open(path))} items")


if __name__ == "__main__":
    main()
