#!/usr/bin/python3
"""Whole-site crawl benchmark: the real netwardend crawling a generated
campus site (tests/support/make_site.py) served by a local nginx.

The politeness settings are lifted for the measurement, which a production
crawl must never do: delay = "0s" and per_host_concurrency = 16 (the
defaults are 500 ms and 2, about 4 pages a second). netwardend is pinned to
one CPU and nginx to the other; we read the daemon's CPU time
(utime + stime) from /proc before and after one complete crawl started with
`netwardenctl crawl`, and its peak resident memory (VmHWM). Scenarios:

  first     the first crawl of the site: every page fetched and analysed
            (harmful keywords, hidden links, foreign code, personal data),
            links followed, every page's row stored.
  again     a second crawl of the unchanged site: conditional requests, 304s.

  pages/s/core = HTML pages fetched in the crawl / daemon CPU-seconds.

Usage (as root, after scripts/build.sh):
  bench/crawl_bench.py [--build build] [--pages 10000]
"""
import argparse, os, shutil, signal, subprocess, sys, tempfile, time

sys.dont_write_bytecode = True  # nothing left in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_support import HARMFUL, Daemon, free_port, load_text, run_nginx  # noqa: E402

SOURCE = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..")


def write_config(root, port, pages):
    with open(f"{root}/harmful.txt", "w") as f:
        f.write("\n".join(HARMFUL) + "\n")
    text = (f'[daemon]\nstate_dir = "{root}/state"\nsocket = "{root}/nw.sock"\nlog_level = "warn"\n\n'
            '[people.op]\nname = "Operator"\nemail = "op@example.edu.cn"\n\n'
            '[units.it]\nname = "信息中心"\noperators = ["op"]\n\n'
            '[chains.c]\n[[chains.c.steps]]\nafter = "0s"\nnotify = ["operator"]\n\n'
            f'[targets.site]\nurl = "http://127.0.0.1:{port}/index.html"\nunit = "it"\nchain = "c"\n'
            f'interval = "1h"\nharmful_keywords = "{root}/harmful.txt"\n\n'
            '[targets.site.crawl]\nevery = "24h"\n'
            f'max_pages = {pages * 2}\ndelay = "0s"\nper_host_concurrency = 16\nattachments = false\n')
    path = f"{root}/crawl-bench.toml"
    with open(path, "w") as f:
        f.write(text)
    return path


def crawl(d):
    """One complete crawl started now: (pages fetched, 304s, CPU-s, wall-s)."""
    before = d.status()["crawls"][0].get("last_complete_at")
    c0, t0 = d.cpu_seconds(), time.monotonic()
    subprocess.run([f"{d.build}/ctl/netwardenctl", "--socket", d.sock, "crawl", "site"], check=True,
                   capture_output=True)
    while True:
        c = d.status()["crawls"][0]
        if not c["running"] and c.get("last_complete_at") not in (None, before):
            break
        time.sleep(0.2)
    c1, t1 = d.cpu_seconds(), time.monotonic()
    return c["last_complete_pages"], c["not_modified"], c1 - c0, t1 - t0


def per_cpu(pages, cpu):
    """Pages per CPU-second; a crawl shorter than one clock tick of CPU has no figure."""
    return f"{pages / cpu:.0f}" if cpu > 0 else "n/a (under one clock tick of CPU: use more --pages)"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(SOURCE, "build"))
    ap.add_argument("--pages", type=int, default=10000)
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    root = tempfile.mkdtemp(prefix="netwarden-crawl-bench-")
    port = free_port()
    subprocess.run(["/usr/bin/python3", f"{SOURCE}/tests/support/make_site.py", f"{root}/www", "--pages",
                    str(args.pages)], check=True, stdout=subprocess.DEVNULL)
    nginx = run_nginx(root, port, "include /etc/nginx/mime.types;")
    print(f"{args.pages} pages generated; politeness lifted (delay 0s, per_host_concurrency 16); {load_text()}")
    d = Daemon(build, root, write_config(root, port, args.pages))
    try:
        d.wait_ready()
        # The crawl that starts by itself within 10 s of start-up is the first.
        while not d.status()["crawls"][0]["running"] and d.status()["crawls"][0].get("last_complete_at") is None:
            time.sleep(0.1)
        c0, t0 = d.cpu_seconds(), time.monotonic()
        while True:
            c = d.status()["crawls"][0]
            if not c["running"] and c.get("last_complete_at") is not None:
                break
            time.sleep(0.2)
        pages, cpu, wall = c["last_complete_pages"], d.cpu_seconds() - c0, time.monotonic() - t0
        hwm = d.memory_kib("VmHWM") / 1024
        print(f"first crawl:  {pages} pages in {wall:.1f} s, daemon CPU {cpu:.2f} s: "
              f"{per_cpu(pages, cpu)} pages/s/core ({pages / wall:.0f} pages/s wall)  aim >= 500")
        print(f"memory:       peak RSS {hwm:.1f} MiB after crawling {pages} pages  aim < 100 MiB")
        pages, not_modified, cpu, wall = crawl(d)
        print(f"second crawl: {pages} pages, {not_modified} answered 304 ({not_modified * 100 / max(pages, 1):.1f} %), "
              f"{wall:.1f} s, daemon CPU {cpu:.2f} s: {per_cpu(pages, cpu)} pages/s/core")
        print(f"memory:       peak RSS {d.memory_kib('VmHWM') / 1024:.1f} MiB after two crawls")
    finally:
        d.stop()
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
