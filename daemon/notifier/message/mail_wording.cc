#include "daemon/notifier/message/mail_wording.h"

#include <array>
#include <utility>

namespace netwarden {

namespace {

using Words = std::array<std::string_view, 2>;  // {zh, en}

std::string_view in(const Words& words, MailLanguage lang) { return words[static_cast<int>(lang)]; }

constexpr Words kSeverities[] = {
    {"一般", "general"}, {"较大", "significant"}, {"重大", "major"}, {"特别重大", "critical"}};

constexpr Words kKinds[] = {{"无法访问", "unreachable"},
                            {"页面内容变更", "content changed"},
                            {"出现有害信息", "harmful content"},
                            {"证书问题", "TLS certificate problem"},
                            {"内网违规外联", "internal network reached the internet"},
                            {"监测自身网络异常", "monitoring host lost connectivity"},
                            {"网页暗链", "hidden links"},
                            {"网页挂马", "malicious code"},
                            {"快照劫持", "cloaking for search engines"},
                            {"个人信息泄露", "personal data exposed"}};

// PersonalDataFinding::kind; others as written.
constexpr std::pair<std::string_view, Words> kPersonalData[] = {{"id_number", {"身份证号", "ID numbers"}},
                                                                {"bank_card", {"银行卡号", "bank card numbers"}},
                                                                {"mobile_number", {"手机号码", "mobile numbers"}}};

// The documented keyword categories; others are shown as written.
constexpr std::pair<std::string_view, Words> kCategories[] = {{"gambling", {"赌博", "gambling"}},
                                                              {"pornography", {"色情", "pornography"}},
                                                              {"political", {"政治", "political"}},
                                                              {"fraud", {"诈骗", "fraud"}}};

// Where on a page a keyword was seen (KeywordHit::where, as content_digest.cc
// names the texts it scans); others as written.
constexpr std::pair<std::string_view, Words> kPlaces[] = {
    {"text", {"正文", "text"}},
    {"title", {"标题", "title"}},
    {"img alt", {"图片替代文字", "img alt"}},
    {"title attribute", {"title属性", "title attribute"}},
    {"meta name=description", {"页面描述", "meta description"}},
    {"meta name=keywords", {"页面关键词", "meta keywords"}},
    {"script", {"外部脚本地址", "script address"}},
    {"iframe", {"内嵌框架地址", "iframe address"}},
    {"external-link", {"外部链接地址", "link address"}},
    {"document.write", {"脚本写入的内容", "HTML written by a script"}},
    {"css content", {"CSS生成的文字", "CSS content"}},
    {"structure", {"页面结构", "page structure"}},
    {"file", {"附件内容", "the file's text"}}};

// "head (a, b)", "head（a、b）": what something is, then what is known of it.
std::string with_about(const std::string& head, const std::vector<std::string>& about, MailLanguage lang) {
  if (about.empty()) return head;
  return head + (lang == MailLanguage::zh ? "（" + joined(about, lang) + "）" : " (" + joined(about, lang) + ")");
}

template <std::size_t N>
std::string_view word_for(const std::pair<std::string_view, Words> (&table)[N], std::string_view name,
                          MailLanguage lang) {
  for (const auto& [key, words] : table) {
    if (key == name) return in(words, lang);
  }
  return name;
}

constexpr std::pair<std::string_view, Words> kRoles[] = {
    {"operator", {"运维人员", "operator"}},
    {"security_officer", {"安全员", "security officer"}},
    {"head", {"单位负责人", "head of unit"}},
    {"office", {"网信办", "cyber-security office"}},
    {"leader_in_charge", {"分管领导", "leader in charge"}},
    {"first_responsible", {"第一责任人", "first responsible person"}},
    {"upper_authority", {"上级主管部门", "upper authority"}}};

}  // namespace

std::vector<MailLanguage> mail_languages(std::string_view setting) {
  if (setting == "zh") return {MailLanguage::zh};
  if (setting == "en") return {MailLanguage::en};
  return {MailLanguage::zh, MailLanguage::en};
}

std::string_view severity_name(Severity severity, MailLanguage lang) {
  return in(kSeverities[static_cast<int>(severity)], lang);
}

std::string_view kind_name(IncidentKind kind, MailLanguage lang) { return in(kKinds[static_cast<int>(kind)], lang); }

std::string_view role_name(std::string_view role, MailLanguage lang) { return word_for(kRoles, role, lang); }

namespace {

// Where a crawl saw a finding: "on http://…/a.html" / "页面 http://…/a.html".
std::string on_page(const std::string& page, MailLanguage lang) {
  return (lang == MailLanguage::zh ? "页面 " : "on ") + page;
}

}  // namespace

std::string keyword_hit_text(const KeywordHit& hit, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  std::vector<std::string> about;
  if (!hit.category.empty()) {
    const std::string category(word_for(kCategories, hit.category, lang));
    about.push_back(zh ? category + "类" : category);
  }
  if (!hit.where.empty()) {
    // Other meta tags ("meta property=og:title") keep their name.
    const std::string where = zh && hit.where.starts_with("meta ") && word_for(kPlaces, hit.where, lang) == hit.where
                                  ? "meta标签 " + hit.where.substr(5)
                                  : std::string(word_for(kPlaces, hit.where, lang));
    about.push_back(zh ? "见于" + where : "in " + where);
  }
  if (!hit.page.empty()) about.push_back(on_page(hit.page, lang));
  if (hit.count > 1) about.push_back(zh ? std::to_string(hit.count) + "处" : std::to_string(hit.count) + " times");
  std::string out = with_about(hit.keyword, about, lang);
  if (!hit.quote.empty()) out += zh ? "：“" + hit.quote + "”" : ": \"" + hit.quote + "\"";
  return out;
}

std::string finding_text(const PageFinding& finding, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  std::vector<std::string> about;
  if (!finding.why.empty()) about.push_back(finding.why);
  if (!finding.text.empty())
    about.push_back(zh ? "链接文字“" + finding.text + "”" : "link text \"" + finding.text + "\"");
  if (!finding.keywords.empty()) {
    about.push_back((zh ? "含有害关键词 " : "harmful keywords ") + joined(finding.keywords, lang));
  }
  if (!finding.page.empty()) about.push_back(on_page(finding.page, lang));
  return with_about(finding.what, about, lang);
}

std::string personal_data_text(const PersonalDataFinding& finding, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  const std::string what(word_for(kPersonalData, finding.kind, lang));
  const std::string count = std::to_string(finding.count);
  std::string out = zh ? what + " " + count + " 个" : what + ": " + count;
  if (!finding.examples.empty())
    out += zh ? "，例如 " + joined(finding.examples, lang) : " (" + joined(finding.examples, lang) + ", ...)";
  if (!finding.page.empty()) out += (zh ? "，" : ", ") + on_page(finding.page, lang);
  return out;
}

std::string duration_text(Duration d, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  auto total = std::chrono::duration_cast<std::chrono::seconds>(d).count();
  if (total < 0) total = 0;
  const long long parts[] = {total / 86400, total / 3600 % 24, total / 60 % 60, total % 60};
  static constexpr Words kUnits[] = {{"天", "d"}, {"小时", "h"}, {"分", "m"}, {"秒", "s"}};
  // Past a day seconds and minutes are noise, past an hour seconds are.
  const int last = total >= 86400 ? 1 : total >= 3600 ? 2 : 3;
  std::string out;
  for (int i = 0; i <= last; ++i) {
    if (parts[i] == 0) continue;
    if (!out.empty() && !zh) out += ' ';
    out += std::to_string(parts[i]);
    out += in(kUnits[i], lang);
  }
  return out.empty() ? "0" + std::string(in(kUnits[3], lang)) : out;
}

std::string reason_text(const NotifyReason& reason, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  const std::string step = std::to_string(reason.step);
  switch (reason.what) {
    case NotifyReason::What::step: return zh ? "第" + step + "级通知" : "step " + step;
    case NotifyReason::What::repeat: return zh ? "第" + step + "级通知的重复提醒" : "repeat of step " + step;
    case NotifyReason::What::threshold_warning:
      return zh ? "距阈值还剩" + duration_text(reason.left, lang)
                : duration_text(reason.left, lang) + " left before the threshold";
    case NotifyReason::What::threshold: return zh ? "已超过阈值" : "threshold crossed";
    case NotifyReason::What::harmful_content:
      return zh ? "出现有害信息，直接报告最高层级" : "harmful content, reported to the top";
    case NotifyReason::What::resolved: return zh ? "已恢复" : "resolved";
  }
  return "";
}

std::string reasons_text(const std::vector<NotifyReason>& reasons, MailLanguage lang) {
  std::string out;
  for (const auto& r : reasons) {
    if (!out.empty()) out += lang == MailLanguage::zh ? "；" : "; ";
    out += reason_text(r, lang);
  }
  return out;
}

std::string joined(const std::vector<std::string>& items, MailLanguage lang) {
  std::string out;
  for (const auto& item : items) {
    if (!out.empty()) out += lang == MailLanguage::zh ? "、" : ", ";
    out += item;
  }
  return out;
}

std::string_view drill_word(MailLanguage lang) { return in({"演练", "DRILL"}, lang); }

std::string_view crawl_words(MailLanguage lang) { return in({"全站巡查", "site crawl"}, lang); }

std::string_view late_notice(MailLanguage lang) {
  return in({"本通知在监测服务停止运行期间到期，现补发。",
             "This notice fell due while the monitor was not running and is sent late."},
            lang);
}

std::string certificate_text(int days_left, MailLanguage lang) {
  const bool zh = lang == MailLanguage::zh;
  if (days_left < 0) {
    return zh ? "证书已过期" + std::to_string(-days_left) + "天"
              : "certificate expired " + std::to_string(-days_left) + " days ago";
  }
  return zh ? "证书将在" + std::to_string(days_left) + "天后过期"
            : "certificate expires in " + std::to_string(days_left) + " days";
}

std::string more_changes_text(std::size_t lines, MailLanguage lang) {
  return lang == MailLanguage::zh ? "……另有" + std::to_string(lines) + "行变更未列出"
                                  : "... " + std::to_string(lines) + " more changed lines not shown";
}

}  // namespace netwarden
