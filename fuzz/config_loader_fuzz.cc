// Fuzz target: TOML text through the whole config loader, as
// `netwardend --check-config` runs it. Relative paths in the text (keyword
// lists, CA files, mail templates) resolve under a directory that does not
// exist, so an input can only name files by absolute path.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "config/load_config.h"

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const netwarden::ConfigLoad load = netwarden::load_config_text(text, "/nonexistent-fuzz-dir/netwarden.toml");
  for (const auto& error : load.errors) {
    if (error.to_string().empty()) __builtin_trap();  // every error names where it is
  }
  return 0;
}
