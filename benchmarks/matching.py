"""How long the duplicate search takes: 1,000 new items against 1,000,000 recorded ones.

Run: `python -m benchmarks.matching [RECORDED] [NEW] [--view]`. Prints the time to index the
recorded items in memory and the time for the new ones to find their candidates (issue #23's
target: under 2 s). With --view, the recorded items are stored in a SQLite ledger first, and
the new ones find theirs in the view as `import` does (projections/duplicates.probable).
"""

from __future__ import annotations

import random
import sys
import time
from datetime import date, timedelta

from events import Item, Kind, Source, When
from ledger.matching import DateIndex, candidates

SEED = 23
PLACES = ["闵行区", "淮南市", "莘庄工业区", "淮南高新区", "淮南经开区", "华漕镇", "浦江镇", "谢家集区", "大通区", "寿县"]
SUBJECTS = ["智能电子终端", "新能源汽车", "汽车零部件", "光伏组件", "储能电池", "新材料", "绿色食品", "生物医药",
            "人工智能", "智能显示", "高端装备", "数字创意", "文旅融合", "职业教育", "养老服务", "农产品"]
THINGS = ["产业园项目", "生产基地", "研发中心", "示范园", "专场招聘会", "推介会", "培训班", "座谈会", "对接会"]
KINDS = list(Kind)
SOURCE = Source(document="benchmark", quote="", published=None)
NEW_SOURCE = Source(document="benchmark-new", quote="", published=None)


def _date(rng: random.Random) -> When:
    day = date(2000, 1, 1) + timedelta(days=rng.randrange(31 * 365))
    precision = rng.random()
    if precision < 0.6:
        return When.parse(day.isoformat())
    if precision < 0.9:
        return When.parse(day.isoformat()[:7])
    return When.parse(str(day.year))


def item(rng: random.Random, n: int, source: Source = SOURCE) -> Item:
    place = rng.choice(PLACES)
    title = f"{place}{rng.choice(SUBJECTS)}{rng.choice(THINGS)}第{n % 89 + 1}期"
    return Item(id=f"b{n}", kind=rng.choice(KINDS), when=_date(rng), title=title, source=source,
                actors=(place,), places=(rng.choice(PLACES),))


def main(recorded: int = 1_000_000, new: int = 1_000) -> None:
    rng = random.Random(SEED)
    items = [item(rng, n) for n in range(recorded)]
    fresh = [item(rng, recorded + n, NEW_SOURCE) for n in range(new)]
    start = time.perf_counter()
    index = DateIndex(items)
    indexed = time.perf_counter() - start
    start = time.perf_counter()
    found = candidates(fresh, index)
    searched = time.perf_counter() - start
    print(f"index {recorded:,} recorded items: {indexed:.2f} s")
    print(f"{new:,} new items find their candidates: {searched:.2f} s ({len(found):,} probable pairs)")


def in_view(recorded: int = 1_000_000, new: int = 1_000) -> None:
    import tempfile
    from pathlib import Path

    from ledger.application import Ledger
    from ledger.store import resolve
    from projections.duplicates import probable
    from projections.runner import ReadModel

    rng = random.Random(SEED)
    with tempfile.TemporaryDirectory() as work:
        ledger = Ledger(resolve(str(Path(work) / "ledger.sqlite")))
        model = ReadModel(ledger)
        start = time.perf_counter()
        for batch in ledger.record_all(item(rng, n) for n in range(recorded)):
            model.apply_recordings(batch.recordings)
        stored = time.perf_counter() - start
        fresh = [item(rng, recorded + n, NEW_SOURCE) for n in range(new)]
        start = time.perf_counter()
        found = probable(model, fresh)
        searched = time.perf_counter() - start
        ledger.close()
    print(f"store {recorded:,} recorded items in a SQLite view: {stored:.1f} s")
    print(f"{new:,} new items find their candidates in the view: {searched:.2f} s ({len(found):,} probable pairs)")


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if a != "--view"]
    (in_view if "--view" in sys.argv else main)(*(int(a) for a in args[:2]))
