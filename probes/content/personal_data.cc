#include "probes/content/personal_data.h"

#include <algorithm>
#include <array>
#include <initializer_list>
#include <optional>
#include <vector>

#include "common/ascii.h"

namespace netwarden::content_detail {

namespace {

constexpr std::size_t kNone = std::string_view::npos;
// How far from a card number its context word may be, in characters.
constexpr std::size_t kContextChars = 30;
constexpr std::size_t kExamples = 3;

// Words that say a long number nearby is a card or an account: without
// one, a number that passes Luhn's check is as likely an order number.
constexpr std::array<std::string_view, 12> kCardWords = {"卡号",   "银行卡", "账号",   "帐号", "开户",    "银行",
                                                         "信用卡", "借记卡", "储蓄卡", "card", "account", "acct"};

bool is_digit(char c) { return c >= '0' && c <= '9'; }
bool is_x(char c) { return c == 'X' || c == 'x'; }
bool is_separator(char c) { return c == ' ' || c == '-'; }
bool is_continuation(char c) { return (static_cast<unsigned char>(c) & 0xC0) == 0x80; }

std::size_t digit_run_end(std::string_view text, std::size_t at) {
  while (at < text.size() && is_digit(text[at])) ++at;
  return at;
}

bool mobile_shaped(std::string_view digits) {
  return digits.size() == 11 && digits[0] == '1' && digits[1] >= '3' && digits[1] <= '9';
}

// Digit groups of the given sizes joined by single spaces or hyphens, as
// 138-1234-5678 or 6222 0212 3456 7890 are written: where they end, or
// kNone. The last group is followed by no digit.
std::size_t groups_end(std::string_view text, std::size_t at, std::initializer_list<std::size_t> sizes) {
  bool first = true;
  for (std::size_t size : sizes) {
    if (!first) {
      if (at >= text.size() || !is_separator(text[at])) return kNone;
      ++at;
    }
    first = false;
    if (digit_run_end(text, at) != at + size) return kNone;
    at += size;
  }
  return at;
}

// An ID number written in groups, as forms and spreadsheets print it:
// 440306 19900307 1232 or 440306 1990 0307 1232, the last group one digit
// short when the check character is an X. Where it ends, or kNone.
std::size_t id_groups_end(std::string_view text, std::size_t at, std::string& digits) {
  for (std::initializer_list<std::size_t> sizes : {std::initializer_list<std::size_t>{6, 8, 4}, {6, 4, 4, 4}}) {
    for (bool x_last : {false, true}) {
      std::vector<std::size_t> groups(sizes);
      if (x_last) --groups.back();
      std::size_t end = at;
      for (std::size_t g = 0; g < groups.size() && end != kNone; ++g) {
        if (g > 0) end = end < text.size() && is_separator(text[end]) ? end + 1 : kNone;
        if (end != kNone) end = digit_run_end(text, end) == end + groups[g] ? end + groups[g] : kNone;
      }
      if (end == kNone || (x_last && (end >= text.size() || !is_x(text[end++])))) continue;
      if (end < text.size() && (is_digit(text[end]) || is_x(text[end]))) continue;
      digits.clear();
      for (char c : text.substr(at, end - at)) {
        if (is_digit(c) || is_x(c)) digits += is_x(c) ? 'X' : c;
      }
      return end;
    }
  }
  return kNone;
}

// A card written in fours: four groups, then maybe one of one to three digits.
std::size_t card_groups_end(std::string_view text, std::size_t at) {
  std::size_t end = groups_end(text, at, {4, 4, 4, 4});
  if (end == kNone || end + 1 >= text.size() || !is_separator(text[end])) return end;
  const std::size_t tail = digit_run_end(text, end + 1) - (end + 1);
  return tail >= 1 && tail <= 3 ? end + 1 + tail : end;
}

std::string digits_of(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (is_digit(c)) out += c;
  }
  return out;
}

std::string_view chars_before(std::string_view text, std::size_t pos, std::size_t chars) {
  std::size_t begin = pos;
  for (std::size_t n = 0; begin > 0 && n < chars;) {
    --begin;
    if (!is_continuation(text[begin])) ++n;
  }
  return text.substr(begin, pos - begin);
}

std::string_view chars_after(std::string_view text, std::size_t pos, std::size_t chars) {
  std::size_t end = pos;
  for (std::size_t n = 0; end < text.size() && n < chars; ++n) {
    ++end;
    while (end < text.size() && is_continuation(text[end])) ++end;
  }
  return text.substr(pos, end - pos);
}

bool card_context(std::string_view text, std::size_t begin, std::size_t end) {
  std::string near =
      std::string(chars_before(text, begin, kContextChars)) + " " + std::string(chars_after(text, end, kContextChars));
  for (char& c : near) c = ascii_lower(c);
  return std::any_of(kCardWords.begin(), kCardWords.end(),
                     [&](std::string_view word) { return near.find(word) != std::string::npos; });
}

// A card number: 13 to 19 digits, Luhn, not an ID number, a word near it.
bool is_card(std::string_view text, std::size_t begin, std::size_t end, const std::string& digits,
             std::chrono::year_month_day today) {
  return digits.size() >= 13 && digits.size() <= 19 && luhn_valid(digits) && !valid_id_number(digits, today) &&
         card_context(text, begin, end);
}

// The number that starts at `at` (the first digit of a run), if any, added
// to `out`; returns where scanning goes on.
std::size_t read_number(std::string_view text, std::size_t at, std::chrono::year_month_day today,
                        std::vector<PersonalNumber>& out) {
  const std::size_t run_end = digit_run_end(text, at);
  const std::string run(text.substr(at, run_end - at));
  if (run.size() == 6) {
    std::string id;
    if (const std::size_t end = id_groups_end(text, at, id); end != kNone && valid_id_number(id, today)) {
      out.push_back({PersonalKind::id_number, at, end, std::move(id)});
      return end;
    }
  }
  if (run.size() == 17 && run_end < text.size() && is_x(text[run_end])) {
    if (valid_id_number(run + 'X', today)) out.push_back({PersonalKind::id_number, at, run_end + 1, run + 'X'});
    return run_end + 1;
  }
  if (run.size() == 18 && valid_id_number(run, today)) {
    out.push_back({PersonalKind::id_number, at, run_end, run});
  } else if (mobile_shaped(run)) {
    out.push_back({PersonalKind::mobile_number, at, run_end, run});
  } else if (run.size() == 13 && run.starts_with("86") && mobile_shaped(run.substr(2))) {
    out.push_back({PersonalKind::mobile_number, at + 2, run_end, run.substr(2)});
  } else if (is_card(text, at, run_end, run, today)) {
    out.push_back({PersonalKind::bank_card, at, run_end, run});
  } else if (const std::size_t end = run.size() == 3 ? groups_end(text, at, {3, 4, 4}) : kNone; end != kNone) {
    const std::string digits = digits_of(text.substr(at, end - at));
    if (mobile_shaped(digits) && (end == text.size() || !is_digit(text[end]))) {
      out.push_back({PersonalKind::mobile_number, at, end, digits});
      return end;
    }
  } else if (const std::size_t card_end = run.size() == 4 ? card_groups_end(text, at) : kNone; card_end != kNone) {
    const std::string digits = digits_of(text.substr(at, card_end - at));
    if ((card_end == text.size() || !is_digit(text[card_end])) && is_card(text, at, card_end, digits, today)) {
      out.push_back({PersonalKind::bank_card, at, card_end, digits});
      return card_end;
    }
  }
  return run_end;
}

// An allowed number as the scanner spells numbers: digits, an ID number's
// X upper-cased, a mobile number without its +86.
std::string allowed_form(std::string_view written) {
  std::string out;
  for (char c : written) {
    if (is_digit(c) || c == 'X' || c == 'x') out += static_cast<char>(c == 'x' ? 'X' : c);
  }
  if (out.size() == 13 && out.starts_with("86") && mobile_shaped(std::string_view(out).substr(2))) out.erase(0, 2);
  return out;
}

int min_count(const PersonalDataRules& rules, PersonalKind kind) {
  switch (kind) {
    case PersonalKind::id_number: return rules.min_id_numbers;
    case PersonalKind::bank_card: return rules.min_bank_cards;
    case PersonalKind::mobile_number: return rules.min_mobile_numbers;
  }
  return 1;
}

// Text typed with a Chinese input method in full-width mode: the digits
// ０-９, Ｘ and ｘ, the full-width hyphen and the ideographic space read as
// their ASCII forms, each byte's place in the original kept in `from` (one
// entry more than `text`, for the end), so what is found there is masked
// there.
struct HalfWidth {
  std::string text;
  std::vector<std::size_t> from;
};

std::optional<HalfWidth> half_width(std::string_view text) {
  if (text.find("\xEF\xBC") == kNone && text.find("\xEF\xBD\x98") == kNone && text.find("\xE3\x80\x80") == kNone) {
    return std::nullopt;
  }
  HalfWidth out;
  out.text.reserve(text.size());
  out.from.reserve(text.size() + 1);
  for (std::size_t i = 0; i < text.size();) {
    const std::string_view rest = text.substr(i);
    char ascii = 0;
    if (rest.size() >= 3 && rest.starts_with("\xEF\xBC")) {
      const auto c = static_cast<unsigned char>(rest[2]);
      if (c >= 0x90 && c <= 0x99) ascii = static_cast<char>('0' + (c - 0x90));
      if (c == 0xB8) ascii = 'X';
      if (c == 0x8D) ascii = '-';
    } else if (rest.starts_with("\xEF\xBD\x98")) {
      ascii = 'x';
    } else if (rest.starts_with("\xE3\x80\x80")) {
      ascii = ' ';
    }
    if (ascii != 0) {
      out.text += ascii;
      out.from.push_back(i);
      i += 3;
    } else {
      out.text += text[i];
      out.from.push_back(i++);
    }
  }
  out.from.push_back(text.size());
  return out;
}

}  // namespace

