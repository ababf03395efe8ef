#!/usr/bin/python3
"""Writes a static campus web site into OUT_DIR, for the site crawl's
end-to-end test and benchmark ([targets.ID.crawl], netwarden.toml(5)).

    make_site.py OUT_DIR [--pages N] [--plant] [--seed S] [--base-url URL]

N HTML pages (default 600) of a Chinese university's site, UTF-8:
/index.html (the start page) links the sections' news lists, their latest
articles and an <iframe> (/widget/notice.html, linked by no <a>); a list
page links its 20 articles and, through a pager, other list pages;
articles link each other (previous / next, related) and back. A few
archived articles are linked by no page: only /sitemap.xml lists them.
/sitemap.xml (sitemaps.org) lists most pages, not all: for N > 5000 it is
a sitemap index of several sitemaps. Its <loc>s are root-relative paths
(which netwarden resolves against the sitemap's URL), or absolute under
--base-url (e.g. http://127.0.0.1:PORT, for a server started first).

Every file's mtime is fixed (an article's publication day), so that
nginx's ETag and Last-Modified are the same each time the site is
written; a file written again later gets new ones. The same arguments
write the same site.

--plant adds what a crawl must report (harmful keywords at link depth 3,
a hidden link, attachments that leak ID numbers, hostile attachments and
a clean one; the files come from make_attachments.py) and prints a JSON
manifest, also written to OUT_DIR/manifest.json:

  {"pages": N, "files": number of attachments, "seed": S,
   "start": "/index.html", "sitemaps": [paths, the index first],
   "sitemap_only": [paths linked by no page], "iframe_only": [paths],
   "max_depth": deepest link depth of a page,
   "expect": {"harmful_content": [paths], "hidden_link": [paths],
              "malicious_code": [], "privacy_leak": [paths],
              "not_inspected": [paths]},
   "planted": [{"name", "path", "type": "page" | "attachment",
                "report": [finding kinds], "outcome": the crawl's outcome,
                "depth": links from /index.html,
                "depth_with_sitemap": with the sitemap's pages at depth 0,
                "in_sitemap": false, "linked_from": [paths],
                "keywords": [...], "hidden_links": [{"url", "why", "text"}],
                "id_numbers": [...]}, ...]}

--plant needs about 100 pages or more (an article at depth 3 of the news).
Needs python3-openpyxl, -docx and -reportlab for --plant only.
"""
import argparse
import datetime
import io
import json
import os
import re
import sys
import zipfile
from collections import deque
from random import Random

sys.dont_write_bytecode = True  # no __pycache__ in the source tree
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import make_attachments  # noqa: E402  (beside this file)

SITE = "东方理工大学"
PER_LIST = 20          # articles on a list page
LATEST_ON_HOME = 6     # articles of each section on the home page
TODAY = datetime.date(2024, 12, 20)
CST = datetime.timezone(datetime.timedelta(hours=8))
URLS_PER_SITEMAP = 2000
MAX_SITEMAPS = 19      # besides the index: netwarden reads at most 20 sitemap files

# (directory, name, share of the articles)
SECTIONS = [
    ("xwzx", "新闻中心", 30),
    ("tzgg", "通知公告", 20),
    ("xsdt", "学术动态", 14),
    ("jwxx", "教务信息", 14),
    ("zsjy", "招生就业", 12),
    ("xxgk", "信息公开", 10),
]
ABOUT = [("gk/xxjj.html", "学校简介"), ("gk/lsyg.html", "历史沿革"), ("gk/xrld.html", "现任领导"),
         ("gk/jgsz.html", "机构设置")]
FRIENDS = [("http://www.moe.gov.cn/", "教育部"), ("https://www.edu.cn/", "中国教育和科研计算机网"),
           ("https://www.chsi.com.cn/", "中国高等教育学生信息网"), ("https://www.cnki.net/", "中国知网")]

# What a defacer plants: words of config/harmful_keywords.txt (赌博 博彩 六合彩
# 百家乐 真人娱乐) and of the tests' own lists (博彩 in detection_flow_test,
# 赌博 彩金 in campus_test, tests/content_corpus/harmful_keywords.txt).
DEFACED_TITLE = "澳门博彩官方网站_六合彩开奖结果_百家乐在线"
DEFACED_BODY = ["澳门博彩官方网站，首存即送彩金888元，六合彩开奖结果实时更新。",
                "百家乐、真人娱乐、体育投注，网上赌博第一品牌，注册即领彩金。",
                "六合彩特码资料大全，澳门博彩信誉平台，百家乐稳赢技巧。"]
DEFACED_KEYWORDS = ["博彩", "彩金", "六合彩", "百家乐", "真人娱乐", "赌博"]
SPAM_HOST_URL = "http://bet.example.com/"
SPAM_TEXT = "澳门博彩"

# Campus words; none of them holds a harmful keyword, nor 彩 or 赌.
COLLEGES = ["计算机科学与技术学院", "机械工程学院", "经济管理学院", "外国语学院", "材料科学与工程学院", "化学化工学院",
            "马克思主义学院", "电子信息学院", "土木工程学院", "生命科学学院", "数学与统计学院", "法学院"]
