// Errors as values across module boundaries.
//
// A function that can fail returns Result<T>: either the value or an Error
// whose message is written for the person who reads the log or the CLI
// output ("what went wrong, and where"). Each backend (errno, SQLite, pcap,
// curl, OpenSSL) translates its own error codes into an Error in one place.
//
// Result is a class, not an alias of std::expected, only so that it can be
// [[nodiscard]]: a caller that drops one (a refused write, a failed send)
// does not compile.
#pragma once

#include <expected>
#include <string>
#include <utility>

namespace netwarden {

struct Error {
  std::string message;
};

template <class T>
class [[nodiscard]] Result : public std::expected<T, Error> {
 public:
  using std::expected<T, Error>::expected;
};

// `return fail("cannot open " + path);`
inline std::unexpected<Error> fail(std::string message) { return std::unexpected<Error>(Error{std::move(message)}); }

}  // namespace netwarden
