#define PCRE2_CODE_UNIT_WIDTH 8
#include "probes/content/ignore_patterns.h"

#include <pcre2.h>

#include <algorithm>

namespace netwarden::content_detail {
namespace {

template <class Owner>
pcre2_code* as_code(const Owner& p) {
  return static_cast<pcre2_code*>(p.get());
}

}  // namespace

void IgnorePatterns::Free::operator()(void* code) const { pcre2_code_free(static_cast<pcre2_code*>(code)); }

Result<IgnorePatterns> IgnorePatterns::compile(const std::vector<std::string>& patterns) {
  IgnorePatterns result;
  for (const std::string& pattern : patterns) {
    int error = 0;
    PCRE2_SIZE offset = 0;
    pcre2_code* code = pcre2_compile(reinterpret_cast<PCRE2_SPTR>(pattern.data()), pattern.size(),
                                     PCRE2_UTF | PCRE2_UCP | PCRE2_NEVER_BACKSLASH_C, &error, &offset, nullptr);
    if (code == nullptr) {
      PCRE2_UCHAR message[256];
      pcre2_get_error_message(error, message, sizeof message);
      return fail("ignore pattern \"" + pattern + "\" is not a valid regular expression: " +
                  reinterpret_cast<const char*>(message) + " at offset " + std::to_string(offset));
    }
    // Without JIT (unsupported CPU, or W^X memory policy) PCRE2 falls back
    // to its interpreter: slower, same results.
    pcre2_jit_compile(code, PCRE2_JIT_COMPLETE);
    result.codes_.emplace_back(code);
  }
  return result;
}

std::string IgnorePatterns::remove_from(std::string text) const {
  std::string out;
  for (const auto& code : codes_) {
    pcre2_match_data* match = pcre2_match_data_create_from_pattern(as_code(code), nullptr);
    const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
    const PCRE2_SIZE* ovector = pcre2_get_ovector_pointer(match);
    out.clear();
    std::size_t copied = 0;  // text before this is in `out`
    // Joins the kept pieces so that cutting "a X b" to "a  b" leaves "a b".
    const auto keep = [&](std::size_t end) {
      std::string_view piece = std::string_view(text).substr(copied, end - copied);
      if (piece.starts_with(' ') && (out.empty() || out.back() == ' ')) piece.remove_prefix(1);
      out.append(piece);
    };
    // A failed match (a resource limit hit, say) stops at what was removed
    // so far: the fingerprint then changes, which is the safe side.
    for (std::size_t from = 0; from <= text.size();) {
      if (pcre2_match(as_code(code), subject, text.size(), from, PCRE2_NO_UTF_CHECK, match, nullptr) < 0) break;
      const std::size_t start = ovector[0];
      const std::size_t end = ovector[1];
      if (end <= start || start < copied) {
        // Nothing to cut here: step over one character and look again.
        from = std::max(end, from) + 1;
        while (from < text.size() && (static_cast<unsigned char>(text[from]) & 0xC0) == 0x80) ++from;
        continue;
      }
      keep(start);
      copied = from = end;
    }
    pcre2_match_data_free(match);
    if (copied == 0) continue;
    keep(text.size());
    if (out.ends_with(' ')) out.pop_back();
    text.swap(out);
  }
  return text;
}

bool IgnorePatterns::matches_any(std::string_view text) const {
  const auto* subject = reinterpret_cast<PCRE2_SPTR>(text.data());
  return std::any_of(codes_.begin(), codes_.end(), [&](const auto& code) {
    pcre2_match_data* match = pcre2_match_data_create_from_pattern(as_code(code), nullptr);
    const bool found = pcre2_match(as_code(code), subject, text.size(), 0, PCRE2_NO_UTF_CHECK, match, nullptr) >= 0;
    pcre2_match_data_free(match);
    return found;
  });
}

}  // namespace netwarden::content_detail