OFFICES = ["教务处", "研究生院", "学生工作部", "科学技术处", "人事处", "国际交流处", "招生办公室", "图书馆",
           "后勤管理处", "保卫处", "信息化建设办公室", "校团委"]
SURNAMES = "王李张刘陈杨黄赵周吴徐孙马朱胡郭何林高罗郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程魏苏吕丁任沈姚卢"
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀英", "华",
         "建国", "志强", "海燕", "晓东", "文博", "思远", "雨桐", "子涵", "浩然", "佳怡", "俊杰"]
TOPICS = ["人工智能", "新材料", "智能制造", "碳中和", "数字经济", "集成电路", "生物医药", "乡村振兴", "大数据",
          "量子信息", "新能源汽车", "智慧城市", "区域协调发展", "先进计算", "海洋工程"]
EVENTS = ["第十二届科技文化节", "新生开学典礼", "毕业典礼暨学位授予仪式", "秋季运动会", "校园开放日", "教职工趣味运动会",
          "学术年会", "国际学术研讨会", "就业双选会", "读书月活动", "校园歌手大赛", "志愿服务表彰大会"]
MEETINGS = ["党委理论学习中心组学习会", "本科教学工作推进会", "安全稳定工作会议", "学科建设研讨会", "教代会筹备会",
            "研究生培养工作会议", "实验室安全检查部署会"]
COMPETITIONS = ["全国大学生数学建模竞赛", "中国国际大学生创新大赛", "全国大学生电子设计竞赛", "挑战杯课外学术科技作品竞赛",
                "ACM国际大学生程序设计竞赛亚洲区域赛", "全国大学生英语竞赛"]
PRIZES = ["一等奖", "二等奖", "金奖", "银奖", "优秀组织奖", "特等奖"]
SENTENCES = [
    "{date}上午，{event}在学校体育馆隆重举行，校领导、各学院负责人及师生代表一千余人参加。",
    "会议由{office}负责人{person}主持，{college}全体教师参加了会议。",
    "{person}教授围绕{topic}领域的最新研究进展作了题为《{topic}的机遇与挑战》的报告。",
    "与会专家一致认为，学校在{topic}方向的人才培养和科学研究具有鲜明特色。",
    "近年来，{college}坚持立德树人根本任务，不断深化教育教学改革，人才培养质量稳步提升。",
    "本次活动由{office}主办，{college}承办，旨在进一步丰富校园文化生活，营造良好育人氛围。",
    "{person}指出，要以高度的责任感和使命感做好各项工作，确保各项任务落到实处。",
    "据悉，该团队长期致力于{topic}研究，先后承担国家自然科学基金项目{n}项，发表高水平论文{m}篇。",
    "活动现场气氛热烈，同学们纷纷表示收获很大，将把所学知识运用到今后的学习和生活中。",
    "下一步，学校将继续加强与地方政府和行业企业的合作，推动{topic}领域的产学研深度融合。",
    "请各单位高度重视，认真组织，于{date}前将相关材料报送至{office}。",
    "联系人：{person}老师，办公地点：行政楼{room}室，联系电话：0571-8827{tel}。",
    "学校图书馆将于{date}起调整开放时间，具体安排请关注图书馆主页通知。",
    "来自全国{n}所高校的{m}余名专家学者参加了本次会议，围绕{topic}等议题展开深入交流。",
    "在{competition}中，我校学生团队表现出色，获得{prize}{n}项。",
    "{college}{person}副教授课题组在{topic}研究方面取得重要进展，相关成果发表在国际权威期刊上。",
    "本学期期末考试将于第十八周至第十九周进行，请各位同学合理安排复习时间，诚信应考。",
    "为做好{topic}相关工作，经学校研究决定，成立专项工作小组，由{person}同志任组长。",
]
TITLES = {
    "xwzx": ["我校举办{event}", "{college}召开{meeting}", "我校在{competition}中获得{prize}", "{college}开展{topic}主题教育活动",
             "{office}赴兄弟院校调研交流", "我校与地方政府签署{topic}战略合作协议"],
    "tzgg": ["关于做好{year}年{topic}相关工作的通知", "关于{year}年元旦放假安排的通知", "关于开展{meeting}的通知",
             "关于举办{event}的通知", "{office}关于调整办公时间的通知", "关于组织参加{competition}的通知"],
    "xsdt": ["学术报告：{topic}研究前沿与展望", "{college}{person}教授团队在{topic}研究中取得新进展", "我校获批{topic}省级重点实验室",
             "{topic}国际学术研讨会在我校召开", "学术沙龙：{topic}与交叉学科发展"],
    "jwxx": ["关于{year}-{year1}学年第一学期期末考试安排的通知", "关于开展{year}年本科教学质量评估的通知", "关于公布{year}年校级一流课程名单的通知",
             "关于{year}年辅修专业报名的通知", "关于组织{year}年大学英语四六级考试的通知"],
    "zsjy": ["{year}届毕业生{event}顺利举行", "{year}年研究生招生简章", "{college}{year}年硕士研究生复试录取工作方案",
             "{year}年本科招生章程", "{year}届毕业生就业质量年度报告发布"],
    "xxgk": ["{year}年度部门预算公开", "{year}年本科教学质量报告", "学校信息公开工作年度报告（{year}年）", "{office}工作职责",
             "{year}年度决算公开"],
}


