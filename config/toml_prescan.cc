// prescan_toml(): one forward pass with a small state machine. Outside
// strings and comments it tracks just enough of TOML's grammar to know the
// depth of every key segment and value: whether a key or a value comes
// next, and a stack of the arrays and inline tables still open. Malformed
// text only has to be walked through without harm: toml++ rejects it later.
#include "config/toml_prescan.h"

#include <cstdio>
#include <vector>

namespace netwarden::config_detail {
namespace {

// toml++ 3.3.0 (upstream issues #190 and #295, fixed upstream by PR #305)
// decides whether a non-ASCII character is horizontal whitespace with a
// generated lookup, impl::is_non_ascii_horizontal_whitespace(), which splits
// U+00A0..U+FEFF into 64 blocks of 1018 code points. In blocks 0, 11 and 63
// it knows only the whitespace characters and marks every other code point
// as unreachable (__builtin_unreachable()), so asking it about U+00A7 '§',
// U+032A or U+3001 '、' is undefined behaviour: a wrong answer or a jump
// anywhere, unseen by our sanitizer build since Debian ships toml++ as a
// prebuilt shared library. The parser asks about a character in
// few places: between tokens outside strings and comments (where TOML allows
// no non-ASCII character at all), and in a """multi-line basic string"""
// right after a backslash, after a backslash and spaces, and, after a
// line-ending backslash, about each character it skips until the first one
// that is not whitespace. Refusing the undefined answers at exactly those
// places keeps toml++ away from the lookup's holes; every other use of those
// characters (any string, any comment) never reaches it.
enum class TomlBlank { no, yes, undefined };

// What that lookup answers for a code point of U+0080 or above.
TomlBlank toml_blank(char32_t c) {
  if (c == 0xA0 || c == 0x1680 || c == 0x180E || (c >= 0x2000 && c <= 0x200B) || c == 0x202F ||
      (c >= 0x205F && c <= 0x2060) || c == 0x3000 || c == 0xFEFF) {
    return TomlBlank::yes;
  }
  // Blocks 0, 11 and 63 without their whitespace characters.
  if ((c >= 0xA1 && c <= 0x499) || (c >= 0x2C5E && c <= 0x3057) || (c >= 0xFB26 && c <= 0xFEFE)) {
    return TomlBlank::undefined;
  }
  return TomlBlank::no;
}

bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

// The code point whose encoding starts at text[i], or nullopt when the
// bytes there are not UTF-8 (toml++ refuses those itself).
std::optional<char32_t> decode(std::string_view text, std::size_t i) {
  const auto lead = static_cast<unsigned char>(text[i]);
  std::size_t more = 0;
  char32_t c = 0;
  if (lead < 0x80) return lead;
  if ((lead & 0xE0) == 0xC0) {
    more = 1;
    c = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    more = 2;
    c = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    more = 3;
    c = lead & 0x07;
  } else {
    return std::nullopt;
  }
  if (text.size() - i <= more) return std::nullopt;
  for (std::size_t k = 1; k <= more; ++k) {
    if (!is_continuation(text[i + k])) return std::nullopt;
    c = (c << 6) | (static_cast<unsigned char>(text[i + k]) & 0x3F);
  }
  constexpr char32_t kShortest[] = {0, 0x80, 0x800, 0x10000};
  if (c < kShortest[more] || c > 0x10FFFF || (c >= 0xD800 && c <= 0xDFFF)) return std::nullopt;
  return c;
}

std::string code_point_name(char32_t c) {
  char buf[16];
  std::snprintf(buf, sizeof buf, "U+%04X", static_cast<unsigned>(c));
  return buf;
}

std::string nesting_message() {
  return "nested more than " + std::to_string(kMaxTomlNesting) +
         " levels deep (each key segment, table header segment and array counts one)";
}

// The first line longer than kMaxTomlLineBytes, pointing at its first
// character past the limit.
std::optional<TomlTextProblem> long_line(std::string_view text) {
  int line = 1;
  for (std::size_t start = 0; start < text.size(); ++line) {
    std::size_t end = text.find('\n', start);
    if (end == std::string_view::npos) end = text.size();
    if (end - start > kMaxTomlLineBytes) {
      int column = 0;
      for (std::size_t i = start; i <= start + kMaxTomlLineBytes; ++i) column += is_continuation(text[i]) ? 0 : 1;
      return TomlTextProblem{line, column,
                             "line longer than " + std::to_string(kMaxTomlLineBytes / 1024) +
                                 " KiB; netwarden reads lines of at most " + std::to_string(kMaxTomlLineBytes) +
                                 " bytes"};
    }
    start = end + 1;
  }
  return std::nullopt;
}

class Scanner {
 public:
  explicit Scanner(std::string_view text) : text_(text) {}
  std::optional<TomlTextProblem> run();

