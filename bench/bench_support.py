"""Helpers the benchmarks share: nginx on loopback, the generated ~20 KB page,
a netwardend config of N targets, the daemon under measurement, and its CPU
time and memory read from /proc.

web_check_bench.py, crawl_bench.py and compare.py import these, so each
measures netwardend the same way. Nothing here runs on import.
"""
import json, os, shutil, signal, socket, subprocess, time

CLK_TCK = os.sysconf("SC_CLK_TCK")
# What web_check_bench's full scenario removes from the fingerprint: the per-request value.
VISIT_TIME_IGNORE = ("访问时间 [0-9.]+",)


def cpu_seconds(pid):
    """CPU time a process has used, all its threads: utime + stime from /proc."""
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / CLK_TCK  # utime + stime


def memory_kib(pid, key):
    """A line of /proc/PID/status in KiB, e.g. VmRSS or VmHWM."""
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith(key + ":"):
                return int(line.split()[1])


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def make_page(dynamic):
    parts = ['<!DOCTYPE html><html><head><meta charset="utf-8"><title>某某大学 门户网站</title>',
             '<meta name="description" content="某某大学官方网站">',
             '<script src="/js/app.js"></script><style>body{color:#333} .nav li{display:inline}</style>',
             '</head><body><div class="nav"><ul>']
    for i in range(40):
        parts.append(f'<li><a href="/news/{i}.html">新闻 {i}：学校召开网络安全工作会议</a></li>')
    parts.append('</ul></div><div id="main">')
    i = 0
    while sum(len(p.encode()) for p in parts) < 19500:
        parts.append(f'<p class="item">第{i}条 The university held a meeting on the network security '
                     f'responsibility system. 落实网络安全责任制，加强门户网站管理 {i}。</p>')
        i += 1
    counter = '<!--# echo var="msec" -->' if dynamic else '1700000000.000'
    parts.append(f'</div><div id="footer">访问时间 {counter} 版权所有 某某大学</div>'
                 '<script>var t=1;</script></body></html>')
    return "".join(parts)


HARMFUL = ["赌博", "博彩", "六合彩", "代开发票", "私服", "外挂", "色情", "裸聊", "网赌", "百家乐",
           "时时彩", "棋牌", "老虎机", "真人娱乐", "洗钱", "办证", "枪支", "迷药", "窃听器", "刷单",
           "casino", "gambling", "betting", "poker", "slot machine", "viagra", "escort", "porn",
           "lottery", "jackpot", "bitcoin doubler", "free money", "hack tool", "keygen", "warez",
           "crack download", "sportsbook", "baccarat", "roulette", "blackjack", "payday loan",
           "fake id", "replica watches", "cheap pills", "adult chat", "camgirl", "bet365", "1xbet",
           "pharmacy online", "loan shark"]


def run_nginx(root, port, server_lines, http_lines=""):
    """nginx on 127.0.0.1:port pinned to CPU 1, serving root/www with `server_lines` in its server block
    (and `http_lines`, e.g. a map, in its http block)."""
    http_block = f"  {http_lines}\n" if http_lines else ""
    conf = f"""
user root;
worker_processes 1;
pid {root}/nginx.pid;
error_log {root}/error.log;
events {{ worker_connections 16384; }}
http {{
  access_log off;
  client_body_temp_path {root}/tmp; proxy_temp_path {root}/tmp; fastcgi_temp_path {root}/tmp;
  uwsgi_temp_path {root}/tmp; scgi_temp_path {root}/tmp;
  default_type text/html;
{http_block}  server {{
    listen 127.0.0.1:{port} backlog=16384;
    root {root}/www;
    {server_lines}
  }}
}}
"""
    os.makedirs(f"{root}/www", exist_ok=True)
    os.makedirs(f"{root}/tmp", exist_ok=True)
    with open(f"{root}/nginx.conf", "w") as f:
        f.write(conf)
    proc = subprocess.Popen(["taskset", "-c", "1", "/usr/sbin/nginx", "-p", root, "-c", f"{root}/nginx.conf",
                             "-g", "daemon off;"])
    for _ in range(100):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.1).close()
            return proc
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("nginx did not start")