std::string_view to_string(PersonalKind kind) {
  switch (kind) {
    case PersonalKind::id_number: return "id_number";
    case PersonalKind::bank_card: return "bank_card";
    case PersonalKind::mobile_number: return "mobile_number";
  }
  return "";
}

bool valid_id_number(std::string_view id, std::chrono::year_month_day today) {
  if (id.size() != 18 || id[0] < '1' || id[0] > '8') return false;
  if (!std::all_of(id.begin(), id.end() - 1, is_digit) || !(is_digit(id[17]) || id[17] == 'X' || id[17] == 'x')) {
    return false;
  }
  auto number = [&](std::size_t from, std::size_t length) {
    unsigned n = 0;
    for (std::size_t i = from; i < from + length; ++i) n = n * 10 + static_cast<unsigned>(id[i] - '0');
    return n;
  };
  const std::chrono::year_month_day born{std::chrono::year(static_cast<int>(number(6, 4))),
                                         std::chrono::month(number(10, 2)), std::chrono::day(number(12, 2))};
  if (!born.ok() || born.year() < std::chrono::year(1900) ||
      std::chrono::sys_days(born) > std::chrono::sys_days(today)) {
    return false;
  }
  // ISO 7064 MOD 11-2: weights 2^(17-i) mod 11.
  constexpr std::array<unsigned, 17> kWeights = {7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2};
  unsigned sum = 0;
  for (std::size_t i = 0; i < 17; ++i) sum += kWeights[i] * static_cast<unsigned>(id[i] - '0');
  constexpr std::string_view kCheck = "10X98765432";
  return kCheck[sum % 11] == (id[17] == 'x' ? 'X' : id[17]);
}

