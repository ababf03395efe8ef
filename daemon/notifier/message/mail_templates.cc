#include "daemon/notifier/message/mail_templates.h"

#include <algorithm>
#include <optional>
#include <vector>

#include "common/text_file.h"
#include "daemon/notifier/message/builtin_mail_templates.h"

namespace netwarden {

struct MailTemplate::Node {
  enum class Kind { text, value, section, inverted };
  Kind kind = Kind::text;
  std::string text;  // the text, or the placeholder's name
  std::vector<Node> children;
};

namespace {

constexpr std::string_view kPlaceholders[] = {"ledger",
                                              "recipient",
                                              "incident",
                                              "drill",
                                              "late",
                                              "crawl",
                                              "severity",
                                              "kind",
                                              "target",
                                              "target_id",
                                              "url",
                                              "host",
                                              "unit",
                                              "responsible",
                                              "notified",
                                              "started_at",
                                              "detected_at",
                                              "elapsed",
                                              "threshold",
                                              "deadline",
                                              "time_left",
                                              "crossed_at",
                                              "resolved_at",
                                              "resolved_by",
                                              "acknowledged_at",
                                              "acknowledged_by",
                                              "reasons",
                                              "detail",
                                              "ack_command",
                                              "http_status",
                                              "latency",
                                              "final_url",
                                              "remote_address",
                                              "tls",
                                              "certificate",
                                              "keywords",
                                              "destinations",
                                              "keyword_hits",
                                              "hidden_links",
                                              "foreign_code",
                                              "diff",
                                              "personal_data"};

struct Position {
  int line = 1;
  int col = 1;
};

struct Token {
  enum class Kind { text, value, open, inverted, close };
  Kind kind = Kind::text;
  std::string text;  // text, or the placeholder's name
  Position at;
};

bool continuation_byte(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }
bool blank(char c) { return c == ' ' || c == '\t' || c == '\r'; }
bool all_blank(std::string_view s) { return std::all_of(s.begin(), s.end(), blank); }

std::string_view trimmed(std::string_view s) {
  while (!s.empty() && s.front() == ' ') s.remove_prefix(1);
  while (!s.empty() && s.back() == ' ') s.remove_suffix(1);
  return s;
}

class Parser {
 public:
  Parser(std::string_view text, const std::string& file) : src_(text), file_(file) {}

  Result<std::vector<Token>> tokens(bool one_line);
  Result<std::vector<MailTemplate::Node>> tree(std::vector<Token> tokens);

 private:
  std::unexpected<Error> error(Position at, const std::string& message) const {
    return fail(file_ + ":" + std::to_string(at.line) + ":" + std::to_string(at.col) + ": " + message);
  }
  void step() {
    char c = src_[i_++];
    if (c == '\n') {
      ++pos_.line;
      pos_.col = 1;
    } else if (!continuation_byte(c)) {
      ++pos_.col;
    }
  }
  std::optional<Position> first_invalid_utf8() const;

