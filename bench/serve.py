"""Web app load: ``newstrace serve`` over a 20,000-article store, 50 concurrent clients.

Builds (or reuses, cached in ``bench/_data/``) a store from ``bench/corpus.py``'s corpus: ingest,
find_copies, find_provenance, detect_spin, find_events (each timed; ``--skip-*`` leaves one
out). Then serves it with uvicorn on 127.0.0.1 in a subprocess (one process, as ``newstrace
serve`` runs) and drives it on loopback with ``--clients`` concurrent asyncio clients (a lean
keep-alive HTTP/1.1 client, or ``--client httpx``; one request in flight each) for
``--duration`` seconds, requesting a mix of event pages, article pages and search pages. Prints
requests/s, p50/p95/max latency and errors per page type, the CPU seconds of server and load
generator, and the load average; stops the server at the end. ``--cache-mb 0`` turns the
server's page cache off, so every request is worked out afresh.

    .venv/bin/python bench/serve.py                        # 20,000 articles, 50 clients, 30 s
    .venv/bin/python bench/serve.py --n 5000 --duration 10
    .venv/bin/python bench/serve.py --json                 # figures as JSON on stdout

Target (issue): 0 errors, p95 <= 200 ms on 2 cores. The load generator runs on the same machine
and takes CPU from the server: figures are for server + client together.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import random
import secrets
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from collections.abc import Callable
from urllib.parse import quote, urlencode

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))

import corpus as corpus_mod  # noqa: E402  (bench/corpus.py)

try:
    import httpx
    from newstrace import pipeline
    from newstrace.config import Config
    from newstrace.store import open_store
except ImportError as exc:  # pragma: no cover
    sys.exit(f"bench: {exc}; install newstrace with the serve extra and httpx: "
             ".venv/bin/pip install -e '.[serve]' httpx")

STORE_VERSION = 1
STAGES = ("ingest", "find_copies", "find_provenance", "detect_spin", "find_events")
PAGE_TYPES = ("event", "article", "search")

SERVER = """
import sys
from newstrace.serve import run
run(sys.argv[1], host="127.0.0.1", port=int(sys.argv[3]), token=sys.argv[2],
    workers=int(sys.argv[5]), cache_bytes=int(sys.argv[4]), access_log=False)