 private:
  using Problem = std::optional<TomlTextProblem>;
  // What the grammar has next outside strings: a key segment, the rest of a
  // key ('.', '=' or a header's ']'), a value, or what follows a value.
  enum class Expect { key, key_more, value, after_value };
  struct Frame {
    bool array;  // else an inline table
    int depth;   // the depth of the array or table itself
  };

  char peek() const { return i_ < text_.size() ? text_[i_] : '\0'; }
  bool looking_at(std::string_view s) const { return text_.substr(i_).starts_with(s); }
  bool non_ascii() const { return static_cast<unsigned char>(peek()) >= 0x80; }
  void step();
  TomlTextProblem problem(std::string message) const { return TomlTextProblem{line_, column_, std::move(message)}; }
  Problem check_depth(int depth) const;

  void end_line();
  Problem open_bracket();
  Problem close_bracket();
  Problem open_inline_table();
  void close_container();
  void comma();
  Problem atom();
  Problem word();
  Problem out_of_place(const std::string& what) const;
  bool word_char(char c) const;
  Problem string();
  Problem multi_line_string(char quote);
  Problem after_backslash();
  Problem check_lookup(bool skip_blanks);
  Problem non_ascii_outside_strings() const;

  std::string_view text_;
  std::size_t i_ = 0;
  int line_ = 1;
  int column_ = 1;
  Expect expect_ = Expect::key;
  bool in_header_ = false;
  bool last_word_was_date_ = false;  // the last bare word looks like 1979-05-27
  bool array_header_ = false;
  int table_depth_ = 0;  // the depth of the table the last [header] opened
  int key_depth_ = 0;    // the depth of the key segment read last
  int value_depth_ = 0;  // the depth of the next value
  std::vector<Frame> frames_;
};

void Scanner::step() {
  const char c = text_[i_++];
  if (c == '\n') {
    ++line_;
    column_ = 1;
  } else if (i_ < text_.size() && !is_continuation(text_[i_])) {
    ++column_;
  }
}

Scanner::Problem Scanner::check_depth(int depth) const {
  if (depth > kMaxTomlNesting) return problem(nesting_message());
  return std::nullopt;
}

Scanner::Problem Scanner::run() {
  while (i_ < text_.size()) {
    const char c = peek();
    if (c == ' ' || c == '\t' || c == '\r') {
      step();
    } else if (c == '\n') {
      end_line();
      step();
    } else if (c == '#') {
      while (i_ < text_.size() && peek() != '\n') step();
    } else if (non_ascii()) {
      return non_ascii_outside_strings();
    } else if (c == '[') {
      if (Problem p = open_bracket()) return p;
    } else if (c == ']') {
      if (Problem p = close_bracket()) return p;
    } else if (c == '{') {
      if (Problem p = open_inline_table()) return p;
    } else if (c == '}') {
      close_container();
    } else if (c == ',') {
      comma();
    } else if (c == '=') {
      if (expect_ != Expect::key_more) return out_of_place("'='");
      step();
      expect_ = Expect::value;
      value_depth_ = key_depth_;
    } else if (c == '.' && (expect_ == Expect::key || expect_ == Expect::key_more)) {
      step();
      expect_ = Expect::key;
    } else if (Problem p = atom()) {
      return p;
    }
  }
  return std::nullopt;
}

// Inside arrays a line break is just whitespace; elsewhere a new key follows.
void Scanner::end_line() {
  if (!frames_.empty()) return;
  expect_ = Expect::key;
  key_depth_ = table_depth_;
  in_header_ = false;
}

Scanner::Problem Scanner::open_bracket() {
  if (expect_ == Expect::key && frames_.empty()) {  // [table] or [[array.of.tables]]
    step();
    array_header_ = peek() == '[';
    if (array_header_) step();
    in_header_ = true;
    key_depth_ = 0;
    return std::nullopt;
  }
  if (Problem p = check_depth(value_depth_)) return p;
  if (frames_.size() >= kMaxTomlNesting) return problem(nesting_message());
  frames_.push_back(Frame{true, value_depth_});
  step();
  expect_ = Expect::value;
  value_depth_ += 1;
  return std::nullopt;
}

Scanner::Problem Scanner::close_bracket() {
  if (!in_header_) {
    close_container();
    return std::nullopt;
  }
  // The tables of [[a.b]] sit in the array b.
  table_depth_ = key_depth_ + (array_header_ ? 1 : 0);
  if (Problem p = check_depth(table_depth_)) return p;
  step();
  if (array_header_ && peek() == ']') step();
  in_header_ = false;
  expect_ = Expect::after_value;
  return std::nullopt;
}

Scanner::Problem Scanner::open_inline_table() {
  if (Problem p = check_depth(value_depth_)) return p;
  if (frames_.size() >= kMaxTomlNesting) return problem(nesting_message());
  frames_.push_back(Frame{false, value_depth_});
  step();
  expect_ = Expect::key;
  key_depth_ = value_depth_;
  return std::nullopt;
}

void Scanner::close_container() {
  if (!frames_.empty()) frames_.pop_back();
  step();
  expect_ = Expect::after_value;
}

void Scanner::comma() {
  step();
  if (frames_.empty()) return;
  if (frames_.back().array) {
    expect_ = Expect::value;
    value_depth_ = frames_.back().depth + 1;
  } else {
    expect_ = Expect::key;
    key_depth_ = frames_.back().depth;
  }
}

// A key segment or a value: a string, or a bare word (key, number, date,
// boolean). A dot ends a bare key but belongs to a number or date.
Scanner::Problem Scanner::atom() {
  // Where TOML has no key or value, toml++ reads the rest of the token to
  // name it in its error, classifying characters a string would have kept
  // from it; refused here, so strings start only where TOML starts them.
  // A date and a time may stand apart ("1979-05-27 07:32:00").
  const bool time_after_date = expect_ == Expect::after_value && last_word_was_date_ && peek() >= '0' && peek() <= '9';
  if (expect_ == Expect::key_more || (expect_ == Expect::after_value && !time_after_date)) {
    return out_of_place(peek() == '"' || peek() == '\'' ? "a quote" : "text");
  }
  last_word_was_date_ = false;
  if (time_after_date) return word();
  if (expect_ == Expect::key || expect_ == Expect::key_more) {
    key_depth_ += 1;
    if (Problem p = check_depth(key_depth_)) return p;
    expect_ = Expect::key_more;
  } else {
    if (expect_ == Expect::value) {
      if (Problem p = check_depth(value_depth_)) return p;
    }
    expect_ = Expect::after_value;
  }
  if (peek() == '"' || peek() == '\'') return string();
  return word();
}

Scanner::Problem Scanner::word() {
  const std::size_t start = i_;
  while (i_ < text_.size() && word_char(peek())) step();
  const std::string_view w = text_.substr(start, i_ - start);
  last_word_was_date_ = w.size() == 10 && w[4] == '-' && w[7] == '-';
  return std::nullopt;
}

Scanner::Problem Scanner::out_of_place(const std::string& what) const {
  return problem(what + " where TOML has no place for it (after a key or a value on the same line)");
}

bool Scanner::word_char(char c) const {
  if (static_cast<unsigned char>(c) >= 0x80) return false;
  if (c == '.') return expect_ == Expect::after_value;
  static constexpr std::string_view kStops = " \t\r\n#[]{},=\"'";
  return kStops.find(c) == std::string_view::npos;
}

Scanner::Problem Scanner::string() {
  const char quote = peek();
  if (looking_at(std::string(3, quote))) {
    for (int k = 0; k < 3; ++k) step();
    return multi_line_string(quote);
  }
  step();
  while (i_ < text_.size() && peek() != quote && peek() != '\n') {
    if (quote == '"' && peek() == '\\') {
      step();
      if (i_ == text_.size() || peek() == '\n') break;
    }
    step();
  }
  if (peek() == quote) step();
  return std::nullopt;  // unterminated: toml++ says so
}

Scanner::Problem Scanner::multi_line_string(char quote) {
  const std::string delimiter(3, quote);
  while (i_ < text_.size()) {
    if (looking_at(delimiter)) {
      for (int k = 0; k < 3; ++k) step();
      // Up to two more quotes are the string's last characters.
      for (int k = 0; k < 2 && peek() == quote; ++k) step();
      return std::nullopt;
    }
    if (quote == '"' && peek() == '\\') {
      step();
      if (Problem p = after_backslash()) return p;
    } else {
      step();
    }
  }
  return std::nullopt;
}

// In a """string""", just past a backslash: toml++ asks its whitespace
// lookup about the next character, and when that is whitespace, about the
// first character after the spaces; at a line break it then skips blanks
// and line breaks, asking about each non-ASCII character.
Scanner::Problem Scanner::after_backslash() {
  if (i_ == text_.size()) return std::nullopt;
  if (non_ascii()) return check_lookup(false);
  const char c = peek();
  if (!(c == ' ' || c == '\t' || (c >= '\n' && c <= '\r'))) {
    step();  // an ordinary escape such as \" or \\ (or a bad one toml++ reports)
    return std::nullopt;
  }
  while (peek() == ' ' || peek() == '\t') step();
  if (non_ascii()) return check_lookup(false);
  if (peek() != '\n' && peek() != '\r') return std::nullopt;
  while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') step();
  return check_lookup(true);
}

// At a character toml++ will ask its whitespace lookup about. With
// `skip_blanks`, characters the lookup calls blank are skipped (as toml++
// does after a line-ending backslash) and the next one is asked about too.
Scanner::Problem Scanner::check_lookup(bool skip_blanks) {
  while (non_ascii()) {
    const std::optional<char32_t> c = decode(text_, i_);
    if (!c) return std::nullopt;
    const TomlBlank blank = toml_blank(*c);
    if (blank == TomlBlank::undefined) {
      const std::string name = code_point_name(*c);
      return problem(name +
                     " after a backslash (and whitespace) in a multi-line string trips a known bug of the "
                     "TOML parser (toml++ 3.3.0); write it as \\u" +
                     name.substr(2));
    }
    if (blank == TomlBlank::no || !skip_blanks) return std::nullopt;
    const std::size_t start = i_;
    while (i_ == start || (i_ < text_.size() && is_continuation(peek()))) step();
    while (peek() == ' ' || peek() == '\t' || peek() == '\n' || peek() == '\r') step();
  }
  return std::nullopt;
}

Scanner::Problem Scanner::non_ascii_outside_strings() const {
  const std::optional<char32_t> c = decode(text_, i_);
  if (!c) {
    char byte[8];
    std::snprintf(byte, sizeof byte, "0x%02X", static_cast<unsigned>(static_cast<unsigned char>(peek())));
    return problem(std::string("invalid UTF-8 (byte ") + byte + ")");
  }
  const std::size_t size = *c < 0x800 ? 2 : *c < 0x10000 ? 3 : 4;
  return problem("non-ASCII character " + code_point_name(*c) + " '" + std::string(text_.substr(i_, size)) +
                 "' outside a string or comment (TOML allows it only between quotes or after #)");
}

}  // namespace

std::optional<TomlTextProblem> prescan_toml(std::string_view text) {
  // toml++ skips a byte order mark and counts columns from after it.
  if (text.starts_with("\xEF\xBB\xBF")) text.remove_prefix(3);
  if (std::optional<TomlTextProblem> p = long_line(text)) return p;
  return Scanner(text).run();
}

}  // namespace netwarden::config_detail
