#!/usr/bin/python3
"""netwarden against two widely used checkers, on the same URLs, the same CPUs and the same rate.

One nginx on loopback (CPU 1) serves the URLs; each checker runs alone on
CPU 0 (taskset), one after the other:

  netwarden  the real netwardend (bench_support.py, as web_check_bench.py
             drives it): plain = a static page (the body's hash matches the
             last one, the parse is skipped); full = a different page each
             fetch, so every check parses, fingerprints and scans for
             keywords.
  monit      Monit 5.33, one `check host` per URL, `if failed port P protocol
             http request "/..."`: plain (status only), and content (the same
             with `content = "..."`, which reads the body and matches a regex).
  blackbox   prometheus-blackbox-exporter, scraped at /probe?target=URL by a
             small load generator of ours (its CPU is not counted): plain =
             module http_2xx, content = http_2xx with
             fail_if_body_not_matches_regexp.

The plain variants fetch /same/N (one static 20 KB page), the full/content
variants /full/N: nginx picks one of 256 different ~20 KB Chinese/English
pages for every request by the first two hex digits of its random
$request_id, so no check sees the page of the check before (1 in 256 does).
A per-request choice rather than a time bucket, because a checker with a fixed
interval would otherwise meet the same bucket every time when the interval is
a multiple of the bucket's period. The pages share their frame (title, meta
tags, script, navigation, footer) and differ in the news block between 今日要闻
and 要闻结束, which netwarden's targets ignore for the fingerprint (as a portal's
rotating news would be): every page is still parsed and scanned whole, and
no content_changed incident opens.

Figures, for each checker and variant:
  CPU-s per 1,000 checks at the offered rate (--rate, default 200 checks/s):
    netwarden: interval = targets / rate; monit: `set daemon targets / rate`
    (whole seconds), measured over whole cycles; blackbox: the generator sends
    --rate probes a second. CPU = utime + stime of the checker's process.
  checks/s at saturation, asked far more than one core does: netwarden every
    target every 100 ms (as web_check_bench.py); monit `set daemon 1` (it checks
    one URL after another and sleeps between cycles, so the figure is checks
    per second of cycle, the sleep left out); blackbox an unthrottled
    generator with 32 requests in flight. Checks are counted by nginx
    (stub_status) for monit and blackbox, by netwardenctl status for netwarden.
  resident memory (VmRSS) with 1,000 and 10,000 targets once each has been
    checked (blackbox: once each URL has been probed).
  each figure over netwarden's full-content figure (x1.00 = the same).
And netwarden's detection latency: a URL starts answering 503 (a marker file
nginx tests), and the time until netwardend writes the first notification
for it (outbox.created_at_ms in its SQLite store), median and worst of
--latency-runs, at the offered-rate interval and the default confirm_failures.

Usage (as root, after scripts/setup-bench.sh, with a netwarden build):
  bench/compare.py [--build build] [--targets 1000] [--rate 200] [--seconds 10]
                   [--only netwarden,monit,blackbox] [--latency-runs 20] [--quick]
"""
import argparse, http.client, multiprocessing, os, random, shutil, signal, socket, sqlite3, statistics, subprocess
import sys, tempfile, threading, time, urllib.parse, urllib.request

sys.dont_write_bytecode = True  # nothing left in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_support import (VISIT_TIME_IGNORE, Daemon, cpu_seconds, free_port, load_text, make_page,  # noqa: E402
                           measure_memory, measure_rate, memory_kib, run_nginx, write_config)

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")
MONIT = "/usr/bin/monit"
BLACKBOX = "/usr/bin/prometheus-blackbox-exporter"
ROTATING_PAGES = 256  # one per value of two hex digits
ROTATING_IGNORE = ("(?s)今日要闻.*要闻结束",)  # the news block, left out of netwarden's fingerprint
CONTENT_REGEX = "版权所有 某某大学"  # in every page's footer: monit and blackbox read the whole body for it
CHECKERS = ("netwarden", "monit", "blackbox")
VARIANTS = {"netwarden": ("plain", "full"), "monit": ("plain", "content"), "blackbox": ("plain", "content")}


# ---------------------------------------------------------------- pages and nginx

