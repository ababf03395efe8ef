// WriterGate: a StoreWriter job that holds the writer thread until the test
// releases it, so the jobs posted meanwhile wait (and, with a small queue,
// are refused) deterministically.
#pragma once

#include <future>

#include "daemon/store/store_writer.h"

namespace netwarden::test {

class WriterGate {
 public:
  StoreWriter::Job job() {
    return [this](Store&) -> Result<void> {
      entered_.set_value();
      released_.get_future().wait();
      return {};
    };
  }
  void wait_entered() { entered_.get_future().wait(); }
  void release() { released_.set_value(); }

 private:
  std::promise<void> entered_, released_;
};

}  // namespace netwarden::test