"""


def log(*a: object) -> None:
    print(*a, file=sys.stderr, flush=True)


# -- the store -------------------------------------------------------------------------------

def build_store(n: int, planted: int, seed: int, workers: int, stages: list[str],
                rebuild: bool) -> tuple[Path, dict]:
    """The cached store holding ``stages`` (run those missing); returns (path, stamp)."""
    name = f"serve-v{STORE_VERSION}-c{corpus_mod.CORPUS_VERSION}-n{n}-p{planted}-s{seed}.db"
    db = corpus_mod.CACHE_DIR / name
    stamp_path = db.with_suffix(".json")
    stamp = json.loads(stamp_path.read_text()) if stamp_path.exists() and not rebuild else {}
    if stamp.get("stages", [None])[:1] != ["ingest"] or any(
            s not in STAGES for s in stamp.get("stages", [])):
        stamp = {}
    done = stamp.get("stages", [])
    # stages run in order: a later stage already run over a store missing an earlier one
    # would be stale, so rebuild from the first missing stage that precedes a done one
    if not stamp or [s for s in STAGES if s in done] != done or \
            any(STAGES.index(s) > STAGES.index(m) for m in stages if m not in done
                for s in done):
        stamp, done = {}, []
    if not done:
        for suffix in ("", "-wal", "-shm"):
            Path(f"{db}{suffix}").unlink(missing_ok=True)
        stamp = {"stages": [], "seconds": {}}
    todo = [s for s in STAGES if s in stages and s not in done]
    if not todo:
        log(f"store: reusing {db} ({', '.join(done)})")
        return db, stamp
    config = Config(workers=workers)
    shard_dir = None
    if "ingest" in todo:
        t = time.perf_counter()
        c = corpus_mod.build(n, seed, planted)
        shard_dir = corpus_mod.corpus_dir(n, seed, planted)
        corpus_mod.write_jsonl(c.records, shard_dir)
        log(f"corpus: {len(c.records)} articles in {shard_dir} "
            f"({time.perf_counter() - t:.1f} s)")
    with open_store(db) as store:
        for stage in todo:
            t = time.perf_counter()
            if stage == "ingest":
                r = pipeline.ingest(store, [str(shard_dir)], config)
                what = f"{r.new} new, {len(r.skipped)} skipped"
            elif stage == "find_copies":
                pairs, clusters = pipeline.find_copies(store, config)
                what = f"{len(pairs)} pairs, {len(clusters)} clusters"
            elif stage == "find_provenance":
                what = f"{len(pipeline.find_provenance(store, config))} reuse links"
            elif stage == "detect_spin":
                what = f"{len(pipeline.detect_spin(store))} verdicts"
            else:
                what = f"{len(pipeline.find_events(store))} events"
            secs = time.perf_counter() - t
            log(f"store: {stage} {secs:.1f} s ({what})")
            stamp["stages"].append(stage)
            stamp["seconds"][stage] = round(secs, 2)
            stamp["stages"] = [s for s in STAGES if s in stamp["stages"]]
            stamp_path.write_text(json.dumps(stamp, indent=1))
    return db, stamp


def targets(db: Path, seed: int, n_searches: int = 3000) -> dict[str, list[str]]:
    """URLs to request: every event page, every article page, and ``n_searches`` searches of
    the kinds the search page offers (words, two words, place, outlet, date range, relation,
    and words combined with a filter), drawn from the store so that most find something."""
    rng = random.Random(seed)
    with open_store(db, readonly=True) as store:
        cards = store.events()
        events = [c["id"] for c in cards]
        places = sorted({str((c.get("where") or {}).get("name") or "") for c in cards} - {""})
        outlets = sorted(o for o, _ in store.outlets() if o)
        ids, titles, months = [], [], set()
        for art in store.iter_articles():
            ids.append(art.id)
            titles.append(art.title or "")
            pub = art.first("published") or ""
            if len(pub) >= 7:
                months.add(pub[:7])
        relations = sorted({r for _, _, r in store.reuse_relations()})
    months_l = sorted(months)
    word_lists = [[w.lower() for w in t.split() if w.isalpha() and len(w) > 3] for t in titles]
    words = sorted({w for ws in word_lists for w in ws})

    def word() -> str:
        return rng.choice(words)

    def pair() -> str:  # two words of one title, so the pair usually finds its article
        ws = rng.choice([ws for ws in (rng.choice(word_lists) for _ in range(20))
                         if len(ws) > 1] or [[word(), word()]])
        return " ".join(rng.sample(ws, 2))

    def dates() -> dict[str, str]:
        a = rng.randrange(len(months_l))
        b = min(len(months_l) - 1, a + rng.choice((0, 1, 2, 5, 11)))
        return {"from": months_l[a], "to": months_l[b]}

    makers: list[tuple[float, Callable[[], dict[str, str]]]] = [
        (30, lambda: {"q": word()}),
        (15, lambda: {"q": pair()}),
        (10, lambda: {"place": rng.choice(places)} if places else {"q": word()}),
        (8, lambda: {"outlet": rng.choice(outlets)} if outlets else {"q": word()}),
        (8, lambda: {"q": word(), "outlet": rng.choice(outlets)} if outlets else {"q": word()}),
        (8, dates),
        (8, lambda: {"q": word(), **dates()}),
        (5, lambda: {"relation": rng.choice(relations)} if relations else {"q": word()}),
        (8, lambda: {"q": word(), "relation": rng.choice(relations)} if relations
         else {"q": word()}),
    ]
    weights = [w for w, _ in makers]
    searches: dict[str, None] = {}  # distinct, in the order drawn
    tries = 0
    while len(searches) < n_searches and tries < 20 * n_searches:
        tries += 1
        params = rng.choices(makers, weights)[0][1]()
        searches["/search?" + urlencode(params, quote_via=quote)] = None
    return {"event": [f"/events/{e}" for e in events],
            "article": [f"/articles/{a}" for a in ids],
            "search": list(searches)}


# -- server and load -------------------------------------------------------------------------

def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(db: Path, port: int, cache_bytes: int = 64 << 20, workers: int = 1
                 ) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src") + os.pathsep +
           os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-c", SERVER, str(db), secrets.token_urlsafe(16),
                             str(port), str(cache_bytes), str(workers)], env=env,
                            stdout=sys.stderr)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise SystemExit(f"bench: the server exited with {proc.returncode}")
        try:
            if httpx.get(f"http://127.0.0.1:{port}/api/events", timeout=30).status_code == 200:
                return proc
        except httpx.HTTPError:
            time.sleep(0.2)
    stop_server(proc)
    raise SystemExit("bench: the server did not answer within 60 s")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of a process and its live descendants so far (uvicorn's
    worker processes; Linux /proc; nan elsewhere)."""
    try:
        stats = {}
        for entry in os.listdir("/proc"):
            if entry.isdigit():
                try:
                    fields = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()
                except OSError:
                    continue  # gone meanwhile
                stats[int(entry)] = (int(fields[1]),
                                     (int(fields[11]) + int(fields[12])) / os.sysconf(
                                         "SC_CLK_TCK"))
        total, todo = 0.0, [pid]
        while todo:
            p = todo.pop()
            total += stats[p][1] if p in stats else 0.0
            todo += [c for c, (ppid, _) in stats.items() if ppid == p]
        return total if pid in stats else float("nan")
    except (OSError, IndexError, ValueError):
        return float("nan")