bool luhn_valid(std::string_view digits) {
  if (digits.empty() || !std::all_of(digits.begin(), digits.end(), is_digit)) return false;
  unsigned sum = 0;
  bool twice = false;
  for (auto it = digits.rbegin(); it != digits.rend(); ++it, twice = !twice) {
    unsigned d = static_cast<unsigned>(*it - '0');
    if (twice) d = d * 2 > 9 ? d * 2 - 9 : d * 2;
    sum += d;
  }
  return sum % 10 == 0;
}

std::vector<PersonalNumber> find_personal_numbers(std::string_view text, std::chrono::year_month_day today) {
  std::vector<PersonalNumber> out;
  const std::optional<HalfWidth> half = half_width(text);
  const std::string_view scanned = half ? std::string_view(half->text) : text;
  for (std::size_t i = 0; i < scanned.size();) {
    i = is_digit(scanned[i]) ? read_number(scanned, i, today, out) : i + 1;
  }
  if (half) {
    for (PersonalNumber& n : out) {
      n.begin = half->from[n.begin];
      n.end = half->from[n.end];
    }
  }
  return out;
}

std::string masked(PersonalKind kind, std::string_view number) {
  const std::size_t shown_first = kind == PersonalKind::mobile_number ? 3 : 6;
  if (number.size() < shown_first + 4) return std::string(number.size(), '*');
  return std::string(number.substr(0, shown_first)) + std::string(number.size() - shown_first - 4, '*') +
         std::string(number.substr(number.size() - 4));
}

std::string mask_personal_numbers(std::string_view text, std::chrono::year_month_day today) {
  std::string out;
  std::size_t copied = 0;
  for (const PersonalNumber& n : find_personal_numbers(text, today)) {
    out.append(text.substr(copied, n.begin - copied));
    out += masked(n.kind, n.number);
    copied = n.end;
  }
  out.append(text.substr(copied));
  return out;
}

std::vector<PersonalDataFinding> find_personal_data(const std::vector<std::string_view>& texts,
                                                    const PersonalDataRules& rules, std::chrono::year_month_day today) {
  std::vector<std::string> allowed;
  allowed.reserve(rules.allowed_numbers.size());
  for (const std::string& written : rules.allowed_numbers) allowed.push_back(allowed_form(written));
  constexpr PersonalKind kKinds[] = {PersonalKind::id_number, PersonalKind::bank_card, PersonalKind::mobile_number};
  std::array<std::vector<std::string>, std::size(kKinds)> distinct;  // by PersonalKind, in order of appearance
  for (std::string_view text : texts) {
    for (PersonalNumber& n : find_personal_numbers(text, today)) {
      std::vector<std::string>& seen = distinct[static_cast<std::size_t>(n.kind)];
      if (std::find(allowed.begin(), allowed.end(), n.number) != allowed.end() ||
          std::find(seen.begin(), seen.end(), n.number) != seen.end()) {
        continue;
      }
      seen.push_back(std::move(n.number));
    }
  }
  std::vector<PersonalDataFinding> findings;
  for (PersonalKind kind : kKinds) {
    const std::vector<std::string>& numbers = distinct[static_cast<std::size_t>(kind)];
    if (numbers.empty() || static_cast<int>(numbers.size()) < min_count(rules, kind)) continue;
    PersonalDataFinding f{std::string(to_string(kind)), static_cast<int>(numbers.size()), {}};
    for (std::size_t i = 0; i < numbers.size() && i < kExamples; ++i) f.examples.push_back(masked(kind, numbers[i]));
    findings.push_back(std::move(f));
  }
  return findings;
}

}  // namespace netwarden::content_detail