NEWS_ZH = ["学校召开网络安全工作会议", "信息中心完成校园网出口升级", "图书馆延长期末开放时间", "研究生院发布招生简章",
           "计算机学院举办人工智能论坛", "后勤处开展食品安全检查", "外国语学院师生参加翻译大赛", "校运动会圆满落幕",
           "学校与地方政府签署合作协议", "国际交流处举办留学宣讲会", "附属医院开展义诊活动", "学生工作部部署资助工作",
           "档案馆征集校史资料", "科研处组织项目申报培训", "教务处公布选课安排", "团委开展志愿服务月活动"]
NEWS_EN = ["The library extends its opening hours during the examination weeks.",
           "A new data centre opens on the east campus.", "Students win first prize in a national contest.",
           "The university signs a research agreement with the city.", "Registration for the spring term is open.",
           "An exhibition on the history of the university opens in the museum.",
           "The graduate school publishes its admissions guide.", "The campus network gets a faster uplink.",
           "Volunteers help at the city marathon.", "The school of medicine holds a free clinic."]
UNITS = ["信息中心", "党委宣传部", "教务处", "科研处", "研究生院", "计算机学院", "外国语学院", "图书馆"]


def make_rotating_page(seed):
    """One page of the full scenario: the frame (title, meta, script, style, navigation, footer) is the same on
    every page, the news block between 今日要闻 and 要闻结束 is drawn from `seed`, as is the page's length."""
    rng = random.Random(seed)
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某大学 门户网站</title>',
             '<meta name="description" content="某某大学官方网站">',
             '<script src="/js/app.js"></script><style>body{color:#333} .nav li{display:inline}</style>',
             '</head><body><div class="nav"><ul>']
    parts += [f'<li><a href="/column/{i}.html">{UNITS[i % len(UNITS)]} 栏目 {i}</a></li>' for i in range(30)]
    parts.append('</ul></div><div id="main"><h2>今日要闻</h2><ul class="news">')
    size = rng.randrange(18500, 21500)
    while sum(len(p.encode()) for p in parts) < size:
        month, day, story = rng.randrange(1, 13), rng.randrange(1, 29), rng.randrange(100000)
        parts.append(f'<li><span class="date">2026-{month:02d}-{day:02d}</span>'
                     f'<a href="/news/{story}.html">{rng.choice(UNITS)}：{rng.choice(NEWS_ZH)}</a>'
                     f'<p>{rng.choice(NEWS_EN)} {rng.choice(NEWS_ZH)}，第{rng.randrange(1, 500)}期。</p></li>')
    parts.append('</ul><p>要闻结束</p></div><div id="footer">版权所有 某某大学 信息中心 维护</div>'
                 '<script>var t=1;</script></body></html>')
    return "".join(parts)


class Nginx:
    """The one nginx every checker fetches from (CPU 1).

    /same/N  the static page of web_check_bench.py (plain variants)
    /full/N  one of ROTATING_PAGES pages, chosen per request; 503 while www/down/N exists
    /nginx_status  stub_status: nginx's request count is how monit's and blackbox's checks are counted
    """

    def __init__(self, root):
        self.root, self.port, self.reads = root, free_port(), 0
        os.makedirs(f"{root}/www/rotating", exist_ok=True)
        os.makedirs(f"{root}/www/down", exist_ok=True)
        with open(f"{root}/www/static.html", "w") as f:
            f.write(make_page(False))
        for i in range(ROTATING_PAGES):
            with open(f"{root}/www/rotating/{i:02x}.html", "w") as f:
                f.write(make_rotating_page(i))
        self.proc = run_nginx(root, self.port, (
            "location ~ ^/same/\\d+$ { try_files /static.html =404; }\n"
            "    location ~ ^/full/(?<n>\\d+)$ {\n"
            "      if (-f $document_root/down/$n) { return 503; }\n"
            "      rewrite ^ /rotating/$rotating_page.html break;\n"
            "    }\n"
            "    location = /nginx_status { stub_status; }"),
            http_lines='map $request_id $rotating_page { "~^(?<p>[0-9a-f]{2})" $p; }')

    def url(self, kind, i):
        return f"http://127.0.0.1:{self.port}/{kind}/{i}"

    def requests(self):
        """Requests served so far, less the ones this method made (each read counts itself)."""
        with urllib.request.urlopen(f"http://127.0.0.1:{self.port}/nginx_status", timeout=5) as r:
            served = int(r.read().decode().splitlines()[2].split()[2])
        self.reads += 1
        return served - self.reads

    def mark_down(self, i):
        open(f"{self.root}/www/down/{i}", "w").close()

    def clear_down(self):
        for name in os.listdir(f"{self.root}/www/down"):
            os.unlink(f"{self.root}/www/down/{name}")

    def stop(self):
        stop_process(self.proc, signal.SIGQUIT)