def write_config(root, port, kind, count, interval, timeout, keywords=None, target_extra="",
                 ignore=VISIT_TIME_IGNORE):
    if keywords is None:
        keywords = f"{root}/harmful.txt"
        with open(keywords, "w") as f:
            f.write("\n".join(HARMFUL) + "\n")
    lines = [f'[daemon]\nstate_dir = "{root}/state"\nsocket = "{root}/nw.sock"\nlog_level = "warn"\n'
             'max_concurrent_checks = 64\n',
             '[people.op]\nname = "Operator"\nemail = "op@example.edu.cn"\n',
             '[units.it]\nname = "信息中心"\noperators = ["op"]\n',
             '[chains.c]\n[[chains.c.steps]]\nafter = "0s"\nnotify = ["operator"]\n',
             f'[defaults]\ninterval = "{interval}"\ntimeout = "{timeout}"\nchain = "c"\n'
             f'harmful_keywords = "{keywords}"\n']
    patterns = ", ".join('"' + p + '"' for p in ignore)  # TOML basic strings: no quote or backslash in them
    for i in range(count):
        lines.append(f'[targets.t{i}]\nurl = "http://127.0.0.1:{port}/{kind}/{i}"\nunit = "it"\n'
                     f'ignore = [{patterns}]\nrequired_keywords = ["某某大学"]\n' + target_extra)
    path = f"{root}/bench-{kind}-{count}.toml"
    with open(path, "w") as f:
        f.write("\n".join(lines))
    return path


class Daemon:
    def __init__(self, build, root, config, stderr=None):
        """`stderr`: where the daemon's log goes (a file, for a run that makes it warn on purpose); ours by default."""
        shutil.rmtree(f"{root}/state", ignore_errors=True)
        self.build, self.sock = build, f"{root}/nw.sock"
        self.proc = subprocess.Popen(["taskset", "-c", "0", f"{build}/daemon/netwardend", "--config", config],
                                     stderr=stderr)

    def status(self):
        out = subprocess.run([f"{self.build}/ctl/netwardenctl", "--socket", self.sock, "--json", "status"],
                             capture_output=True, text=True)
        return json.loads(out.stdout) if out.returncode == 0 else None

    def wait_ready(self):
        for _ in range(200):
            if self.status():
                return
            time.sleep(0.05)
        raise RuntimeError("netwardend did not start")

    def cpu_seconds(self):
        return cpu_seconds(self.proc.pid)

    def memory_kib(self, key):
        return memory_kib(self.proc.pid, key)

    def stop(self):
        self.proc.send_signal(signal.SIGTERM)
        self.proc.wait(timeout=30)


def measure_rate(build, root, port, kind, count, interval, warmup, window, keywords=None, target_extra="",
                 ignore=VISIT_TIME_IGNORE):
    # A check may not outlast its interval (a config rule), so short intervals get short timeouts.
    timeout = "2s" if interval.endswith("s") and not interval.endswith("ms") else interval
    d = Daemon(build, root, write_config(root, port, kind, count, interval, timeout, keywords, target_extra, ignore))
    try:
        d.wait_ready()
        time.sleep(warmup)
        c0, n0, t0 = d.cpu_seconds(), d.status()["checks_completed"], time.monotonic()
        time.sleep(window)
        c1, n1, t1 = d.cpu_seconds(), d.status()["checks_completed"], time.monotonic()
        checks = n1 - n0
        return {"checks": checks, "checks_per_s": checks / (t1 - t0),
                "cpu_s_per_1000": (c1 - c0) / checks * 1000 if checks else float("nan"),
                "cpu_util": (c1 - c0) / (t1 - t0), "dropped": d.status()["store"]["dropped_samples"]}
    finally:
        d.stop()


def measure_memory(build, root, port, count, kind="same", ignore=VISIT_TIME_IGNORE):
    d = Daemon(build, root, write_config(root, port, kind, count, "20s", "5s", ignore=ignore))
    try:
        d.wait_ready()
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and d.status()["targets"]["unknown"] > 0:
            time.sleep(0.5)
        time.sleep(2)
        return {"targets": count, "rss_mib": d.memory_kib("VmRSS") / 1024, "hwm_mib": d.memory_kib("VmHWM") / 1024,
                "unchecked": d.status()["targets"]["unknown"]}
    finally:
        d.stop()


def shipped_keywords(build):
    """The harmful-keyword file the build's source tree ships."""
    with open(f"{build}/CMakeCache.txt") as f:
        for line in f:
            if line.startswith("CMAKE_HOME_DIRECTORY:"):
                return line.split("=", 1)[1].strip() + "/config/harmful_keywords.txt"
    raise RuntimeError(f"{build}: no CMAKE_HOME_DIRECTORY in CMakeCache.txt")


def load_text():
    return "load average %.2f %.2f %.2f on %d CPUs" % (*os.getloadavg(), os.cpu_count())
