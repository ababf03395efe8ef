// Finding a key given twice in one JSON object.
//
// boost::json::parse keeps only one of two equal keys, silently; a control
// request naming, say, "id" twice is ambiguous and must be refused, so the
// request text is checked on its own, at every nesting level.
#pragma once

#include <optional>
#include <string>
#include <string_view>

namespace netwarden {

// For valid JSON text: the first repeated key and where it is, as `"key"`
// in the outermost object or `"key" in "PATH"` deeper (PATH: the keys
// leading to its object, "[]" for an array element), or nothing when every
// object's keys are distinct. Invalid JSON gives nothing: parse it first.
std::optional<std::string> first_duplicate_key(std::string_view json);

}  // namespace netwarden