class Page:
    __slots__ = ("path", "title", "section", "date", "kind", "links", "frames", "list_path", "body", "extra",
                 "in_sitemap", "attachments", "prevnext", "related")

    def __init__(self, path, title, section, date, kind):
        self.path = path            # "/xwzx/info/1234.html"
        self.title = title
        self.section = section      # index into SECTIONS, or None
        self.date = date
        self.kind = kind            # home, widget, about, list, article, archived
        self.links = []             # hrefs as written, in the order written
        self.frames = []
        self.list_path = None       # an article's list page
        self.body = None            # paragraphs
        self.extra = ""             # planted HTML before the footer
        self.in_sitemap = True
        self.attachments = []       # (href, title)
        self.prevnext = []          # an article's (label, href): 上一篇, 下一篇
        self.related = []           # an article's related articles' hrefs


FILL = {
    "college": lambda r: r.choice(COLLEGES), "office": lambda r: r.choice(OFFICES),
    "event": lambda r: r.choice(EVENTS), "meeting": lambda r: r.choice(MEETINGS),
    "competition": lambda r: r.choice(COMPETITIONS), "prize": lambda r: r.choice(PRIZES),
    "topic": lambda r: r.choice(TOPICS), "person": lambda r: r.choice(SURNAMES) + r.choice(GIVEN),
    "n": lambda r: r.randint(2, 30), "m": lambda r: r.randint(20, 300), "room": lambda r: r.randint(101, 520),
    "tel": lambda r: "%04d" % r.randint(1000, 9999),
    "date": lambda r: "%d月%d日" % (r.randint(1, 12), r.randint(1, 28)),
}


class Words(dict):
    """The words a template names, drawn when it first names them."""

    def __init__(self, rnd, year):
        super().__init__(year=year, year1=year + 1)
        self.rnd = rnd

    def __missing__(self, key):
        value = self[key] = FILL[key](self.rnd)
        return value


def words(rnd, year=2024):
    return Words(rnd, year)


def relative(from_path, to_path):
    """to_path as written on from_path: a file in the same directory by its
    name, one a level up as ../name, else root-relative."""
    here = from_path.rsplit("/", 1)[0]
    there, name = to_path.rsplit("/", 1)
    if there == here:
        return name
    if here.rsplit("/", 1)[0] == there:
        return "../" + name
    return to_path


def resolve(from_path, href):
    """The site path an href of the site's own (as relative() writes them) leads to."""
    if href.startswith("/"):
        return href
    base = from_path.rsplit("/", 1)[0]
    while href.startswith("../"):
        base = base.rsplit("/", 1)[0]
        href = href[3:]
    return base + "/" + href