def stop_process(proc, sig=signal.SIGTERM, timeout=30):
    """End a process we started, also when it has ended already (Ctrl-C reaches our children too)."""
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(sig)
    try:
        proc.wait(timeout=timeout)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait(timeout=10)


def wait_port(port, what, timeout=20):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError(f"{what} did not listen on port {port} within {timeout} s")


def rate_result(checks, seconds, cpu, offered):
    return {"offered": offered, "checks": checks, "checks_per_s": checks / seconds if seconds else 0.0,
            "cpu_s_per_1000": cpu / checks * 1000 if checks else float("nan"), "cpu_util": cpu / seconds}


# ---------------------------------------------------------------- netwarden

class Netwarden:
    """netwardend through bench_support (the code web_check_bench.py measures with)."""

    def __init__(self, build, root, nginx):
        self.build, self.root, self.nginx = build, root, nginx

    @staticmethod
    def scenario(variant):
        return ("same", VISIT_TIME_IGNORE) if variant == "plain" else ("full", ROTATING_IGNORE)

    def rate(self, variant, count, rate, seconds):
        interval_ms = max(100, round(count / rate * 1000))
        kind, ignore = self.scenario(variant)
        # Every target is first checked within min(interval, 10 s) of start-up; measure after that.
        warmup = min(interval_ms / 1000, 10) + 2
        r = measure_rate(self.build, self.root, self.nginx.port, kind, count, f"{interval_ms}ms", warmup, seconds,
                         ignore=ignore)
        self.warn_incidents(variant)
        return dict(r, offered=count / (interval_ms / 1000))

    def saturation(self, variant, count, seconds):
        kind, ignore = self.scenario(variant)
        r = measure_rate(self.build, self.root, self.nginx.port, kind, count, "100ms", 2, seconds, ignore=ignore)
        return dict(r, offered=count * 10)

    def memory(self, variant, count):
        kind, ignore = self.scenario(variant)
        mem = measure_memory(self.build, self.root, self.nginx.port, count, kind, ignore)
        if mem["unchecked"]:
            print(f"    note: {mem['unchecked']} of {count} targets not yet checked when memory was read")
        return mem["rss_mib"]

    def warn_incidents(self, variant):
        """A measurement that opened incidents measured more than checks: say so."""
        kinds = incident_kinds(f"{self.root}/state/netwarden.db")
        if kinds:
            print(f"    note: netwarden {variant}: incidents opened during the run: {kinds}")

    def latency(self, count, rate, runs):
        """Seconds from a URL answering 503 to netwardend's first outbox row for its target, `runs` times."""
        interval_ms = max(100, round(count / rate * 1000))
        config = write_config(self.root, self.nginx.port, "full", count, f"{interval_ms}ms", f"{interval_ms}ms",
                              ignore=ROTATING_IGNORE)
        log = open(f"{self.root}/latency-netwardend.log", "w")  # a warning per outage: not for the table's screen
        d = Daemon(self.build, self.root, config, stderr=log)
        results = []
        runs = min(runs, count)  # a different target each time: one already down would not notify again
        try:
            d.wait_ready()
            time.sleep(min(interval_ms / 1000, 10) + 2)  # every target checked, baselines written
            db = sqlite3.connect(f"file:{self.root}/state/netwarden.db?mode=ro", uri=True, timeout=10)
            # confirm_failures (default 2) failing checks open the incident: at most two intervals and a bit.
            timeout = 3 * interval_ms / 1000 + 15
            for run in range(runs):
                target = run * count // runs
                start_ms = time.time() * 1000
                self.nginx.mark_down(target)
                results.append((first_notification_ms(db, f"t{target}", start_ms, timeout) - start_ms) / 1000)
            db.close()
        finally:
            d.stop()
            log.close()
            self.nginx.clear_down()
        return {"interval_s": interval_ms / 1000, "runs": results}


def first_notification_ms(db, target, since_ms, timeout):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        row = db.execute("SELECT MIN(o.created_at_ms) FROM outbox o JOIN incidents i ON i.id = o.incident_id "
                         "WHERE i.subject = ? AND o.created_at_ms >= ?", (target, int(since_ms))).fetchone()
        if row[0] is not None:
            return row[0]
        time.sleep(0.05)
    raise RuntimeError(f"no notification for {target} within {timeout:.0f} s")