  std::string_view src_;
  const std::string& file_;
  std::size_t i_ = 0;
  Position pos_;
};

// Where the first byte that is not UTF-8 sits; common/text_file.h names the
// line, the column is counted here by checking that line character by
// character.
std::optional<Position> Parser::first_invalid_utf8() const {
  std::size_t bad_line = first_invalid_utf8_line(src_);
  if (bad_line == 0) return std::nullopt;
  std::size_t start = 0;
  for (std::size_t line = 1; line < bad_line; ++line) start = src_.find('\n', start) + 1;
  std::string_view rest = src_.substr(start);
  Position at{static_cast<int>(bad_line), 1};
  for (std::size_t k = 0; k < rest.size(); ++at.col) {
    unsigned char lead = static_cast<unsigned char>(rest[k]);
    std::size_t length = lead < 0x80           ? 1
                         : (lead >> 5) == 0x6  ? 2
                         : (lead >> 4) == 0xE  ? 3
                         : (lead >> 3) == 0x1E ? 4
                                               : 1;
    if (first_invalid_utf8_line(rest.substr(k, length)) != 0) break;
    k += length;
  }
  return at;
}

Result<std::vector<Token>> Parser::tokens(bool one_line) {
  if (auto bad = first_invalid_utf8()) return error(*bad, "not valid UTF-8");
  std::vector<Token> out;
  std::string text;
  Position text_at;
  std::optional<Position> line_end;  // one_line: the first line end seen
  auto flush = [&] {
    if (!text.empty()) out.push_back(Token{Token::Kind::text, std::move(text), text_at});
    text.clear();
  };
  bool line_start = true;
  while (i_ < src_.size()) {
    std::string_view rest = src_.substr(i_);
    if (line_start && rest.starts_with("##")) {
      while (i_ < src_.size() && src_[i_] != '\n') step();
      if (i_ < src_.size()) step();
      continue;
    }
    if (one_line && line_end && !blank(rest.front()) && rest.front() != '\n') {
      return error(*line_end, "a subject template is a single line");
    }
    if (rest.starts_with("{{")) {
      flush();
      const Position at = pos_;
      std::size_t close = rest.find("}}");
      if (close == std::string_view::npos || close > rest.find('\n')) {
        return error(at, "\"{{\" without \"}}\" on the same line");
      }
      std::string_view inner = trimmed(rest.substr(2, close - 2));
      Token tag{Token::Kind::value, "", at};
      if (!inner.empty() && (inner.front() == '#' || inner.front() == '^' || inner.front() == '/')) {
        tag.kind = inner.front() == '#'   ? Token::Kind::open
                   : inner.front() == '^' ? Token::Kind::inverted
                                          : Token::Kind::close;
        inner = trimmed(inner.substr(1));
      }
      tag.text = std::string(inner);
      auto known = mail_template_placeholders();
      if (std::find(known.begin(), known.end(), inner) == known.end()) {
        return error(at, "unknown placeholder \"" + std::string(rest.substr(0, close + 2)) + "\"");
      }
      out.push_back(std::move(tag));
      for (std::size_t end = i_ + close + 2; i_ < end;) step();
      line_start = false;
      continue;
    }
    if (text.empty()) text_at = pos_;
    if (one_line && rest.front() == '\n' && !line_end) line_end = pos_;
    line_start = rest.front() == '\n';
    text += rest.front();
    step();
  }
  flush();
  if (one_line && !out.empty() && out.back().kind == Token::Kind::text) {
    std::string& last = out.back().text;
    while (!last.empty() && (last.back() == '\n' || last.back() == '\r')) last.pop_back();
  }
  return out;
}

// A section tag alone on its line (only blanks around it) takes the line
// with it. Decided on the untouched texts first, then applied, so that
// tags on neighbouring lines see each other's line ends.
void remove_standalone_lines(std::vector<Token>& tokens) {
  auto is_section = [](const Token& t) { return t.kind != Token::Kind::text && t.kind != Token::Kind::value; };
  std::vector<std::size_t> standalone;
  for (std::size_t k = 0; k < tokens.size(); ++k) {
    if (!is_section(tokens[k])) continue;
    bool before = k == 0;
    if (k > 0 && tokens[k - 1].kind == Token::Kind::text) {
      std::string_view prev = tokens[k - 1].text;
      std::size_t nl = prev.rfind('\n');
      before = nl == std::string_view::npos ? k == 1 && all_blank(prev) : all_blank(prev.substr(nl + 1));
    }
    bool after = k + 1 == tokens.size();
    if (k + 1 < tokens.size() && tokens[k + 1].kind == Token::Kind::text) {
      std::string_view next = tokens[k + 1].text;
      std::size_t nl = next.find('\n');
      after = nl == std::string_view::npos ? k + 2 == tokens.size() && all_blank(next) : all_blank(next.substr(0, nl));
    }
    if (before && after) standalone.push_back(k);
  }
  for (std::size_t k : standalone) {
    if (k == 0 || tokens[k - 1].kind != Token::Kind::text) continue;
    std::string& prev = tokens[k - 1].text;
    while (!prev.empty() && prev.back() != '\n') prev.pop_back();
  }
  for (std::size_t k : standalone) {
    if (k + 1 == tokens.size()) continue;
    std::string& next = tokens[k + 1].text;
    std::size_t nl = next.find('\n');
    next.erase(0, nl == std::string::npos ? next.size() : nl + 1);
  }
}

void render_nodes(const std::vector<MailTemplate::Node>& nodes, const TemplateValues& values, std::string& out) {
  using Kind = MailTemplate::Node::Kind;
  for (const auto& node : nodes) {
    if (node.kind == Kind::text) {
      out += node.text;
      continue;
    }
    auto it = values.find(node.text);
    const bool empty = it == values.end() || it->second.empty();
    if (node.kind == Kind::value) {
      if (!empty) out += it->second;
    } else if (empty == (node.kind == Kind::inverted)) {
      render_nodes(node.children, values, out);
    }
  }
}

}  // namespace

Result<std::vector<MailTemplate::Node>> Parser::tree(std::vector<Token> tokens) {
  remove_standalone_lines(tokens);
  using Kind = MailTemplate::Node::Kind;
  std::vector<MailTemplate::Node> root;
  std::vector<std::pair<std::vector<MailTemplate::Node>*, const Token*>> open;  // children to fill, its tag
  std::vector<MailTemplate::Node>* into = &root;
  for (const Token& t : tokens) {
    switch (t.kind) {
      case Token::Kind::text:
        if (!t.text.empty()) into->push_back({Kind::text, t.text, {}});
        break;
      case Token::Kind::value: into->push_back({Kind::value, t.text, {}}); break;
      case Token::Kind::open:
      case Token::Kind::inverted:
        into->push_back({t.kind == Token::Kind::open ? Kind::section : Kind::inverted, t.text, {}});
        open.emplace_back(into, &t);
        into = &into->back().children;
        break;
      case Token::Kind::close:
        if (open.empty()) return error(t.at, "\"{{/" + t.text + "}}\" closes no section");
        if (open.back().second->text != t.text) {
          const Token& o = *open.back().second;
          return error(t.at, "\"{{/" + t.text + "}}\" does not close \"{{" + (o.kind == Token::Kind::open ? "#" : "^") +
                                 o.text + "}}\" opened at " + std::to_string(o.at.line) + ":" +
                                 std::to_string(o.at.col));
        }
        into = open.back().first;
        open.pop_back();
        break;
    }
  }
  if (!open.empty()) {
    const Token& o = *open.back().second;
    return error(
        o.at, "section \"{{" + std::string(o.kind == Token::Kind::open ? "#" : "^") + o.text + "}}\" is never closed");
  }
  return root;
}

std::span<const std::string_view> mail_template_placeholders() { return kPlaceholders; }

Result<MailTemplate> MailTemplate::parse(std::string_view text, const std::string& file, bool one_line) {
  Parser parser(text, file);
  auto tokens = parser.tokens(one_line);
  if (!tokens) return std::unexpected(tokens.error());
  auto nodes = parser.tree(std::move(*tokens));
  if (!nodes) return std::unexpected(nodes.error());
  MailTemplate t;
  t.nodes_ = std::make_shared<const std::vector<Node>>(std::move(*nodes));
  return t;
}

std::string MailTemplate::render(const TemplateValues& values) const {
  std::string out;
  if (nodes_) render_nodes(*nodes_, values, out);
  return out;
}

Result<MailTemplates> load_mail_templates(const std::string& dir) {
  auto load = [&](const std::string& name, bool one_line) -> Result<MailTemplate> {
    if (dir.empty())
      return MailTemplate::parse(mail_detail::builtin_mail_template(name), "<built-in>/" + name, one_line);
    const std::string path = dir + "/" + name;
    auto text = read_text_file(path);
    if (!text) return fail(path + ": " + text.error().message);
    return MailTemplate::parse(*text, path, one_line);
  };
  MailTemplates out;
  for (auto [lang, code] : {std::pair{MailLanguage::zh, "zh"}, std::pair{MailLanguage::en, "en"}}) {
    LanguageTemplates& into = lang == MailLanguage::zh ? out.zh : out.en;
    auto subject = load("subject." + std::string(code) + ".txt", true);
    if (!subject) return std::unexpected(subject.error());
    auto body = load("body." + std::string(code) + ".txt", false);
    if (!body) return std::unexpected(body.error());
    into = {std::move(*subject), std::move(*body)};
  }
  return out;
}

}  // namespace netwarden