def split_counts(total, shares):
    counts = [total * s // sum(shares) for s in shares]
    for i in range(total - sum(counts)):
        counts[i % len(counts)] += 1
    return counts


def list_path(section, number):
    return "/%s/index.html" % section if number == 1 else "/%s/list%d.html" % (section, number)


def pager_numbers(current, last):
    """The list pages a pager links: neighbours, every tenth, first and last."""
    return [k for k in range(1, last + 1)
            if k != current and (abs(k - current) <= 3 or k % 10 == 0 or k in (1, last))]


def build(n_pages, rnd):
    """The site's pages and their links (no HTML yet)."""
    fixed = 1 + 1 + len(ABOUT)  # home, widget, about pages
    if n_pages < fixed + 6 * 6:
        raise SystemExit("make_site.py: --pages must be at least %d" % (fixed + 6 * 6))
    archived = max(3, n_pages // 50)
    listed = n_pages - fixed - archived
    while True:  # the most listed articles whose list pages still fit in N
        per_section = split_counts(listed, [s[2] for s in SECTIONS])
        lists = sum(-(-c // PER_LIST) for c in per_section)
        if fixed + lists + listed + archived <= n_pages:
            break
        listed -= 1
    archived = n_pages - fixed - lists - listed
    archived_per_section = split_counts(archived, [s[2] for s in SECTIONS])

    pages = {}
    home = Page("/index.html", SITE, None, TODAY, "home")
    widget = Page("/widget/notice.html", "通知滚动", None, TODAY, "widget")
    pages[home.path] = home
    pages[widget.path] = widget
    for path, title in ABOUT:
        page = Page("/" + path, title, None, datetime.date(2024, 3, 1), "about")
        page.body = [SENTENCES[4].format_map(words(rnd)), SENTENCES[9].format_map(words(rnd))]
        pages[page.path] = page

    nav = ["/index.html"] + ["/" + p for p, _ in ABOUT[:1]] + [list_path(s[0], 1) for s in SECTIONS]
    next_id = 1001
    section_articles = []
    for si, (section, name, _) in enumerate(SECTIONS):
        date = TODAY
        articles = []
        count = per_section[si] + archived_per_section[si]
        for i in range(count):  # newest first; newer articles have higher numbers, as a CMS gives them
            date -= datetime.timedelta(days=rnd.choice((0, 1, 1, 2, 3)))
            title = rnd.choice(TITLES[section]).format_map(words(rnd, date.year))
            kind = "article" if i < per_section[si] else "archived"
            page = Page("/%s/info/%d.html" % (section, next_id + count - 1 - i), title, si, date, kind)
            page.body = [s.format_map(words(rnd, date.year)) for s in rnd.sample(SENTENCES, rnd.randint(4, 9))]
            articles.append(page)
            pages[page.path] = page
        next_id += count + rnd.randint(5, 50)
        shown = [a for a in articles if a.kind == "article"]
        section_articles.append(shown)
        last = -(-len(shown) // PER_LIST)
        for number in range(1, last + 1):
            lp = Page(list_path(section, number), name, si, TODAY, "list")
            chunk = shown[(number - 1) * PER_LIST:number * PER_LIST]
            lp.links = [relative(lp.path, a.path) for a in chunk]
            lp.links += [relative(lp.path, list_path(section, k)) for k in pager_numbers(number, last)]
            for a in chunk:
                a.list_path = lp.path
            pages[lp.path] = lp
        for i, a in enumerate(shown):
            if i > 0:
                a.prevnext.append(("上一篇", relative(a.path, shown[i - 1].path)))
            if i + 1 < len(shown):
                a.prevnext.append(("下一篇", relative(a.path, shown[i + 1].path)))
            near = shown[max(0, i - 40):i + 40]
            a.related = [relative(a.path, r.path) for r in rnd.sample(near, min(4, len(near))) if r is not a][:3]
            a.links = [h for _, h in a.prevnext] + a.related + [relative(a.path, a.list_path)]  # 返回列表
        for a in articles[len(shown):]:
            a.links = [relative(a.path, list_path(section, 1))]

    home.links = [a.path for shown in section_articles for a in shown[:LATEST_ON_HOME]]
    home.links += [list_path(s[0], 1) for s in SECTIONS]
    home.frames = [widget.path]
    widget.links = [a.path for a in section_articles[1][:5]]
    for path, _ in ABOUT:
        pages["/" + path].links = ["/" + p for p, _ in ABOUT if p != path]
    return pages, nav, section_articles


def depths(pages, nav, starts):
    """Link depth of every page from `starts` (breadth first, as the crawler
    goes; the navigation bar links every page to the same few)."""
    depth = {s: 0 for s in starts}
    queue = deque(starts)
    while queue:
        path = queue.popleft()
        page = pages.get(path)
        if page is None:
            continue
        targets = (nav if page.kind != "widget" else []) + [resolve(path, h) for h in page.links + page.frames] + [
            resolve(path, h) for h, _ in page.attachments]
        for t in targets:
            if t not in depth:
                depth[t] = depth[path] + 1
                queue.append(t)
    return depth


# ---------------------------------------------------------------- HTML

CSS = """body{margin:0;font:14px/1.6 "Microsoft YaHei",SimSun,sans-serif;color:#333}
a{color:#333;text-decoration:none}a:hover{color:#a00}
.wrap{width:1200px;margin:0 auto}.top{background:#8b0000;color:#fff}.top a{color:#fff}
.nav li{display:inline-block;padding:0 18px;line-height:48px}
.m-nav{display:none}
.list li{border-bottom:1px dashed #ddd;line-height:36px}.list span{float:right;color:#999}
.article h1{text-align:center;font-size:22px}.article .meta{text-align:center;color:#999}
.pager a,.pager b{margin:0 4px}.footer{background:#333;color:#ccc;padding:20px 0;margin-top:30px}.footer a{color:#ccc}
@media (max-width:768px){.nav{display:none}.m-nav{display:block}}
"""
JS = """(function(){var t=document.getElementById('date');if(t){var d=new Date();
t.innerHTML=d.getFullYear()+'年'+(d.getMonth()+1)+'月'+d.getDate()+'日';}})();
"""


def esc(text):
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def header(page, title, nav_html):
    return ("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head>\n<meta charset=\"utf-8\">\n"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n"
            "<title>%s</title>\n<meta name=\"keywords\" content=\"%s,%s\">\n"
            "<link rel=\"stylesheet\" href=\"/css/style.css\">\n<script src=\"/js/common.js\" defer></script>\n"
            "</head>\n<body>\n<div class=\"top\"><div class=\"wrap\"><a class=\"logo\" href=\"/index.html\">%s</a>"
            " <span id=\"date\"></span>\n<form action=\"/search.html\" method=\"get\"><input name=\"q\" "
            "placeholder=\"请输入关键字\"><button type=\"submit\">搜索</button></form>\n%s</div></div>\n"
            % (esc(title), SITE, esc(page.title), SITE, nav_html))


def footer():
    friends = " ".join('<a href="%s" target="_blank">%s</a>' % f for f in FRIENDS)
    return ("<div class=\"footer\"><div class=\"wrap\"><p>友情链接：%s</p>\n"
            "<p>地址：浙江省杭州市西湖区学院路88号 邮编：310000 电话：0571-88270000 "
            "<a href=\"mailto:xxb@example.edu.cn\">xxb@example.edu.cn</a></p>\n"
            "<p>版权所有 © %s 浙ICP备05074421号 <a href=\"#top\">返回顶部</a> "
            "<a href=\"javascript:void(0)\">加入收藏</a></p></div></div>\n</body>\n</html>\n" % (friends, SITE))


def nav_html(nav, pages):
    items = "".join('<li><a href="%s">%s</a></li>' % (p, "首页" if p == "/index.html" else pages[p].title) for p in nav)
    return '<ul class="nav">%s</ul>\n<ul class="m-nav">%s</ul>' % (items, items)


def fmt_date(d):
    return d.strftime("%Y-%m-%d")


def render(page, pages, nav_bar):
    out = []
    if page.kind == "home":
        out.append(header(page, SITE, nav_bar))
        out.append('<div class="wrap"><div class="banner"><h2>厚德 博学 求是 创新</h2></div>\n')
        out.append('<iframe src="%s" width="1200" height="40" frameborder="0" scrolling="no" title="通知"></iframe>\n'
                   % page.frames[0])
        for si, (section, name, _) in enumerate(SECTIONS):
            first = list_path(section, 1)
            out.append('<div class="box"><h3>%s<a class="more" href="%s">更多&gt;&gt;</a></h3><ul class="list">\n'
                       % (name, first))
            for href in page.links:
                if href.startswith("/%s/info/" % section):
                    a = pages[href]
                    out.append('<li><a href="%s" title="%s">%s</a><span>%s</span></li>\n'
                               % (href, esc(a.title), esc(a.title), fmt_date(a.date)))
            out.append("</ul></div>\n")
        out.append("</div>\n")
    elif page.kind == "widget":
        out.append("<!DOCTYPE html>\n<html lang=\"zh-CN\">\n<head><meta charset=\"utf-8\"><title>通知</title>"
                   "<base target=\"_top\"></head>\n<body><marquee scrollamount=\"3\" height=\"40\">\n")
        for href in page.links:
            out.append('<a href="%s">%s</a>&nbsp;&nbsp;\n' % (href, esc(pages[href].title)))
        out.append("</marquee></body></html>\n")
        return "".join(out)
    elif page.kind == "list":
        name = SECTIONS[page.section][1]
        out.append(header(page, "%s-%s" % (name, SITE), nav_bar))
        out.append('<div class="wrap"><div class="crumb">当前位置：<a href="/index.html">首页</a> &gt; '
                   '<a href="%s">%s</a></div>\n<ul class="list">\n' % (list_path(SECTIONS[page.section][0], 1), name))
        pager = []
        for href in page.links:
            target = pages[resolve(page.path, href)]
            if target.kind == "article":
                out.append('<li><a href="%s" target="_blank" title="%s">%s</a><span>%s</span></li>\n'
                           % (href, esc(target.title), esc(target.title), fmt_date(target.date)))
            else:
                number = re.search(r"(\d+)\.html$", target.path)
                pager.append((int(number.group(1)) if number else 1, href))
        current = re.search(r"list(\d+)\.html$", page.path)
        current = int(current.group(1)) if current else 1
        pager.append((current, None))
        pager.sort()
        out.append('</ul>\n<div class="pager">')
        for number, href in pager:
            out.append("<b>%d</b>" % number if href is None else '<a href="%s">%d</a>' % (href, number))
        out.append("</div></div>\n")
    else:  # article, archived, about
        defaced = page.extra == "defaced"
        title = DEFACED_TITLE if defaced else page.title
        out.append(header(page, "%s-%s" % (title, SITE), nav_bar))
        crumb = ""
        if page.section is not None:
            section, name, _ = SECTIONS[page.section]
            crumb = ' &gt; <a href="%s">%s</a>' % (relative(page.path, list_path(section, 1)), name)
        out.append('<div class="wrap"><div class="crumb">当前位置：<a href="/index.html">首页</a>%s</div>\n'
                   '<div class="article"><h1>%s</h1>\n' % (crumb, esc(title)))
        if page.section is not None:
            h = hash_text(page.path)
            out.append('<div class="meta">发布时间：%s 来源：%s 浏览次数：%d</div>\n'
                       % (fmt_date(page.date), OFFICES[h % len(OFFICES)], h % 3000 + 37))
        body = DEFACED_BODY if defaced else page.body
        out.append('<div class="content">\n%s\n' % "\n".join("<p>%s</p>" % esc(p) for p in body))
        if page.attachments:
            out.append('<p>附件：</p><ul class="files">\n')
            for href, text in page.attachments:
                out.append('<li><a href="%s">%s</a></li>\n' % (href, esc(text)))
            out.append("</ul>\n")
        out.append("</div>\n")
        if page.kind == "article":
            out.append('<div class="prevnext">')
            for label, h in page.prevnext:
                out.append('<p>%s：<a href="%s">%s</a></p>' % (label, h, esc(pages[resolve(page.path, h)].title)))
            out.append('</div>\n<div class="related"><h4>相关阅读</h4><ul>\n')
            for h in page.related:
                out.append('<li><a href="%s">%s</a></li>\n' % (h, esc(pages[resolve(page.path, h)].title)))
            out.append('</ul></div>\n<p class="back"><a href="%s">返回列表</a></p>\n' % page.links[-1])
        else:
            for h in page.links:
                out.append('<p><a href="%s">%s</a></p>\n' % (h, esc(pages[resolve(page.path, h)].title)))
        out.append("</div>\n")
        if page.extra and not defaced:
            out.append(page.extra)
        out.append("</div>\n")
    out.append(footer())
    return "".join(out)


def hash_text(text):
    h = 0
    for c in text.encode():
        h = (h * 131 + c) & 0xFFFFFFFF
    return h


# ---------------------------------------------------------------- files

def set_time(path, day, hour=8):
    t = datetime.datetime(day.year, day.month, day.day, hour, 0, tzinfo=CST).timestamp()
    os.utime(path, (t, t))


MADE_DIRS = set()


def write(out, rel, data, day):
    path = os.path.join(out, rel.lstrip("/"))
    directory = os.path.dirname(path)
    if directory not in MADE_DIRS:
        os.makedirs(directory, exist_ok=True)
        MADE_DIRS.add(directory)
    with open(path, "wb") as f:
        f.write(data if isinstance(data, bytes) else data.encode("utf-8"))
    set_time(path, day)


def normalise_zip(path):
    """The same bytes each time: fixed entry times, fixed document dates."""
    with zipfile.ZipFile(path) as z:
        entries = [(info.filename, z.read(info.filename)) for info in z.infolist()]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in entries:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:(created|modified)[^>]*>)[^<]*", rb"\g<1>2024-07-10T08:00:00Z", data)
            z.writestr(zipfile.ZipInfo(name, (2024, 7, 10, 8, 0, 0)), data, zipfile.ZIP_DEFLATED)
    with open(path, "wb") as f:
        f.write(buffer.getvalue())


def timetable_csv():
    rows = [["星期", "节次", "课程名称", "任课教师", "教室", "周次"]]
    courses = [("高等数学A（一）", "王建国"), ("大学英语（一）", "李海燕"), ("程序设计基础", "张晓东"),
               ("线性代数", "刘志强"), ("思想道德与法治", "陈思远"), ("大学物理B", "赵文博"), ("体育（一）", "孙浩然")]
    days = ["星期一", "星期二", "星期三", "星期四", "星期五"]
    slots = ["1-2节", "3-4节", "6-7节", "8-9节"]
    i = 0
    for day in days:
        for slot in slots[: 3 if day != "星期五" else 2]:
            course, teacher = courses[i % len(courses)]
            rows.append([day, slot, course, teacher, "教%d-%d" % (1 + i % 4, 101 + 7 * i), "1-16周"])
            i += 1
    return "\r\n".join(",".join(r) for r in rows).encode("gb18030") + b"\r\n"


# Look like ID numbers and are not: a wrong check character, or a birth date
# that does not exist (with the check character right for it). None counts.
NOT_IDS = ([f + ("0" if make_attachments.check_char(f) != "0" else "1") for f in
            ("11010519900307123", "44030619851120456", "32058319771231789", "51010720000229111")] +
           [f + make_attachments.check_char(f) for f in
            ("11010519901332123", "44030619850230456", "32058320010229789", "51010719990431111")])


def not_ids_csv():
    """A register whose numbers all fail: no privacy_leak."""
    rows = [["序号", "姓名", "考生号"]]
    rows += [[str(i + 1), "考生%d" % (i + 1), n] for i, n in enumerate(NOT_IDS)]
    return "\r\n".join(",".join(r) for r in rows).encode("utf-8") + b"\r\n"


OUTCOME_BOMB = "not inspected: zip bomb: entry xl/worksheets/sheet1.xml expands to more than 256 MiB"
OUTCOME_TRUNCATED = "not inspected: not a readable PDF: truncated (no %%EOF at the end)"
OUTCOME_DOC = "not inspected: .doc (Word 97-2003) is not read; save as .docx"


def plant(out, pages, nav, section_articles):
    """Turns five ordinary articles into what a crawl must find, writes the
    attachments, and returns the planted entries (without depths)."""
    base = depths(pages, nav, ["/index.html"])
    section = {s[0]: i for i, s in enumerate(SECTIONS)}

    def pick(name, depth, taken):
        for a in section_articles[section[name]]:
            if base.get(a.path) == depth and a.path not in taken:
                return a
        raise SystemExit("make_site.py: no article of %s at depth %d; use more --pages" % (name, depth))

    taken = set()
    defaced = pick("xwzx", 3, taken)
    taken.add(defaced.path)
    hidden = pick("xsdt", 2, taken)
    taken.add(hidden.path)
    leaked = pick("zsjy", 2, taken)
    taken.add(leaked.path)
    hostile = pick("jwxx", 2, taken)
    taken.add(hostile.path)
    clean = pick("jwxx", 2, taken)
    taken.add(clean.path)

    defaced.extra = "defaced"
    hidden.extra = '<div style="display:none"><a href="%s">%s</a></div>\n' % (SPAM_HOST_URL, SPAM_TEXT)
    year = leaked.date.year
    leaked.title = "%d年本科新生录取名单公示" % year
    leaked.body = ["根据%d年普通高等学校招生工作规定，经学校招生工作领导小组审议，现将我校%d年本科新生录取名单予以公示。" % (year, year),
                   "公示期为%s至公示结束后五个工作日，如有异议，请与招生办公室联系。" % fmt_date(leaked.date)]
    hostile.title = "关于报送%d年度教学成果奖申报材料的通知" % hostile.date.year
    hostile.body = ["各学院：", "请各单位按照附件要求填写申报书和汇总表，并于规定时间前将纸质材料报送至教务处。"]
    clean.title = "%d-%d学年第一学期本科课程表" % (clean.date.year, clean.date.year + 1)
    clean.body = ["现将本学期课程安排予以公布，请各位师生按照课程表按时上课。", "如有调课需求，请提前一周向教务处提出申请。"]

    files = "/upload/files/%d/" % year
    names = {
        "leaked_xlsx": files + "%d_bks_lqmd.xlsx" % year,
        "leaked_docx": files + "%d_bks_lqmd.docx" % year,
        "leaked_pdf": files + "%d_pks_zzmd.pdf" % year,
        "zip_bomb": files + "jxcg_hzb.xlsx",
        "truncated_pdf": files + "jxcg_sbs.pdf",
        "word_97": files + "jxcg_tzwj.doc",
        "clean_csv": files + "kcb_%d.csv" % clean.date.year,
        "not_ids_csv": files + "kshhd_%d.csv" % clean.date.year,
    }
    directory = os.path.join(out, files.strip("/"))
    os.makedirs(directory, exist_ok=True)
    base_name = {k: os.path.basename(v) for k, v in names.items()}
    import reportlab.rl_config
    reportlab.rl_config.invariant = 1  # no creation date or random ID in the PDF
    make_attachments.xlsx(directory, base_name["leaked_xlsx"])
    make_attachments.docx(directory, base_name["leaked_docx"])
    make_attachments.pdf(directory, base_name["leaked_pdf"])
    make_attachments.truncated_pdf(directory, base_name["truncated_pdf"], base_name["leaked_pdf"])
    make_attachments.zip_bomb(directory, base_name["zip_bomb"], None)
    make_attachments.old_doc(directory, base_name["word_97"])
    with open(os.path.join(directory, base_name["clean_csv"]), "wb") as f:
        f.write(timetable_csv())
    with open(os.path.join(directory, base_name["not_ids_csv"]), "wb") as f:
        f.write(not_ids_csv())
    for key in ("leaked_xlsx", "leaked_docx"):
        normalise_zip(os.path.join(directory, base_name[key]))
    for key, rel in names.items():
        set_time(os.path.join(out, rel.lstrip("/")), leaked.date, 9)

    leaked.attachments = [(relative(leaked.path, names["leaked_xlsx"]), "%d年本科新生录取名单（Excel）.xlsx" % year),
                          (relative(leaked.path, names["leaked_docx"]), "%d年本科新生录取名单（Word）.docx" % year),
                          (relative(leaked.path, names["leaked_pdf"]), "%d年家庭经济困难学生资助名单.pdf" % year)]
    hostile.attachments = [(relative(hostile.path, names["zip_bomb"]), "教学成果奖申报汇总表.xlsx"),
                           (relative(hostile.path, names["truncated_pdf"]), "教学成果奖申报书.pdf"),
                           (relative(hostile.path, names["word_97"]), "关于报送教学成果奖申报材料的通知.doc")]
    clean.attachments = [(relative(clean.path, names["clean_csv"]), "本科课程表.csv"),
                         (relative(clean.path, names["not_ids_csv"]), "考生号核对表.csv")]
    for page in (defaced, hidden, leaked, hostile, clean):
        page.in_sitemap = False

    def entry(name, path, type_, report, outcome, keywords=(), hidden_links=(), ids=()):
        return {"name": name, "path": path, "type": type_, "report": list(report), "outcome": outcome,
                "keywords": list(keywords), "hidden_links": list(hidden_links), "id_numbers": list(ids)}

    A = make_attachments
    return [
        entry("defaced_article", defaced.path, "page", ["harmful_content"], "200", DEFACED_KEYWORDS),
        entry("hidden_link", hidden.path, "page", ["hidden_link", "harmful_content"], "200", ["博彩"],
              [{"url": SPAM_HOST_URL, "why": "display:none on <div>", "text": SPAM_TEXT}]),
        entry("leaked_files_page", leaked.path, "page", [], "200"),
        entry("leaked_xlsx", names["leaked_xlsx"], "attachment", ["privacy_leak"], "200",
              ids=A.TEXT_IDS + A.NUMERIC_IDS),
        entry("leaked_docx", names["leaked_docx"], "attachment", ["privacy_leak"], "200", ids=A.DOC_IDS),
        entry("leaked_pdf", names["leaked_pdf"], "attachment", ["privacy_leak"], "200", ids=A.PDF_IDS),
        entry("hostile_files_page", hostile.path, "page", [], "200"),
        entry("zip_bomb", names["zip_bomb"], "attachment", [], OUTCOME_BOMB),
        entry("truncated_pdf", names["truncated_pdf"], "attachment", [], OUTCOME_TRUNCATED),
        entry("word_97", names["word_97"], "attachment", [], OUTCOME_DOC),
        entry("clean_files_page", clean.path, "page", [], "200"),
        entry("clean_csv", names["clean_csv"], "attachment", [], "200"),
        entry("not_ids_csv", names["not_ids_csv"], "attachment", [], "200", ids=NOT_IDS),
    ]


def sitemaps(out, pages, base_url):
    listed = [p for p in sorted(pages.values(), key=lambda p: p.path) if p.in_sitemap and p.kind != "widget"]
    # Most pages, not all: every 20th article is left out (a CMS that forgets some).
    listed = [p for i, p in enumerate(listed) if p.kind != "article" or i % 20 != 7]
    keep = {p.path for p in listed}
    for p in pages.values():
        p.in_sitemap = p.path in keep

    def loc(path):
        return esc(base_url + path)

    def urlset(chunk):
        return ('<?xml version="1.0" encoding="UTF-8"?>\n<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + "".join("<url><loc>%s</loc><lastmod>%s</lastmod></url>\n" % (loc(p.path), fmt_date(p.date))
                          for p in chunk) + "</urlset>\n")

    if len(pages) <= 5000:
        write(out, "/sitemap.xml", urlset(listed), TODAY)
        return ["/sitemap.xml"]
    count = min(MAX_SITEMAPS, max(2, -(-len(listed) // URLS_PER_SITEMAP)))
    size = -(-len(listed) // count)
    names = []
    for i in range(count):
        name = "/sitemap-%d.xml" % (i + 1)
        write(out, name, urlset(listed[i * size:(i + 1) * size]), TODAY)
        names.append(name)
    index = ('<?xml version="1.0" encoding="UTF-8"?>\n'
             '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
             + "".join("<sitemap><loc>%s</loc><lastmod>%s</lastmod></sitemap>\n" % (loc(n), fmt_date(TODAY))
                       for n in names) + "</sitemapindex>\n")
    write(out, "/sitemap.xml", index, TODAY)
    return ["/sitemap.xml"] + names


def main():
    parser = argparse.ArgumentParser(description="Writes a static campus web site for the crawl tests.")
    parser.add_argument("out_dir")
    parser.add_argument("--pages", type=int, default=600, help="HTML pages to write (default 600)")
    parser.add_argument("--plant", action="store_true", help="plant findings and print a JSON manifest")
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--base-url", default="", help="absolute <loc>s in the sitemaps, e.g. http://127.0.0.1:8080")
    args = parser.parse_args()
    out = args.out_dir
    base_url = args.base_url.rstrip("/")
    os.makedirs(out, exist_ok=True)

    rnd = Random(args.seed)
    pages, nav, section_articles = build(args.pages, rnd)
    planted = plant(out, pages, nav, section_articles) if args.plant else []
    names = sitemaps(out, pages, base_url)

    nav_bar = nav_html(nav, pages)
    for page in pages.values():
        write(out, page.path, render(page, pages, nav_bar), page.date)
    write(out, "/css/style.css", CSS, TODAY)
    write(out, "/js/common.js", JS, TODAY)

    if not args.plant:
        return
    link_depth = depths(pages, nav, ["/index.html"])
    for p in pages.values():  # what the manifest promises
        assert (p.path in link_depth) == (p.kind != "archived"), p.path
        assert p.in_sitemap or p.kind != "archived", p.path
    sitemap_pages = [p.path for p in pages.values() if p.in_sitemap]
    with_sitemap = depths(pages, nav, ["/index.html"] + sorted(sitemap_pages))
    linked_from = {}
    for page in pages.values():
        for h in page.links + page.frames + [h for h, _ in page.attachments]:
            linked_from.setdefault(resolve(page.path, h), set()).add(page.path)
    for p in pages.values():  # the navigation bar
        if p.kind not in ("widget",):
            for n in nav:
                linked_from.setdefault(n, set()).add(p.path)
    for e in planted:
        e["depth"] = link_depth[e["path"]]
        e["depth_with_sitemap"] = with_sitemap[e["path"]]
        e["in_sitemap"] = False
        e["linked_from"] = sorted(linked_from.get(e["path"], ()))
    expect = {kind: sorted(e["path"] for e in planted if kind in e["report"])
              for kind in ("harmful_content", "hidden_link", "malicious_code", "privacy_leak")}
    expect["not_inspected"] = sorted(e["path"] for e in planted if e["outcome"].startswith("not inspected"))
    manifest = {
        "pages": len(pages),
        "files": sum(1 for e in planted if e["type"] == "attachment"),
        "seed": args.seed,
        "start": "/index.html",
        "sitemaps": names,
        "sitemap_only": sorted(p.path for p in pages.values() if p.kind == "archived"),
        "iframe_only": ["/widget/notice.html"],
        "max_depth": max(link_depth[p] for p in pages if p in link_depth),
        "expect": expect,
        "planted": planted,
    }
    text = json.dumps(manifest, ensure_ascii=False, indent=1)
    with open(os.path.join(out, "manifest.json"), "w", encoding="utf-8") as f:
        f.write(text + "\n")
    sys.stdout.write(text + "\n")


if __name__ == "__main__":
    main()
