"""Writes repeat-heavy.csv: 3,000 requests over 600 held-out amazon sentences, their popularity Zipf-like
(s = 0.9), arriving at 100,000 a day (Poisson), each with its dataset label. Same seed, same file:
    python3 examples/traffic/make-repeat-heavy.py
"""
import csv, json, math, random, datetime, pathlib

here = pathlib.Path(__file__).parent
rows = [r for r in json.load(open(here / "../../sentiment/src/main/resources/data/sentiment/amazon.json"))
        if r["text"] and r["class"] is not None]
rng = random.Random(17)
picked = rng.sample(rows, 600)
weights = [1 / (k + 1) ** 0.9 for k in range(len(picked))]
t = datetime.datetime(2026, 11, 30, 14, 0, 0, tzinfo=datetime.timezone.utc)
with open(here / "repeat-heavy.csv", "w", newline="") as f:
    w = csv.writer(f, lineterminator="\n")
    w.writerow(["text", "timestamp", "label"])
    for _ in range(3000):
        t += datetime.timedelta(seconds=-math.log(1 - rng.random()) * 86400 / 100000)
        r = rng.choices(picked, weights)[0]
        w.writerow([r["text"], t.strftime("%Y-%m-%dT%H:%M:%S.%fZ"), r["class"]])