def stop_server(proc: subprocess.Popen) -> None:
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


class RawConnection:
    """A lean HTTP/1.1 keep-alive client for GETs on loopback (asyncio streams). httpx spends
    about 4 ms of CPU per request, which on 2 cores takes half the machine from the server it
    measures; this spends a few tenths of that. Reconnects after an error."""

    def __init__(self, host: str, port: int) -> None:
        self.host, self.port = host, port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def get(self, path: str) -> tuple[int, str]:
        """(status, the X-Cache header: hit, miss or empty)."""
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection(self.host, self.port)
        assert self.reader is not None
        try:
            self.writer.write(f"GET {quote(path, safe='/?=&+%')} HTTP/1.1\r\n"
                              f"Host: {self.host}:{self.port}\r\n\r\n".encode())
            head = await self.reader.readuntil(b"\r\n\r\n")
            lines = head.decode("latin-1").split("\r\n")
            status = int(lines[0].split(" ", 2)[1])
            headers = {k.strip().lower(): v.strip() for k, _, v in
                       (ln.partition(":") for ln in lines[1:] if ln)}
            if headers.get("transfer-encoding", "").lower() == "chunked":
                while True:
                    size = int((await self.reader.readuntil(b"\r\n")).split(b";")[0], 16)
                    await self.reader.readexactly(size + 2)
                    if size == 0:
                        break
            else:
                await self.reader.readexactly(int(headers.get("content-length", "0")))
            if headers.get("connection", "").lower() == "close":
                await self.close()
            return status, headers.get("x-cache", "")
        except BaseException:
            await self.close()
            raise

    async def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
            self.writer = None


async def warm_up(port: int, connections: int) -> None:
    """What each worker process builds once per store version (the catalogue, the article
    index of the search filters), built before the clock starts: requests on fresh
    connections, which the kernel spreads over the workers; API paths the load never asks
    for, so no measured page is cached by it."""
    async def one() -> None:
        conn = RawConnection("127.0.0.1", port)
        for path in ("/api/events", "/api/search?outlet=bench-warm-up&limit=1",
                     "/api/search?relation=bench-warm-up&limit=1"):
            await conn.get(path)
        await conn.close()

    await asyncio.gather(*(one() for _ in range(connections)))


async def load(base: str, urls: dict[str, list[str]], mix: dict[str, float], clients: int,
               duration: float, seed: int, timeout: float, client_kind: str = "raw"
               ) -> tuple[dict, float]:
    if client_kind == "raw":
        return await load_raw(base, urls, mix, clients, duration, seed, timeout)
    return await load_httpx(base, urls, mix, clients, duration, seed, timeout)