def incident_kinds(db_path):
    if not os.path.exists(db_path):
        return {}
    with sqlite3.connect(f"file:{db_path}?mode=ro", uri=True, timeout=10) as db:
        return dict(db.execute("SELECT kind, COUNT(*) FROM incidents GROUP BY kind").fetchall())


# ---------------------------------------------------------------- monit

class Monit:
    """Monit in the foreground (-I) on a control file of one `check host` per URL, its files in a temp dir."""

    def __init__(self, root, nginx):
        self.dir, self.nginx = f"{root}/monit", nginx
        os.makedirs(self.dir, exist_ok=True)

    def write_config(self, variant, count, cycle):
        kind, content = ("same", "") if variant == "plain" else ("full", f' content = "{CONTENT_REGEX}"')
        lines = [f"set daemon {cycle} with start delay 0",
                 f"set logfile {self.dir}/monit.log", f"set pidfile {self.dir}/monit.pid",
                 f"set idfile {self.dir}/monit.id", f"set statefile {self.dir}/monit.state"]
        for i in range(count):
            lines.append(f"check host p{i} with address 127.0.0.1\n"
                         f'  if failed port {self.nginx.port} protocol http request "/{kind}/{i}"{content} then alert')
        path = f"{self.dir}/monitrc"
        for name in ("monit.log", "monit.state", "monit.id", "monit.pid"):
            if os.path.exists(f"{self.dir}/{name}"):
                os.unlink(f"{self.dir}/{name}")
        with open(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600), "w") as f:
            f.write("\n".join(lines) + "\n")  # monit refuses a control file others may read
        return path

    def start(self, variant, count, cycle):
        path = self.write_config(variant, count, cycle)
        check = subprocess.run([MONIT, "-t", "-c", path], capture_output=True, text=True, timeout=120)
        if check.returncode != 0:
            raise RuntimeError(f"monit refused its control file: {check.stdout}{check.stderr}")
        return subprocess.Popen(["taskset", "-c", "0", MONIT, "-I", "-c", path],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)

    def failures(self):
        """Checks monit reported as failed in its log: a content regex that did not match shows here."""
        try:
            with open(f"{self.dir}/monit.log", errors="replace") as f:
                return sum(1 for line in f if "failed" in line)
        except FileNotFoundError:
            return 0

    def rate(self, variant, count, rate, seconds):
        cycle = max(1, round(count / rate))  # `set daemon` takes whole seconds
        proc = self.start(variant, count, cycle)
        try:
            m = measure_cycles(self.nginx, proc.pid, seconds, timeout=cycle + count * 0.05 + 30)
        finally:
            stop_process(proc)
        self.warn_failures(variant)
        return dict(rate_result(m["checks"], m["wall"], m["cpu"], count / cycle), cycle=cycle)

    def saturation(self, variant, count, seconds):
        proc = self.start(variant, count, 1)
        try:
            m = measure_cycles(self.nginx, proc.pid, seconds, timeout=count * 0.05 + 30)
        finally:
            stop_process(proc)
        self.warn_failures(variant)
        # Checks per second of work: monit sleeps a second between cycles whatever it is asked.
        return rate_result(m["checks"], m["busy"], m["cpu"], None)

    def memory(self, variant, count):
        start = self.nginx.requests()
        proc = self.start(variant, count, max(60, count // 100))  # one cycle inside the wait, not two
        try:
            wait_requests(self.nginx, start + count, timeout=count * 0.05 + 30, proc=proc)
            time.sleep(1)
            return memory_kib(proc.pid, "VmRSS") / 1024
        finally:
            stop_process(proc)

    def warn_failures(self, variant):
        if self.failures():
            print(f"    note: monit {variant}: {self.failures()} failed checks in its log ({self.dir}/monit.log)")


def measure_cycles(nginx, pid, seconds, timeout):
    """From the start of one cycle of a sequential checker to the start of the first cycle at least `seconds`
    later: the checks (nginx's requests), wall time, busy time (polls during which requests grew) and the
    checker's CPU. A cycle starts when requests grow after at least 0.5 s without."""
    deadline = time.monotonic() + timeout + seconds
    last, quiet_since, begin, busy = nginx.requests(), None, None, 0.0
    prev_t = time.monotonic()
    while time.monotonic() < deadline:
        time.sleep(0.02)
        n, now = nginx.requests(), time.monotonic()
        grew = n > last
        if grew and quiet_since is not None and now - quiet_since >= 0.5:  # a cycle starts
            if begin is None:
                begin = (last, prev_t, cpu_seconds(pid))
            elif now - begin[1] >= seconds:
                return {"checks": last - begin[0], "wall": prev_t - begin[1], "busy": busy,
                        "cpu": cpu_seconds(pid) - begin[2]}
        if begin is not None and grew:
            busy += now - prev_t
        quiet_since = None if grew else (quiet_since or now)
        last, prev_t = n, now
    raise RuntimeError(f"monit did not complete its cycles within {timeout + seconds:.0f} s")


def wait_requests(nginx, target, timeout, proc=None):
    deadline = time.monotonic() + timeout
    while nginx.requests() < target:
        if time.monotonic() > deadline or (proc is not None and proc.poll() is not None):
            raise RuntimeError(f"nginx did not see the checks expected within {timeout:.0f} s")
        time.sleep(0.1)


# ---------------------------------------------------------------- blackbox exporter

BLACKBOX_CONFIG = f"""modules:
  http_2xx:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
  http_content:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      fail_if_body_not_matches_regexp: ["{CONTENT_REGEX}"]
"""


class Blackbox:
    """prometheus-blackbox-exporter on loopback (CPU 0), driven by generate() in a process of its own (CPU 1)."""

    def __init__(self, root, nginx):
        self.root, self.nginx, self.port = root, nginx, free_port()
        self.config = f"{root}/blackbox.yml"
        with open(self.config, "w") as f:
            f.write(BLACKBOX_CONFIG)

    def start(self):
        proc = subprocess.Popen(["taskset", "-c", "0", BLACKBOX, f"--config.file={self.config}",
                                 f"--web.listen-address=127.0.0.1:{self.port}", "--log.level=warn"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_port(self.port, "blackbox exporter")
        except RuntimeError:
            stop_process(proc)
            raise
        return proc

    def urls(self, variant, count):
        return [self.nginx.url("same" if variant == "plain" else "full", i) for i in range(count)]

    def drive(self, variant, urls, seconds, rate=None, concurrency=8, once=False):
        """Start the load generator for `seconds`; returns it and the queue its counts arrive on."""
        module = "http_2xx" if variant == "plain" else "http_content"
        queue = multiprocessing.get_context("fork").Queue()
        gen = multiprocessing.get_context("fork").Process(
            target=generate, args=(self.port, module, urls, rate, concurrency, seconds, once, queue), daemon=True)
        gen.start()
        return gen, queue

    def measure(self, variant, count, seconds, rate, concurrency):
        proc = self.start()
        gen = None
        try:
            warmup = 2
            gen, queue = self.drive(variant, self.urls(variant, count), warmup + seconds + 1, rate, concurrency)
            time.sleep(warmup)
            c0, g0, n0, t0 = cpu_seconds(proc.pid), cpu_seconds(gen.pid), self.nginx.requests(), time.monotonic()
            time.sleep(seconds)
            c1, g1, n1, t1 = cpu_seconds(proc.pid), cpu_seconds(gen.pid), self.nginx.requests(), time.monotonic()
            done = queue.get(timeout=30)
            gen.join(timeout=10)
        finally:
            if gen is not None and gen.is_alive():
                gen.terminate()
                gen.join(timeout=10)
            stop_process(proc)
        if done["failed"]:
            print(f"    note: blackbox {variant}: {done['failed']} of {done['sent']} probes failed")
        if (g1 - g0) / (t1 - t0) > 0.8:  # CPU 1 also serves nginx: the exporter may have waited for us
            print(f"    note: blackbox {variant}: the load generator used {(g1 - g0) / (t1 - t0) * 100:.0f} % of a CPU")
        return rate_result(n1 - n0, t1 - t0, c1 - c0, rate)

    def rate(self, variant, count, rate, seconds):
        return self.measure(variant, count, seconds, rate, concurrency=8)

    def saturation(self, variant, count, seconds):
        return self.measure(variant, count, seconds, None, concurrency=32)

    def memory(self, variant, count):
        proc = self.start()
        gen = None
        try:
            gen, queue = self.drive(variant, self.urls(variant, count), count * 0.05 + 60, None, 16, once=True)
            done = queue.get(timeout=count * 0.05 + 70)
            gen.join(timeout=10)
            if done["sent"] < count:
                print(f"    note: blackbox memory: {done['sent']} of {count} URLs probed")
            time.sleep(1)
            return memory_kib(proc.pid, "VmRSS") / 1024
        finally:
            if gen is not None and gen.is_alive():
                gen.terminate()
                gen.join(timeout=10)
            stop_process(proc)


def generate(port, module, urls, rate, concurrency, seconds, once, queue):
    """The load generator (a process of its own on CPU 1): `concurrency` threads, each on one kept-alive
    connection to the exporter, scrape /probe for urls[i % len(urls)] with i = 0, 1, 2 ... Probe i is sent at
    i / rate s (or at once when rate is None) until `seconds` have passed, or, with `once`, each URL once."""
    os.sched_setaffinity(0, {1})
    # Ctrl-C and SIGTERM are the parent's to handle: it ends this process (SIGTERM, as forked, not unwound).
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    lock, state = threading.Lock(), {"next": 0, "sent": 0, "failed": 0}
    start = time.monotonic()
    end = start + seconds

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
        while True:
            with lock:
                i = state["next"]
                state["next"] += 1
            if (once and i >= len(urls)) or time.monotonic() >= end:
                break
            if rate:
                time.sleep(max(0.0, start + i / rate - time.monotonic()))
            path = f"/probe?module={module}&target={urllib.parse.quote(urls[i % len(urls)], safe='')}"
            try:
                conn.request("GET", path)
                resp = conn.getresponse()
                ok = resp.status == 200 and b"\nprobe_success 1" in resp.read()
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=15)
                ok = False
            with lock:
                state["sent"] += 1
                state["failed"] += 0 if ok else 1
        conn.close()

    threads = [threading.Thread(target=worker, daemon=True) for _ in range(concurrency)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=seconds + 30)
    queue.put({"sent": state["sent"], "failed": state["failed"]})


# ---------------------------------------------------------------- the run and the table

def measure_checker(checker, name, args):
    """Every figure of one checker's variants; prints each as it comes (a long run shows progress)."""
    rows = {}
    for variant in VARIANTS[name]:
        row = {}
        row["rate"] = checker.rate(variant, args.targets, args.rate, args.seconds)
        print(f"  {name} {variant}: {row['rate']['cpu_s_per_1000']:.3f} CPU-s per 1000 checks at "
              f"{row['rate']['checks_per_s']:.0f}/s", flush=True)
        row["sat"] = checker.saturation(variant, args.saturation_targets, args.seconds)
        print(f"  {name} {variant}: {row['sat']['checks_per_s']:.0f} checks/s at saturation "
              f"(CPU {row['sat']['cpu_util'] * 100:.0f} %)", flush=True)
        asked = row["sat"]["offered"]
        if asked and row["sat"]["checks_per_s"] >= 0.9 * asked:
            print(f"    note: {name} {variant} did nearly all of the {asked:.0f} checks/s asked: "
                  "not saturated, the figure is a floor")
        row["mem"] = {}
        for count in args.memory_targets:
            row["mem"][count] = checker.memory(variant, count)
            print(f"  {name} {variant}: {row['mem'][count]:.1f} MiB with {count} targets", flush=True)
        rows[(name, variant)] = row
    return rows


def ratio(value, base):
    return f"x{value / base:.2f}" if base and value == value else "-"  # value == value: not NaN


def print_table(rows, args):
    base = rows.get(("netwarden", "full"))
    mem_heads = [f"RSS MiB {c}" for c in args.memory_targets]
    head = ["checker", "variant", "offered/s", "done/s", "CPU-s/1000", "ratio", "sat. checks/s", "ratio", "CPU %",
            "per CPU-s"]
    for h in mem_heads:
        head += [h, "ratio"]
    table = [head]
    for (name, variant), row in rows.items():
        r, s = row["rate"], row["sat"]
        line = [name, variant, f"{r['offered']:.0f}", f"{r['checks_per_s']:.0f}", f"{r['cpu_s_per_1000']:.3f}",
                ratio(r["cpu_s_per_1000"], base and base["rate"]["cpu_s_per_1000"]),
                f"{s['checks_per_s']:.0f}", ratio(s["checks_per_s"], base and base["sat"]["checks_per_s"]),
                f"{s['cpu_util'] * 100:.0f}", f"{1000 / s['cpu_s_per_1000']:.0f}" if s["cpu_s_per_1000"] else "-"]
        for count in args.memory_targets:
            line += [f"{row['mem'][count]:.1f}", ratio(row["mem"][count], base and base["mem"][count])]
        table.append(line)
    widths = [max(len(line[i]) for line in table) for i in range(len(head))]
    for line in table:
        print("  ".join(cell.rjust(w) if i > 1 else cell.ljust(w) for i, (cell, w) in enumerate(zip(line, widths))))


def parse_args():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--build", default=os.path.join(SOURCE, "build"), help="netwarden build directory")
    ap.add_argument("--targets", type=int, default=1000, help="URLs (targets) at the offered rate")
    ap.add_argument("--rate", type=float, default=200, help="offered checks per second")
    ap.add_argument("--seconds", type=float, default=10, help="length of each measurement")
    ap.add_argument("--latency-runs", type=int, default=20)
    ap.add_argument("--only", default=",".join(CHECKERS), help="comma-separated: netwarden,monit,blackbox")
    ap.add_argument("--quick", action="store_true", help="tiny counts and short windows: a smoke run")
    args = ap.parse_args()
    args.only = [c for c in args.only.split(",") if c]
    if any(c not in CHECKERS for c in args.only):
        ap.error(f"--only takes {','.join(CHECKERS)}")
    if args.quick:
        args.targets, args.rate, args.seconds, args.latency_runs = 50, 50, 3, 3
    # Saturation asks each checker for far more than one core does: 1,000 targets every 100 ms for netwarden.
    args.saturation_targets = args.targets if args.quick else max(args.targets, 1000)
    args.memory_targets = (args.targets, 4 * args.targets) if args.quick else (1000, 10000)
    args.build = os.path.abspath(args.build)
    return args


def check_tools(args):
    if os.geteuid() != 0:
        sys.exit("compare.py: run as root (nginx, monit's control file)")
    if "netwarden" in args.only and not os.access(f"{args.build}/daemon/netwardend", os.X_OK):
        sys.exit(f"compare.py: no {args.build}/daemon/netwardend: build first (scripts/build.sh) or give --build")
    for name, path in (("monit", MONIT), ("blackbox", BLACKBOX)):
        if name in args.only and not os.access(path, os.X_OK):
            sys.exit(f"compare.py: no {path}: run scripts/setup-bench.sh")


def interrupted(signum, frame):
    raise KeyboardInterrupt


def main():
    args = parse_args()
    check_tools(args)
    # SIGTERM unwinds like Ctrl-C, so every finally below stops its processes and the temp dir goes.
    signal.signal(signal.SIGTERM, interrupted)
    signal.signal(signal.SIGINT, interrupted)  # also when started with SIGINT ignored (a background job)
    os.sched_setaffinity(0, {1})  # this script polls; keep it off the checker's CPU
    root = tempfile.mkdtemp(prefix="netwarden-compare-")
    nginx = None
    try:
        nginx = Nginx(root)
        print(f"{args.targets} targets, offered {args.rate:g} checks/s, {args.seconds:g} s per measurement; "
              f"checker on CPU 0, nginx on CPU 1; {load_text()}", flush=True)
        checkers = {"netwarden": lambda: Netwarden(args.build, root, nginx), "monit": lambda: Monit(root, nginx),
                    "blackbox": lambda: Blackbox(root, nginx)}
        rows, latency = {}, None
        for name in args.only:
            checker = checkers[name]()
            rows.update(measure_checker(checker, name, args))
            if name == "netwarden" and args.latency_runs > 0:
                latency = checker.latency(args.targets, args.rate, args.latency_runs)
        print(f"\nat end: {load_text()}\n")
        print_table(rows, args)
        if latency:
            runs = latency["runs"]
            print(f"\nnetwarden detection latency (a URL answers 503 -> first outbox row; interval "
                  f"{latency['interval_s']:g} s, confirm_failures 2): median {statistics.median(runs):.2f} s, "
                  f"worst {max(runs):.2f} s of {len(runs)}")
        print("\nratio: the figure over netwarden full's (CPU: >1 costs more per check; checks/s: >1 does more; "
              "memory: >1 holds more). One machine, one run: see bench/README.md.")
    except KeyboardInterrupt:
        print("\ninterrupted; cleaning up", file=sys.stderr)
        return 130
    finally:
        if nginx is not None:
            nginx.stop()
        shutil.rmtree(root, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
