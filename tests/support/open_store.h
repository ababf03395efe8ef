// A store opened on a file for a test: a failure to open is a test failure
// (and a null store), so each test reads on to its own assertions.
#pragma once

#include <gtest/gtest.h>

#include <memory>
#include <string>

#include "daemon/store/store.h"

namespace netwarden::test {

inline std::unique_ptr<Store> open_store(const std::string& path) {
  auto store = Store::open(path);
  EXPECT_TRUE(store) << store.error().message;
  return store ? std::move(*store) : nullptr;
}

}  // namespace netwarden::test