async def load_raw(base: str, urls: dict[str, list[str]], mix: dict[str, float], clients: int,
                   duration: float, seed: int, timeout: float) -> tuple[dict, float]:
    kinds = [k for k in PAGE_TYPES if mix.get(k) and urls[k]]
    weights = [mix[k] for k in kinds]
    lat: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, dict[str, int]] = {k: {} for k in kinds}
    cache: dict[str, dict[str, int]] = {k: {"hit": 0, "miss": 0} for k in kinds}
    host, port = base.split("//", 1)[1].rsplit(":", 1)
    t0 = time.perf_counter()
    end = t0 + duration

    async def worker(i: int) -> None:
        rng = random.Random(seed * 1000 + i)
        conn = RawConnection(host, int(port))
        while time.perf_counter() < end:
            kind = rng.choices(kinds, weights)[0]
            url = rng.choice(urls[kind])
            t = time.perf_counter()
            try:
                status, seen = await asyncio.wait_for(conn.get(url), timeout)
                err = None if status == 200 else f"HTTP {status}"
                if seen in ("hit", "miss"):
                    cache[kind][seen] += 1
            except asyncio.TimeoutError:
                err = "ReadTimeout"
            except (OSError, asyncio.IncompleteReadError, ValueError) as exc:
                err = type(exc).__name__
            if err:
                errors[kind][err] = errors[kind].get(err, 0) + 1
            else:
                lat[kind].append(time.perf_counter() - t)
        await conn.close()

    await asyncio.gather(*(worker(i) for i in range(clients)))
    return {"latency": lat, "errors": errors, "cache": cache}, time.perf_counter() - t0


async def load_httpx(base: str, urls: dict[str, list[str]], mix: dict[str, float],
                     clients: int, duration: float, seed: int, timeout: float
                     ) -> tuple[dict, float]:
    kinds = [k for k in PAGE_TYPES if mix.get(k) and urls[k]]
    weights = [mix[k] for k in kinds]
    lat: dict[str, list[float]] = {k: [] for k in kinds}
    errors: dict[str, dict[str, int]] = {k: {} for k in kinds}
    cache: dict[str, dict[str, int]] = {k: {"hit": 0, "miss": 0} for k in kinds}
    limits = httpx.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx.AsyncClient(base_url=base, limits=limits, timeout=timeout) as client:
        t0 = time.perf_counter()
        end = t0 + duration

        async def worker(i: int) -> None:
            rng = random.Random(seed * 1000 + i)
            while time.perf_counter() < end:
                kind = rng.choices(kinds, weights)[0]
                url = rng.choice(urls[kind])
                t = time.perf_counter()
                try:
                    r = await client.get(url)
                    ok = r.status_code == 200
                    seen = r.headers.get("x-cache", "")
                    if seen in ("hit", "miss"):
                        cache[kind][seen] += 1
                    err = None if ok else f"HTTP {r.status_code}"
                except httpx.HTTPError as exc:
                    err = type(exc).__name__
                if err:
                    errors[kind][err] = errors[kind].get(err, 0) + 1
                else:
                    lat[kind].append(time.perf_counter() - t)

        await asyncio.gather(*(worker(i) for i in range(clients)))
        elapsed = time.perf_counter() - t0
    return {"latency": lat, "errors": errors, "cache": cache}, elapsed


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    v = sorted(values)
    return v[min(len(v) - 1, int(q * (len(v) - 1) + 0.5))]


def summarize(res: dict, elapsed: float) -> dict:
    out = {"seconds": round(elapsed, 2), "pages": {}}
    every: list[float] = []
    n_err = 0
    hits = misses = 0
    for kind, lats in res["latency"].items():
        errs = res["errors"][kind]
        c = res.get("cache", {}).get(kind, {"hit": 0, "miss": 0})
        hits, misses = hits + c["hit"], misses + c["miss"]
        every += lats
        n_err += sum(errs.values())
        out["pages"][kind] = {
            "ok": len(lats), "errors": sum(errs.values()), "error_kinds": errs,
            "req_s": round((len(lats) + sum(errs.values())) / elapsed, 1),
            "p50_ms": round(1000 * pct(lats, 0.5), 1), "p95_ms": round(1000 * pct(lats, 0.95), 1),
            "max_ms": round(1000 * max(lats, default=float("nan")), 1),
            "cache_hit_pct": round(100 * c["hit"] / max(1, c["hit"] + c["miss"]), 1)}
    out["all"] = {"ok": len(every), "errors": n_err,
                  "req_s": round((len(every) + n_err) / elapsed, 1),
                  "p50_ms": round(1000 * pct(every, 0.5), 1),
                  "p95_ms": round(1000 * pct(every, 0.95), 1),
                  "max_ms": round(1000 * max(every, default=float("nan")), 1),
                  "cache_hit_pct": round(100 * hits / max(1, hits + misses), 1)}
    return out


