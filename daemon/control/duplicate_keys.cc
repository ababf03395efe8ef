#include "daemon/control/duplicate_keys.h"

#include <boost/json/basic_parser_impl.hpp>
#include <cstdint>
#include <unordered_set>
#include <vector>

namespace netwarden {

namespace {

using boost::json::error_code;
using boost::json::string_view;

// A boost::json::basic_parser handler that builds nothing and only keeps,
// for each open object, the keys seen so far.
struct KeyWatcher {
  static constexpr std::size_t max_object_size = std::size_t(-1);
  static constexpr std::size_t max_array_size = std::size_t(-1);
  static constexpr std::size_t max_key_size = std::size_t(-1);
  static constexpr std::size_t max_string_size = std::size_t(-1);

  struct Frame {
    bool object = false;
    std::unordered_set<std::string> keys;
    std::string key;  // the latest, for the path of what it holds
  };
  std::vector<Frame> open;
  std::string partial_key;
  std::optional<std::string> duplicate;

  std::string path() const {
    std::string out;
    for (std::size_t i = 0; i + 1 < open.size(); ++i) {
      if (!open[i].object) {
        out += "[]";
        continue;
      }
      if (!out.empty()) out += '.';
      out += open[i].key;
    }
    return out;
  }

  bool begin(bool object) {
    open.emplace_back().object = object;
    return true;
  }
  bool end() {
    open.pop_back();
    return true;
  }

  bool on_document_begin(error_code&) { return true; }
  bool on_document_end(error_code&) { return true; }
  bool on_array_begin(error_code&) { return begin(false); }
  bool on_array_end(std::size_t, error_code&) { return end(); }
  bool on_object_begin(error_code&) { return begin(true); }
  bool on_object_end(std::size_t, error_code&) { return end(); }
  bool on_string_part(string_view, std::size_t, error_code&) { return true; }
  bool on_string(string_view, std::size_t, error_code&) { return true; }
  bool on_key_part(string_view s, std::size_t, error_code&) {
    partial_key.append(s.data(), s.size());
    return true;
  }
  bool on_key(string_view s, std::size_t, error_code& ec) {
    partial_key.append(s.data(), s.size());
    Frame& object = open.back();
    object.key = std::move(partial_key);
    partial_key.clear();
    if (object.keys.insert(object.key).second) return true;
    const std::string where = path();
    duplicate = "\"" + object.key + "\"" + (where.empty() ? "" : " in \"" + where + "\"");
    ec = boost::json::error::extra_data;  // any error: it stops the parser here
    return false;
  }
  bool on_number_part(string_view, error_code&) { return true; }
  bool on_int64(std::int64_t, string_view, error_code&) { return true; }
  bool on_uint64(std::uint64_t, string_view, error_code&) { return true; }
  bool on_double(double, string_view, error_code&) { return true; }
  bool on_bool(bool, error_code&) { return true; }
  bool on_null(error_code&) { return true; }
  bool on_comment_part(string_view, error_code&) { return true; }
  bool on_comment(string_view, error_code&) { return true; }
};

}  // namespace

std::optional<std::string> first_duplicate_key(std::string_view json) {
  boost::json::basic_parser<KeyWatcher> parser{boost::json::parse_options{}};
  error_code ec;
  parser.write_some(false, json.data(), json.size(), ec);
  return parser.handler().duplicate;
}

}  // namespace netwarden
