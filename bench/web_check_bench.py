#!/usr/bin/python3
"""Web-check benchmark: the real netwardend against a local nginx.

nginx on loopback serves 1,000+ distinct URLs of one ~20 KB HTML page
(Chinese and English text, navigation links, a script and a style block).
netwardend runs on a generated config with one target per URL and a
50-word harmful-keyword list, pinned to one CPU (nginx gets the other), and
we read its CPU time from /proc and its check count from `netwardenctl
status --json`. Scenarios:

  full       the page carries a per-request value (nginx SSI echo of $msec)
             inside a region removed by an ignore pattern, so every fetch is
             a new body: parse, both fingerprints, keyword scan, sample stored.
  unchanged  a static page: the raw-body hash matches and the parse is skipped.
  throughput 1,000 targets every 100 ms (10,000 checks/s asked): the rate one
             core achieves.
  memory     resident memory (VmHWM) with 1,000 and with 10,000 targets once
             every target has been checked.

Usage (as root, after scripts/build.sh):  bench/web_check_bench.py [--build build]

Before and after (--baseline-build DIR): only the full scenario, for the
baseline build and --build in turn (--rounds times, alternating, so that
other load on the machine falls on both alike), each with its own source
tree's shipped keyword file (config/harmful_keywords.txt); prints the median
CPU-seconds per 1,000 full content checks of each and their ratio. With
--cloaking-interval DUR, --build is measured once more with cloaking = true
at that interval on every target, for the variants' extra cost.

  bench/web_check_bench.py --baseline-build ../main/build --build build [--rounds 3] [--cloaking-interval 2s]
"""
import argparse, os, shutil, signal, statistics, sys, tempfile

sys.dont_write_bytecode = True  # nothing left in bench/
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from bench_support import (free_port, load_text, make_page, measure_memory, measure_rate,  # noqa: E402
                           run_nginx, shipped_keywords)

def start_nginx(root, port):
    os.makedirs(f"{root}/www", exist_ok=True)
    with open(f"{root}/www/dynamic.html", "w") as f:
        f.write(make_page(True))
    with open(f"{root}/www/static.html", "w") as f:
        f.write(make_page(False))
    return run_nginx(root, port, "location ~ ^/full/\\d+$ { ssi on; try_files /dynamic.html =404; }\n"
                                 "    location ~ ^/same/\\d+$ { try_files /static.html =404; }")


def compare(builds, root, port, rounds, window, cloaking_interval):
    """Full content checks, before and after, in turns; the medians and their ratio."""
    print(f"before: {builds['before']}\nafter:  {builds['after']}\nat start: {load_text()}")
    cpu = {name: [] for name in builds}
    for _ in range(rounds):
        for name, build in builds.items():
            full = measure_rate(build, root, port, "full", 1000, "2s", 3, window, shipped_keywords(build))
            cpu[name].append(full["cpu_s_per_1000"])
            print(f"  {name:6} {full['cpu_s_per_1000']:.3f} CPU-s per 1000 ({full['checks']} checks)", flush=True)
    before, after = statistics.median(cpu["before"]), statistics.median(cpu["after"])
    print(f"full content checks, median of {rounds}: before {before:.3f}, after {after:.3f} CPU-s per 1000 checks; "
          f"after/before {after / before:.2f}  target <= 1.30")
    if cloaking_interval:
        extra = f'cloaking = true\ncloaking_interval = "{cloaking_interval}"\n'
        cloaked = statistics.median(
            measure_rate(builds["after"], root, port, "full", 1000, "2s", 3, window, shipped_keywords(builds["after"]),
                         extra)["cpu_s_per_1000"] for _ in range(rounds))
        print(f"with cloaking every {cloaking_interval}: {cloaked:.3f} CPU-s per 1000 checks, "
              f"{cloaked - after:+.3f} for the variants")
    print(f"at end: {load_text()}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--build", default=os.path.join(os.path.dirname(__file__), "..", "build"))
    ap.add_argument("--window", type=float, default=10)
    ap.add_argument("--baseline-build", help="compare full content checks with this build's (before/after)")
    ap.add_argument("--rounds", type=int, default=3, help="with --baseline-build: measurements per build")
    ap.add_argument("--cloaking-interval", help="with --baseline-build: also measure --build with cloaking on")
    args = ap.parse_args()
    build = os.path.abspath(args.build)
    root = tempfile.mkdtemp(prefix="netwarden-bench-")
    port = free_port()
    nginx = start_nginx(root, port)
    try:
        if args.baseline_build:
            compare({"before": os.path.abspath(args.baseline_build), "after": build}, root, port, args.rounds,
                    args.window, args.cloaking_interval)
            return
        full = measure_rate(build, root, port, "full", 1000, "2s", 3, args.window)
        print(f"full content checks:  {full['cpu_s_per_1000']:.3f} CPU-s per 1000 checks "
              f"({full['checks']} checks, {full['checks_per_s']:.0f}/s)  target <= 0.130")
        same = measure_rate(build, root, port, "same", 1000, "2s", 3, args.window)
        print(f"unchanged page:       {same['cpu_s_per_1000']:.3f} CPU-s per 1000 checks "
              f"({same['checks']} checks, {same['checks_per_s']:.0f}/s)  target <= 0.055")
        for kind in ("full", "same"):
            top = measure_rate(build, root, port, kind, 1000, "100ms", 2, args.window)
            print(f"throughput ({kind:4}):    {top['checks_per_s']:.0f} checks/s on one core "
                  f"(daemon CPU {top['cpu_util']*100:.0f}%, {top['cpu_s_per_1000']:.3f} CPU-s per 1000 checks, "
                  f"{top['dropped']} samples dropped)  target >= 5000")
        for count in (1000, 10000):
            mem = measure_memory(build, root, port, count)
            print(f"memory, {count:5} targets: RSS {mem['rss_mib']:.1f} MiB, peak {mem['hwm_mib']:.1f} MiB "
                  f"({mem['unchecked']} not yet checked)  target {'<= 15' if count == 1000 else '< 50'} MB")
    finally:
        nginx.send_signal(signal.SIGQUIT)
        nginx.wait(timeout=10)
        shutil.rmtree(root, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