def miss_cpu(db: Path, urls: dict[str, list[str]], n: int) -> dict[str, dict[str, float]]:
    """CPU milliseconds per request of each page type, in this process, calling the app's ASGI
    interface directly (no sockets, no load generator): the first ``n`` URLs of each type once
    with the page cache empty (misses), then again (hits). CPU time, so other programs on the
    machine hardly change it."""
    from newstrace.serve import create_app

    app = create_app(str(db), secrets.token_urlsafe(16))

    async def call(path: str) -> int:
        p, _, q = path.partition("?")
        scope = {"type": "http", "method": "GET", "path": p, "raw_path": p.encode(),
                 "query_string": q.encode(), "headers": [(b"host", b"bench")],
                 "http_version": "1.1", "scheme": "http", "server": ("127.0.0.1", 80),
                 "client": ("127.0.0.1", 1), "root_path": "", "app": app}
        sent: list[dict] = []

        async def receive() -> dict:
            return {"type": "http.request", "body": b"", "more_body": False}

        async def send(message: dict) -> None:
            sent.append(message)

        await app(scope, receive, send)
        return sent[0]["status"]

    async def run() -> dict[str, dict[str, float]]:
        for path in ("/api/events", "/api/search?outlet=bench-warm-up&limit=1",
                     "/api/search?relation=bench-warm-up&limit=1"):
            await call(path)  # the per-version catalogue and search indexes, built once
        out = {}
        rng = random.Random(0)
        for kind in PAGE_TYPES:  # a random sample: the first events are the largest
            sample = rng.sample(urls[kind], min(n, len(urls[kind])))
            t = time.process_time()
            statuses = [await call(u) for u in sample]
            miss = time.process_time() - t
            t = time.process_time()
            for u in sample:
                await call(u)
            hit = time.process_time() - t
            assert set(statuses) == {200}, statuses
            out[kind] = {"miss_ms": round(1000 * miss / len(sample), 2),
                         "hit_ms": round(1000 * hit / len(sample), 3), "n": len(sample)}
        return out

    return asyncio.run(run())


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description="newstrace serve under concurrent load.")
    ap.add_argument("--n", type=int, default=20000, help="articles in the store (20000)")
    ap.add_argument("--planted", type=int, default=500, help="planted near-copies (500)")
    ap.add_argument("--seed", type=int, default=1, help="corpus and load seed (1)")
    ap.add_argument("--workers", type=int, default=2, help="ingest workers (2)")
    ap.add_argument("--serve-workers", type=int, default=None, metavar="N",
                    help="server worker processes (default as newstrace serve: the number "
                         "of CPUs, at most 4)")
    ap.add_argument("--clients", type=int, default=50, help="concurrent clients (50)")
    ap.add_argument("--duration", type=float, default=30, help="seconds of load (30)")
    ap.add_argument("--timeout", type=float, default=30, help="per-request timeout, s (30)")
    ap.add_argument("--mix", default="event=1,article=1,search=1",
                    help="page-type weights (event=1,article=1,search=1)")
    ap.add_argument("--skip-provenance", action="store_true")
    ap.add_argument("--skip-spin", action="store_true")
    ap.add_argument("--skip-events", action="store_true")
    ap.add_argument("--build-only", action="store_true", help="build the store and stop")
    ap.add_argument("--rebuild", action="store_true", help="ignore the cached store")
    ap.add_argument("--cache-mb", type=float, default=64,
                    help="the server's page cache in MiB (64, as newstrace serve; 0: none, so "
                         "every request is worked out afresh)")
    ap.add_argument("--client", choices=("raw", "httpx"), default="raw",
                    help="load generator: a lean asyncio HTTP/1.1 client (raw, default) or "
                         "httpx.AsyncClient (about ten times the CPU per request)")
    ap.add_argument("--miss-cpu", type=int, default=0, metavar="N",
                    help="instead of the load: CPU ms per page, uncached and cached, over N "
                         "URLs of each type, in process")
    ap.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = ap.parse_args(argv)
    mix = {k: float(v) for k, v in (p.split("=") for p in args.mix.split(","))}

    stages = [s for s in STAGES if not (
        (s == "find_provenance" and args.skip_provenance) or
        (s == "detect_spin" and args.skip_spin) or (s == "find_events" and args.skip_events))]
    db, stamp = build_store(args.n, args.planted, args.seed, args.workers, stages, args.rebuild)
    if args.build_only:
        return 0
    urls = targets(db, args.seed)
    if args.miss_cpu:
        cpu = miss_cpu(db, urls, args.miss_cpu)
        if args.json:
            print(json.dumps(cpu, indent=1))
        else:
            print(f"{'page':<8} {'n':>5} {'miss ms':>8} {'hit ms':>8}  (CPU per request)")
            for kind, c in cpu.items():
                print(f"{kind:<8} {c['n']:>5} {c['miss_ms']:>8} {c['hit_ms']:>8}")
        return 0
    log(f"targets: {len(urls['event'])} event pages, {len(urls['article'])} article pages, "
        f"{len(urls['search'])} searches")
    port = free_port()
    from newstrace.serve import default_workers

    serve_workers = args.serve_workers or default_workers()
    proc = start_server(db, port, int(args.cache_mb * (1 << 20)), serve_workers)
    try:
        asyncio.run(warm_up(port, 4 * serve_workers))
        load_before = os.getloadavg()
        server_cpu, client_cpu = cpu_seconds(proc.pid), time.process_time()
        res, elapsed = asyncio.run(load(f"http://127.0.0.1:{port}", urls, mix, args.clients,
                                        args.duration, args.seed, args.timeout,
                                        args.client))
        server_cpu = cpu_seconds(proc.pid) - server_cpu
        client_cpu = time.process_time() - client_cpu
        load_after = os.getloadavg()
    finally:
        stop_server(proc)
    out = summarize(res, elapsed)
    out.update({"articles": args.n, "clients": args.clients, "client": args.client,
                "cache_mb": args.cache_mb, "serve_workers": serve_workers,
                "targets": {k: len(v) for k, v in urls.items()}, "stages": stamp.get("stages"),
                "build_seconds": stamp.get("seconds"), "cpus": os.cpu_count(),
                "loadavg_before": [round(x, 2) for x in load_before],
                "loadavg_after": [round(x, 2) for x in load_after],
                "server_cpu_s": round(server_cpu, 2), "client_cpu_s": round(client_cpu, 2),
                "server_cpu_ms_per_request": round(
                    1000 * server_cpu / max(1, out["all"]["ok"] + out["all"]["errors"]), 2)})
    if args.json:
        print(json.dumps(out, indent=1))
        return 0
    print(f"store: {args.n} articles; stages {', '.join(out['stages'] or [])}; build seconds "
          f"{out['build_seconds']}")
    print(f"targets: {out['targets']['event']} event pages, {out['targets']['article']} article "
          f"pages, {out['targets']['search']} searches (each drawn at random)")
    print(f"load: {args.clients} {args.client} clients, {serve_workers} server worker "
          f"process(es), page cache {args.cache_mb} MiB each, for {out['seconds']} s on "
          f"127.0.0.1, {out['cpus']} CPUs; load average before {out['loadavg_before']}, "
          f"after {out['loadavg_after']}")
    print(f"CPU: server {out['server_cpu_s']} s ({out['server_cpu_ms_per_request']} ms per "
          f"request), load generator {out['client_cpu_s']} s")
    print(f"{'page':<8} {'ok':>7} {'errors':>7} {'req/s':>8} {'p50 ms':>8} {'p95 ms':>8} "
          f"{'max ms':>8} {'cached':>7}")
    for kind, p in [*out["pages"].items(), ("all", out["all"])]:
        print(f"{kind:<8} {p['ok']:>7} {p['errors']:>7} {p['req_s']:>8} {p['p50_ms']:>8} "
              f"{p['p95_ms']:>8} {p['max_ms']:>8} {p['cache_hit_pct']:>6}%"
              + (f"  {p['error_kinds']}" if p.get("error_kinds") else ""))
    ok = out["all"]["errors"] == 0 and out["all"]["p95_ms"] <= 200
    print(f"target (0 errors, p95 <= 200 ms): {'met' if ok else 'NOT met'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
